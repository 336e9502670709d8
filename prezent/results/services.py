"""Changes to the results framework: reporting periods, their approval and locking, target revisions, and the
record of every export."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.programme.models import Programme
from prezent.results.budget.services import budget_spent_freeze
from prezent.results.disaggregation import breakdown_to_stored
from prezent.results.indicators import REGISTRY, Data, evaluate
from prezent.results.models import (
    Framework,
    Indicator,
    PeriodActual,
    PeriodStatus,
    ReportingPeriod,
    TargetRevision,
)
from prezent.results.selectors import attendance_trend, late_data, previous_period, span_of, trend_to_stored
from prezent.schools.models import SchoolYear


@transaction.atomic
def period_create(
    *, programme: Programme, name: str, start: datetime.date, end: datetime.date, actor: User | None
) -> ReportingPeriod:
    """Add a reporting period. Periods do not overlap and lie inside the programme."""
    if not name.strip():
        raise ValidationError({"name": _("Scrieți denumirea perioadei.")})
    if end < start:
        raise ValidationError({"end": _("Sfârșitul perioadei nu poate fi înaintea începutului.")})
    if start < programme.start or end > programme.end:
        raise ValidationError(_("Perioada trebuie să fie în intervalul programului."))
    if programme.periods.filter(start__lte=end, end__gte=start).exists():
        raise ValidationError(_("Perioada se suprapune cu o altă perioadă de raportare."))
    period = ReportingPeriod.objects.create(programme=programme, name=name.strip(), start=start, end=end)
    audit_record(
        actor=actor,
        action="results.period_create",
        target=period,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    return period


@transaction.atomic
def period_lock(*, period: ReportingPeriod, actor: User | None) -> ReportingPeriod:
    """Approve and lock a period: compute every built-in indicator with its full breakdown and freeze it.

    A locked period is never recomputed; what is recorded for it later shows, marked as late, in the next period.
    The previous period must be locked first (figures are cumulative)."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("Perioada este deja aprobată și blocată."))
    if period.end > timezone.localdate():
        raise ValidationError(_("Perioada se poate bloca doar după ce s-a încheiat."))
    previous = previous_period(period=period)
    if previous is not None and not previous.is_locked:
        raise ValidationError(_("Blocați mai întâi perioada anterioară („%(name)s”).") % {"name": previous.name})
    late = late_data(period=previous, with_roma=True) if previous is not None else {}
    span = span_of(period=period, programme=period.programme, today=period.end)
    figures = evaluate(span=span, with_roma=True)
    PeriodActual.objects.bulk_create(
        [
            PeriodActual(
                period=period,
                code=code,
                value=_decimal(figure.value),
                baseline=_decimal(figure.baseline),
                count=len(figure.measure.child_ids),
                breakdown={dimension: breakdown_to_stored(b) for dimension, b in figure.breakdowns.items()},
                late_previous=_decimal(late.get(code)),
            )
            for code, figure in figures.items()
        ]
    )
    spent_lines = budget_spent_freeze(period=period)
    period.frozen_trend = trend_to_stored(attendance_trend(span=span, child_ids=Data(span).target_group_q))
    period.status = PeriodStatus.LOCKED
    period.locked_at = timezone.now()
    period.locked_by = actor
    period.save(update_fields=["status", "locked_at", "locked_by", "frozen_trend"])
    audit_record(
        actor=actor,
        action="results.period_lock",
        target=period,
        details={"indicators": len(figures), "budget_lines": spent_lines},
    )
    return period


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


@transaction.atomic
def target_revise(
    *, indicator: Indicator, value: Decimal, set_on: datetime.date, reason: str, actor: User | None
) -> TargetRevision:
    """Record a new target for the indicator; the earlier ones stay as its history."""
    if not reason.strip():
        raise ValidationError({"reason": _("Scrieți motivul revizuirii.")})
    if value < 0:
        raise ValidationError({"value": _("Ținta nu poate fi negativă.")})
    revision = TargetRevision.objects.create(
        indicator=indicator, value=value, set_on=set_on, reason=reason.strip(), set_by=actor
    )
    audit_record(
        actor=actor,
        action="results.target_revise",
        target=revision,
        details={"indicator": indicator.code, "value": str(value), "set_on": set_on.isoformat()},
    )
    return revision


def export_record(
    *, actor: User | None, kind: str, rows: int, period: ReportingPeriod | None = None, **ids: int
) -> None:
    """Every export is logged: who, what, which period, how many rows; never a child's name."""
    audit_record(
        actor=actor,
        action=f"results.export_{kind}",
        target=period,
        target_type="" if period else "programme.programme",
        details={"rows": rows, **ids},
    )


@transaction.atomic
def framework_setup(*, programme: Programme, baseline_year: SchoolYear, actor: User | None) -> Framework:
    """Start a programme's results framework: its baseline school year and every built-in indicator (with the
    registry's name, definition and unit, no target yet). A county that starts a programme gets its dashboard, its
    baseline comparison and the target forms at once; indicators already there are left as they are."""
    if Framework.objects.filter(programme=programme).exists():
        raise ValidationError(_("Programul are deja un cadru de rezultate."))
    if baseline_year.county_code != programme.county_code:
        raise ValidationError({"baseline_year": _("Anul de referință trebuie să fie un an școlar al județului.")})
    if baseline_year.start >= programme.end:
        raise ValidationError(
            {"baseline_year": _("Anul de referință trebuie să înceapă înainte de sfârșitul programului.")}
        )
    framework = Framework.objects.create(programme=programme, baseline_year=baseline_year)
    existing = set(programme.indicators.values_list("code", flat=True))
    Indicator.objects.bulk_create(
        [
            Indicator(
                programme=programme,
                code=code,
                name=str(spec.name),
                definition=str(spec.definition),
                unit=spec.unit,
                order=order,
            )
            for order, (code, spec) in enumerate(REGISTRY.items(), start=1)
            if code not in existing
        ]
    )
    audit_record(
        actor=actor,
        action="results.framework_setup",
        target=framework,
        details={"baseline_year": baseline_year.name, "indicators": len(REGISTRY) - len(existing)},
    )
    return framework
