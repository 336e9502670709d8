"""The demo's results framework: the programme's outcomes, outputs and indicators with their definitions, the
targets of the funding application and their revision after the children were identified (DOMAIN.md), the
baseline year 2025-2026, four reporting periods, and the periods that have ended approved and locked by the
county coordinator (so the dashboard shows frozen figures next to the open period's).

Deterministic (no randomness at all); a few bulk inserts plus one computation per locked period."""

import datetime
import time
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from prezent.accounts.models import Role, RoleAssignment
from prezent.demo.budget import demo_budget_seed
from prezent.programme.models import Programme
from prezent.results.indicators import REGISTRY
from prezent.results.models import Framework, Indicator, Outcome, Output, ReportingPeriod, TargetRevision, Unit
from prezent.results.services import period_lock
from prezent.schools.models import SchoolYear

D = datetime.date
APPLICATION = "Cererea de finanțare aprobată (proiectul RO10-0070)"
REVISION = "Revizuită după identificarea copiilor în cele 80 de școli participante"

OUTCOMES = (
    ("R1", "Copiii în risc de abandon din școlile participante merg mai mult la școală", 1),
    ("R2", "Familiile și școlile sprijină mai bine copiii în risc", 2),
)
OUTPUTS = (
    ("R1", "O1.1", "Copii în risc identificați și incluși în program", 1),
    ("R1", "O1.2", "Servicii directe pentru copii", 2),
    ("R2", "O2.1", "Părinți sprijiniți și formați", 1),
    ("R2", "O2.2", "Cadre didactice formate și activități în școli", 2),
)

# (code, output, name, definition, unit, stated baseline, [(target, set on, reason)]); codes the registry computes
# take their name and definition from it.
INDICATORS: tuple[tuple[str, str, str, str, str, Decimal | None, tuple[tuple[int, datetime.date, str], ...]], ...] = (
    (
        "children",
        "O1.1",
        "",
        "",
        Unit.CHILDREN,
        None,
        ((1070, D(2025, 9, 1), APPLICATION), (1445, D(2025, 11, 14), REVISION)),
    ),
    ("children_girls", "O1.1", "", "", Unit.CHILDREN, None, ()),
    (
        "children_roma",
        "O1.1",
        "",
        "",
        Unit.CHILDREN,
        None,
        ((268, D(2025, 9, 1), APPLICATION), (350, D(2025, 11, 14), REVISION)),
    ),
    ("attendance_rate", "O1.2", "", "", Unit.POINTS, None, ()),
    ("attendance_improved", "O1.2", "", "", Unit.CHILDREN, None, ((700, D(2025, 9, 1), APPLICATION),)),
    ("attendance_change", "O1.2", "", "", Unit.POINTS, None, ()),
    ("unexcused_per_child", "O1.2", "", "", Unit.HOURS, None, ()),
    ("dropped_out", "O1.2", "", "", Unit.CHILDREN, None, ()),
    ("parents_abroad", "O1.1", "", "", Unit.CHILDREN, None, ()),
    (
        "children_served",
        "O1.2",
        "",
        "",
        Unit.CHILDREN,
        Decimal(0),
        ((1070, D(2025, 9, 1), APPLICATION), (1445, D(2025, 11, 14), REVISION)),
    ),
    (
        "parents",
        "O2.1",
        "",
        "",
        Unit.PEOPLE,
        Decimal(0),
        ((1070, D(2025, 9, 1), APPLICATION),),
    ),
    # the funder's plan: 268 parents of Roma children
    ("roma_parents", "O2.1", "", "", Unit.PEOPLE, Decimal(0), ((268, D(2025, 9, 1), APPLICATION),)),
    (
        "parents_completed_course",
        "O2.1",
        "",
        "",
        Unit.PEOPLE,
        Decimal(0),
        (),
    ),
    (
        "teachers",
        "O2.2",
        "",
        "",
        Unit.PEOPLE,
        Decimal(0),
        ((1023, D(2025, 9, 1), APPLICATION),),
    ),
    (
        "schools_with_activities",
        "O2.2",
        "",
        "",
        Unit.SCHOOLS,
        Decimal(0),
        ((80, D(2025, 9, 1), APPLICATION),),
    ),
    (
        "schools_reached_by_campaign",
        "O2.2",
        "",
        "",
        Unit.SCHOOLS,
        Decimal(0),
        ((80, D(2025, 9, 1), APPLICATION),),
    ),
    # the funder's plan: 93 communities reached, 10 kinds of activity
    ("communities_reached", "O2.2", "", "", Unit.LOCALITIES, Decimal(0), ((93, D(2025, 9, 1), APPLICATION),)),
    ("activity_types", "O2.2", "", "", Unit.KINDS, Decimal(0), ((10, D(2025, 9, 1), APPLICATION),)),
    # the money spent belongs to no outcome; its target is the planned budget (591,944 EUR, the sum of the lines)
    ("spent_eur", "", "", "", Unit.EUR, None, ()),
)

PERIODS = (
    ("Raport intermediar 1", D(2025, 9, 1), D(2026, 2, 28)),
    ("Raport intermediar 2", D(2026, 3, 1), D(2026, 8, 31)),
    ("Raport intermediar 3", D(2026, 9, 1), D(2027, 2, 28)),
    ("Raport final", D(2027, 3, 1), D(2027, 7, 31)),
)


def demo_results_seed(*, today: datetime.date | None, out: Callable[[str], object]) -> None:
    """Build the framework of the demo programme and lock the periods that have ended by `today`."""
    programme = Programme.objects.order_by("-start").first()
    if programme is None or Framework.objects.filter(programme=programme).exists():
        return
    day = today or timezone.localdate()
    started = time.monotonic()
    Framework.objects.create(
        programme=programme,
        baseline_year=SchoolYear.objects.filter(county_code=programme.county_code, name="2025-2026").first(),
    )
    outcomes = {
        code: Outcome.objects.create(programme=programme, code=code, title=title, order=order)
        for code, title, order in OUTCOMES
    }
    outputs = {
        code: Output.objects.create(outcome=outcomes[parent], code=code, title=title, order=order)
        for parent, code, title, order in OUTPUTS
    }
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                programme=programme,
                outcome=outputs[output].outcome if output else None,
                output=outputs[output] if output else None,
                code=code,
                name=name or str(REGISTRY[code].name),
                definition=definition or str(REGISTRY[code].definition),
                unit=unit,
                baseline_value=baseline,
                baseline_note="cererea de finanțare" if baseline is not None else "",
                order=order,
            )
            for order, (code, output, name, definition, unit, baseline, _targets) in enumerate(INDICATORS, start=1)
        ]
    )
    TargetRevision.objects.bulk_create(
        [
            TargetRevision(indicator=indicator, value=Decimal(value), set_on=set_on, reason=reason)
            for indicator, row in zip(indicators, INDICATORS, strict=True)
            for value, set_on, reason in row[6]
        ]
    )
    periods = [
        ReportingPeriod.objects.create(programme=programme, name=name, start=start, end=end)
        for name, start, end in PERIODS
    ]
    coordinator = (
        RoleAssignment.objects.filter(role=Role.COUNTY_COORDINATOR, county_code=programme.county_code)
        .select_related("user")
        .first()
    )
    actor = coordinator.user if coordinator else None
    budget = demo_budget_seed(programme=programme, periods=periods, day=day, actor=actor)
    locked = 0
    for period in periods:
        if period.end < day:
            period_lock(period=period, actor=actor)
            locked += 1
    out(
        f"Rezultate: {len(indicators)} indicatori, {len(periods)} perioade de raportare ({locked} blocate) "
        f"({time.monotonic() - started:.1f} s)."
    )
    if budget:
        out(budget)
