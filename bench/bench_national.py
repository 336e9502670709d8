"""Benchmark: the nightly recompute at national scale, on PostgreSQL — several counties, each run as the Celery
fan-out runs it (prezent/risk/tasks.py: its pupils in batches of whole schools, then its ladder once), and the
night projected for Romania's 2.8 million pupils with 1, 2 and 4 workers.

Seeds N counties (default 3) of P pupils each (default 100,000: ~300 schools of 15 classes, grades 0–8) with
random.Random(99) and bulk inserts (prezent/core/bulk.py `rows_insert`): a county school year each (the Iași
2025–2026 calendar under the county's code), registers for the first D school days (default: the whole year),
absences on ~7 % of pupil-days (1–6 hours, a third excused). No households or marks: those indicators stay unknown
(bench_risk.py measures them for one county).

Then, for each county, it times the same service functions the tasks call, one after the other in this process —
`risk_batches_plan`, `risk_recompute_batch` for every batch, `risk_ladder_sync` — against a floor measured in the
same run: one SQL statement that reads each of the county's pupils' scheduled, absent and unexcused hours and
writes a row per pupil into a scratch table (the least a recompute must read and write). Medians of interleaved
runs, after one untimed run of every county (the day's scores exist and the alerts are open, as on any night but
the first). The figures: each county's time and its ratio to the floor; pupils per second of one worker; and the
night for 2,800,000 pupils with 1, 2 and 4 workers, assuming the batches of all counties spread evenly over the
workers and the database keeps up (the ladder syncs, ~one per county, overlap other counties' batches).

Run:
    .venv/bin/python bench/bench_national.py                      # 3 counties × 100,000 pupils
    .venv/bin/python bench/bench_national.py --quick              # 3 counties × 1,500 pupils, 20 days
    .venv/bin/python bench/bench_national.py --counties 4 --pupils 20000 --days 60
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prezent_bench_national .venv/bin/python bench/bench_national.py
PostgreSQL only: DATABASE_URL when it names a PostgreSQL database, otherwise
postgres://postgres@127.0.0.1:5432/prezent_bench_national (PGPASSWORD is used if set). The database is dropped and
recreated (its name must contain "bench"). When PostgreSQL cannot be reached, the benchmark says so and exits 0.
"""

import argparse
import bisect
import datetime
import math
import os
import random
import statistics
import sys
import time

import _common

NATION = 2_800_000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prezent_bench_national"
COUNTY_CODES = ("CJ", "IS", "TM", "BV", "CT", "DJ", "BH", "SV", "PH", "BC")
PUPILS_PER_SCHOOL = 333
GRADES = (0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8)  # 15 classes a school
ABSENT_SHARE = 0.07
EXCUSED_SHARE = 1 / 3
WORKERS = (1, 2, 4)

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--counties", type=int, default=3, help=f"counties to seed (at most {len(COUNTY_CODES)})")
parser.add_argument("--pupils", type=int, default=100_000, help="pupils per county (default 100,000)")
parser.add_argument("--days", type=int, default=0, help="seed only the first N school days (0: the whole year)")
parser.add_argument("--repeat", type=int, default=3, help="timed runs of each county (median is kept)")
parser.add_argument("--quick", action="store_true", help="3 counties × 1,500 pupils, 20 school days (for CI)")
ARGS = parser.parse_args()
if ARGS.quick:
    ARGS.counties, ARGS.pupils, ARGS.days = 3, 1_500, 20
ARGS.counties = max(1, min(ARGS.counties, len(COUNTY_CODES)))


def _postgres_url() -> str | None:
    """The PostgreSQL database to use, or None (with the reason printed) when the server cannot be reached."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        url = DEFAULT_URL
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}):
            pass
    except psycopg.Error as error:
        where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 5432}"
        print(f"bench_national.py skipped: PostgreSQL is not reachable at {where} ({str(error).strip()[:200]}).")
        print("  It measures PostgreSQL only: start it, or set DATABASE_URL=postgres://user@host:5432/prezent_bench_…")
        return None
    return url


URL = _postgres_url()
if URL is None:
    sys.exit(0)
os.environ["DATABASE_URL"] = URL
DB = _common.setup_django(prefix="prezent-bench-national")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from prezent.attendance.models import Absence, RegisterEntry  # noqa: E402
from prezent.children.models import Child, Enrolment  # noqa: E402
from prezent.core.bulk import rows_insert  # noqa: E402
from prezent.risk.models import Alert, RiskScore  # noqa: E402
from prezent.risk.services import (  # noqa: E402
    NIGHTLY_BATCH,
    risk_batches_plan,
    risk_ladder_sync,
    risk_recompute_batch,
)
from prezent.schools.defaults import IASI_CALENDARS  # noqa: E402
from prezent.schools.models import (  # noqa: E402
    ClassGroup,
    Environment,
    Locality,
    School,
    default_hours_per_day,
    level_for_grade,
)
from prezent.schools.selectors import calendar_for  # noqa: E402
from prezent.schools.services import school_year_upsert  # noqa: E402

T_CHILD, T_ENROLMENT = Child._meta.db_table, Enrolment._meta.db_table
T_ENTRY, T_ABSENCE = RegisterEntry._meta.db_table, Absence._meta.db_table
T_CLASS, T_SCHOOL = ClassGroup._meta.db_table, School._meta.db_table


# ---------------------------------------------------------------------------------------------------------------
# Seeding


def binomial_cdfs(max_n: int, p: float) -> list[list[float]]:
    """cdfs[n][k] = P(X ≤ k) for X ~ Binomial(n, p): how many pupils of a class are absent on a day."""
    cdfs = []
    for n in range(max_n + 1):
        total, cdf = 0.0, []
        for k in range(n + 1):
            total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
            cdf.append(total)
        cdf[-1] = 1.0
        cdfs.append(cdf)
    return cdfs


def seed_county(code: str, number: int, pupils: int, rng: random.Random, next_ids: dict[str, int]) -> datetime.date:
    """One county: its school year, schools, classes, pupils, enrolments, registers and absences. Returns the
    last seeded school day (the date the recompute is for)."""
    year, _created = school_year_upsert(actor=None, **{**IASI_CALENDARS[0], "county_code": code})
    calendar = calendar_for(year)
    all_days = list(calendar.school_days(year.start, year.end))
    days = all_days[: ARGS.days] if ARGS.days else all_days

    Locality.objects.create(siruta=f"{number}0", name=f"Județul {code}", level=Locality.Level.COUNTY, county_code=code)
    uats = Locality.objects.bulk_create(
        Locality(siruta=f"{number}{i:05d}", name=f"Comuna {i}", level=Locality.Level.UAT, county_code=code)
        for i in range(1, 21)
    )
    n_schools = max(1, round(pupils / PUPILS_PER_SCHOOL))
    schools = School.objects.bulk_create(
        School(
            siiir_code=f"{number:02d}{i:08d}",
            kind=School.Kind.PJ,
            name=f"Școala Gimnazială nr. {i} ({code})",
            short_name=f"Școala {i}",
            county_code=code,
            locality=rng.choice(uats),
            environment=Environment.RURAL if rng.random() < 0.6 else Environment.URBAN,
        )
        for i in range(1, n_schools + 1)
    )
    groups = ClassGroup.objects.bulk_create(
        (
            ClassGroup(
                school=school,
                school_year=year,
                level=level_for_grade(grade),
                grade=grade,
                letter="AB"[index > 0 and GRADES[index - 1] == grade],
                hours_per_day=default_hours_per_day(grade),
            )
            for school in schools
            for index, grade in enumerate(GRADES)
        ),
        batch_size=1000,
    )
    # Pupils spread over the classes (sizes within ±25 % of the mean, adding up exactly).
    weights = [rng.uniform(0.75, 1.25) for _ in groups]
    scale = pupils / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for i in range(pupils - sum(sizes)):
        sizes[i % len(sizes)] += 1
    now = "2025-09-01 08:00:00+00"
    children, enrolments, rosters = [], [], {}
    for group, size in zip(groups, sizes, strict=True):
        roster = []
        for _ in range(size):
            cid = next_ids["child"]
            next_ids["child"] += 1
            born = datetime.date(2019 - group.grade, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            children.append((cid, now, now, "Elev", f"{code} {cid}", rng.choice("FM"), born, "", False))
            enrolments.append((cid, group.pk, year.start, None, "", False))
            roster.append(cid)
        rosters[group.pk] = roster
    with _common.secondary_indexes_dropped([T_CHILD, T_ENROLMENT]), transaction.atomic():
        fields = ["id", "created_at", "updated_at", "first_name", "last_name", "sex", "birth_date", "cnp", "works"]
        rows_insert(Child, fields, children)
        rows_insert(Enrolment, ["child", "class_group", "start", "end", "end_reason", "repeating"], enrolments)

    cdfs = binomial_cdfs(max(sizes) + 1, ABSENT_SHARE)
    entry_fields = ["id", "class_group", "date", "hours", "taken_by", "taken_at"]
    absence_fields = [
        "register_entry", "child", "date", "hours", "excused", "excuse_reason", "document_date", "excused_by",
        "excused_at", "recorded_by",
    ]  # fmt: skip
    with _common.secondary_indexes_dropped([T_ENTRY, T_ABSENCE]):
        for offset in range(0, len(days), 20):
            entries, absences = [], []
            for day in days[offset : offset + 20]:
                stamp = datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC)
                for group in groups:
                    entry_id = next_ids["entry"]
                    next_ids["entry"] += 1
                    entries.append((entry_id, group.pk, day, group.hours_per_day, None, stamp))
                    roster = rosters[group.pk]
                    k = bisect.bisect_left(cdfs[len(roster)], rng.random())
                    for child_id in rng.sample(roster, k) if k else ():
                        hours = rng.randint(1, min(6, group.hours_per_day))
                        if rng.random() < EXCUSED_SHARE:
                            absences.append((entry_id, child_id, day, hours, True, "medical", day, None, stamp, None))
                        else:
                            absences.append((entry_id, child_id, day, hours, False, "", None, None, None, None))
            with transaction.atomic():
                rows_insert(RegisterEntry, entry_fields, entries)
                rows_insert(Absence, absence_fields, absences)
    return days[-1]


def seed() -> dict[str, datetime.date]:
    rng = random.Random(99)
    next_ids = {"child": 1, "entry": 1}
    dates = {}
    for number, code in enumerate(COUNTY_CODES[: ARGS.counties], start=1):
        started = time.perf_counter()
        dates[code] = seed_county(code, number, ARGS.pupils, rng, next_ids)
        print(f"    county {code}: {time.perf_counter() - started:.1f} s")
    _common.reset_sequences(Child, RegisterEntry)
    _common.analyze()
    return dates


# ---------------------------------------------------------------------------------------------------------------
# The app (what the tasks run for one county) and the floor


def county_app(code: str, on: datetime.date, split: dict[str, list[float]] | None = None) -> int:
    """One county's nightly run as the Celery chord runs it, its tasks called one after the other here."""
    started = time.perf_counter()
    batches = risk_batches_plan(on=on, county_code=code)
    planned = time.perf_counter()
    children = sum(risk_recompute_batch(on=on, child_ids=batch, county_code=code).children for batch in batches)
    scored = time.perf_counter()
    risk_ladder_sync(on=on, county_code=code)
    if split is not None:
        split["plan"].append(planned - started)
        split["batches"].append(scored - planned)
        split["ladder"].append(time.perf_counter() - scored)
    return children


FLOOR_TABLE = "bench_national_floor"


def floor_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE IF NOT EXISTS {FLOOR_TABLE} "
            "(child_id integer, computed_on date, scheduled integer, absent integer, unexcused integer)"
        )


def county_floor(code: str, on: datetime.date) -> int:
    """One statement per county: each enrolled pupil's scheduled, absent and unexcused hours up to `on`, written
    as a row per pupil (the day's rows of the county replaced first, as the app replaces its scores)."""
    in_county = (
        f"SELECT e.child_id, e.class_group_id FROM {T_ENROLMENT} e JOIN {T_CLASS} cg ON cg.id = e.class_group_id "
        f'JOIN {T_SCHOOL} s ON s.id = cg.school_id WHERE s.county_code = %s AND e."start" <= %s '
        f'AND (e."end" IS NULL OR e."end" >= %s)'
    )
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(
            f"DELETE FROM {FLOOR_TABLE} WHERE computed_on = %s AND child_id IN (SELECT child_id FROM ({in_county}) p)",
            [on, code, on, on],
        )
        cursor.execute(
            f"WITH pupils AS ({in_county}), "
            f"cls AS (SELECT re.class_group_id, SUM(re.hours) AS h FROM {T_ENTRY} re "
            f"WHERE re.class_group_id IN (SELECT class_group_id FROM pupils) AND re.date <= %s GROUP BY 1), "
            f"ab AS (SELECT ab.child_id, SUM(ab.hours) AS a, SUM(CASE WHEN ab.excused THEN 0 ELSE ab.hours END) AS u "
            f"FROM {T_ABSENCE} ab WHERE ab.child_id IN (SELECT child_id FROM pupils) AND ab.date <= %s GROUP BY 1) "
            f"INSERT INTO {FLOOR_TABLE} (child_id, computed_on, scheduled, absent, unexcused) "
            f"SELECT p.child_id, %s, cls.h, COALESCE(ab.a, 0), COALESCE(ab.u, 0) FROM pupils p "
            f"JOIN cls ON cls.class_group_id = p.class_group_id LEFT JOIN ab ON ab.child_id = p.child_id",
            [code, on, on, on, on, on],
        )
        return cursor.rowcount


def settle() -> None:
    """Untimed, before every run: VACUUM the score and alert tables (and the floor's), as autovacuum does between
    two nights; otherwise a run would pay for the dead rows of the bench's previous run."""
    with connection.cursor() as cursor:
        for table in (RiskScore._meta.db_table, Alert._meta.db_table, FLOOR_TABLE):
            cursor.execute(f"VACUUM ANALYZE {table}")


def hours_text(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes < 90 else f"{minutes / 60:.1f} h"


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    total_started = time.perf_counter()
    _common.print_section("Prezent nightly recompute at national scale")
    print(f"  database: {_common.engine_description()} ({DB.name})")
    print(f"  Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat={ARGS.repeat}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    dates = seed()
    print(f"  seed: {time.perf_counter() - started:.1f} s")
    print(
        f"  rows: {School.objects.count():,} schools, {ClassGroup.objects.count():,} classes, "
        f"{_common.table_count(T_CHILD):,} pupils, {_common.table_count(T_ENTRY):,} register entries, "
        f"{_common.table_count(T_ABSENCE):,} absences; {ARGS.counties} counties × {ARGS.pupils:,} pupils; "
        f"batches of ≤ {NIGHTLY_BATCH:,} pupils (whole schools)"
    )
    floor_create()

    # One untimed run of every county: the day's scores exist and the alerts are open, as on any later night.
    for code, on in dates.items():
        children = county_app(code, on)
        rows = county_floor(code, on)
        assert children == rows == ARGS.pupils, (code, children, rows)
        opened = Alert.objects.filter(school__county_code=code, status="open").count()
        print(f"  county {code}: {children:,} pupils scored for {on}, {opened:,} open alerts; the floor wrote {rows:,}")

    pairs, splits = [], {}
    for code, on in dates.items():
        split: dict[str, list[float]] = {"plan": [], "batches": [], "ladder": []}
        splits[code] = split
        pairs.append(
            _common.measure_pair(
                f"county {code} ({ARGS.pupils:,} pupils)",
                lambda code=code, on=on, split=split: county_app(code, on, split),
                lambda code=code, on=on: county_floor(code, on),
                repeat=ARGS.repeat,
                setup=settle,
                warmup=0,
                floor_name="one statement: each pupil's scheduled / absent / unexcused hours, a row per pupil written",
            )
        )
    _common.print_pairs(pairs, title="Each county's nightly run (plan + every batch + the ladder) against its floor")
    print("\n  Where a county's time goes (medians):")
    for code, split in splits.items():
        parts = ", ".join(f"{name} {statistics.median(values):.2f} s" for name, values in split.items())
        print(f"    {code}: {parts}")

    seconds = sum(statistics.median(p.app) for p in pairs)
    pupils = ARGS.pupils * len(pairs)
    rate = pupils / seconds
    floor_rate = pupils / sum(statistics.median(p.floor) for p in pairs)
    print(
        f"\n  one worker: {rate:,.0f} pupils/s ({pupils:,} pupils in {seconds:.1f} s); the floor: {floor_rate:,.0f}/s"
    )
    print(f"  The night for Romania ({NATION:,} pupils), projected from one worker's rate:")
    for workers in WORKERS:
        night = NATION / (rate * workers)
        print(f"    {workers} worker{'s' if workers > 1 else ' '}: {hours_text(night):>7}  ({night:,.0f} s)")
    batches = math.ceil(NATION / NIGHTLY_BATCH)
    print(
        f"  Assumption: the night's ~{batches} batches spread evenly over the workers, each as fast as here alone\n"
        "  (the database keeping up with W concurrent writers: W worker cores plus the database's own), the ladder\n"
        "  syncs (one per county) overlapping other counties' batches; a county's time grows about linearly with\n"
        f"  its pupils. This machine: {os.cpu_count()} CPUs, the database on the same host."
    )
    print(f"\n  whole benchmark: {time.perf_counter() - total_started:.0f} s")
    _common.cleanup(DB)


if __name__ == "__main__":
    main()
