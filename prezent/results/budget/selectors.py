"""Reads of the budget: the lines with their planned amounts, what was spent per line and period (services priced
with their unit costs, plus the costs recorded), frozen figures for a locked period, and the list of costs.

Spending is computed with a fixed number of aggregate queries, whatever the number of periods, deliveries or
costs: the services delivered per type and day and the costs per line and day, bucketed into periods here.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from prezent.accounts.models import User
from prezent.activities.models import Activity, CampaignEvent, Course
from prezent.cases.models import InterventionType
from prezent.cases.selectors import service_units_by_day
from prezent.programme.models import Programme
from prezent.programme.selectors import programme_list_visible_to
from prezent.results.budget.models import (
    Budget,
    BudgetLine,
    BudgetPlan,
    Cost,
    Invoice,
    LineKind,
    PeriodSpent,
    UnitCost,
)
from prezent.results.budget.permissions import can_view_budget
from prezent.results.models import ReportingPeriod

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def budget_programme_for_user_or_404(*, user: User) -> Programme:
    """The newest programme the user may see, for the roles that read the budget; else 404."""
    if not can_view_budget(user=user):
        raise Http404
    programme = programme_list_visible_to(user=user).order_by("-start").first()
    if programme is None:
        raise Http404
    return programme


def exchange_rate(*, programme: Programme) -> Decimal | None:
    """RON for one EUR, as the funder sets it (none until the coordinator enters it)."""
    budget = Budget.objects.filter(programme=programme).first()
    return budget.ron_per_eur if budget else None


def budget_line_list(*, programme: Programme) -> QuerySet[BudgetLine]:
    return programme.budget_lines.select_related("intervention_type", "activity_type").order_by("order", "code")


def budget_line_get_or_404(*, programme: Programme, pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine, programme=programme, pk=pk)


def budget_plan_get_or_404(*, programme: Programme, pk: int) -> BudgetPlan:
    return get_object_or_404(BudgetPlan, line__programme=programme, pk=pk)


def budget_plans_open(*, programme: Programme) -> QuerySet[BudgetPlan]:
    """The planned amounts of the open periods (those that may still change), with their line and period."""
    return (
        BudgetPlan.objects.filter(line__programme=programme)
        .exclude(period__status="locked")
        .select_related("line", "period")
        .order_by("period__start", "line__order", "line__code")
    )


def unit_cost_get_or_404(*, programme: Programme, pk: int) -> UnitCost:
    return get_object_or_404(UnitCost, programme=programme, pk=pk)


def cost_get_or_404(*, programme: Programme, pk: int) -> Cost:
    return get_object_or_404(Cost.objects.select_related("line"), line__programme=programme, pk=pk)


def invoice_get_or_404(*, programme: Programme, pk: int) -> Invoice:
    return get_object_or_404(Invoice, cost__line__programme=programme, pk=pk)


def cost_list(*, programme: Programme) -> QuerySet[Cost]:
    """The programme's costs, newest first, with their line, subject and invoices (three queries)."""
    return (
        Cost.objects.filter(line__programme=programme)
        .select_related("line", "activity", "course", "campaign_event", "campaign_event__kind")
        .prefetch_related("invoices")
        .order_by("-date", "-pk")
    )


def unit_cost_list(*, programme: Programme) -> QuerySet[UnitCost]:
    return (
        UnitCost.objects.filter(programme=programme)
        .select_related("intervention_type")
        .order_by("intervention_type__order", "intervention_type__label", "valid_from")
    )


def service_types() -> QuerySet[InterventionType]:
    return InterventionType.objects.order_by("order", "label")


def locked_period_holding(*, programme: Programme, day: datetime.date) -> ReportingPeriod | None:
    """The locked period of the programme that holds `day`, if any: costs dated in it may not change."""
    return programme.periods.filter(status="locked", start__lte=day, end__gte=day).first()


def cost_subjects(*, programme: Programme) -> dict[str, QuerySet]:
    """What a cost may be about: the activities, courses and campaign events of the programme's schools within its
    dates, newest first."""
    schools = programme.schools.values("pk")
    span = (programme.start, programme.end)
    return {
        "activity": Activity.objects.filter(school__in=schools, date__range=span).select_related("school", "type"),
        "course": Course.objects.filter(county_code=programme.county_code, end__gte=programme.start).order_by(
            "-start", "title"
        ),
        "campaign_event": CampaignEvent.objects.filter(school__in=schools, date__range=span).select_related(
            "school", "kind"
        ),
    }


@dataclass
class Spending:
    """What was spent in a span: per line id (None: services whose type has no line) and the deliveries that no
    unit cost prices (per intervention type id: units)."""

    by_line: dict[int | None, Decimal] = field(default_factory=dict)
    unpriced: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_line.values(), ZERO)


class _Prices:
    """Each type's unit costs in order of the day they start; `on` gives the one in force on a day."""

    def __init__(self, programme: Programme) -> None:
        self.days: dict[int, list[datetime.date]] = defaultdict(list)
        self.amounts: dict[int, list[Decimal]] = defaultdict(list)
        for type_id, day, amount in (
            UnitCost.objects.filter(programme=programme)
            .order_by("intervention_type_id", "valid_from")
            .values_list("intervention_type_id", "valid_from", "amount_eur")
        ):
            self.days[type_id].append(day)
            self.amounts[type_id].append(amount)

    def on(self, type_id: int, day: datetime.date) -> Decimal | None:
        index = bisect.bisect_right(self.days.get(type_id, []), day) - 1
        return self.amounts[type_id][index] if index >= 0 else None


def spending_by_period(
    *, programme: Programme, spans: list[tuple[object, datetime.date, datetime.date]]
) -> dict[object, Spending]:
    """What was spent in each of `spans` (key, start, end; they do not overlap), per line: the units of service
    delivered times the unit cost in force on the day, and the costs recorded. Four queries in all."""
    result: dict[object, Spending] = {key: Spending() for key, _start, _end in spans}
    if not spans:
        return result
    first, last = min(s for _k, s, _e in spans), max(e for _k, _s, e in spans)
    ordered = sorted(spans, key=lambda s: s[1])
    starts = [s for _k, s, _e in ordered]

    def bucket(day: datetime.date) -> Spending | None:
        index = bisect.bisect_right(starts, day) - 1
        if index < 0 or day > ordered[index][2]:
            return None
        return result[ordered[index][0]]

    prices = _Prices(programme)
    line_of_type = dict(programme.budget_lines.filter(kind=LineKind.SERVICE).values_list("intervention_type_id", "pk"))
    for type_id, day, units in service_units_by_day(programme_id=programme.pk, start=first, end=last):
        spending = bucket(day)
        if spending is None:
            continue
        price = prices.on(type_id, day)
        if price is None:
            spending.unpriced[type_id] = spending.unpriced.get(type_id, 0) + units
            continue
        line = line_of_type.get(type_id)
        spending.by_line[line] = spending.by_line.get(line, ZERO) + price * units
    costs = (
        Cost.objects.filter(line__programme=programme, date__range=(first, last))
        .values_list("line_id", "date")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    for line_id, day, total in costs:
        spending = bucket(day)
        if spending is not None:
            spending.by_line[line_id] = spending.by_line.get(line_id, ZERO) + total
    return result


def spent_total(*, programme: Programme, start: datetime.date, end: datetime.date) -> Decimal:
    """Everything spent in [start, end] (EUR)."""
    return spending_by_period(programme=programme, spans=[("span", start, end)])["span"].total


def planned_total(*, programme: Programme) -> Decimal | None:
    """The programme's planned budget: the sum of its lines' planned amounts, else its stated budget."""
    planned = BudgetPlan.objects.filter(line__programme=programme).aggregate(total=Sum("amount_eur"))["total"]
    return planned if planned is not None else programme.budget_eur


@dataclass
class Cell:
    planned: Decimal | None
    spent: Decimal
    rate: Decimal | None = None  # lei for 1 EUR: the rate stored with a locked period, else the current one

    @property
    def spent_ron(self) -> Decimal | None:
        return in_ron(self.spent, self.rate)


def _ron_sum(cells: list[Cell]) -> Decimal | None:
    amounts = [c.spent_ron for c in cells]
    return None if any(a is None for a in amounts) else sum((a or ZERO for a in amounts), ZERO)


@dataclass
class LineRow:
    line: BudgetLine | None  # None: services whose type has no line of its own
    cells: list[Cell]

    @property
    def planned(self) -> Decimal | None:
        known = [c.planned for c in self.cells if c.planned is not None]
        return sum(known, ZERO) if known else None

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.cells), ZERO)

    @property
    def spent_ron(self) -> Decimal | None:
        return _ron_sum(self.cells)


@dataclass
class BudgetTable:
    programme: Programme
    periods: list[ReportingPeriod]
    rows: list[LineRow]
    ron_per_eur: Decimal | None
    frozen_rates: dict[int, Decimal | None]  # per locked period: the rate stored when it was locked
    unpriced: dict[str, int]  # service label → units delivered with no unit cost (open periods)

    @property
    def totals(self) -> list[Cell]:
        cells = []
        for index in range(len(self.periods)):
            planned = [p for r in self.rows if (p := r.cells[index].planned) is not None]
            spent = sum((r.cells[index].spent for r in self.rows), ZERO)
            cells.append(Cell(sum(planned, ZERO) if planned else None, spent, self.rates[index]))
        return cells

    @property
    def rates(self) -> list[Decimal | None]:
        return [
            self.frozen_rates.get(p.pk) or self.ron_per_eur if p.is_locked else self.ron_per_eur for p in self.periods
        ]

    @property
    def columns(self) -> int:
        return 3 * len(self.periods) + 4

    @property
    def spent_ron(self) -> Decimal | None:
        return _ron_sum(self.totals)

    @property
    def planned(self) -> Decimal:
        return sum((c.planned or ZERO for c in self.totals), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((c.spent for c in self.totals), ZERO)


def budget_table(*, programme: Programme) -> BudgetTable:
    """Planned and spent per line and period: a locked period's spending as stored when it was locked, an open
    period's computed now. A fixed number of queries."""
    periods = list(programme.periods.order_by("end"))
    lines = list(budget_line_list(programme=programme))
    planned = {
        (line_id, period_id): amount
        for line_id, period_id, amount in BudgetPlan.objects.filter(line__programme=programme).values_list(
            "line_id", "period_id", "amount_eur"
        )
    }
    frozen: dict[int, dict[int | None, Decimal]] = defaultdict(dict)
    frozen_rates: dict[int, Decimal | None] = {}
    for period_id, line_id, spent, stored_rate in PeriodSpent.objects.filter(period__programme=programme).values_list(
        "period_id", "line_id", "spent_eur", "ron_per_eur"
    ):
        frozen[period_id][line_id] = spent
        frozen_rates[period_id] = stored_rate
    live = spending_by_period(programme=programme, spans=[(p.pk, p.start, p.end) for p in periods if not p.is_locked])
    spent_in: dict[int, dict[int | None, Decimal]] = {
        p.pk: (frozen.get(p.pk, {}) if p.is_locked else live[p.pk].by_line) for p in periods
    }
    current = exchange_rate(programme=programme)
    rate = {p.pk: (frozen_rates.get(p.pk) or current) if p.is_locked else current for p in periods}
    rows = [
        LineRow(
            line,
            [Cell(planned.get((line.pk, p.pk)), spent_in[p.pk].get(line.pk, ZERO), rate[p.pk]) for p in periods],
        )
        for line in lines
    ]
    if any(None in by_line for by_line in spent_in.values()):
        rows.append(LineRow(None, [Cell(None, spent_in[p.pk].get(None, ZERO), rate[p.pk]) for p in periods]))
    unpriced: dict[int, int] = defaultdict(int)
    for spending in live.values():
        for type_id, units in spending.unpriced.items():
            unpriced[type_id] += units
    labels = dict(InterventionType.objects.filter(pk__in=list(unpriced)).values_list("pk", "label")) if unpriced else {}
    return BudgetTable(
        programme=programme,
        periods=periods,
        rows=rows,
        ron_per_eur=current,
        frozen_rates={p.pk: frozen_rates.get(p.pk) for p in periods if p.is_locked},
        unpriced={labels[t]: units for t, units in unpriced.items()},
    )


def in_ron(amount: Decimal | None, rate: Decimal | None) -> Decimal | None:
    if amount is None or rate is None:
        return None
    return (amount * rate).quantize(CENT)
