"""Every change to the budget, each audited with ids, codes and amounts (never a name).

Rules:
- a locked period is final: its planned amounts, the costs dated in it and the unit costs that would price its
  services do not change, and its spending is stored when it is locked (`budget_spent_freeze`, called by
  `period_lock`);
- an invoice is accepted only when its first bytes say it is a PDF or a photo (a scan) and it is not larger than
  the limit of the other evidence files; it goes to private storage under a random name, never a public URL;
- a mistake is deleted only while nothing frozen depends on it: a line with no costs and nothing in a locked
  period, a planned amount or a cost (with its invoices) of an open period, a unit cost starting after the last
  locked period, an invoice of a cost in an open period. The programme's periods are locked (`select_for_update`)
  for the check, so a period cannot be locked between the check and the delete; an invoice's file goes once the
  transaction commits.
"""

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.campaign.services import evidence_file_kind
from prezent.activities.models import Activity, ActivityType, CampaignEvent, Course
from prezent.cases.models import InterventionType
from prezent.core.services import audit_record
from prezent.programme.models import Programme
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
from prezent.results.budget.selectors import exchange_rate, locked_period_holding, spending_by_period
from prezent.results.models import ReportingPeriod


def invoice_storage() -> FileSystemStorage:
    """Private storage for invoices: a folder outside anything the web server serves, with no URL."""
    root = getattr(settings, "PREZENT_INVOICE_ROOT", "") or Path(settings.MEDIA_ROOT) / "invoices"
    return FileSystemStorage(location=root, base_url=None)


@transaction.atomic
def budget_rate_set(*, programme: Programme, ron_per_eur: Decimal, actor: User) -> Budget:
    """The exchange rate the funder uses (RON for one EUR). Locked periods keep the rate they were locked with."""
    if ron_per_eur <= 0:
        raise ValidationError({"ron_per_eur": _("Cursul de schimb trebuie să fie mai mare decât zero.")})
    budget, _created = Budget.objects.update_or_create(programme=programme, defaults={"ron_per_eur": ron_per_eur})
    audit_record(actor=actor, action="budget.rate_set", target=budget, details={"ron_per_eur": str(ron_per_eur)})
    return budget


@transaction.atomic
def budget_line_create(
    *,
    programme: Programme,
    code: str,
    name: str,
    kind: str,
    intervention_type: InterventionType | None = None,
    activity_type: ActivityType | None = None,
    actor: User,
) -> BudgetLine:
    """A budget line: a service type (priced by its unit costs), an activity type or all activities, the
    courses, the campaign, or other costs."""
    code, name = code.strip(), name.strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("Scrieți codul liniei.")
    elif programme.budget_lines.filter(code=code).exists():
        errors["code"] = _("Programul are deja o linie cu acest cod.")
    if not name:
        errors["name"] = _("Scrieți denumirea liniei.")
    if kind not in LineKind.values:
        errors["kind"] = _("Alegeți tipul liniei.")
    if kind == LineKind.SERVICE:
        if intervention_type is None:
            errors["intervention_type"] = _("O linie pentru servicii are nevoie de tipul de serviciu.")
        elif programme.budget_lines.filter(intervention_type=intervention_type).exists():
            errors["intervention_type"] = _("Tipul de serviciu are deja o linie de buget.")
    elif intervention_type is not None:
        errors["intervention_type"] = _("Doar o linie pentru servicii are un tip de serviciu.")
    if activity_type is not None and kind != LineKind.ACTIVITIES:
        errors["activity_type"] = _("Doar o linie pentru activități are un tip de activitate.")
    if errors:
        raise ValidationError(errors)
    order = (programme.budget_lines.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    line = BudgetLine.objects.create(
        programme=programme,
        code=code,
        name=name,
        kind=kind,
        intervention_type=intervention_type if kind == LineKind.SERVICE else None,
        activity_type=activity_type if kind == LineKind.ACTIVITIES else None,
        order=order,
    )
    audit_record(actor=actor, action="budget.line_create", target=line, details={"code": code, "kind": kind})
    return line


def _refuse_locked(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise ValidationError(
            _("Perioada „%(name)s” este aprobată și blocată: sumele ei nu se mai schimbă.") % {"name": period.name}
        )


@transaction.atomic
def budget_plan_set(*, line: BudgetLine, period: ReportingPeriod, amount_eur: Decimal, actor: User) -> BudgetPlan:
    """The amount a line plans to spend in a period (EUR); not once the period is locked."""
    if period.programme_id != line.programme_id:
        raise ValidationError({"period": _("Perioada nu este a programului liniei.")})
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _refuse_locked(period)
    if amount_eur < 0:
        raise ValidationError({"amount_eur": _("Suma planificată nu poate fi negativă.")})
    plan, _created = BudgetPlan.objects.update_or_create(line=line, period=period, defaults={"amount_eur": amount_eur})
    audit_record(
        actor=actor,
        action="budget.plan_set",
        target=plan,
        details={"line": line.code, "period": period.pk, "amount_eur": str(amount_eur)},
    )
    return plan


@transaction.atomic
def unit_cost_set(
    *,
    programme: Programme,
    intervention_type: InterventionType,
    amount_eur: Decimal,
    valid_from: datetime.date,
    actor: User,
) -> UnitCost:
    """A service's unit cost from a day on (the newest valid on a delivery's day prices it). It may not start in
    or before a locked period, whose services were priced when it was locked."""
    if amount_eur < 0:
        raise ValidationError({"amount_eur": _("Costul unitar nu poate fi negativ.")})
    locked = programme.periods.filter(status="locked", end__gte=valid_from).order_by("end").first()
    if locked is not None:
        raise ValidationError(
            {
                "valid_from": _(
                    "Perioada „%(name)s” este aprobată și blocată: un cost unitar nou poate începe doar după %(end)s."
                )
                % {"name": locked.name, "end": f"{locked.end:%d.%m.%Y}"}
            }
        )
    try:
        with transaction.atomic():
            unit_cost = UnitCost.objects.create(
                programme=programme,
                intervention_type=intervention_type,
                amount_eur=amount_eur,
                valid_from=valid_from,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"valid_from": _("Serviciul are deja un cost unitar valabil de la această dată.")}
        ) from None
    audit_record(
        actor=actor,
        action="budget.unit_cost_set",
        target=unit_cost,
        details={"type": intervention_type.code, "amount_eur": str(amount_eur), "valid_from": valid_from.isoformat()},
    )
    return unit_cost


def _check_cost(
    *,
    line: BudgetLine,
    date: datetime.date,
    amount_eur: Decimal,
    description: str,
    activity: Activity | None,
    course: Course | None,
    campaign_event: CampaignEvent | None,
) -> None:
    programme = line.programme
    errors: dict[str, str] = {}
    if amount_eur <= 0:
        errors["amount_eur"] = _("Suma trebuie să fie mai mare decât zero.")
    if not description.strip():
        errors["description"] = _("Scrieți pe scurt ce s-a plătit.")
    if not programme.start <= date <= programme.end:
        errors["date"] = _("Data trebuie să fie în intervalul programului.")
    if line.kind == LineKind.SERVICE:
        errors["line"] = _(
            "Cheltuielile cu serviciile se calculează din serviciile acordate și costurile lor unitare; alegeți "
            "altă linie."
        )
    if sum(subject is not None for subject in (activity, course, campaign_event)) > 1:
        errors["activity"] = _("O cheltuială privește cel mult o activitate, un curs sau o acțiune de informare.")
    if errors:
        raise ValidationError(errors)
    locked = locked_period_holding(programme=programme, day=date)
    if locked is not None:
        raise ValidationError(
            {
                "date": _(
                    "Perioada „%(name)s” este aprobată și blocată: cheltuielile din ea nu se mai adaugă și nu se "
                    "mai modifică."
                )
                % {"name": locked.name}
            }
        )


@transaction.atomic
def cost_record(
    *,
    line: BudgetLine,
    date: datetime.date,
    amount_eur: Decimal,
    description: str,
    activity: Activity | None = None,
    course: Course | None = None,
    campaign_event: CampaignEvent | None = None,
    actor: User,
) -> Cost:
    """A cost paid from a line (of an activity, a course, a campaign event, or other); not in a locked period."""
    _check_cost(
        line=line,
        date=date,
        amount_eur=amount_eur,
        description=description,
        activity=activity,
        course=course,
        campaign_event=campaign_event,
    )
    cost = Cost.objects.create(
        line=line,
        date=date,
        amount_eur=amount_eur,
        description=description.strip(),
        activity=activity,
        course=course,
        campaign_event=campaign_event,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="budget.cost_record",
        target=cost,
        details={"line": line.code, "date": date.isoformat(), "amount_eur": str(amount_eur)},
    )
    return cost


@transaction.atomic
def cost_edit(
    *,
    cost: Cost,
    line: BudgetLine,
    date: datetime.date,
    amount_eur: Decimal,
    description: str,
    activity: Activity | None = None,
    course: Course | None = None,
    campaign_event: CampaignEvent | None = None,
    actor: User,
) -> Cost:
    """Correct a cost. A cost dated in a locked period stays as it is, and none is moved into one."""
    cost = Cost.objects.select_for_update().select_related("line__programme").get(pk=cost.pk)
    if line.programme_id != cost.line.programme_id:
        raise ValidationError({"line": _("Linia nu este a programului.")})
    was_locked = locked_period_holding(programme=cost.line.programme, day=cost.date)
    if was_locked is not None:
        raise ValidationError(
            _(
                "Cheltuiala este în perioada „%(name)s”, aprobată și blocată: nu se mai modifică. O corectură se "
                "înregistrează ca o cheltuială nouă într-o perioadă deschisă."
            )
            % {"name": was_locked.name}
        )
    _check_cost(
        line=line,
        date=date,
        amount_eur=amount_eur,
        description=description,
        activity=activity,
        course=course,
        campaign_event=campaign_event,
    )
    before = {"line": cost.line.code, "date": cost.date.isoformat(), "amount_eur": str(cost.amount_eur)}
    cost.line, cost.date, cost.amount_eur, cost.description = line, date, amount_eur, description.strip()
    cost.activity, cost.course, cost.campaign_event = activity, course, campaign_event
    cost.save()
    audit_record(
        actor=actor,
        action="budget.cost_edit",
        target=cost,
        details={
            "before": before,
            "after": {"line": line.code, "date": date.isoformat(), "amount_eur": str(amount_eur)},
        },
    )
    return cost


@transaction.atomic
def invoice_add(*, cost: Cost, upload: File, actor: User) -> Invoice:  # type: ignore[type-arg]
    """Store an invoice (a PDF or a scan) as the evidence of a cost. A file too large, or whose content is not a
    PDF or a photo (whatever its name), is refused and nothing is stored."""
    kind = evidence_file_kind(
        upload,
        not_allowed=_(
            "Fișierul nu este un PDF sau o fotografie (după conținut, nu după nume). Tipuri acceptate: %(kinds)s."
        ),
    )
    storage = invoice_storage()
    name = storage.save(f"{cost.pk}/{uuid.uuid4().hex}{kind.extension}", upload)
    try:
        invoice = Invoice.objects.create(
            cost=cost,
            storage_name=name,
            original_name=Path(upload.name or "factura").name[:200],
            content_type=kind.content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
    except Exception:
        storage.delete(name)
        raise
    audit_record(
        actor=actor,
        action="budget.invoice_add",
        target=invoice,
        details={"cost": cost.pk, "type": kind.content_type, "size": upload.size or 0},
    )
    return invoice


def _periods_for_update(programme_id: int) -> list[ReportingPeriod]:
    """The programme's periods, held against a concurrent `period_lock` until the transaction ends."""
    return list(ReportingPeriod.objects.select_for_update().filter(programme_id=programme_id).order_by("pk"))


def _locked_holding(periods: list[ReportingPeriod], day: datetime.date) -> ReportingPeriod | None:
    return next((p for p in periods if p.is_locked and p.start <= day <= p.end), None)


def _delete_files_on_commit(names: list[str]) -> None:
    storage = invoice_storage()

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor: User) -> None:
    """Delete a line added by mistake, with its planned amounts. Not while it has costs (they are moved or deleted
    first), nor once a locked period holds its planned amount or its spending."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    periods = _periods_for_update(line.programme_id)
    if line.costs.exists():
        raise ValidationError(_("Linia are cheltuieli înregistrate: mutați sau ștergeți întâi cheltuielile."))
    plans = list(line.plans.order_by("period_id"))
    locked = {p.pk: p for p in periods if p.is_locked}
    frozen = [locked[plan.period_id] for plan in plans if plan.period_id in locked]
    by_pk = {p.pk: p for p in periods}  # stored spending keeps the line whatever the period's status
    frozen += [by_pk[pk] for pk in PeriodSpent.objects.filter(line=line).values_list("period_id", flat=True)]
    if frozen:
        raise ValidationError(
            _(
                "Linia face parte din perioada „%(name)s”, aprobată și blocată (sume planificate sau cheltuieli "
                "păstrate la blocare): nu se mai șterge."
            )
            % {"name": min(frozen, key=lambda p: p.end).name}
        )
    audit_record(
        actor=actor,
        action="budget.line_delete",
        target=line,
        details={
            "code": line.code,
            "kind": line.kind,
            "plans": [{"period": plan.period_id, "amount_eur": str(plan.amount_eur)} for plan in plans],
        },
    )
    line.plans.all().delete()
    line.delete()


@transaction.atomic
def budget_plan_delete(*, plan: BudgetPlan, actor: User) -> None:
    """Delete a line's planned amount for a period; only while the period is open."""
    plan = BudgetPlan.objects.select_for_update().select_related("line").get(pk=plan.pk)
    period = ReportingPeriod.objects.select_for_update().get(pk=plan.period_id)
    _refuse_locked(period)
    audit_record(
        actor=actor,
        action="budget.plan_delete",
        target=plan,
        details={"line": plan.line.code, "period": period.pk, "amount_eur": str(plan.amount_eur)},
    )
    plan.delete()


@transaction.atomic
def unit_cost_delete(*, unit_cost: UnitCost, actor: User) -> None:
    """Delete a unit cost entered by mistake; only if it starts after the end of every locked period (it priced
    nothing that was frozen)."""
    unit_cost = UnitCost.objects.select_for_update().select_related("intervention_type").get(pk=unit_cost.pk)
    periods = _periods_for_update(unit_cost.programme_id)
    locked = [p for p in periods if p.is_locked and p.end >= unit_cost.valid_from]
    if locked:
        last = max(locked, key=lambda p: p.end)
        raise ValidationError(
            _(
                "Costul unitar a prețuit serviciile perioadei „%(name)s”, aprobată și blocată: nu se mai șterge. Se "
                "pot șterge doar costurile unitare valabile de după %(end)s."
            )
            % {"name": last.name, "end": f"{last.end:%d.%m.%Y}"}
        )
    audit_record(
        actor=actor,
        action="budget.unit_cost_delete",
        target=unit_cost,
        details={
            "type": unit_cost.intervention_type.code,
            "amount_eur": str(unit_cost.amount_eur),
            "valid_from": unit_cost.valid_from.isoformat(),
        },
    )
    unit_cost.delete()


@transaction.atomic
def invoice_delete(*, invoice: Invoice, actor: User) -> None:
    """Delete an invoice uploaded by mistake: the row at once, its file once the transaction commits (a failed
    transaction keeps both). Only while its cost is in an open period."""
    invoice = Invoice.objects.select_for_update().select_related("cost__line").get(pk=invoice.pk)
    cost = invoice.cost
    locked = _locked_holding(_periods_for_update(cost.line.programme_id), cost.date)
    if locked is not None:
        raise ValidationError(
            _("Factura este a unei cheltuieli din perioada „%(name)s”, aprobată și blocată: nu se mai șterge.")
            % {"name": locked.name}
        )
    audit_record(
        actor=actor,
        action="budget.invoice_delete",
        target=invoice,
        details={"cost": cost.pk, "type": invoice.content_type, "size": invoice.size},
    )
    name = invoice.storage_name
    invoice.delete()
    _delete_files_on_commit([name])


@transaction.atomic
def cost_delete(*, cost: Cost, actor: User) -> None:
    """Delete a cost recorded by mistake, with its invoices (their files go once the transaction commits); only
    while its day is in an open period. A cost of a locked period is corrected by a new cost in an open one."""
    cost = Cost.objects.select_for_update().select_related("line").get(pk=cost.pk)
    locked = _locked_holding(_periods_for_update(cost.line.programme_id), cost.date)
    if locked is not None:
        raise ValidationError(
            _(
                "Cheltuiala este în perioada „%(name)s”, aprobată și blocată: nu se mai șterge. O corectură se "
                "înregistrează ca o cheltuială nouă într-o perioadă deschisă."
            )
            % {"name": locked.name}
        )
    invoices = list(Invoice.objects.select_for_update().filter(cost=cost).order_by("pk"))
    audit_record(
        actor=actor,
        action="budget.cost_delete",
        target=cost,
        details={
            "line": cost.line.code,
            "date": cost.date.isoformat(),
            "amount_eur": str(cost.amount_eur),
            "invoices": [invoice.pk for invoice in invoices],
        },
    )
    names = [invoice.storage_name for invoice in invoices]
    Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices]).delete()
    cost.delete()
    _delete_files_on_commit(names)


def budget_spent_freeze(*, period: ReportingPeriod) -> int:
    """Store each line's spending in the period as it is now, with the exchange rate; part of `period_lock`
    (which audits the lock, in the same transaction). Returns the number of rows stored."""
    programme = period.programme
    spending = spending_by_period(programme=programme, spans=[(period.pk, period.start, period.end)])[period.pk]
    rate = exchange_rate(programme=programme)
    line_ids = set(programme.budget_lines.values_list("pk", flat=True)) | set(spending.by_line)
    rows = [
        PeriodSpent(
            period=period, line_id=line_id, spent_eur=spending.by_line.get(line_id, Decimal(0)), ron_per_eur=rate
        )
        for line_id in sorted(line_ids, key=lambda i: (i is None, i or 0))
    ]
    PeriodSpent.objects.bulk_create(rows)
    return len(rows)
