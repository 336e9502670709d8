"""Benchmark: recomputing every pupil's early-warning score in a county-sized database.

Seeds the database of bench_county.py (its `seed`: ~100,000 pupils in 300 schools, a whole 2025–2026 year of
registers and absences, ~1 % movers), then adds what the other indicators read: one household per pupil with its
circumstances, ~2 % working children, ~2.5 % repeating and ~2.5 % over-age pupils, and two modules of results
(5 subjects and conduct). Then it times the app as ratios to two floors, each ONE hand-written SQL statement:
- the full floor (the target's reference): everything the indicators read, per pupil — scheduled, absent and
  unexcused hours over the year, the module, the last 30 school days, this month and the previous one
  (whole-period enrolments from their class's sums, movers from their own days); the full-day unexcused absences of
  the last 30 school days; the latest module's results; the years repeated; the child's and household's
  circumstances;
- the attendance-only floor: the hours in the five windows alone (8 of the 20 indicators).

1. `risk_recompute(on=…)` for the whole county: every indicator, the scores, 100,000 RiskScore rows written
   (replacing that day's), is_current moved, and the escalation ladder synced (alerts), against the full floor;
   1a. the same against the attendance-only floor; 1b. the same with `alerts_sync` (prezent/risk/alerts/services.py)
   replaced by a no-op: the scoring engine's own share;
2. `indicators_with_context(..., read_all=True)` for every pupil, as the nightly run reads: the reading part;
3. the backtest of the same date (`backtest_result`: the indicators on the date and at the year's end, the
   outcomes, every figure with the AUC's bootstrap, the fitted weights), against `risk_recompute` of that date.

Before timing, the app agrees with both floors: every pupil's attendance indicators computed from the floor's
hours, and their results, repetition and circumstances indicators, equal the app's. Then it prints medians of
interleaved runs, the ratios, the queries of one recompute, and a breakdown.

Run:
    .venv/bin/python bench/bench_risk.py                 # SQLite, temporary file, 100,000 pupils
    .venv/bin/python bench/bench_risk.py --quick         # 10,000 pupils
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prezent_bench .venv/bin/python bench/bench_risk.py
The PostgreSQL database is dropped and recreated (its name must contain "bench").
"""

import argparse
import datetime
import os
import random
import sys
import time

import _common

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--pupils", type=int, default=100_000, help="pupils to seed (default 100,000)")
parser.add_argument("--quick", action="store_true", help="10,000 pupils (30 schools)")
parser.add_argument("--days", type=int, default=0, help="seed only the first N school days (0: the whole year)")
parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measurement (median is kept)")
parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database (no re-seed)")
parser.add_argument("--queries", action="store_true", help="print every query of one recompute")
ARGS = parser.parse_args()
if ARGS.quick:
    ARGS.pupils = 10_000

# bench_county.py reads its own arguments and sets Django up when imported: hand it ours.
_argv = sys.argv
sys.argv = [
    "bench_county.py",
    "--pupils",
    str(ARGS.pupils),
    "--days",
    str(ARGS.days),
    *(["--reuse"] if ARGS.reuse else []),
]
import bench_county  # noqa: E402

sys.argv = _argv
DB = bench_county.DB

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

import prezent.risk.services as risk_services  # noqa: E402
from prezent.attendance.models import Absence, ModuleResult, RegisterEntry  # noqa: E402
from prezent.children.models import Child, Enrolment, Household  # noqa: E402
from prezent.risk.alerts.services import AlertSyncReport, escalation_ladder_load_defaults  # noqa: E402
from prezent.risk.backtest.services import backtest_result  # noqa: E402
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA  # noqa: E402
from prezent.risk.indicators import (  # noqa: E402
    RECENT_SCHOOL_DAYS,
    Hours,
    attendance_indicators,
    indicators_with_context,
    windows_for,
)
from prezent.risk.models import Alert, RiskScore  # noqa: E402
from prezent.risk.services import risk_defaults_load, risk_recompute  # noqa: E402
from prezent.schools.models import ClassGroup, School, SchoolYear  # noqa: E402
from prezent.schools.selectors import calendar_for  # noqa: E402

T_HOUSEHOLD = Household._meta.db_table
T_CHILD = Child._meta.db_table
T_ENROLMENT = Enrolment._meta.db_table
T_ENTRY = RegisterEntry._meta.db_table
T_ABSENCE = Absence._meta.db_table
T_RESULT = ModuleResult._meta.db_table
CONDUCT = "Purtare"
SUBJECTS = ("Limba română", "Matematică", "Științe", "Istorie", "Educație fizică")
ABROAD = (("none", 0.8), ("one", 0.12), ("both", 0.05), ("only_parent", 0.02), ("returned", 0.01))


# ---------------------------------------------------------------------------------------------------------------
# Seeding what bench_county.py does not


def seed_extras(on: datetime.date, year: SchoolYear) -> dict[str, float]:
    rng = random.Random(7)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    vendor = connection.vendor
    now = "2025-09-01 08:00:00" if vendor == "sqlite" else "2025-09-01 08:00:00+00"
    child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    kinds, weights = zip(*ABROAD, strict=True)
    households = [
        (
            cid,
            now,
            now,
            "",
            rng.random() < 0.25,
            rng.choices(kinds, weights)[0],
            rng.random() < 0.15,
            round(rng.uniform(0.2, 9.0), 1) if rng.random() < 0.8 else None,
            rng.random() < 0.01,
        )
        for cid in child_ids
    ]
    with transaction.atomic():
        _common.insert_rows(
            T_HOUSEHOLD,
            [
                "id", "created_at", "updated_at", "address", "social_benefit", "parents_abroad", "single_parent",
                "distance_to_school_km", "no_identity_papers",
            ],
            households,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {T_CHILD} SET household_id = id")
            cursor.execute(f"UPDATE {T_CHILD} SET works = %s WHERE id %% 50 = 0", [True])
            cursor.execute(f"UPDATE {T_CHILD} SET birth_date = %s WHERE id %% 41 = 0", [datetime.date(2010, 3, 1)])
            cursor.execute(f"UPDATE {T_ENROLMENT} SET repeating = %s WHERE child_id %% 39 = 0", [True])
    _common.reset_sequences(Household)
    timings["households, work, repetition, over-age"] = time.perf_counter() - started

    started = time.perf_counter()
    ended = [n for n, (_start, end) in enumerate(calendar_for(year).modules, start=1) if end < on][-2:]
    current = Enrolment.objects.filter(end__isnull=True).values_list("child_id", "class_group_id")
    rows = []
    for child_id, class_id in current:
        weak = rng.random() < 0.1
        for module in ended:
            for subject in SUBJECTS:
                average = min(10.0, max(1.0, rng.gauss(5.5 if weak else 7.6, 1.4)))
                rows.append((child_id, class_id, module, subject, f"{average:.2f}", "", now))
            conduct = 10 if rng.random() < 0.85 else rng.choice((9, 8, 7, 6))
            rows.append((child_id, class_id, module, "Purtare", f"{conduct:.2f}", "", now))
    with _common.secondary_indexes_dropped([T_RESULT]), transaction.atomic():
        _common.insert_rows(
            T_RESULT, ["child_id", "class_group_id", "module", "subject", "average", "qualifier", "recorded_at"], rows
        )
    timings[f"module results ({len(rows):,} rows, modules {ended})"] = time.perf_counter() - started
    started = time.perf_counter()
    _common.analyze()
    timings["ANALYZE"] = time.perf_counter() - started
    return timings


# ---------------------------------------------------------------------------------------------------------------
# The floor: one statement


def floor_sql(spans: dict[str, tuple[datetime.date, datetime.date]], first: datetime.date, end: datetime.date):
    """One statement: per pupil, scheduled / absent / unexcused hours in each window."""
    names = list(spans)
    d = connection.ops.adapt_datefield_value
    params: list[object] = []

    def between(column: str, name: str) -> str:
        params.extend([d(spans[name][0]), d(spans[name][1])])
        return f"{column} BETWEEN %s AND %s"

    class_sums = ", ".join(f"SUM(CASE WHEN {between('re.date', n)} THEN re.hours ELSE 0 END) AS s_{n}" for n in names)
    cls_sql = f"SELECT re.class_group_id, {class_sums} FROM {T_ENTRY} re WHERE re.date BETWEEN %s AND %s GROUP BY 1"
    params.extend([d(first), d(end)])
    own_sums = ", ".join(f"SUM(CASE WHEN {between('re.date', n)} THEN re.hours ELSE 0 END) AS s_{n}" for n in names)
    full = 'e."start" <= %s AND (e."end" IS NULL OR e."end" >= %s)'
    full_params = [d(first), d(end)]
    partial_sql = (
        f"SELECT e.child_id, {own_sums} FROM {T_ENROLMENT} e JOIN {T_ENTRY} re "
        f'ON re.class_group_id = e.class_group_id AND re.date BETWEEN %s AND %s AND re.date >= e."start" '
        f'AND (e."end" IS NULL OR re.date <= e."end") '
        f'WHERE NOT ({full}) AND e."start" <= %s AND (e."end" IS NULL OR e."end" >= %s) GROUP BY e.child_id'
    )
    params.extend([d(first), d(end), *full_params, d(end), d(first)])
    absent_sums = ", ".join(
        f"SUM(CASE WHEN {between('ab.date', n)} THEN ab.hours ELSE 0 END) AS a_{n}, "
        f"SUM(CASE WHEN {between('ab.date', n)} AND NOT ab.excused THEN ab.hours ELSE 0 END) AS u_{n}"
        for n in names
    )
    absent_sql = f"SELECT ab.child_id, {absent_sums} FROM {T_ABSENCE} ab WHERE ab.date BETWEEN %s AND %s GROUP BY 1"
    params.extend([d(first), d(end)])
    params.extend(full_params)
    sums = ", ".join(f"SUM(c.s_{n})" for n in names)
    # The sched CTE's columns are positional (UNION ALL); name them through a wrapping select.
    sched_cols = ", ".join(f"s_{n}" for n in names)
    sql = (
        f"WITH cls AS ({cls_sql}), own AS ({partial_sql}), ab AS ({absent_sql}), "
        f"sched (child_id, {sched_cols}) AS ("
        f"SELECT e.child_id, {sums} FROM {T_ENROLMENT} e JOIN cls c ON c.class_group_id = e.class_group_id "
        f"WHERE {full} GROUP BY e.child_id UNION ALL SELECT * FROM own) "
        f"SELECT s.child_id, {', '.join(f'SUM(s.s_{n})' for n in names)}, "
        f"{', '.join(f'MAX(ab.a_{n}), MAX(ab.u_{n})' for n in names)} "
        f"FROM sched s LEFT JOIN ab ON ab.child_id = s.child_id GROUP BY s.child_id"
    )
    return sql, params, names


def full_floor_sql(
    attendance_sql: str,
    attendance_params: list[object],
    names: list[str],
    recent: tuple[datetime.date, datetime.date],
    on: datetime.date,
    year_id: int,
):
    """One statement for every indicator the recompute reads: the attendance floor above, plus the full-day
    unexcused absences of the last 30 school days (the streak's input), the latest module's results per pupil
    (subjects, failed, mean, conduct), the enrolment history (years repeated), and the child's and household's
    circumstances — one row per pupil."""
    d = connection.ops.adapt_datefield_value
    t_class = ClassGroup._meta.db_table
    not_conduct = "mr.subject <> %s"
    params: list[object] = list(attendance_params)
    sql = (
        f"WITH att AS ({attendance_sql}), "
        f"full_days AS (SELECT ab.child_id, COUNT(*) AS n, MAX(ab.date) AS last FROM {T_ABSENCE} ab "
        f"JOIN {T_ENTRY} re ON re.id = ab.register_entry_id "
        f"WHERE ab.date BETWEEN %s AND %s AND NOT ab.excused AND ab.hours >= re.hours GROUP BY ab.child_id), "
        f"res AS (SELECT mr.child_id, mr.module, COUNT(*) FILTER (WHERE {not_conduct}) AS subjects, "
        f"COUNT(*) FILTER (WHERE (mr.average < 5 OR mr.qualifier = 'I') AND {not_conduct}) AS failed, "
        f"AVG(mr.average) FILTER (WHERE {not_conduct}) AS mean, "
        f"MAX(mr.average) FILTER (WHERE mr.subject = %s) AS conduct, "
        f"ROW_NUMBER() OVER (PARTITION BY mr.child_id ORDER BY mr.module DESC) AS newest "
        f"FROM {T_RESULT} mr JOIN {t_class} cg ON cg.id = mr.class_group_id WHERE cg.school_year_id = %s "
        f"GROUP BY mr.child_id, mr.module), "
        f"rep AS (SELECT e.child_id, COUNT(DISTINCT CASE WHEN e.repeating THEN cg.school_year_id END) AS repeated "
        f'FROM {T_ENROLMENT} e JOIN {t_class} cg ON cg.id = e.class_group_id WHERE e."start" <= %s '
        f"GROUP BY e.child_id) "
        f"SELECT att.*, fd.n, fd.last, r.subjects, r.failed, r.mean, r.conduct, rep.repeated, c.birth_date, "
        f"c.works, h.social_benefit, h.parents_abroad, h.single_parent, h.distance_to_school_km, "
        f"h.no_identity_papers "
        f"FROM att JOIN {T_CHILD} c ON c.id = att.child_id LEFT JOIN {T_HOUSEHOLD} h ON h.id = c.household_id "
        f"LEFT JOIN full_days fd ON fd.child_id = att.child_id "
        f"LEFT JOIN res r ON r.child_id = att.child_id AND r.newest = 1 "
        f"LEFT JOIN rep ON rep.child_id = att.child_id"
    )
    params += [d(recent[0]), d(recent[1]), CONDUCT, CONDUCT, CONDUCT, CONDUCT, year_id, d(on)]
    first_extra = 1 + 3 * len(names)  # after child_id and the attendance sums
    return sql, params, first_extra


def run_floor(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    total_started = time.perf_counter()
    _common.print_section("Prezent risk recompute benchmark")
    print(f"  database: {_common.engine_description()} ({DB.name})")
    print(f"  Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat={ARGS.repeat}")

    if DB.recreated or not ClassGroup.objects.exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"  migrate: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        seeded = bench_county.seed(ARGS.pupils, ARGS.days)
        print(f"  seed (bench_county.seed): {time.perf_counter() - started:.1f} s")
    else:
        seeded = bench_county.seeded_from_database()
    year = seeded.year
    on = seeded.days[-1]
    if not Household.objects.exists():
        for step, seconds in seed_extras(on, year).items():
            print(f"    {step}: {seconds:.1f} s")
    risk_defaults_load(county_code="IS")
    escalation_ladder_load_defaults(county_code="IS")

    pupils = _common.table_count(T_CHILD)
    print(
        f"  rows: {School.objects.count():,} schools, {ClassGroup.objects.count():,} classes, {pupils:,} pupils, "
        f"{_common.table_count(T_ENROLMENT):,} enrolments, {_common.table_count(T_ENTRY):,} register entries, "
        f"{_common.table_count(T_ABSENCE):,} absences, {_common.table_count(T_RESULT):,} module results"
    )
    print(f"  computed for {on} (the last seeded school day of {year.name}); {RECENT_SCHOOL_DAYS}-school-day window")

    # -- the floor, and the check that the app agrees with it -----------------------------------------------------
    windows = windows_for(calendar_for(year), year.start, year.end, on)
    spans = windows.spans()
    first = windows.first_day
    assert first is not None
    sql, params, names = floor_sql(spans, first, windows.end)
    floor_rows = run_floor(sql, params)
    population = list(
        Enrolment.objects.filter(start__lte=on)
        .exclude(end__lt=on)
        .order_by("class_group__school_id", "class_group_id", "child_id")
        .values_list("child_id", flat=True)
    )
    app_rows = indicators_with_context(child_ids=population, on=on)
    k = len(names)
    mismatches = 0
    for row in floor_rows:
        child_id = row[0]
        hours = {
            n: Hours(int(row[1 + i] or 0), int(row[1 + k + 2 * i] or 0), int(row[2 + k + 2 * i] or 0))
            for i, n in enumerate(names)
        }
        expected = attendance_indicators(hours)
        got = app_rows[child_id].values
        if any(got[key] != value for key, value in expected.items()):
            mismatches += 1
            if mismatches <= 3:
                print(f"  differs for pupil #{child_id}: app {got}, floor {expected}")
    assert mismatches == 0, f"{mismatches} pupils differ between the app and the floor"
    assert len(floor_rows) == len(population) == len(app_rows), (len(floor_rows), len(population), len(app_rows))
    print(f"  app and floor agree on the attendance indicators of all {len(floor_rows):,} pupils")

    assert windows.recent is not None
    full_sql, full_params, extra = full_floor_sql(sql, params, names, windows.recent, on, year.pk)
    full_rows = run_floor(full_sql, full_params)
    assert len(full_rows) == len(floor_rows), (len(full_rows), len(floor_rows))
    mismatches = 0
    for row in full_rows:
        got = app_rows[row[0]].values
        _n, _last, subjects, failed, mean, conduct, repeated = row[extra : extra + 7]
        benefit, abroad = row[extra + 9], row[extra + 10]
        expected = {
            "failed_subjects": float(failed) if subjects else None,
            "module_average": round(float(mean), 2) if subjects and mean is not None else None,
            "conduct": None if conduct is None else float(conduct),
            "repeated_grade": float(repeated or 0),
            "social_benefit": None if benefit is None else float(bool(benefit)),
            "child_works": float(bool(row[extra + 8])),
        }
        if any(got[key] != value for key, value in expected.items()) or (abroad is None) != (
            got["parents_abroad"] is None
        ):
            mismatches += 1
            if mismatches <= 3:
                print(f"  differs for pupil #{row[0]}: app {got}, full floor {expected}")
    assert mismatches == 0, f"{mismatches} pupils differ between the app and the full floor"
    print(f"  app and the full floor agree on results, repetition and circumstances of all {len(full_rows):,} pupils")

    # -- timings --------------------------------------------------------------------------------------------------
    def settle() -> None:
        """Untimed, before every run: on PostgreSQL, VACUUM the score and alert tables, as autovacuum does
        between two nightly runs (each run leaves 100,000 dead score rows; timing the next run on top of them
        would measure the bench's back-to-back runs, not the nightly job)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {RiskScore._meta.db_table}")
                cursor.execute(f"VACUUM ANALYZE {Alert._meta.db_table}")

    risk_recompute(on=on)  # warm-up and steady state: the day's scores exist, alerts are open
    recompute = _common.measure_pair(
        "1  risk_recompute (county)",
        lambda: risk_recompute(on=on),
        lambda: run_floor(full_sql, full_params),
        repeat=ARGS.repeat,
        setup=settle,
        warmup=0,
        floor_name="one SQL statement reading every indicator's rows (the full floor)",
    )
    attendance_only = _common.measure_pair(
        "1a the same, attendance-only floor",
        lambda: risk_recompute(on=on),
        lambda: run_floor(sql, params),
        repeat=ARGS.repeat,
        setup=settle,
        warmup=0,
        floor_name="one SQL statement: scheduled / absent / unexcused hours per pupil in the 5 windows",
    )
    original_sync = risk_services.alerts_sync

    def without_alerts() -> None:
        risk_services.alerts_sync = lambda **_kwargs: AlertSyncReport()  # type: ignore[assignment]
        try:
            risk_recompute(on=on)
        finally:
            risk_services.alerts_sync = original_sync

    engine = _common.measure_pair(
        "1b the same, alerts_sync left out",
        without_alerts,
        lambda: run_floor(full_sql, full_params),
        repeat=ARGS.repeat,
        setup=settle,
        warmup=0,
        floor_name="the full floor",
    )
    reading = _common.measure_pair(
        "2  indicators_with_context",
        lambda: indicators_with_context(child_ids=population, on=on, read_all=True),
        lambda: run_floor(full_sql, full_params),
        repeat=ARGS.repeat,
        warmup=0,
        floor_name="the full floor",
    )

    # The backtest of that date (issue: within 3x the nightly recompute of the date): the county's pupils then, their
    # indicators on the date and at the year's end, the outcomes, every figure with the AUC's bootstrap, and the
    # fitted weights (5 x 5 folds), as the backtest page's background task computes them.
    backtest = _common.measure_pair(
        "3  backtest_result (county, one date)",
        lambda: backtest_result(
            county_code="IS", on=on, today=year.end, criteria=list(DEFAULT_CRITERIA), bands=DEFAULT_BANDS
        ),
        lambda: risk_recompute(on=on),
        repeat=max(1, ARGS.repeat // 3),
        setup=settle,
        warmup=0,
        floor_name="risk_recompute of the same date (the nightly run)",
    )

    # -- one instrumented run: where the time goes ----------------------------------------------------------------
    spent = {"indicators": 0.0, "alerts_sync": 0.0}
    original_indicators = risk_services.indicators_with_context

    def timed(key, fn):  # type: ignore[no-untyped-def]
        def wrapper(**kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(**kwargs)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    risk_services.indicators_with_context = timed("indicators", original_indicators)
    risk_services.alerts_sync = timed("alerts_sync", original_sync)
    try:
        settle()
        started = time.perf_counter()
        report = risk_recompute(on=on)
        instrumented = time.perf_counter() - started
    finally:
        risk_services.indicators_with_context, risk_services.alerts_sync = original_indicators, original_sync
    settle()
    queries = _common.capture_queries("risk_recompute (county)", lambda: risk_recompute(on=on))

    _common.print_section(f"Results — {_common.engine_description()}, {pupils:,} pupils")
    _common.print_pairs(
        [recompute, attendance_only, engine, reading, backtest], title="Median times and ratio to the floor"
    )
    print(f"\n  rows written per recompute: {report.children:,} RiskScore; levels {report.by_level}")
    print(
        f"  RiskScore rows in the database: {RiskScore.objects.count():,} "
        f"(current {RiskScore.objects.filter(is_current=True).count():,}); open alerts "
        f"{Alert.objects.exclude(status='closed').count():,}"
    )
    rest = instrumented - spent["indicators"] - spent["alerts_sync"]
    print(
        f"  one more run, timed by part: {instrumented:.2f} s = indicators {spent['indicators']:.2f} s + alerts_sync "
        f"{spent['alerts_sync']:.2f} s + the rest (population, scoring, writing the scores, audit) {rest:.2f} s"
    )
    _common.print_query_reports([queries], verbose=ARGS.queries)
    print(f"\n  total run time {time.perf_counter() - total_started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        _common.cleanup(DB)
