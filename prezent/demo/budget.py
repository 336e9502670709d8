"""The demo programme's budget: the funder's exchange rate, budget lines planned per reporting period (591,944 EUR
in all, the real project's planned budget), unit costs for the services the demo's cases deliver, and costs
recorded for its activities, courses, campaign events and management up to the demo's day.

Deterministic; a few service calls and one bulk insert of costs."""

import datetime
from decimal import Decimal

from prezent.accounts.models import User
from prezent.activities.models import Activity, CampaignEvent, Course
from prezent.cases.models import InterventionType
from prezent.programme.models import Programme
from prezent.results.budget.models import Cost
from prezent.results.budget.services import budget_line_create, budget_plan_set, budget_rate_set, unit_cost_set
from prezent.results.models import ReportingPeriod

RATE = Decimal("4.9750")
PLANNED_TOTAL = Decimal(591944)
# (code, name, kind, service type code, planned EUR over the whole programme, unit cost EUR)
LINES: tuple[tuple[str, str, str, str, int, str], ...] = (
    ("SRV-MASA", "Masă caldă", "service", "hot-meal", 170000, "2.50"),
    ("SRV-AFTER", "After-school / sprijin la teme", "service", "after-school", 80000, "5.00"),
    ("SRV-REMED", "Lecții remediale", "service", "remedial", 40000, "6.00"),
    ("SRV-CONS", "Consiliere individuală", "service", "counselling", 35000, "10.00"),
    ("SRV-FAM", "Consiliere familială", "service", "family-counselling", 20000, "12.00"),
    ("SRV-RECH", "Rechizite școlare", "service", "school-kit", 30000, "25.00"),
    ("ACT", "Activități de educație nonformală", "activities", "", 50000, ""),
    ("CURS", "Cursuri pentru părinți și profesori", "courses", "", 35000, ""),
    ("CAMP", "Campania de informare", "campaign", "", 20000, ""),
    ("MGMT", "Management și personal", "other", "", 111944, ""),
)
ACTIVITY_COST, COURSE_COST, EVENT_COST = Decimal("40.00"), Decimal("800.00"), Decimal("60.00")


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days: list[datetime.date] = []
    month = start.replace(day=1)
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if last > end:
            return days
        days.append(last)
        month = following


def demo_budget_seed(
    *, programme: Programme, periods: list[ReportingPeriod], day: datetime.date, actor: User | None
) -> str:
    """Seed the budget before the periods are locked (their spending is then frozen with them)."""
    if actor is None or programme.budget_lines.exists():
        return ""
    budget_rate_set(programme=programme, ron_per_eur=RATE, actor=actor)
    types = {t.code: t for t in InterventionType.objects.all()}
    months = {p.pk: len(_month_ends(p.start, p.end)) or 1 for p in periods}
    total_months = sum(months.values())
    lines = {}
    for code, name, kind, type_code, planned, unit_cost in LINES:
        service = types.get(type_code) if type_code else None
        if kind == "service" and service is None:
            continue
        line = budget_line_create(
            programme=programme, code=code, name=name, kind=kind, intervention_type=service, actor=actor
        )
        lines[kind if kind != "service" else code] = line
        left = Decimal(planned)
        for index, period in enumerate(periods):
            share = left if index == len(periods) - 1 else (Decimal(planned) * months[period.pk] / total_months)
            share = share.quantize(Decimal("1"))
            budget_plan_set(line=line, period=period, amount_eur=share, actor=actor)
            left -= share
        if service is not None and unit_cost:
            unit_cost_set(
                programme=programme,
                intervention_type=service,
                amount_eur=Decimal(unit_cost),
                valid_from=programme.start,
                actor=actor,
            )
    until = min(day, programme.end)
    span = (programme.start, until)
    schools = programme.schools.values("pk")
    costs = [
        Cost(line=lines["activities"], date=d, amount_eur=ACTIVITY_COST, description="Materiale", activity_id=pk)
        for pk, d in Activity.objects.filter(school__in=schools, date__range=span).values_list("pk", "date")
    ]
    costs += [
        Cost(line=lines["courses"], date=end, amount_eur=COURSE_COST, description="Formator și sală", course_id=pk)
        for pk, end in Course.objects.filter(county_code=programme.county_code, end__range=span).values_list(
            "pk", "end"
        )
    ]
    costs += [
        Cost(
            line=lines["campaign"], date=d, amount_eur=EVENT_COST, description="Pliante și afișe", campaign_event_id=pk
        )
        for pk, d in CampaignEvent.objects.filter(school__in=schools, date__range=span).values_list("pk", "date")
    ]
    monthly = (Decimal(111944) / total_months).quantize(Decimal("0.01"))
    costs += [
        Cost(line=lines["other"], date=d, amount_eur=monthly, description="Salarii echipa de proiect")
        for d in _month_ends(programme.start, until)
    ]
    for cost in costs:
        cost.created_by = actor
    Cost.objects.bulk_create(costs, batch_size=500)
    return f"Buget: {len(lines)} linii, {len(costs)} cheltuieli."
