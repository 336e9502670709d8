"""Alerts from the escalation ladder: opening, closing, follow-up and escalation (services).

Rules (DOMAIN.md "Early warning", "An escalation ladder"):
- a child has one open step of the ladder at a time: the highest active step whose trigger holds. When a higher
  step triggers, it opens and the lower open step closes as "escalated" (the new alert points to it); nothing opens
  below an open or recently followed-up higher step. The same cause never has two open alerts (one per child and
  step, enforced by a database constraint and checked in bulk before writing);
- a cause that disappears (the absences were excused) closes its alert with the reason "cause gone", so nobody
  is asked to follow up absences that are already excused;
- a follow-up closes the cause for a while: a step that was followed up, escalated or dismissed reopens for the same
  child only after `PREZENT_ALERT_REOPEN_DAYS` days (if its trigger still holds), never the next night;
- ANY kind of contact note (call, meeting, home visit, letter, other) counts as follow-up; when the note says the
  parent could not be reached, the next step of the ladder opens (DOMAIN.md: home visit "or no parent reached");
- an overdue alert escalates once: it closes as "escalated" and the next active step of the ladder opens;
- every open alert is on someone's default list: an alert goes to its step's role when someone holding it sees the
  child, else to the school's coordinator, else to the county coordinator (`AlertReach`), when it opens and every
  night while nobody has taken it;
- a step already done by a recorded fact (an open case for "open a case file", a referral to SPAS / DGASPC in the
  open case for the referral step, registered by `cases` in `prezent/risk/alerts/steps.py`) does not open, and its
  open alert closes with the fact as the reason.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prezent.accounts.models import Role, User
from prezent.core.services import audit_record, audit_record_many
from prezent.risk.alerts.rules import StepRule, Verdict, join_causes, step_holds, step_rule_from, step_verdict
from prezent.risk.alerts.selectors import AlertReach, alert_list_visible_to, alert_reach
from prezent.risk.alerts.steps import done_checks
from prezent.risk.indicators import id_list
from prezent.risk.models import Alert, AlertStatus, CloseReason, ContactNote, EscalationStep, Level

DEFAULT_REOPEN_DAYS = 30
IN_CHUNK = 5000
READ_ALL_FROM = 20_000  # children: from here alerts_sync reads the county's alerts without an id list
CASE_FILE_STEP = "case-file"  # the default ladder's "open a case file": done while the child has an open case
HOME_VISIT_STEP = "home-visit"  # the default ladder's home visit: recorded on the alert or on the child's case
REFERRAL_STEP = "referral-spas"  # the default ladder's referral: done by a referral to SPAS / DGASPC in an open case

# DOMAIN.md "An escalation ladder the programme can configure (defaults)".
DEFAULT_LADDER: tuple[dict[str, Any], ...] = (
    {
        "order": 1,
        "code": "teacher-talk",
        "name": "Dirigintele discută cu părintele",
        "conditions": [["streak_days", ">=", 3], ["unexcused_module", ">=", 10]],
        "trigger_level": "",
        "assignee_role": Role.CLASS_TEACHER.value,
        "due_days": 3,
    },
    {
        "order": 2,
        "code": "written-notice",
        "name": "Înștiințare scrisă către părinți",
        "conditions": [["unexcused_year", ">=", 20]],
        "trigger_level": "",
        "assignee_role": Role.CLASS_TEACHER.value,
        "due_days": 5,
    },
    {
        "order": 3,
        "code": "home-visit",
        "name": "Vizită la domiciliu",
        "conditions": [["unexcused_year", ">=", 30]],
        "trigger_level": "",
        "assignee_role": Role.SCHOOL_MEDIATOR.value,
        "due_days": 7,
    },
    {
        "order": 4,
        "code": "case-file",
        "name": "Deschiderea dosarului de caz",
        "conditions": [],
        "trigger_level": Level.HIGH.value,
        "assignee_role": Role.CASE_WORKER.value,
        "due_days": 10,
    },
    {
        "order": 5,
        "code": "referral-spas",
        "name": "Sesizare către SPAS / DGASPC",
        # "10 % of the year's hours unexcused": 72 h is 10 % of a primary year (720 h), and early for gimnaziu
        # (1,000 h). A share of the hours so far would send a pupil with two unexcused days in September to SPAS.
        "conditions": [["unexcused_year", ">=", 72]],
        "trigger_level": "",
        "assignee_role": Role.CASE_WORKER.value,
        "due_days": 10,
    },
)

OPEN_STATUSES = (AlertStatus.OPEN, AlertStatus.IN_PROGRESS)


@dataclass
class AlertSyncReport:
    """What one synchronisation did (counts and ids only)."""

    opened: int = 0
    closed: int = 0
    updated: int = 0
    opened_ids: list[int] = field(default_factory=list)
    closed_ids: list[int] = field(default_factory=list)
    superseded: int = 0  # lower steps closed because a higher step opened
    done: int = 0  # open alerts closed because their step is already done (e.g. the case is open)
    rerouted: int = 0  # open alerts given to another role (nobody of the role they had sees the child)


@dataclass(frozen=True)
class _OpenAlert:
    """An open alert as the nightly sync needs it (read as a tuple: no model instance per alert)."""

    pk: int
    child_id: int
    step_id: int
    order: int
    escalated: bool
    cause: str
    school_id: int
    taken: bool  # someone took it ("Preiau eu"): it stays with them
    assignee_role: str
    step_role: str


_NO_VALUES: dict[str, float | None] = {}


@dataclass(frozen=True)
class _Ladder:
    """A county's active ladder, lowest step first, and what its triggers are judged on tonight: each child's
    indicator values and risk level.

    `holds` asks whether a step triggers without words, for every child and step; `verdict` puts the causes into
    words, asked only for the alerts that open or stay open (docs/architecture.md, decision 9d)."""

    steps: list[EscalationStep]
    rules: dict[int, StepRule]
    indicators: dict[int, dict[str, float | None]]
    levels: dict[int, str]
    labels: dict[str, str]
    language: str | None

    @classmethod
    def compile(
        cls, steps: list[EscalationStep], indicators: dict[int, dict[str, float | None]], levels: dict[int, str]
    ) -> "_Ladder":
        """Each step's conditions are read once, not once per child."""
        rules = {s.pk: step_rule_from(s.conditions, s.trigger_level) for s in steps}
        return cls(steps, rules, indicators, levels, _level_labels(), get_language())

    def holds(self, child_id: int, step_id: int) -> bool | None:
        return step_holds(self.rules[step_id], self.indicators.get(child_id, _NO_VALUES), self.levels.get(child_id))

    def verdict(self, child_id: int, step_id: int) -> Verdict:
        values, level = self.indicators.get(child_id, _NO_VALUES), self.levels.get(child_id)
        return step_verdict(self.rules[step_id], values, level, self.labels, self.language)


@dataclass
class _Review:
    """The open alerts after their causes were checked."""

    gone_ids: list[int]  # to close as "cause gone"
    new_causes: list[tuple[str, int]]  # (cause, alert id): alerts that stay open with a cause in other words
    still_open: dict[int, list[_OpenAlert]]  # by child


@dataclass
class EscalationReport:
    escalated: int = 0
    opened: int = 0
    kept_open: int = 0
    opened_ids: list[int] = field(default_factory=list)


def reopen_days() -> int:
    return int(getattr(settings, "PREZENT_ALERT_REOPEN_DAYS", DEFAULT_REOPEN_DAYS))


def _chunks(ids: Iterable[int], size: int = IN_CHUNK) -> Iterable[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def escalation_ladder_load_defaults(*, county_code: str) -> int:
    """Create DOMAIN.md's default ladder for a county; steps that exist (by code) are left as configured.
    Returns the number of steps created."""
    existing = set(EscalationStep.objects.filter(county_code=county_code).values_list("code", flat=True))
    used_orders = set(EscalationStep.objects.filter(county_code=county_code).values_list("order", flat=True))
    created: list[EscalationStep] = []
    for step in DEFAULT_LADDER:
        if step["code"] in existing:
            continue
        order = step["order"]
        while order in used_orders:
            order += 10
        used_orders.add(order)
        created.append(EscalationStep(county_code=county_code, **{**step, "order": order}))
    EscalationStep.objects.bulk_create(created)
    if created:
        audit_record(
            actor=None,
            action="escalation_ladder.load_defaults",
            target_type="risk.escalationstep",
            target_id=county_code,
            details={"county": county_code, "created": len(created)},
        )
    return len(created)


def _level_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Level.choices}


def _for_children(queryset: QuerySet[Alert], child_ids: set[int]) -> Iterator[QuerySet[Alert]]:
    """The queryset narrowed to the children, in chunks of ids; for a whole county (the nightly run) the queryset
    as it is, read once (the caller keeps the children's rows): an id list of 100,000 costs more than the rows."""
    if len(child_ids) > READ_ALL_FROM:
        yield queryset
        return
    for chunk in _chunks(child_ids):
        yield queryset.filter(child_id__in=id_list(chunk))


@transaction.atomic
def alerts_sync(
    *,
    on: datetime.date,
    indicators: dict[int, dict[str, float | None]],
    levels: dict[int, str],
    school_by_child: dict[int, int],
    county_code: str,
) -> AlertSyncReport:
    """Bring the open alerts of these children in line with the ladder on `on`.

    Closes as "cause gone" the open alerts whose trigger no longer holds; then, per child, opens the highest
    active step whose trigger holds unless that step or a higher one is open or was followed up lately, closing the
    lower open steps as "escalated". An alert that came from an escalation (overdue, or superseding a lower step)
    stays open while any step up to its own still triggers. A few queries per call (for a whole county, each
    table is read once); the causes are put into words only for the alerts that open or stay open.
    """
    if not EscalationStep.objects.filter(county_code=county_code).exists():
        # A county new to Prezent starts on the default ladder, as it starts on the default rules: without it no
        # alert would ever open. A county that switched its steps off keeps them off (they exist, inactive).
        escalation_ladder_load_defaults(county_code=county_code)
    steps = list(EscalationStep.objects.filter(county_code=county_code, is_active=True).order_by("order"))
    child_ids = set(indicators) | set(levels)
    if not steps or not child_ids:
        return AlertSyncReport()
    ladder = _Ladder.compile(steps, indicators, levels)
    open_alerts = _read_open_alerts(county_code=county_code, child_ids=child_ids)
    since = on - datetime.timedelta(days=reopen_days())
    settled = _read_settled_lately(steps=steps, child_ids=child_ids, since=since)

    review = _review_open_alerts(open_alerts, ladder)
    done_by_reason = _settle_done(ladder, child_ids=child_ids, review=review, settled=settled)
    to_open, superseded_ids = _climb_ladder(
        ladder, child_ids=child_ids, review=review, settled=settled, school_by_child=school_by_child, on=on
    )
    superseded = set(superseded_ids)
    kept = [a for alerts in review.still_open.values() for a in alerts if a.pk not in superseded and not a.taken]
    rerouted = _route(to_open, kept)

    _close_alerts(review.gone_ids, reason=CloseReason.CAUSE_GONE, on=on)
    _close_alerts(superseded_ids, reason=CloseReason.ESCALATED, on=on)
    for reason, ids in done_by_reason.items():
        _close_alerts(ids, reason=reason, on=on)
    _update_causes(review.new_causes)
    _update_roles(rerouted)
    created = Alert.objects.bulk_create(to_open, batch_size=1000)
    opened_ids = [a.pk for a in created if a.pk is not None]
    _audit_sync(opened_ids=opened_ids, gone_ids=review.gone_ids, superseded_ids=superseded_ids)
    _audit_done_and_routes(done_by_reason, rerouted)
    done_ids = [pk for ids in done_by_reason.values() for pk in ids]
    return AlertSyncReport(
        opened=len(created),
        closed=len(review.gone_ids) + len(done_ids),
        updated=len(review.new_causes),
        opened_ids=opened_ids,
        closed_ids=review.gone_ids + done_ids,
        superseded=len(superseded_ids),
        done=len(done_ids),
        rerouted=sum(len(ids) for ids in rerouted.values()),
    )


def _settle_done(
    ladder: _Ladder, *, child_ids: set[int], review: _Review, settled: set[tuple[int, int]]
) -> dict[str, list[int]]:
    """The steps a recorded fact already did (`steps.done_checks`): for the children whose trigger holds for such a
    step or who have its alert open, one query per step asks which are done. A done step counts as settled (nothing
    opens on it or below it) and its open alerts leave `review.still_open`; returns their ids by closing reason."""
    checks = done_checks()
    closing: dict[str, list[int]] = {}
    for step in ladder.steps:
        work = checks.get(step.code)
        if work is None or work.done is None:
            continue
        open_on_step = {a.child_id: a for alerts in review.still_open.values() for a in alerts if a.step_id == step.pk}
        candidates = {c for c in child_ids if ladder.holds(c, step.pk)} | set(open_on_step)
        if not candidates:
            continue
        done = work.done(candidates)
        settled.update((child_id, step.pk) for child_id in done)
        for child_id in done & set(open_on_step):
            alert = open_on_step[child_id]
            closing.setdefault(work.done_reason, []).append(alert.pk)
            review.still_open[child_id] = [a for a in review.still_open[child_id] if a.pk != alert.pk]
    return closing


def _route(new_alerts: list[Alert], kept: Iterable[_OpenAlert] = ()) -> dict[str, list[int]]:
    """Give each alert to a role someone holding it can act on (`AlertReach.role_for`): the new alerts in place,
    the open ones nobody has taken by the ids to move, by role. Two queries, and two per few thousand children."""
    kept = list(kept)
    pairs = {(a.child_id, a.school_id) for a in new_alerts} | {(a.child_id, a.school_id) for a in kept}
    if not pairs:
        return {}
    reach: AlertReach = alert_reach(pairs=pairs)
    for alert in new_alerts:
        alert.assignee_role = reach.role_for(
            alert.step.assignee_role, child_id=alert.child_id, school_id=alert.school_id
        )
    moves: dict[str, list[int]] = {}
    for open_alert in kept:
        role = reach.role_for(open_alert.step_role, child_id=open_alert.child_id, school_id=open_alert.school_id)
        if role != open_alert.assignee_role:
            moves.setdefault(role, []).append(open_alert.pk)
    return moves


def _update_roles(moves: dict[str, list[int]]) -> None:
    for role, ids in moves.items():
        for chunk in _chunks(ids):
            Alert.objects.filter(pk__in=id_list(chunk), assigned_to__isnull=True).update(assignee_role=role)


def _audit_done_and_routes(done_by_reason: dict[str, list[int]], moves: dict[str, list[int]]) -> None:
    for reason, ids in done_by_reason.items():
        audit_record_many(
            actor=None, action="alert.close", target_type="risk.alert", target_ids=ids, details={"reason": reason}
        )
    for role, ids in moves.items():
        audit_record_many(
            actor=None, action="alert.route", target_type="risk.alert", target_ids=ids, details={"role": role}
        )


def _read_open_alerts(*, county_code: str, child_ids: set[int]) -> list[_OpenAlert]:
    """The open alerts of these children on the county's ladder, oldest first, each with its step's order. The
    order is read for switched-off steps too: their open alerts stay, and still count as open steps."""
    order_of = dict(EscalationStep.objects.filter(county_code=county_code).values_list("pk", "order"))
    open_in_county = Alert.objects.filter(status__in=OPEN_STATUSES, step__county_code=county_code).order_by("pk")
    open_alerts: list[_OpenAlert] = []
    for queryset in _for_children(open_in_county, child_ids):
        open_alerts += [
            _OpenAlert(
                pk,
                child_id,
                step_id,
                order_of[step_id],
                escalated_from is not None,
                cause,
                school_id,
                assigned_to is not None,
                assignee_role,
                step_role,
            )
            for pk, child_id, step_id, escalated_from, cause, school_id, assigned_to, assignee_role, step_role in (
                queryset.values_list(
                    "pk",
                    "child_id",
                    "step_id",
                    "escalated_from_id",
                    "cause",
                    "school_id",
                    "assigned_to_id",
                    "assignee_role",
                    "step__assignee_role",
                )
            )
            if child_id in child_ids
        ]
    return open_alerts


def _read_settled_lately(
    *, steps: list[EscalationStep], child_ids: set[int], since: datetime.date
) -> set[tuple[int, int]]:
    """The (child, step) pairs whose alert closed on or after `since` for any reason but "cause gone".

    A follow-up, an escalation or a dismissal settles the step for `PREZENT_ALERT_REOPEN_DAYS` days: it does not
    reopen the next night although its trigger still holds. A cause that went away (the absences were excused)
    and came back opens at once."""
    settled_lately = Alert.objects.filter(status=AlertStatus.CLOSED, step__in=steps, closed_on__gte=since).exclude(
        close_reason=CloseReason.CAUSE_GONE
    )
    settled: set[tuple[int, int]] = set()
    for queryset in _for_children(settled_lately, child_ids):
        settled.update(
            (child_id, step_id)
            for child_id, step_id in queryset.values_list("child_id", "step_id")
            if child_id in child_ids
        )
    return settled


def _review_open_alerts(open_alerts: list[_OpenAlert], ladder: _Ladder) -> _Review:
    """Which open alerts lost their cause, and the causes, in words, of those that keep it.

    - an alert on a step that was switched off keeps its task as it is;
    - an alert that came from an escalation (overdue, superseding a lower step, parent not reached) may stand
      above what triggers today: it closes only when no step up to its own triggers any more;
    - any other alert closes when its own trigger no longer holds; while it holds, its cause is written again in
      today's words (more hours, another level) if these changed.
    An indicator that cannot be computed yet neither opens nor closes an alert."""
    gone_ids: list[int] = []
    new_causes: list[tuple[str, int]] = []
    still_open: dict[int, list[_OpenAlert]] = {}
    for alert in open_alerts:
        gone = False
        if alert.step_id in ladder.rules:
            if alert.escalated:
                up_to_own = [ladder.holds(alert.child_id, s.pk) for s in ladder.steps if s.order <= alert.order]
                gone = bool(up_to_own) and all(h is False for h in up_to_own)
            else:
                own = ladder.verdict(alert.child_id, alert.step_id)
                gone = own.holds is False
                if own.holds and own.causes:
                    cause = join_causes(own.causes)
                    if cause != alert.cause:
                        new_causes.append((cause, alert.pk))
        if gone:
            gone_ids.append(alert.pk)
        else:
            still_open.setdefault(alert.child_id, []).append(alert)
    return _Review(gone_ids, new_causes, still_open)


def _climb_ladder(
    ladder: _Ladder,
    *,
    child_ids: set[int],
    review: _Review,
    settled: set[tuple[int, int]],
    school_by_child: dict[int, int],
    on: datetime.date,
) -> tuple[list[Alert], list[int]]:
    """The alerts to open, and the ids of the lower open alerts they supersede (to close as "escalated").

    A ladder, not a pile: a child has one open step at a time, the highest whose trigger holds. It opens unless
    that step or a higher one is still open, or that step was settled lately; then nothing opens below it. The
    lower open steps it supersedes close, and the new alert points to the highest of them. A teacher is not asked
    to phone the parents of a child the mediator must visit. A child without a school gets no alert."""
    to_open: list[Alert] = []
    superseded_ids: list[int] = []
    ladder_down = [(step, ladder.rules[step.pk]) for step in reversed(ladder.steps)]
    indicators, levels = ladder.indicators, ladder.levels
    for child_id in sorted(child_ids):
        school_id = school_by_child.get(child_id)
        if school_id is None:
            continue
        values, level = indicators.get(child_id, _NO_VALUES), levels.get(child_id)
        top = next((step for step, rule in ladder_down if step_holds(rule, values, level)), None)
        if top is None:
            continue
        current = review.still_open.get(child_id, [])
        if any(a.order >= top.order for a in current) or (child_id, top.pk) in settled:
            continue
        below = sorted((a for a in current if a.order < top.order), key=lambda a: a.order)
        superseded_ids += [a.pk for a in below]
        to_open.append(
            Alert(
                child_id=child_id,
                school_id=school_id,
                step=top,
                cause=join_causes(ladder.verdict(child_id, top.pk).causes),
                status=AlertStatus.OPEN,
                opened_on=on,
                due_on=on + datetime.timedelta(days=top.due_days),
                assignee_role=top.assignee_role,
                escalated_from_id=below[-1].pk if below else None,
            )
        )
    return to_open, superseded_ids


def _close_alerts(ids: list[int], *, reason: str, on: datetime.date) -> None:
    """Close these alerts on `on` for this reason, one UPDATE per few thousand ids."""
    for chunk in _chunks(ids):
        Alert.objects.filter(pk__in=id_list(chunk)).update(status=AlertStatus.CLOSED, close_reason=reason, closed_on=on)


def _update_causes(changes: list[tuple[str, int]]) -> None:
    """Write the new causes of open alerts, (cause, alert id) pairs, as one prepared UPDATE run many times
    (bulk_update builds a CASE over every id: slow for the thousands of causes that change in a night)."""
    if not changes:
        return
    quote = connection.ops.quote_name
    table, cause, pk = quote(Alert._meta.db_table), quote("cause"), quote(Alert._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {cause} = %s WHERE {pk} = %s", changes)  # noqa: S608


def _audit_sync(*, opened_ids: list[int], gone_ids: list[int], superseded_ids: list[int]) -> None:
    """One audit event per alert the sync opened or closed, the closed ones with their reason (the cause gone, or
    superseded by a higher step)."""
    for ids, action, details in (
        (opened_ids, "alert.open", None),
        (gone_ids, "alert.close", {"reason": CloseReason.CAUSE_GONE.value}),
        (superseded_ids, "alert.close", {"reason": CloseReason.ESCALATED.value}),
    ):
        if ids:
            audit_record_many(actor=None, action=action, target_type="risk.alert", target_ids=ids, details=details)


def _lock_open(alert: Alert) -> Alert:
    """Re-read the alert under a row lock; refuse if it is already closed."""
    locked = Alert.objects.select_for_update().select_related("step").get(pk=alert.pk)
    if locked.status == AlertStatus.CLOSED:
        raise ValidationError(_("Alerta este deja închisă."), code="closed")
    return locked


@transaction.atomic
def alert_follow_up(
    *,
    alert: Alert,
    kind: str,
    date: datetime.date,
    outcome: str,
    parent_reached: bool,
    actor: User,
) -> ContactNote:
    """Record a contact (any kind: call, meeting, home visit, letter, other) and close the alert as followed up.

    Refused, with nothing changed, when the date is in the future, the outcome is empty or the alert is closed.
    """
    errors: dict[str, str] = {}
    if kind not in ContactNote.Kind.values:
        errors["kind"] = _("Alegeți tipul contactului.")
    if date > timezone.localdate():
        errors["date"] = _("Data contactului nu poate fi în viitor.")
    if not (outcome or "").strip():
        errors["outcome"] = _("Scrieți pe scurt rezultatul contactului.")
    if errors:
        raise ValidationError(errors)
    locked = _lock_open(alert)
    note = ContactNote.objects.create(
        child_id=locked.child_id,
        alert=locked,
        kind=kind,
        date=date,
        outcome=outcome.strip(),
        parent_reached=parent_reached,
        author=actor,
    )
    locked.status = AlertStatus.CLOSED
    locked.close_reason = CloseReason.FOLLOWED_UP
    locked.closed_on = max(date, locked.opened_on)
    if locked.assigned_to_id is None:
        locked.assigned_to = actor
    locked.save(update_fields=["status", "close_reason", "closed_on", "assigned_to"])
    alert.status, alert.close_reason, alert.closed_on = locked.status, locked.close_reason, locked.closed_on
    alert.assigned_to_id = locked.assigned_to_id
    next_alert = None if parent_reached else _open_next_step(alert=locked, on=max(date, locked.opened_on))
    audit_record(
        actor=actor,
        action="alert.follow_up",
        target=locked,
        details={
            "contact_note": note.pk,
            "kind": kind,
            "parent_reached": parent_reached,
            "next_alert": next_alert.pk if next_alert else None,
        },
    )
    return note


def _open_next_step(*, alert: Alert, on: datetime.date) -> Alert | None:
    """The parent could not be reached: the next active step of the ladder opens for the child (DOMAIN.md: "home
    visit … or no parent reached"), unless it is already open."""
    following = _next_steps(EscalationStep.objects.filter(county_code=alert.step.county_code)).get(alert.step_id)
    if following is None:
        return None
    if Alert.objects.filter(child_id=alert.child_id, step=following, status__in=OPEN_STATUSES).exists():
        return None
    created = Alert(
        child_id=alert.child_id,
        school_id=alert.school_id,
        step=following,
        cause=join_causes([_("Părintele nu a putut fi contactat (pasul „%(step)s”)") % {"step": alert.step.name}]),
        status=AlertStatus.OPEN,
        opened_on=on,
        due_on=on + datetime.timedelta(days=following.due_days),
        assignee_role=following.assignee_role,
        escalated_from=alert,
    )
    if _without_done([created]) == []:
        return None
    _route([created])
    created.save()
    audit_record(actor=None, action="alert.open", target=created, details={"escalated_from": alert.pk})
    return created


@transaction.atomic
def alert_assign(*, alert: Alert, user: User, actor: User) -> Alert:
    """Give an open alert to a person who may see it; it becomes "in progress"."""
    if not alert_list_visible_to(user=user).filter(pk=alert.pk).exists():
        raise ValidationError(_("Această persoană nu poate vedea alerta."), code="out_of_scope")
    locked = _lock_open(alert)
    locked.assigned_to = user
    locked.status = AlertStatus.IN_PROGRESS
    locked.save(update_fields=["assigned_to", "status"])
    alert.assigned_to, alert.status = user, locked.status
    audit_record(actor=actor, action="alert.assign", target=locked, details={"assigned_to": user.pk})
    return locked


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: User) -> Alert:
    """A coordinator closes an alert that needs no follow-up (for instance a wrong register entry)."""
    locked = _lock_open(alert)
    locked.status = AlertStatus.CLOSED
    locked.close_reason = CloseReason.DISMISSED
    locked.closed_on = timezone.localdate()
    locked.save(update_fields=["status", "close_reason", "closed_on"])
    alert.status, alert.close_reason, alert.closed_on = locked.status, locked.close_reason, locked.closed_on
    audit_record(actor=actor, action="alert.dismiss", target=locked)
    return locked


def _next_steps(steps: Iterable[EscalationStep]) -> dict[int, EscalationStep]:
    """For every step, the next active step of the same county's ladder."""
    by_county: dict[str, list[EscalationStep]] = {}
    for step in steps:
        by_county.setdefault(step.county_code, []).append(step)
    following: dict[int, EscalationStep] = {}
    for ladder in by_county.values():
        ladder.sort(key=lambda s: s.order)
        active = [s for s in ladder if s.is_active]
        for step in ladder:
            later = [s for s in active if s.order > step.order]
            if later:
                following[step.pk] = later[0]
    return following


@transaction.atomic
def alerts_escalate_overdue(*, on: datetime.date, actor: User | None = None) -> EscalationReport:
    """Escalate once every open alert whose due date has passed: it closes as "escalated" and the next active step
    opens for the same child (unless that step already has an open alert). An overdue alert on the last step stays
    open (there is nowhere to escalate to) and keeps showing as overdue."""
    report = EscalationReport()
    overdue = list(
        Alert.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, due_on__lt=on)
        .select_related("step")
        .order_by("pk")
    )
    if not overdue:
        return report
    counties = {a.step.county_code for a in overdue}
    following = _next_steps(EscalationStep.objects.filter(county_code__in=counties))
    targets = {a.pk: following.get(a.step_id) for a in overdue}
    busy = _open_pairs(
        child_ids={a.child_id for a in overdue}, step_ids={s.pk for s in targets.values() if s is not None}
    )

    to_close: list[Alert] = []
    to_open: list[Alert] = []
    for alert in overdue:
        target = targets[alert.pk]
        if target is None:
            report.kept_open += 1
            continue
        alert.status = AlertStatus.CLOSED
        alert.close_reason = CloseReason.ESCALATED
        alert.closed_on = on
        to_close.append(alert)
        key = (alert.child_id, target.pk)
        if key in busy:
            continue  # the next step is already on someone's list (if it is overdue too, it escalates itself)
        busy.add(key)
        to_open.append(
            Alert(
                child_id=alert.child_id,
                school_id=alert.school_id,
                step=target,
                cause=join_causes([_("Termen depășit la pasul „%(step)s”") % {"step": alert.step.name}, alert.cause]),
                status=AlertStatus.OPEN,
                opened_on=on,
                due_on=on + datetime.timedelta(days=target.due_days),
                assignee_role=target.assignee_role,
                escalated_from=alert,
            )
        )
    Alert.objects.bulk_update(to_close, ["status", "close_reason", "closed_on"], batch_size=1000)
    to_open = _without_done(to_open)
    _route(to_open)
    created = Alert.objects.bulk_create(to_open, batch_size=1000)
    report.escalated = len(to_close)
    report.opened = len(created)
    report.opened_ids = [a.pk for a in created if a.pk is not None]
    _audit_escalation(escalated_ids=[a.pk for a in to_close], opened_ids=report.opened_ids, on=on, actor=actor)
    return report


def _without_done(alerts: list[Alert]) -> list[Alert]:
    """These new alerts but those whose step a recorded fact already did (one query per such step)."""
    checks = done_checks()
    done: set[tuple[int, str]] = set()
    for code, work in checks.items():
        children = {a.child_id for a in alerts if a.step.code == code}
        if children and work.done is not None:
            done.update((child_id, code) for child_id in work.done(children))
    return [a for a in alerts if (a.child_id, a.step.code) not in done]


@transaction.atomic
def alerts_close_done(*, child_id: int, code: str, reason: str, on: datetime.date, actor: User | None) -> list[int]:
    """The step with this code was just done for the child (for instance its case was opened, by `cases`): its open
    alerts close with `reason`. Returns their ids."""
    if reason not in CloseReason.values:
        raise ValueError(reason)
    ids = list(
        Alert.objects.filter(child_id=child_id, step__code=code, status__in=OPEN_STATUSES).values_list("pk", flat=True)
    )
    if ids:
        Alert.objects.filter(pk__in=ids).update(status=AlertStatus.CLOSED, close_reason=reason, closed_on=on)
        audit_record_many(
            actor=actor, action="alert.close", target_type="risk.alert", target_ids=ids, details={"reason": reason}
        )
    return ids


@transaction.atomic
def alerts_settle_done(*, on: datetime.date, county_code: str) -> dict[str, list[int]]:
    """Close every open alert of the county whose step a recorded fact already did (`steps.done_checks`), as the
    nightly run does for the children it scores: for work recorded after the last run all at once (the demo's
    casework, written after its scores). One query per registered step for the alerts, one for the facts; audited
    like the nightly closing. Returns the closed ids by reason."""
    closing: dict[str, list[int]] = {}
    for code, work in done_checks().items():
        if work.done is None:
            continue
        open_alerts = dict(
            Alert.objects.filter(step__county_code=county_code, step__code=code, status__in=OPEN_STATUSES).values_list(
                "pk", "child_id"
            )
        )
        if not open_alerts:
            continue
        done = work.done(set(open_alerts.values()))
        ids = [pk for pk, child_id in open_alerts.items() if child_id in done]
        if ids:
            _close_alerts(ids, reason=work.done_reason, on=on)
            closing.setdefault(work.done_reason, []).extend(ids)
    _audit_done_and_routes(closing, {})
    return closing


def _open_pairs(*, child_ids: set[int], step_ids: set[int]) -> set[tuple[int, int]]:
    """The (child, step) pairs among these that have an open alert: that step is already on someone's list, so an
    escalation does not open it a second time."""
    busy: set[tuple[int, int]] = set()
    for chunk in _chunks(child_ids):
        busy.update(
            Alert.objects.filter(child_id__in=chunk, step_id__in=step_ids, status__in=OPEN_STATUSES).values_list(
                "child_id", "step_id"
            )
        )
    return busy


def _audit_escalation(
    *, escalated_ids: list[int], opened_ids: list[int], on: datetime.date, actor: User | None
) -> None:
    """One audit event per overdue alert escalated (with the day) and per alert the escalations opened."""
    if escalated_ids:
        audit_record_many(
            actor=actor,
            action="alert.escalate",
            target_type="risk.alert",
            target_ids=escalated_ids,
            details={"on": on.isoformat()},
        )
    if opened_ids:
        audit_record_many(
            actor=actor,
            action="alert.open",
            target_type="risk.alert",
            target_ids=opened_ids,
            details={"escalated": True},
        )
