"""Benchmark: the county results dashboard (prezent/results) on a county-sized database, and on the 80-school pilot.

County: seeds the database of bench_county.py (its `seed`: ~100,000 pupils in 300 schools, a whole 2025–2026 year
of registers and absences), then a programme over every school with a target group of ~7 % of the pupils (the
pilot's share: 1,445 of ~20,000), a quarter of them with a declared Roma ethnicity, two scoring runs of RiskScore
rows for every pupil, the framework's indicators with targets, and one open reporting period (Sept–June). The
database holds one school year, so the comparison with a baseline year is not part of this measurement (with a
baseline year the attendance reads run twice). It then times, as ratios to a floor measured in the same run:

1. the dashboard's data: `report_for` (every built-in indicator with its breakdowns by sex, Roma, level, grade,
   school, commune and rural/urban), `attendance_trend` and `risk_levels_over_time`;
2. the page itself, GET /rezultate/ through the test Client as the county coordinator (rendering included);

against the floor: the same aggregations as hand-written SQL statements (the target group, scheduled and missed
hours per child, each child's placement, the girls, the Roma declarations, drop-outs, parents abroad, the monthly
trend and the risk levels per date), fetched and nothing else. The app's figures are first checked against
figures computed from the floor's rows.

Pilot (`--pilot`): builds the 80-school Iași demo (`seed_demo`) in a new SQLite file and times the same page for
the demo's county coordinator, then the funder's PDF (`/rezultate/export/raport.pdf`) against computing its figures (the
report and its monthly trend, without the template and the PDF layout).

Run:
    .venv/bin/python bench/bench_dashboard.py                 # SQLite, temporary file, 100,000 pupils
    .venv/bin/python bench/bench_dashboard.py --quick         # 10,000 pupils
    .venv/bin/python bench/bench_dashboard.py --pilot         # the 80-school demo on SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prezent_bench .venv/bin/python bench/bench_dashboard.py
The PostgreSQL database is dropped and recreated (its name must contain "bench").
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time

import _common

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--pupils", type=int, default=100_000, help="pupils to seed (default 100,000)")
parser.add_argument("--quick", action="store_true", help="10,000 pupils (30 schools)")
parser.add_argument("--pilot", action="store_true", help="the 80-school demo instead of the county database")
parser.add_argument("--repeat", type=int, default=7, help="timed runs of each measurement (median is kept)")
parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database (no re-seed)")
ARGS = parser.parse_args()
if ARGS.quick:
    ARGS.pupils = 10_000

TARGET_SHARE = 0.07
ROMA_SHARE = 0.25
INCLUDED_ON = datetime.date(2025, 10, 20)


def pilot() -> None:
    db = _common.setup_django(prefix="prezent-bench-pilot")
    try:
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import reverse

        from prezent.accounts.models import User

        _common.print_section("Prezent results dashboard — the 80-school pilot")
        print(f"  database: {_common.engine_description()} ({db.name})")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--today", "2026-11-27", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"  migrate + seed_demo (80 schools): {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(User.objects.get(username="coordonator"))
        url = reverse("results:dashboard")
        with override_settings(ALLOWED_HOSTS=["*"]):
            for _ in range(2):
                assert client.get(url).status_code == 200
            times = []
            for _ in range(ARGS.repeat):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
            report = _common.capture_queries("GET /rezultate/", lambda: client.get(url))
        median = statistics.median(times) * 1000
        print(
            f"\n  GET /rezultate/ (county coordinator, the open period): median {median:.0f} ms"
            f" (min {min(times) * 1000:.0f} ms) over {ARGS.repeat} runs; {report.count} queries, "
            f"{report.sql_ms:.0f} ms in SQL"
        )
        # The funder's PDF (GET /rezultate/export/raport.pdf) against computing its figures: the same report and trend,
        # without the template and WeasyPrint's layout.
        from django.utils import timezone

        from prezent.results.selectors import period_chosen, report_for, results_programme_for_user_or_404, trend_for

        coordinator = User.objects.get(username="coordonator")
        programme = results_programme_for_user_or_404(user=coordinator)
        today = timezone.localdate()
        period = period_chosen(programme=programme, pk=None, today=today)

        def figures() -> object:
            report = report_for(programme=programme, period=period, with_roma=True, today=today)
            return trend_for(report=report)

        pdf_url = reverse("results:report_pdf")
        with override_settings(ALLOWED_HOSTS=["*"]):
            pdf_pair = _common.measure_pair(
                "funder's PDF (GET /rezultate/export/raport.pdf)",
                lambda: client.get(pdf_url),
                figures,
                repeat=max(3, ARGS.repeat // 2),
                warmup=1,
                floor_name="its figures (report_for + trend_for)",
            )
        _common.print_pairs([pdf_pair], title="The funder's PDF against computing its figures")
    finally:
        _common.cleanup(db)


if ARGS.pilot:
    pilot()
    sys.exit(0)

# bench_county.py reads its own arguments and sets Django up when imported: hand it ours.
_argv = sys.argv
sys.argv = ["bench_county.py", "--pupils", str(ARGS.pupils), *(["--reuse"] if ARGS.reuse else [])]
import bench_county  # noqa: E402

sys.argv = _argv
DB = bench_county.DB

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from prezent.attendance.models import Absence, RegisterEntry  # noqa: E402
from prezent.children.models import Child, Enrolment, EthnicityDeclaration, Household  # noqa: E402
from prezent.programme.models import MembershipStep, Programme, TargetGroupMembership  # noqa: E402
from prezent.results.indicators import REGISTRY, Data  # noqa: E402
from prezent.results.models import Framework, Indicator, ReportingPeriod, TargetRevision  # noqa: E402
from prezent.results.selectors import attendance_trend, report_for, risk_levels_over_time  # noqa: E402
from prezent.risk.models import RiskScore, RuleSet  # noqa: E402
from prezent.risk.services import risk_defaults_load  # noqa: E402
from prezent.schools.models import ClassGroup, Locality, School  # noqa: E402

T = {
    "child": Child._meta.db_table,
    "enrolment": Enrolment._meta.db_table,
    "entry": RegisterEntry._meta.db_table,
    "absence": Absence._meta.db_table,
    "class": ClassGroup._meta.db_table,
    "school": School._meta.db_table,
    "locality": Locality._meta.db_table,
    "membership": TargetGroupMembership._meta.db_table,
    "step": MembershipStep._meta.db_table,
    "ethnicity": EthnicityDeclaration._meta.db_table,
    "household": Household._meta.db_table,
    "risk": RiskScore._meta.db_table,
    "programme_schools": Programme.schools.through._meta.db_table,
}


def seed_results(year_start: datetime.date, days: list[datetime.date]) -> tuple[Programme, ReportingPeriod]:
    rng = random.Random(6)
    programme = Programme.objects.create(
        code="BENCH", name="Program de bancă de probă", county_code="IS", start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 7, 31),
    )  # fmt: skip
    programme.schools.set(School.objects.all())
    child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    chosen = sorted(rng.sample(child_ids, int(len(child_ids) * TARGET_SHARE)))
    with transaction.atomic():
        memberships = TargetGroupMembership.objects.bulk_create(
            [
                TargetGroupMembership(programme=programme, child_id=c, status="included", since=INCLUDED_ON)
                for c in chosen
            ],
            batch_size=2000,
        )  # fmt: skip
        MembershipStep.objects.bulk_create(
            [MembershipStep(membership=m, to_status="included", date=INCLUDED_ON, reason="bench") for m in memberships],
            batch_size=2000,
        )  # fmt: skip
        EthnicityDeclaration.objects.bulk_create(
            [
                EthnicityDeclaration(child_id=c, ethnicity="roma", declared_on=INCLUDED_ON)
                for c in chosen
                if rng.random() < ROMA_SHARE
            ],
            batch_size=2000,
        )
        risk_defaults_load(county_code="IS")
        rule_set = RuleSet.objects.filter(county_code="IS").order_by("-version").first()
        school_of = dict(Enrolment.objects.filter(end__isnull=True).values_list("child_id", "class_group__school_id"))
        levels = ("none", "none", "none", "low", "medium", "high")
        for day, current in ((datetime.date(2025, 10, 23), False), (days[-1], True)):
            RiskScore.objects.bulk_create(
                [
                    RiskScore(
                        child_id=c, school_id=s, computed_on=day, rule_set=rule_set, points=0,
                        level=rng.choice(levels), is_current=current,
                    )
                    for c, s in school_of.items()
                ],
                batch_size=5000,
            )  # fmt: skip
        Framework.objects.create(programme=programme, baseline_year=None)
        for order, (code, spec) in enumerate(REGISTRY.items(), start=1):
            indicator = Indicator.objects.create(
                programme=programme, code=code, name=str(spec.name), definition=str(spec.definition), unit=spec.unit,
                order=order,
            )  # fmt: skip
            TargetRevision.objects.create(indicator=indicator, value=1000, set_on=programme.start, reason="bench")
        period = ReportingPeriod.objects.create(
            programme=programme, name="Anul 2025-2026", start=programme.start, end=days[-1]
        )
    _common.analyze()
    return programme, period


def floor_queries(programme: Programme, year_start: datetime.date, end: datetime.date) -> list[tuple[str, list]]:
    """The dashboard's aggregations as hand-written SQL (the same filters the app uses)."""
    d = connection.ops.adapt_datefield_value
    month = "strftime('%%Y-%%m', {})" if connection.vendor == "sqlite" else "to_char({}, 'YYYY-MM')"
    tg = (
        f"SELECT DISTINCT m.child_id FROM {T['step']} s JOIN {T['membership']} m ON m.id = s.membership_id "
        f"WHERE m.programme_id = %s AND s.to_status = 'included' AND s.date <= %s"
    )
    tg_params = [programme.pk, d(end)]
    return [
        (tg, tg_params),
        (
            f"SELECT e.child_id, SUM(r.hours) FROM {T['enrolment']} e JOIN {T['entry']} r "
            f"ON r.class_group_id = e.class_group_id AND r.date >= %s AND r.date <= %s AND r.date >= e.start "
            f'AND r.date <= COALESCE(e."end", %s) WHERE e.child_id IN ({tg}) GROUP BY e.child_id',
            [d(year_start), d(end), d(end), *tg_params],
        ),
        (
            f"SELECT child_id, SUM(hours), SUM(CASE WHEN excused THEN hours ELSE 0 END) FROM {T['absence']} "
            f"WHERE child_id IN ({tg}) AND date >= %s AND date <= %s GROUP BY child_id",
            [*tg_params, d(year_start), d(end)],
        ),
        (
            f"SELECT e.child_id, e.start, c.sex, g.level, g.grade, g.school_id, s.name, s.environment, "
            f"COALESCE(l.uat_id, l.id), COALESCE(u.name, l.name) FROM {T['enrolment']} e "
            f"JOIN {T['child']} c ON c.id = e.child_id JOIN {T['class']} g ON g.id = e.class_group_id "
            f"JOIN {T['school']} s ON s.id = g.school_id JOIN {T['locality']} l ON l.id = s.locality_id "
            f"LEFT JOIN {T['locality']} u ON u.id = l.uat_id WHERE e.child_id IN ({tg}) AND e.start <= %s "
            f"ORDER BY e.child_id, e.start, e.id",
            [*tg_params, d(end)],
        ),
        (f"SELECT id FROM {T['child']} WHERE sex = 'F' AND id IN ({tg})", tg_params),
        (f"SELECT child_id FROM {T['ethnicity']} WHERE ethnicity = 'roma' AND child_id IN ({tg})", tg_params),
        (
            f"SELECT child_id FROM {T['enrolment']} WHERE end_reason = 'dropped_out' AND \"end\" >= %s "
            f'AND "end" <= %s AND child_id IN ({tg})',
            [d(programme.start), d(end), *tg_params],
        ),
        (
            f"SELECT c.id FROM {T['child']} c JOIN {T['household']} h ON h.id = c.household_id "
            f"WHERE h.parents_abroad IN ('one', 'both', 'only_parent') AND c.id IN ({tg})",
            tg_params,
        ),
        (
            f"SELECT {month.format('r.date')}, SUM(r.hours) FROM {T['enrolment']} e JOIN {T['entry']} r "
            f"ON r.class_group_id = e.class_group_id AND r.date >= %s AND r.date <= %s AND r.date >= e.start "
            f'AND r.date <= COALESCE(e."end", %s) WHERE e.child_id IN ({tg}) GROUP BY 1',
            [d(year_start), d(end), d(end), *tg_params],
        ),
        (
            f"SELECT {month.format('date')}, SUM(hours), SUM(CASE WHEN excused THEN hours ELSE 0 END) "
            f"FROM {T['absence']} WHERE child_id IN ({tg}) AND date >= %s AND date <= %s GROUP BY 1",
            [*tg_params, d(year_start), d(end)],
        ),
        (
            f"SELECT computed_on, level, COUNT(*) FROM {T['risk']} WHERE computed_on <= %s AND school_id IN "
            f"(SELECT school_id FROM {T['programme_schools']} WHERE programme_id = %s) GROUP BY computed_on, level",
            [d(end), programme.pk],
        ),
    ]


def run_floor(queries: list[tuple[str, list]]) -> list[list]:
    results = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def main() -> None:
    total_started = time.perf_counter()
    _common.print_section("Prezent results dashboard benchmark")
    print(f"  database: {_common.engine_description()} ({DB.name})")
    print(f"  Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat={ARGS.repeat}")
    if DB.recreated or not ClassGroup.objects.exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        seeded = bench_county.seed(ARGS.pupils, 0)
        print(f"  migrate + seed (bench_county.seed): {time.perf_counter() - started:.1f} s")
    else:
        seeded = bench_county.seeded_from_database()
    year = seeded.year
    programme = Programme.objects.filter(code="BENCH").first()
    if programme is None:
        started = time.perf_counter()
        programme, period = seed_results(year.start, seeded.days)
        print(f"  programme, target group, risk scores, framework: {time.perf_counter() - started:.1f} s")
    else:
        period = programme.periods.get()
    end = period.end
    coordinator, _teacher = bench_county.users(seeded.bench_class_id)
    tg_size = TargetGroupMembership.objects.filter(programme=programme).count()
    print(
        f"  rows: {School.objects.count():,} schools, {_common.table_count(T['child']):,} pupils, "
        f"{_common.table_count(T['absence']):,} absences, {tg_size:,} children in the target group, "
        f"{_common.table_count(T['risk']):,} risk scores; period {period.start} – {end}"
    )

    def dashboard_data() -> object:
        report = report_for(programme=programme, period=period, with_roma=True, today=end)
        attendance_trend(span=report.span, child_ids=Data(report.span).target_group_q)
        risk_levels_over_time(programme=programme, end=end)
        return report

    queries = floor_queries(programme, year.start, end)
    floor_rows = run_floor(queries)
    report = dashboard_data()
    # The app agrees with the floor: the target group, its girls and the mean attendance rate.
    scheduled = {row[0]: row[1] for row in floor_rows[1]}
    absent = {row[0]: row[1] for row in floor_rows[2]}
    rates = [100 * (1 - absent.get(c, 0) / s) for c, s in scheduled.items() if s]
    app_rate = report.row("attendance_rate").value  # type: ignore[union-attr]
    assert report.row("children").value == len(floor_rows[0]), (report.row("children").value, len(floor_rows[0]))  # type: ignore[union-attr]
    assert report.row("children_girls").value == len(floor_rows[4])  # type: ignore[union-attr]
    assert abs(app_rate - statistics.mean(rates)) < 1e-6, (app_rate, statistics.mean(rates))
    print(
        f"  app and floor agree: {len(floor_rows[0]):,} children, {len(floor_rows[4]):,} girls, "
        f"mean rate {app_rate:.2f} %"
    )

    client = Client()
    client.force_login(coordinator)
    url = reverse("results:dashboard") + f"?perioada={period.pk}"
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert client.get(url).status_code == 200
        data_pair = _common.measure_pair(
            "1  dashboard data (report_for + trend + risk)",
            dashboard_data,
            lambda: run_floor(queries),
            repeat=ARGS.repeat,
            warmup=1,
            floor_name=f"{len(queries)} SQL statements, rows fetched",
        )
        page_pair = _common.measure_pair(
            "2  GET /rezultate/ (county coordinator)",
            lambda: client.get(url),
            lambda: run_floor(queries),
            repeat=ARGS.repeat,
            warmup=1,
            floor_name="the same statements",
        )
        page_queries = _common.capture_queries("GET /rezultate/", lambda: client.get(url))
    _common.print_section(f"Results — {_common.engine_description()}, {_common.table_count(T['child']):,} pupils")
    _common.print_pairs([data_pair, page_pair], title="Median times and ratio to the floor")
    _common.print_query_reports([page_queries])
    print(f"\n  total run time {time.perf_counter() - total_started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        _common.cleanup(DB)
