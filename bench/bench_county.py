"""Benchmark: a county-sized database (Iași-like) and the three things that must stay fast on it.

Seeds ~100,000 pupils in 300 schools (~4,500 classes, grades 0–8) with a whole 2025–2026 school year of registers
(Iași calendar; one RegisterEntry per class and school day) and absences (~7 % of pupil-days, 1–6 hours, a third
excused), about 1 % of pupils moving class mid-year, all with random.Random(42) and raw bulk inserts. Then it
measures, each as a ratio to a floor measured in the same run (medians of interleaved runs):

1. the class register: `register_save` for a class of 25 with 3 absences on a day whose register is deleted
   before every run, against one RegisterEntry INSERT + 3 Absence INSERTs in a transaction; and the same through
   the test Client (POST, and GET of the page), against a bare view doing the least SQL for the same rows; the
   POST is measured twice, with the recompute of the touched children's scores (what a teacher waits for) and
   without it (the register alone);
2. the child list (`children:list`) of a county coordinator who sees every pupil, page 1, a name search and a
   deep page, against a bare view with one raw page query and one COUNT;
3. a school's attendance over the year, `attendance_for_school`, against one hand-written SQL statement (both
   first checked equal, and equal to the totals the generator knows).

It also prints the queries each request runs (count, SQL time, the slowest, repeated shapes = N+1 smell).

Run:
    .venv/bin/python bench/bench_county.py                 # SQLite, temporary file, 100,000 pupils
    .venv/bin/python bench/bench_county.py --quick         # 10,000 pupils
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prezent_bench .venv/bin/python bench/bench_county.py
The PostgreSQL database is dropped and recreated (its name must contain "bench").
"""

import argparse
import bisect
import datetime
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from unittest import mock
from zoneinfo import ZoneInfo

import _common
import time_machine

SEED = 42
FULL_PUPILS = 100_000
FULL_SCHOOLS = 300
CLASSES_PER_SCHOOL_GRADE = (1, 2, 2)  # mean 1.67 × 9 grades ≈ 15 classes a school, ≈ 4,500 in 300 schools
ABSENT_SHARE = 0.07
EXCUSED_SHARE = 0.3
MOVERS_SHARE = 0.01
BENCH_CLASS_SIZE = 25
FIRST_NAMES = (
    "Andrei", "Maria", "Ioana", "Alexandru", "Elena", "David", "Sofia", "Matei", "Ana", "Luca", "Daria", "Stefan",
    "Gabriel", "Bianca", "Denisa", "Mihai", "Ionut", "Alexia", "Rares", "Antonia", "Vlad", "Irina", "Cosmin", "Eva",
)  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=FULL_PUPILS, help="pupils to seed (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 pupils (30 schools)")
    parser.add_argument("--days", type=int, default=0, help="seed only the first N school days (0: the whole year)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each measurement (median is kept)")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database (no re-seed)")
    parser.add_argument("--queries", action="store_true", help="print every captured query")
    parser.add_argument("--plans", action="store_true", help="print the plan of each request's slowest query")
    args = parser.parse_args()
    if args.quick:
        args.pupils = 10_000
    return args


ARGS = parse_args()
DB = _common.setup_django(prefix="prezent-bench-county", reuse=ARGS.reuse)

from _county_bare import raw_child_page, raw_register_insert, raw_school_rate  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from prezent.accounts.models import Role, RoleAssignment, User  # noqa: E402
from prezent.attendance.models import Absence, RegisterEntry  # noqa: E402
from prezent.attendance.permissions import register_closed  # noqa: E402
from prezent.attendance.selectors import attendance_for_school  # noqa: E402
from prezent.attendance.services import register_save  # noqa: E402
from prezent.children.models import Child, Enrolment  # noqa: E402
from prezent.children.selectors import child_search  # noqa: E402
from prezent.schools.models import (  # noqa: E402
    ClassGroup,
    Environment,
    Locality,
    School,
    SchoolYear,
    default_hours_per_day,
    level_for_grade,
)
from prezent.schools.selectors import calendar_for  # noqa: E402
from prezent.schools.services import school_years_load_official  # noqa: E402

T_CHILD = Child._meta.db_table
T_ENROLMENT = Enrolment._meta.db_table
T_ENTRY = RegisterEntry._meta.db_table
T_ABSENCE = Absence._meta.db_table


# ---------------------------------------------------------------------------------------------------------------
# Seeding


@dataclass
class Seeded:
    bench_class_id: int
    bench_school_id: int
    bench_day: datetime.date
    days: list[datetime.date]
    year: SchoolYear
    expected_school_totals: tuple[int, int, int] | None  # the generator's own totals for the bench school
    bench_cell: tuple[int, int]  # absent and excused hours the generator drew for the bench class on the bench day
    timings: dict[str, float]


@dataclass
class Group:
    pk: int
    school_id: int
    grade: int
    hours: int
    members: list[tuple[int, datetime.date, datetime.date | None]]


def binomial_cdfs(max_n: int, p: float) -> list[list[float]]:
    """cdfs[n][k] = P(X ≤ k) for X ~ Binomial(n, p): draws of how many children of a class are absent."""
    cdfs = []
    for n in range(max_n + 1):
        total, cdf = 0.0, []
        for k in range(n + 1):
            total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
            cdf.append(total)
        cdf[-1] = 1.0
        cdfs.append(cdf)
    return cdfs


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), so the sizes add up exactly."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    sizes = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - sizes[i], reverse=True)
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def seed(pupils: int, days_limit: int) -> Seeded:
    rng = random.Random(SEED)
    timings: dict[str, float] = {}
    _common.sqlite_cache(1_000_000)  # 1 GB of page cache while loading; set back to the settings' size below
    vendor = connection.vendor
    started = time.perf_counter()

    school_years_load_official()
    year = SchoolYear.objects.get(county_code="IS", name="2025-2026")
    calendar = calendar_for(year)
    all_days = list(calendar.school_days(year.start, year.end))
    days = all_days[:days_limit] if days_limit else all_days

    Locality.objects.create(siruta="95", name="Iași", level=Locality.Level.COUNTY, county_code="IS")
    uats = Locality.objects.bulk_create(
        Locality(siruta=f"9{i:05d}", name=f"Comuna {i}", level=Locality.Level.UAT, county_code="IS", uat=None)
        for i in range(1, 99)
    )
    n_schools = max(1, round(FULL_SCHOOLS * pupils / FULL_PUPILS))
    schools = School.objects.bulk_create(
        School(
            siiir_code=f"22{i:08d}",
            kind=School.Kind.PJ,
            name=f"Școala Gimnazială nr. {i}",
            short_name=f"Școala {i}",
            county_code="IS",
            locality=rng.choice(uats),
            environment=Environment.RURAL if rng.random() < 0.6 else Environment.URBAN,
        )
        for i in range(1, n_schools + 1)
    )
    new_groups = []
    for school in schools:
        for grade in range(9):
            for letter in "ABC"[: rng.choice(CLASSES_PER_SCHOOL_GRADE)]:
                new_groups.append(
                    ClassGroup(
                        school=school,
                        school_year=year,
                        level=level_for_grade(grade),
                        grade=grade,
                        letter=letter,
                        hours_per_day=default_hours_per_day(grade),
                    )
                )
    created = ClassGroup.objects.bulk_create(new_groups, batch_size=1000)
    groups = [Group(g.pk, g.school_id, g.grade, g.hours_per_day, []) for g in created]
    # The benchmarked class: the first grade-5 class of the first school, exactly 25 pupils, 6 hours a day.
    bench = next(g for g in groups if g.school_id == schools[0].pk and g.grade == 5)
    others = [g for g in groups if g is not bench]
    sizes = allocate(pupils - BENCH_CLASS_SIZE, [rng.uniform(0.75, 1.25) for _ in others])
    size_of = {g.pk: s for g, s in zip(others, sizes, strict=True)}
    size_of[bench.pk] = BENCH_CLASS_SIZE

    # Children (explicit ids, in class order as a school's import would insert them) and their enrolments.
    now = "2025-09-01 08:00:00" if vendor == "sqlite" else "2025-09-01 08:00:00+00"
    child_rows, enrolment_rows = [], []
    next_id = 1
    by_school_grade: dict[tuple[int, int], list[Group]] = {}
    for g in groups:
        by_school_grade.setdefault((g.school_id, g.grade), []).append(g)
    movable_days = days[10:-10] if len(days) > 40 else []
    year_start = year.start
    for g in groups:
        for _ in range(size_of[g.pk]):
            cid = next_id
            next_id += 1
            born = datetime.date(2019 - g.grade, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            child_rows.append(
                (cid, now, now, rng.choice(FIRST_NAMES), f"Elev {cid}", rng.choice("FM"), born.isoformat(), "", False)
            )
            siblings = [s for s in by_school_grade[(g.school_id, g.grade)] if s is not g]
            if movable_days and siblings and g is not bench and rng.random() < MOVERS_SHARE:
                # Moves to a parallel class of the same school: the old enrolment ends the day before.
                moved = rng.choice(movable_days)
                target = rng.choice([s for s in siblings if s is not bench] or siblings)
                if target is bench:
                    target = g
                if target is not g:
                    until = moved - datetime.timedelta(days=1)
                    g.members.append((cid, year_start, until))
                    target.members.append((cid, moved, None))
                    enrolment_rows.append((cid, g.pk, year_start.isoformat(), until.isoformat(), "moved_class", False))
                    enrolment_rows.append((cid, target.pk, moved.isoformat(), None, "", False))
                    continue
            g.members.append((cid, year_start, None))
            enrolment_rows.append((cid, g.pk, year_start.isoformat(), None, "", False))
    with _common.secondary_indexes_dropped([T_CHILD, T_ENROLMENT]), transaction.atomic():
        _common.insert_rows(
            T_CHILD,
            ["id", "created_at", "updated_at", "first_name", "last_name", "sex", "birth_date", "cnp", "works"],
            child_rows,
        )
        _common.insert_rows(
            T_ENROLMENT, ["child_id", "class_group_id", "start", "end", "end_reason", "repeating"], enrolment_rows
        )
    del child_rows, enrolment_rows
    timings["schools, classes, children, enrolments"] = time.perf_counter() - started

    # A year of registers: one entry per class and school day, absences drawn per entry.
    started = time.perf_counter()
    cdfs = binomial_cdfs(max(len(g.members) for g in groups) + 1, ABSENT_SHARE)
    static = {
        g.pk: [m[0] for m in g.members] for g in groups if all(m[1] == year_start and m[2] is None for m in g.members)
    }
    expected = [0, 0, 0]
    cell = [0, 0]
    bench_day = days[len(days) // 2]
    entry_id = 0
    entry_cols = ["id", "class_group_id", "date", "hours", "taken_by_id", "taken_at"]
    absence_cols = [
        "register_entry_id", "child_id", "date", "hours", "excused", "excuse_reason", "document_date",
        "excused_by_id", "excused_at", "recorded_by_id",
    ]  # fmt: skip
    random_ = rng.random
    chunk = 15
    inserting = 0.0
    with _common.secondary_indexes_dropped([T_ENTRY, T_ABSENCE]):
        for offset in range(0, len(days), chunk):
            entries, absences = [], []
            for day in days[offset : offset + chunk]:
                iso = day.isoformat()
                stamp = f"{iso} 06:00:00" if vendor == "sqlite" else f"{iso} 06:00:00+00"
                for g in groups:
                    entry_id += 1
                    entries.append((entry_id, g.pk, iso, g.hours, None, stamp))
                    roster = static.get(g.pk)
                    if roster is None:
                        roster = [m[0] for m in g.members if m[1] <= day and (m[2] is None or day <= m[2])]
                    k = bisect.bisect_left(cdfs[len(roster)], random_())
                    max_hours = min(6, g.hours)
                    in_bench_school = g.school_id == bench.school_id
                    if in_bench_school:
                        expected[0] += len(roster) * g.hours
                    for child_id in rng.sample(roster, k) if k else ():
                        hours = rng.randint(1, max_hours)
                        if random_() < EXCUSED_SHARE:
                            absences.append((entry_id, child_id, iso, hours, True, "medical", iso, None, stamp, None))
                        else:
                            absences.append((entry_id, child_id, iso, hours, False, "", None, None, None, None))
                        if in_bench_school:
                            excused = hours if absences[-1][4] else 0
                            expected[1] += hours
                            expected[2] += excused
                            if g is bench and day == bench_day:
                                cell[0] += hours
                                cell[1] += excused
            insert_started = time.perf_counter()
            with transaction.atomic():
                _common.insert_rows(T_ENTRY, entry_cols, entries)
                _common.insert_rows(T_ABSENCE, absence_cols, absences)
            inserting += time.perf_counter() - insert_started
        index_started = time.perf_counter()
    indexing = time.perf_counter() - index_started
    _common.reset_sequences(Child, RegisterEntry)
    elapsed = time.perf_counter() - started
    timings["register entries and absences"] = elapsed
    timings["  of which drawing them in Python"] = elapsed - inserting - indexing
    timings["  of which inserting them"] = inserting
    timings["  of which building their indexes"] = indexing

    started = time.perf_counter()
    _common.analyze()
    _common.sqlite_cache(settings.SQLITE_CACHE_KIB)  # the page cache of config.settings for the measurements
    timings["ANALYZE"] = time.perf_counter() - started
    return Seeded(
        bench.pk,
        bench.school_id,
        bench_day,
        days,
        year,
        (expected[0], expected[1], expected[2]),
        (cell[0], cell[1]),
        timings,
    )


def seeded_from_database() -> Seeded:
    """For --reuse: find what seed() chose in a database seeded earlier."""
    year = SchoolYear.objects.get(county_code="IS", name="2025-2026")
    first_school = School.objects.order_by("pk").first()
    bench = ClassGroup.objects.filter(school=first_school, grade=5).order_by("pk").first()
    assert bench is not None, "no seeded data: run without --reuse first"
    days = sorted(set(RegisterEntry.objects.filter(class_group=bench).values_list("date", flat=True)))
    days = list(calendar_for(year).school_days(days[0], days[-1])) if days else []
    return Seeded(bench.pk, bench.school_id, days[len(days) // 2], days, year, None, (0, 0), {})


def users(bench_class_id: int) -> tuple[User, User]:
    """A county coordinator of Iași (sees every child) and the bench class's form teacher (takes its register)."""
    password = make_password(None)
    coordinator, _ = User.objects.get_or_create(username="bench-county", defaults={"password": password})
    teacher, _ = User.objects.get_or_create(username="bench-teacher", defaults={"password": password})
    if not RoleAssignment.objects.filter(user=coordinator).exists():
        RoleAssignment.objects.create(
            user=coordinator, role=Role.COUNTY_COORDINATOR, scope_kind=RoleAssignment.ScopeKind.COUNTY, county_code="IS"
        )
        group = ClassGroup.objects.get(pk=bench_class_id)
        assignment = RoleAssignment.objects.create(
            user=teacher, role=Role.CLASS_TEACHER, scope_kind=RoleAssignment.ScopeKind.SCHOOLS
        )
        assignment.schools.set([group.school_id])
        ClassGroup.objects.filter(pk=bench_class_id).update(teacher=teacher)
    return coordinator, teacher


# ---------------------------------------------------------------------------------------------------------------
# Benchmarks


def delete_register(class_id: int, day: datetime.date) -> None:
    d = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {T_ABSENCE} WHERE register_entry_id IN "
            f"(SELECT id FROM {T_ENTRY} WHERE class_group_id = %s AND date = %s)",
            [class_id, d],
        )
        cursor.execute(f"DELETE FROM {T_ENTRY} WHERE class_group_id = %s AND date = %s", [class_id, d])


def main() -> None:
    args = ARGS
    total_started = time.perf_counter()
    _common.print_section("Prezent county benchmark")
    print(f"  database: {_common.engine_description()} ({DB.name})")
    print(f"  Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat={args.repeat}")

    started = time.perf_counter()
    if DB.recreated or not ClassGroup.objects.exists():
        call_command("migrate", verbosity=0)
        migrate_s = time.perf_counter() - started
        started = time.perf_counter()
        seeded = seed(args.pupils, args.days)
        seed_s = time.perf_counter() - started
    else:
        migrate_s, seed_s = 0.0, 0.0
        seeded = seeded_from_database()
    coordinator, teacher = users(seeded.bench_class_id)

    pupils = _common.table_count(T_CHILD)
    entries = _common.table_count(T_ENTRY)
    absences = _common.table_count(T_ABSENCE)
    classes = ClassGroup.objects.count()
    school_count = School.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(hours), 0) FROM {T_ABSENCE}")
        _n, absent_hours = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {T_ENTRY} re JOIN {T_ENROLMENT} e ON e.class_group_id = re.class_group_id "
            f'AND re.date >= e."start" AND (e."end" IS NULL OR re.date <= e."end")'
        )
        pupil_days = cursor.fetchone()[0]
    all_days = list(calendar_for(seeded.year).school_days(seeded.year.start, seeded.year.end))
    print(f"  migrate: {migrate_s:.1f} s; seed: {seed_s:.1f} s" + (" (reused database)" if not seed_s else ""))
    for step, seconds in seeded.timings.items():
        print(f"    {step}: {seconds:.1f} s")
    print(
        f"  rows: {school_count:,} schools, {classes:,} classes, {pupils:,} pupils, "
        f"{Enrolment.objects.count():,} enrolments, {entries:,} register entries, {absences:,} absences"
    )
    print(
        f"  school days seeded: {len(seeded.days)} of the {len(all_days)} of {seeded.year.name} "
        f"({seeded.days[0]:%d.%m.%Y}–{seeded.days[-1]:%d.%m.%Y}); pupil-days {pupil_days:,}, "
        f"{absences / max(pupil_days, 1):.1%} with an absence, {absent_hours:,} absent hours"
    )

    if register_closed(school_year=seeded.year):
        # Once the bench year has ended its register is closed to the teacher (docs/architecture.md, "A closed
        # school year's register"): the measurements run on its last day, when the teacher still takes it.
        last_day = datetime.datetime.combine(seeded.year.end, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
        time_machine.travel(last_day, tick=True).start()
        print(f"  measured as on {seeded.year.end:%d.%m.%Y}, the last day of {seeded.year.name}")

    group = ClassGroup.objects.get(pk=seeded.bench_class_id)
    day = seeded.bench_day
    roster = [c.pk for c in Child.objects.filter(enrolments__class_group=group).order_by("last_name", "first_name")]
    absent = {roster[2]: 2, roster[9]: 6, roster[17]: 1}
    print(f"  bench class: {group} #{group.pk} ({len(roster)} pupils, {group.hours_per_day} h), day {day}")

    # -- 1. The class register ------------------------------------------------------------------------------
    holder: dict[str, ClassGroup] = {}

    def reset() -> None:
        """Untimed: delete the day's register, and load the class afresh as the view would (so the calendar is
        read again, as in a real request)."""
        delete_register(group.pk, day)
        holder["group"] = ClassGroup.objects.select_related("school", "school_year").get(pk=group.pk)

    def service() -> None:
        register_save(class_group=holder["group"], day=day, absences=absent, actor=teacher)

    def floor_insert() -> None:
        raw_register_insert(class_id=group.pk, day=day, hours=group.hours_per_day, absences=absent, actor_id=teacher.pk)

    def day_rows() -> list[tuple[int, int]]:
        rows = Absence.objects.filter(register_entry__class_group=group, date=day).values_list("child_id", "hours")
        return sorted(rows)

    # The check: both write the same rows.
    reset()
    service()
    app_rows = day_rows()
    reset()
    floor_insert()
    assert app_rows == day_rows() == sorted(absent.items()), (app_rows, day_rows())

    teacher_client, teacher_bare = Client(), Client()
    teacher_client.force_login(teacher)
    teacher_bare.force_login(teacher)
    register_url = reverse("risk:register", kwargs={"pk": group.pk, "day": day.isoformat()})
    bare_register_url = f"/bench/register/{group.pk}/{day.isoformat()}/"
    post_data = {"day_hours": str(group.hours_per_day)}
    for child_id, hours in absent.items():
        post_data[f"absent_{child_id}"] = "on"
        post_data[f"hours_{child_id}"] = str(hours)

    def post_app() -> None:
        response = teacher_client.post(register_url, post_data)
        assert response.status_code == 302, response.status_code

    def post_app_without_scores() -> None:
        """The same POST with the recompute of the touched children's scores switched off: what the register
        itself costs, apart from the early-warning work the page starts after the save."""
        with mock.patch("prezent.risk.views.recompute_after_commit"):
            post_app()

    def post_bare() -> None:
        response = teacher_bare.post(bare_register_url, post_data)
        assert response.status_code == 302, response.status_code

    def get_app() -> None:
        response = teacher_client.get(register_url)
        assert response.status_code == 200, response.status_code

    def get_bare() -> None:
        response = teacher_bare.get(bare_register_url)
        assert response.status_code == 200, response.status_code

    coord_client, coord_bare = Client(), Client()
    coord_client.force_login(coordinator)
    coord_bare.force_login(coordinator)
    list_url = reverse("children:list")
    deep_page = max(1, pupils // 50 // 2)
    list_cases = [("page 1", "", 1), ("search 'Elev 12'", "Elev 12", 1), (f"page {deep_page:,}", "", deep_page)]

    def list_pair(query: str, page: int):  # type: ignore[no-untyped-def]
        params = {"q": query, "page": page} if query else {"page": page}

        def app() -> None:
            response = coord_client.get(list_url, params)
            assert response.status_code == 200, response.status_code

        def bare() -> None:
            response = coord_bare.get("/bench/children/", params)
            assert response.status_code == 200, response.status_code

        return app, bare

    # The child list: the bare page holds the same children, in the same order, with the same count.
    for _label, query, page in list_cases:
        app_page = Paginator(child_search(user=coordinator, query=query), 50).get_page(page)
        rows, count = raw_child_page(query=query, page=page)
        assert [c.pk for c in app_page] == [r[0] for r in rows], (query, page)
        assert app_page.paginator.count == count, (query, app_page.paginator.count, count)

    # -- 3. The school's attendance: the app, the raw statement and the generator agree --------------------------
    school = School.objects.get(pk=seeded.bench_school_id)
    start, end = seeded.year.start, seeded.year.end
    reset()  # the bench day's register as seeded is gone; put back the benchmarked save for a stable figure
    service()
    app_totals = attendance_for_school(school=school, start=start, end=end)
    raw_totals = raw_school_rate(school_id=school.pk, start=start, end=end)
    app_tuple = (app_totals.scheduled_hours, app_totals.absent_hours, app_totals.excused_hours)
    assert app_tuple == raw_totals, (app_tuple, raw_totals)
    pupils_in_school = Enrolment.objects.filter(class_group__school=school, end__isnull=True).count()
    print(
        f"  bench school: {school.short_name} #{school.pk}, {school.classes.count()} classes, {pupils_in_school} "
        f"pupils: scheduled {raw_totals[0]:,} pupil-hours, absent {raw_totals[1]:,} h ({raw_totals[2]:,} excused), "
        f"attendance {app_totals.percent} — app and raw SQL agree"
    )
    if seeded.expected_school_totals is not None:
        # The generator's own totals, with the bench class's seeded day replaced by the benchmarked save.
        scheduled, absent_h, excused_h = seeded.expected_school_totals
        cell_absent, cell_excused = seeded.bench_cell
        expected = (scheduled, absent_h - cell_absent + sum(absent.values()), excused_h - cell_excused)
        assert raw_totals == expected, (raw_totals, expected)
        print("  … and equal to the totals the generator drew")

    with override_settings(ROOT_URLCONF="_county_bare"):
        # -- timings -------------------------------------------------------------------------------------------
        register_pairs = [
            _common.measure_pair(
                "1a register_save() (service)",
                service,
                floor_insert,
                repeat=args.repeat,
                setup=reset,
                floor_name="raw INSERT of 1 RegisterEntry + 3 Absence in a transaction",
            ),
            _common.measure_pair(
                "1b POST register page (Client)",
                post_app,
                post_bare,
                repeat=args.repeat,
                setup=reset,
                floor_name="bare view via Client: 1 SELECT of the class's pupils, the same raw INSERTs, 302",
            ),
        ]
        register_pairs.append(
            _common.measure_pair(
                "1b′ POST register page, scores not recomputed",
                post_app_without_scores,
                post_bare,
                repeat=args.repeat,
                setup=reset,
                floor_name="the same bare view",
            )
        )
        reset()
        post_app()  # the day's register exists (3 absences) for the GET
        register_pairs.append(
            _common.measure_pair(
                "1c GET register page (Client)",
                get_app,
                get_bare,
                repeat=args.repeat,
                floor_name="bare view via Client: 1 SELECT of pupils + the day's absences, text response",
            )
        )
        list_pairs = []
        for label, query, page in list_cases:
            app, bare = list_pair(query, page)
            list_pairs.append(
                _common.measure_pair(
                    f"2  child list, {label}",
                    app,
                    bare,
                    repeat=args.repeat,
                    floor_name="bare view via Client: 1 raw page SELECT (ORDER BY name, id LIMIT 50) + 1 COUNT",
                )
            )
        rate_pair = _common.measure_pair(
            "3  attendance_for_school (year)",
            lambda: attendance_for_school(school=school, start=start, end=end),
            lambda: raw_school_rate(school_id=school.pk, start=start, end=end),
            repeat=args.repeat,
            floor_name="one hand-written SQL statement (scheduled pupil-hours and absent/excused sums)",
        )

        # -- queries per request --------------------------------------------------------------------------------
        reports = []
        reset()
        reports.append(_common.capture_queries("register_save() (service)", service))
        reset()
        reports.append(_common.capture_queries("POST register page", post_app))
        reset()
        reset()
        reports.append(_common.capture_queries("POST register page, scores not recomputed", post_app_without_scores))
        reset()
        reports.append(_common.capture_queries("POST bare register (floor)", post_bare, floor=True))
        reset()
        post_app()
        reports.append(_common.capture_queries("GET register page", get_app))
        reports.append(_common.capture_queries("GET bare register (floor)", get_bare, floor=True))
        for label, query, page in list_cases:
            app, bare = list_pair(query, page)
            reports.append(_common.capture_queries(f"GET child list, {label}", app))
            reports.append(_common.capture_queries(f"GET bare list, {label} (floor)", bare, floor=True))
        reports.append(
            _common.capture_queries(
                "attendance_for_school()", lambda: attendance_for_school(school=school, start=start, end=end)
            )
        )

    _common.print_section(f"Results — {_common.engine_description()}, {pupils:,} pupils")
    _common.print_pairs(register_pairs + list_pairs + [rate_pair], title="Median times and ratio to the floor")
    _common.print_query_reports(reports, verbose=args.queries, plans=args.plans)
    print(f"\n  total run time {time.perf_counter() - total_started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        _common.cleanup(DB)
