"""Reads of the results: the programme and its periods (scoped to the user), the framework with its targets, and
each period's figures — frozen ones for a locked period, computed ones otherwise."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.selectors import ActivityCount, activities_by_type
from prezent.attendance.rates import AttendanceTotals
from prezent.attendance.totals.selectors import imported_attendance_by_month
from prezent.cases.selectors import ServiceCount, services_by_type
from prezent.programme.models import Programme
from prezent.programme.selectors import programme_list_visible_to
from prezent.results.budget.selectors import planned_total
from prezent.results.disaggregation import (
    HIDDEN,
    ROMA_DIMENSION,
    SMALL_CELL,
    Breakdown,
    breakdown_from_stored,
    for_display,
    hide_all,
    is_small,
)
from prezent.results.indicators import REGISTRY, Data, Figure, Span, attendance_by_month, evaluate
from prezent.results.models import Framework, Indicator, PeriodActual, ReportingPeriod, TargetRevision
from prezent.results.permissions import HG691_ROLES, can_view_results
from prezent.risk.models import Level, RiskScore
from prezent.risk.retention import complete_days, keep_days
from prezent.schools.models import School, SchoolYear
from prezent.schools.selectors import school_scope_q

SPENT_CODE = "spent_eur"


def results_programme_for_user_or_404(*, user: User) -> Programme:
    """The newest programme the user may report on; 404 for roles without the dashboards."""
    if not can_view_results(user=user):
        raise Http404
    programme = programme_list_visible_to(user=user).order_by("-start").first()
    if programme is None:
        raise Http404
    return programme


def period_list(*, programme: Programme) -> QuerySet[ReportingPeriod]:
    return programme.periods.order_by("end")


def period_for_code(*, programme: Programme, code: str) -> ReportingPeriod | None:
    """The period ending in month "YYYY-MM" (the latest, if several end in it)."""
    try:
        year, month = (int(part) for part in code.split("-"))
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return programme.periods.filter(end__gte=first, end__lt=following).order_by("-end").first()


def period_chosen(*, programme: Programme, pk: str | None, today: datetime.date) -> ReportingPeriod | None:
    """The period asked for, else the one holding today, else the latest that ended."""
    periods = period_list(programme=programme)
    if pk and pk.isdigit():
        chosen = periods.filter(pk=int(pk)).first()
        if chosen is not None:
            return chosen
    return periods.filter(start__lte=today, end__gte=today).first() or periods.filter(end__lt=today).last()


def previous_period(*, period: ReportingPeriod) -> ReportingPeriod | None:
    return period.programme.periods.filter(end__lt=period.end).order_by("-end").first()


def span_for(
    *, programme: Programme, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None
) -> Span:
    framework = Framework.objects.filter(programme=programme).select_related("baseline_year").first()
    year = SchoolYear.objects.filter(county_code=programme.county_code, start__lte=end).order_by("-start").first()
    return Span(
        programme=programme,
        start=start,
        end=end,
        year=year,
        baseline_year=framework.baseline_year if framework else None,
        as_of=as_of,
    )


def span_of(*, period: ReportingPeriod | None, programme: Programme, today: datetime.date) -> Span:
    if period is None:
        return span_for(programme=programme, start=programme.start, end=min(today, programme.end), as_of=today)
    return span_for(programme=programme, start=period.start, end=period.end, as_of=today)


def framework_indicators(*, programme: Programme) -> list[Indicator]:
    """The framework's indicators with their target revisions (newest first), in two queries."""
    return list(
        programme.indicators.select_related("outcome", "output").prefetch_related(
            Prefetch("targets", queryset=TargetRevision.objects.order_by("-set_on", "-pk"), to_attr="revisions")
        )
    )


def target_on(indicator: Indicator, day: datetime.date) -> TargetRevision | None:
    """The target in force on `day`: the newest revision set on or before it (else the first ever set)."""
    revisions: list[TargetRevision] = getattr(indicator, "revisions", None) or list(
        indicator.targets.order_by("-set_on", "-pk")
    )
    for revision in revisions:
        if revision.set_on <= day:
            return revision
    return revisions[-1] if revisions else None


@dataclass
class Row:
    """One line of the table "target vs actual" for a period."""

    code: str
    name: str
    unit: str
    definition: str
    decimals: int = 0
    indicator: Indicator | None = None
    target: TargetRevision | None = None
    revisions: list[TargetRevision] = field(default_factory=list)
    baseline_stated: float | None = None
    baseline: float | None = None  # computed from the baseline year
    value: float | None = None
    count: int = 0
    computed: bool = True  # False: the records this indicator needs are not kept in Prezent yet
    restricted: bool = False
    late: float | None = None
    suppressed: bool = False  # hidden (`_suppress_rows`): a special-category count under 5, or what gives one away
    complementary: bool = False  # hidden only because it would give a small or hidden figure away
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def mark(self) -> str:
        """How a hidden figure is shown: "<5", or "ascuns" when it is not itself under 5."""
        return str(HIDDEN) if self.complementary else f"<{SMALL_CELL}"

    @property
    def progress(self) -> float | None:
        if self.value is None or self.target is None or not self.target.value:
            return None
        return round(100 * self.value / float(self.target.value), 1)


@dataclass
class Report:
    programme: Programme
    span: Span
    period: ReportingPeriod | None
    rows: list[Row]
    frozen: bool
    previous: ReportingPeriod | None = None

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)


def _stored(period: ReportingPeriod) -> dict[str, PeriodActual]:
    return {a.code: a for a in period.actuals.all()}


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def report_for(
    *,
    programme: Programme,
    period: ReportingPeriod | None,
    with_roma: bool,
    with_breakdowns: bool = True,
    today: datetime.date | None = None,
    school_ids: frozenset[int] | None = None,
    commune_ids: frozenset[int] | None = None,
) -> Report:
    """The period's figures next to the framework. A locked period reads its frozen figures (for the whole county);
    an open one is computed now. Data recorded after the previous period was locked is shown as late data."""
    day = today or timezone.localdate()
    span = span_of(period=period, programme=programme, today=day)
    whole_county = school_ids is None and commune_ids is None
    frozen = bool(period and period.is_locked and whole_county)
    previous = previous_period(period=period) if period else None
    stored = _stored(period) if frozen and period else {}
    figures = (
        {}
        if frozen
        else evaluate(
            span=span,
            with_breakdowns=with_breakdowns,
            with_roma=with_roma,
            school_ids=school_ids,
            commune_ids=commune_ids,
        )
    )
    late = _late_figures(
        frozen=frozen, stored=stored, previous=previous, whole_county=whole_county, with_roma=with_roma
    )
    rows = _framework_rows(programme=programme, with_roma=with_roma, day=span.end)
    rows += _registry_rows(framed={row.code for row in rows}, with_roma=with_roma)
    _budget_target(rows, programme=programme)
    for row in rows:
        if row.computed:
            _row_figures(row, late=late, stored=stored if frozen else None, figures=figures, with_roma=with_roma)
    _suppress_rows(rows, every_row=not whole_county)
    return Report(programme=programme, span=span, period=period, rows=rows, frozen=frozen, previous=previous)


def _budget_target(rows: list[Row], *, programme: Programme) -> None:
    """The money spent is measured against the planned budget, unless the framework revised its target."""
    row = next((r for r in rows if r.code == SPENT_CODE and r.target is None), None)
    if row is None:
        return
    planned = planned_total(programme=programme)
    if planned is not None:
        row.target = TargetRevision(value=planned, set_on=programme.start, reason=_("bugetul planificat"))


def _late_figures(
    *,
    frozen: bool,
    stored: dict[str, PeriodActual],
    previous: ReportingPeriod | None,
    whole_county: bool,
    with_roma: bool,
) -> dict[str, float | None]:
    """Late data by indicator: as stored when a frozen period was locked; for an open period after a locked one,
    how much that one's figures have moved since; none for a few schools or communes."""
    if frozen:
        return {code: _num(a.late_previous) for code, a in stored.items()}
    if previous is not None and previous.is_locked and whole_county:
        return late_data(period=previous, with_roma=with_roma)
    return {}


def _framework_rows(*, programme: Programme, with_roma: bool, day: datetime.date) -> list[Row]:
    """The framework's indicators in its order, each with the target in force on `day`; the restricted ones (the
    Roma split) only for who may see ethnicity. Indicators the registry cannot compute are shown, not computed."""
    rows: list[Row] = []
    for indicator in framework_indicators(programme=programme):
        spec = REGISTRY.get(indicator.code)
        if spec is not None and spec.restricted and not with_roma:
            continue
        rows.append(
            Row(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.get_unit_display(),
                definition=indicator.definition,
                decimals=spec.decimals if spec else 0,
                indicator=indicator,
                target=target_on(indicator, day),
                revisions=getattr(indicator, "revisions", []),
                baseline_stated=_num(indicator.baseline_value),
                computed=spec is not None,
                restricted=bool(spec and spec.restricted),
            )
        )
    return rows


def _registry_rows(*, framed: set[str], with_roma: bool) -> list[Row]:
    """The computed indicators the framework does not list, after its own, without a target."""
    rows: list[Row] = []
    for code, spec in REGISTRY.items():
        if code in framed or (spec.restricted and not with_roma):
            continue
        rows.append(
            Row(
                code=code,
                name=str(spec.name),
                unit=str(dict(Indicator._meta.get_field("unit").choices or [])[spec.unit]),  # type: ignore[index]
                definition=str(spec.definition),
                decimals=spec.decimals,
                restricted=spec.restricted,
            )
        )
    return rows


def _row_figures(
    row: Row,
    *,
    late: dict[str, float | None],
    stored: dict[str, PeriodActual] | None,
    figures: dict[str, Figure],
    with_roma: bool,
) -> None:
    """A computed row's late data and figures: the stored ones of a frozen period (`stored`), else the ones computed
    now. Which figures are hidden is decided afterwards, for all rows together, by `_suppress_rows`."""
    row.late = late.get(row.code)
    if stored is not None:
        actual = stored.get(row.code)
        if actual is None:
            return
        row.value, row.baseline, row.count = _num(actual.value), _num(actual.baseline), actual.count
        row.breakdowns = [
            for_display(breakdown_from_stored(cells, dimension=dimension))
            for dimension, cells in actual.breakdown.items()
            if with_roma or dimension != ROMA_DIMENSION
        ]
    else:
        figure = figures.get(row.code)
        if figure is None:
            return
        row.value, row.baseline, row.count = figure.value, figure.baseline, len(figure.measure.child_ids)
        row.breakdowns = [for_display(b) for b in figure.breakdowns.values()]


def _suppress_rows(rows: list[Row], *, every_row: bool) -> None:
    """Decide which figures of a report are hidden (value, reference and late data), for all rows together.

    A restricted (special-category) figure over 1–4 children is hidden everywhere; for one school or commune
    (`every_row`) every figure over 1–4 is. An "of which" figure (`Spec.part_of`: the girls, the Roma children, the
    Roma children's parents) is hidden with its group — an exact zero of a hidden group says something about every
    child in it — and, where it could be hidden itself, when the rest of its group is 1–4. A figure hidden for the
    second reason also hides all its breakdown cells (they would add up to it)."""
    by_code = {row.code: row for row in rows}
    for row in rows:
        if row.computed and (row.restricted or every_row) and is_small(row.count):
            _hide(row, complementary=False)
    for row in rows:
        spec = REGISTRY.get(row.code)
        group = by_code.get(spec.part_of) if spec is not None and spec.part_of else None
        if group is None or not row.computed or row.suppressed:
            continue
        if group.suppressed or ((row.restricted or every_row) and is_small(group.count - row.count)):
            _hide(row, complementary=True)


def _hide(row: Row, *, complementary: bool) -> None:
    row.value, row.baseline, row.late, row.suppressed, row.complementary = None, None, None, True, complementary
    if complementary:
        row.breakdowns = [hide_all(b) for b in row.breakdowns]


def late_data(*, period: ReportingPeriod, with_roma: bool) -> dict[str, float | None]:
    """For a locked period: how much each figure has moved since it was locked (data recorded late)."""
    stored = _stored(period)
    now = evaluate(
        span=span_of(period=period, programme=period.programme, today=period.end),
        with_breakdowns=False,
        with_roma=with_roma,
    )
    late: dict[str, float | None] = {}
    for code, figure in now.items():
        actual = stored.get(code)
        if actual is None or actual.value is None or figure.value is None:
            late[code] = None
            continue
        difference = round(figure.value - float(actual.value), 2)
        late[code] = difference or None
    return late


@dataclass
class TrendRow:
    month: datetime.date
    label: str
    rate: float | None
    baseline_rate: float | None

    @property
    def difference(self) -> float | None:
        if self.rate is None or self.baseline_rate is None:
            return None
        return round(self.rate - self.baseline_rate, 1)


MONTH_LABELS = ("ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec.")


def attendance_trend(*, span: Span, child_ids: QuerySet) -> list[TrendRow]:
    """The target group's attendance per month of the current school year, next to the same month of the
    baseline year (four aggregate queries)."""
    if span.year is None or span.year_end is None:
        return []
    now = attendance_by_month(child_ids=child_ids, start=span.year.start, end=span.year_end)
    baseline = (
        attendance_by_month(child_ids=child_ids, start=span.baseline_year.start, end=span.baseline_year.end)
        if span.comparable and span.baseline_year
        else {}
    )
    if span.comparable and span.baseline_year:
        # Children with no register in the baseline year count with the monthly totals imported for it.
        imported = imported_attendance_by_month(child_ids=child_ids, school_year=span.baseline_year)
        for first_day, extra in imported.items():
            baseline[first_day] = baseline.get(first_day, AttendanceTotals()) + extra
    by_month_of_year = {m.month: totals for m, totals in baseline.items()}
    rows = []
    month = span.year.start.replace(day=1)
    while month <= span.year_end:
        totals = now.get(month)
        base = by_month_of_year.get(month.month)
        rows.append(
            TrendRow(
                month=month,
                label=f"{MONTH_LABELS[month.month - 1]} {month:%Y}",
                rate=_percent(totals.rate if totals else None),
                baseline_rate=_percent(base.rate if base else None),
            )
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return rows


def trend_for(*, report: Report) -> list[TrendRow]:
    """The monthly trend of a report: frozen with a locked period's figures, computed for any other."""
    if report.frozen and report.period is not None:
        return [
            TrendRow(
                month=datetime.date.fromisoformat(row["month"]),
                label=row["label"],
                rate=row["rate"],
                baseline_rate=row["baseline_rate"],
            )
            for row in report.period.frozen_trend
        ]
    return attendance_trend(span=report.span, child_ids=Data(report.span).target_group_q)


def trend_to_stored(rows: list[TrendRow]) -> list[dict]:
    return [
        {"month": r.month.isoformat(), "label": r.label, "rate": r.rate, "baseline_rate": r.baseline_rate} for r in rows
    ]


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


@dataclass
class RiskRow:
    day: datetime.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def risk_levels_over_time(
    *, programme: Programme, end: datetime.date, school_ids: frozenset[int] | None = None, limit: int = 12
) -> list[RiskRow]:
    """How many pupils of the programme's schools (or of `school_ids`) were at each risk level, per scoring date
    whose scores are all kept — the recent days, and one day a month before them (one query)."""
    scores = RiskScore.objects.filter(computed_on__lte=end)
    scores = (
        scores.filter(school_id__in=school_ids)
        if school_ids is not None
        else scores.filter(school_id__in=programme.schools.values("pk"))
    )
    rows = scores.values("computed_on", "level").annotate(n=Count("pk")).order_by("computed_on")
    by_day: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        by_day.setdefault(row["computed_on"], dict.fromkeys(Level.values, 0))[row["level"]] = row["n"]
    # Old scores are thinned (prezent/risk/retention.py): only the days still whole are counted.
    whole = complete_days(
        {day: sum(counts.values()) for day, counts in by_day.items()}, today=timezone.localdate(), keep=keep_days()
    )
    return [RiskRow(day=day, counts=counts) for day, counts in sorted(by_day.items()) if day in whole][-limit:]


def programme_schools(*, programme: Programme) -> QuerySet[School]:
    return programme.schools.select_related("locality", "locality__uat").order_by("name")


def hg691_school_list_for(*, user: User) -> QuerySet[School]:
    """Schools whose HG 691 lists the user may produce: the county coordinator's county, the school
    coordinator's and mediator's own schools."""
    return School.objects.filter(school_scope_q(user, *HG691_ROLES)).select_related("locality")


def hg691_school_get_or_404(*, user: User, pk: int) -> School:
    return get_object_or_404(hg691_school_list_for(user=user), pk=pk)


def services_delivered(*, programme: Programme, end: datetime.date) -> list[ServiceCount]:
    """Services delivered to children and families (case management), by type, from the programme's start to
    `end`: deliveries, distinct children reached, total quantity (meals, kits). Aggregate queries only."""
    return [row for row in services_by_type(start=programme.start, end=end) if row.deliveries]


def activities_held(*, programme: Programme, end: datetime.date) -> list[ActivityCount]:
    """The programme's non-formal activities by type, from its start to `end`: activities and participations."""
    return [row for row in activities_by_type(start=programme.start, end=end) if row.activities]


def programme_has_framework(*, programme: Programme) -> bool:
    return Framework.objects.filter(programme=programme).exists()
