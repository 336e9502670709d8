"""The shared `world`, extended with a results framework and a year of history to compare with.

- the target group: child_a1 and six more children of class a1 (school a), included on Monday 23.11.2026, and
  child_b1 (school b), included the same day; child_a2 stays outside the group;
- the baseline year 2025-2026: the same eight children were in classes of schools a and b; on 24.11.2025 each
  missed 4 hours of 4 (child_b1: 0), so this year (child_a1 missed 2 hours of 4 on 23.11.2026, the rest none)
  everyone in school a improved;
- the framework: baseline year 2025-2026, indicators "children" (target 10, revised to 12 with a reason) and
  "volunteers" (a programme's own indicator with no computation), and two periods: P1 23–24.11.2026 and
  P2 25–27.11.2026, both open.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from prezent.attendance.services import register_save
from prezent.children.models import Enrolment, EthnicityDeclaration
from prezent.children.tests.factories import enrol
from prezent.programme.services import membership_move
from prezent.results.models import Framework, Indicator, ReportingPeriod, TargetRevision
from prezent.schools.tests.factories import ClassGroupFactory, school_year_2025_2026

BASELINE_DAY = datetime.date(2025, 11, 24)


@pytest.fixture
def results_world(world):
    w = world
    users = w.users
    extra = enrol(w.class_a1, 6)
    group = [w.child_a1, *extra]
    for child in [*extra, w.child_b1]:
        membership_move(
            programme=w.programme,
            child=child,
            to_status="proposed",
            on=w.monday,
            reason="screening",
            actor=users.county,
        )
    for child in [*group, w.child_b1]:
        membership_move(
            programme=w.programme,
            child=child,
            to_status="included",
            on=w.monday,
            reason="confirmat",
            actor=users.county,
        )
    baseline_year = school_year_2025_2026()
    old_a = ClassGroupFactory(school=w.school_a, school_year=baseline_year, grade=2, letter="A")
    old_b = ClassGroupFactory(school=w.school_b, school_year=baseline_year, grade=2, letter="A")
    for child in group:
        Enrolment.objects.create(
            child=child, class_group=old_a, start=baseline_year.start, end=baseline_year.end, end_reason="year_end"
        )
    Enrolment.objects.create(
        child=w.child_b1, class_group=old_b, start=baseline_year.start, end=baseline_year.end, end_reason="year_end"
    )
    # The baseline year has ended, so its register is closed to people: its history is written with no actor, as
    # the demo generator writes it.
    register_save(class_group=old_a, day=BASELINE_DAY, absences={c.pk: 4 for c in group}, actor=None, hours=4)
    register_save(class_group=old_b, day=BASELINE_DAY, absences={}, actor=None, hours=4)
    register_save(class_group=w.class_b1, day=w.monday, absences={}, actor=users.county, hours=4)
    for child in extra[:2]:
        EthnicityDeclaration.objects.create(child=child, ethnicity="roma", declared_on=w.monday)
    Framework.objects.create(programme=w.programme, baseline_year=baseline_year)
    children = Indicator.objects.create(
        programme=w.programme, code="children", name="Copii în grupul țintă", definition="Copiii incluși.", order=1
    )
    TargetRevision.objects.create(indicator=children, value=Decimal(10), set_on=w.monday, reason="cererea inițială")
    TargetRevision.objects.create(
        indicator=children, value=Decimal(12), set_on=w.monday + datetime.timedelta(days=1), reason="revizuită"
    )
    parents = Indicator.objects.create(
        programme=w.programme,
        code="volunteers",
        name="Voluntari implicați",
        definition="Voluntarii.",
        unit="people",
        order=2,
    )
    p1 = ReportingPeriod.objects.create(
        programme=w.programme, name="P1", start=w.monday, end=w.monday + datetime.timedelta(days=1)
    )
    p2 = ReportingPeriod.objects.create(
        programme=w.programme,
        name="P2",
        start=w.monday + datetime.timedelta(days=2),
        end=w.monday + datetime.timedelta(days=4),
    )
    return SimpleNamespace(
        **vars(w),
        group=group,
        extra=extra,
        baseline_year=baseline_year,
        old_a=old_a,
        indicator_children=children,
        indicator_parents=parents,
        p1=p1,
        p2=p2,
    )


@pytest.fixture
def budget_world(results_world, settings, tmp_path):
    """The results world with a budget (prezent/results/budget):

    - exchange rate 4.9750 lei / EUR; lines SRV-MEAL (hot meals), SRV-CNS (counselling), ACT (activities), OTH
      (other), with planned amounts 100 + 100 (meals, P1 + P2), 50 (ACT, P1), 200 (OTH, P2): 450 in all;
    - unit costs from Monday: a meal 2.50, a counselling session 15.00, a remedial lesson 8.00 (no line of its own);
    - services in group[1]'s case: 20 meals on Monday and a remedial lesson on Tuesday (P1); 10 meals and a
      counselling session on Wednesday (P2);
    - costs: 30.00 on OTH on Tuesday (P1), 40.00 on ACT on Wednesday (P2).

    Spent: P1 = 50 (meals) + 8 (remedial, no line) + 30 = 88; P2 = 25 + 15 + 40 = 80."""
    from prezent.cases.models import InterventionType
    from prezent.cases.services import case_open, intervention_record, intervention_types_load_defaults
    from prezent.cases.tests.conftest import programme_consent
    from prezent.results.budget.services import (
        budget_line_create,
        budget_plan_set,
        budget_rate_set,
        cost_record,
        unit_cost_set,
    )

    settings.PREZENT_INVOICE_ROOT = str(tmp_path / "invoices")
    w = results_world
    county = w.users.county
    intervention_types_load_defaults(county_code="IS")
    types = {t.code: t for t in InterventionType.objects.filter(county_code="IS")}
    day = {n: w.monday + datetime.timedelta(days=n) for n in range(5)}
    budget_rate_set(programme=w.programme, ron_per_eur=Decimal("4.9750"), actor=county)
    meal = budget_line_create(
        programme=w.programme,
        code="SRV-MEAL",
        name="Masă caldă",
        kind="service",
        intervention_type=types["hot-meal"],
        actor=county,
    )
    counselling = budget_line_create(
        programme=w.programme,
        code="SRV-CNS",
        name="Consiliere",
        kind="service",
        intervention_type=types["counselling"],
        actor=county,
    )
    activities = budget_line_create(
        programme=w.programme, code="ACT", name="Activități", kind="activities", actor=county
    )
    other = budget_line_create(programme=w.programme, code="OTH", name="Alte cheltuieli", kind="other", actor=county)
    for line, period, amount in ((meal, w.p1, 100), (meal, w.p2, 100), (activities, w.p1, 50), (other, w.p2, 200)):
        budget_plan_set(line=line, period=period, amount_eur=Decimal(amount), actor=county)
    for code, amount in (("hot-meal", "2.50"), ("counselling", "15.00"), ("remedial", "8.00")):
        unit_cost_set(
            programme=w.programme,
            intervention_type=types[code],
            amount_eur=Decimal(amount),
            valid_from=w.monday,
            actor=county,
        )
    child = w.group[1]
    programme_consent(child, by=county, on=w.monday)
    case = case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=county)
    for code, on, quantity in (
        ("hot-meal", day[0], 20),
        ("remedial", day[1], None),
        ("hot-meal", day[2], 10),
        ("counselling", day[2], None),
    ):
        intervention_record(
            case=case, kind=types[code], delivered_on=on, recipient="child", quantity=quantity, actor=county
        )
    cost_p1 = cost_record(
        line=other, date=day[1], amount_eur=Decimal("30.00"), description="Transport materiale", actor=county
    )
    cost_p2 = cost_record(
        line=activities, date=day[2], amount_eur=Decimal("40.00"), description="Materiale atelier", actor=county
    )
    return SimpleNamespace(
        **vars(w),
        types=types,
        case=case,
        line_meal=meal,
        line_counselling=counselling,
        line_activities=activities,
        line_other=other,
        cost_p1=cost_p1,
        cost_p2=cost_p2,
        day=day,
    )
