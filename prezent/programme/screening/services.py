"""Screening into the programme: score every enrolled child of chosen schools, propose those at or above the
threshold for the target group, and record the coordinator's decision on each proposal.

A run reads and writes in chunks (a few queries per chunk, whatever the number of children): the scores come
from the county's rule set through `risk_scores_compute` (no writes), the results are bulk-inserted, and the
children newly proposed move to "proposed" in bulk, following the same transition table and leaving the same
steps and audit events as `membership_move`. A screening never demotes: included children stay included.
"""

import datetime
import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Greatest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Enrolment
from prezent.core.services import audit_record, audit_record_many
from prezent.programme.models import (
    MEMBERSHIP_TRANSITIONS,
    MembershipStatus,
    MembershipStep,
    Programme,
    Screening,
    ScreeningDecision,
    ScreeningLevel,
    ScreeningResult,
    ScreeningStatus,
    TargetGroupMembership,
)
from prezent.programme.screening.logic import outcome_for, screening_diff
from prezent.programme.screening.selectors import screening_marks
from prezent.programme.services import membership_move
from prezent.risk.models import Level
from prezent.risk.scoring import Reason, ScoreResult
from prezent.risk.selectors import rule_set_current
from prezent.risk.services import risk_defaults_load, risk_scores_compute
from prezent.schools.models import School

logger = logging.getLogger(__name__)

CHUNK = 1000
REASON_MAX = 300


def _enrolled_on(school_ids: Iterable[int], on: datetime.date) -> dict[int, tuple[int, int]]:
    """Every child enrolled on `on` in one of the schools → (school id, class id); the latest enrolment wins."""
    rows = (
        Enrolment.objects.filter(class_group__school_id__in=list(school_ids), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("child_id", "start", "pk")
        .values_list("child_id", "class_group__school_id", "class_group_id")
    )
    return {child_id: (school_id, class_id) for child_id, school_id, class_id in rows}


def _reason_dict(reason: Reason) -> dict[str, Any]:
    """`Reason.as_dict` without `dataclasses.asdict`'s deep copy (it was a fifth of a county run's time)."""
    return {
        "indicator": reason.indicator,
        "value": reason.value,
        "operator": reason.operator,
        "threshold": reason.threshold,
        "points": reason.points,
        "text": reason.text,
    }


def _proposal_reason(run_on: datetime.date, score: ScoreResult) -> str:
    """The reason of the "proposed" step: the screening's date, level and points, then the reasons in words."""
    head = _("Evaluarea din %(date)s: %(level)s, %(points)s puncte") % {
        "date": formats.date_format(run_on, "j.m.Y"),
        "level": Level(score.level).label,
        "points": score.points,
    }
    text = "; ".join([head, *(r.text for r in score.reasons)])
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


def _memberships_propose(
    *,
    programme: Programme,
    screening: Screening,
    new_child_ids: Sequence[int],
    screened: Sequence[tuple[int, datetime.date]],
    reasons: dict[int, str],
    child_by_membership: dict[int, int],
    on: datetime.date,
    actor: User | None,
) -> int:
    """Move children to "proposed" in bulk: new memberships for children not in the target group, and the
    "screened" ones moved on (the transition table allows screened → proposed). Steps and audit events as
    `membership_move` leaves them; a few queries whatever the number of children."""
    assert MembershipStatus.PROPOSED in MEMBERSHIP_TRANSITIONS[MembershipStatus.SCREENED]
    created = TargetGroupMembership.objects.bulk_create(
        [
            TargetGroupMembership(programme=programme, child_id=child_id, status=MembershipStatus.PROPOSED, since=on)
            for child_id in new_child_ids
        ]
    )
    if screened:
        TargetGroupMembership.objects.filter(
            pk__in=[pk for pk, _since in screened], status=MembershipStatus.SCREENED
        ).update(status=MembershipStatus.PROPOSED, since=Greatest("since", Value(on, output_field=DateField())))
    steps = [
        MembershipStep(
            membership_id=m.pk,
            from_status="",
            to_status=MembershipStatus.PROPOSED,
            date=on,
            reason=reasons[m.child_id],
            actor=actor,
        )
        for m in created
    ] + [
        MembershipStep(
            membership_id=pk,
            from_status=MembershipStatus.SCREENED,
            to_status=MembershipStatus.PROPOSED,
            date=max(on, since),
            reason=reasons[child_by_membership[pk]],
            actor=actor,
        )
        for pk, since in screened
    ]
    MembershipStep.objects.bulk_create(steps)
    details: dict[str, Any] = {"to": MembershipStatus.PROPOSED, "screening": screening.pk}
    audit_record_many(
        actor=actor,
        action="target_group.move",
        target_type=TargetGroupMembership._meta.label_lower,
        target_ids=[m.pk for m in created],
        details={**details, "from": ""},
    )
    audit_record_many(
        actor=actor,
        action="target_group.move",
        target_type=TargetGroupMembership._meta.label_lower,
        target_ids=[pk for pk, _since in screened],
        details={**details, "from": MembershipStatus.SCREENED},
    )
    return len(created) + len(screened)


# A screening still "running" after this long was interrupted (a worker stopped): it no longer blocks a new one.
STALE_AFTER = datetime.timedelta(hours=1)


def _screening_create(
    *,
    programme: Programme,
    schools: Iterable[School],
    on: datetime.date,
    actor: User | None,
    threshold_level: str,
    delegate_to_schools: bool,
) -> Screening:
    """Check the request and record the screening as running, with the county's rule set in force."""
    if threshold_level not in ScreeningLevel.values:
        raise ValidationError({"threshold_level": _("Alegeți un nivel de risc.")})
    school_ids = sorted({school.pk for school in schools})
    if not school_ids:
        raise ValidationError({"schools": _("Alegeți cel puțin o școală.")})
    in_programme = set(programme.schools.filter(pk__in=school_ids).values_list("pk", flat=True))
    if in_programme != set(school_ids):
        raise ValidationError({"schools": _("Se pot evalua doar școlile programului.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("Evaluarea nu poate fi făcută pentru o dată viitoare.")})
    if programme.screenings.filter(
        status=ScreeningStatus.RUNNING, created_at__gte=timezone.now() - STALE_AFTER
    ).exists():
        raise ValidationError(_("O evaluare a programului rulează deja; așteptați să se termine."))
    rule_set = rule_set_current(county_code=programme.county_code) or risk_defaults_load(
        county_code=programme.county_code
    )
    screening = Screening.objects.create(
        programme=programme,
        run_on=on,
        rule_set=rule_set,
        threshold_level=threshold_level,
        delegate_to_schools=delegate_to_schools,
        status=ScreeningStatus.RUNNING,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    screening.schools.set(school_ids)
    return screening


def _chunk_fill(
    *,
    screening: Screening,
    chunk: list[int],
    enrolled: dict[int, tuple[int, int]],
    actor: User | None,
    counts: Counter[str],
) -> None:
    """Score one chunk of children, keep their results and move the newly proposed: a few queries."""
    programme = screening.programme
    scores = risk_scores_compute(child_ids=chunk, on=screening.run_on, rule_set=screening.rule_set)
    memberships = {
        child_id: (pk, status, since)
        for pk, child_id, status, since in TargetGroupMembership.objects.filter(
            programme=programme, child_id__in=chunk
        ).values_list("pk", "child_id", "status", "since")
    }
    results: list[ScreeningResult] = []
    new_child_ids: list[int] = []
    screened: list[tuple[int, datetime.date]] = []
    child_by_membership: dict[int, int] = {}
    reasons: dict[int, str] = {}
    chunk_counts: Counter[str] = Counter()
    for child_id in chunk:
        score = scores.get(child_id)
        if score is None:
            chunk_counts["not_scored"] += 1
            continue
        membership_pk, status, since = memberships.get(child_id, (None, "", None))
        outcome = outcome_for(level=score.level, threshold=screening.threshold_level, membership_status=status)
        school_id, class_id = enrolled[child_id]
        results.append(
            ScreeningResult(
                screening=screening,
                child_id=child_id,
                school_id=school_id,
                class_group_id=class_id,
                points=score.points,
                level=score.level,
                reasons=[_reason_dict(reason) for reason in score.reasons],
                status_before=status,
                decision=outcome.decision,
            )
        )
        chunk_counts["scored"] += 1
        chunk_counts[outcome.decision] += 1
        if outcome.move_to_proposed:
            reasons[child_id] = _proposal_reason(screening.run_on, score)
            if membership_pk is None or since is None:
                new_child_ids.append(child_id)
            else:
                screened.append((membership_pk, since))
                child_by_membership[membership_pk] = child_id
    ScreeningResult.objects.bulk_create(results)
    chunk_counts["moved"] += _memberships_propose(
        programme=programme,
        screening=screening,
        new_child_ids=new_child_ids,
        screened=screened,
        reasons=reasons,
        child_by_membership=child_by_membership,
        on=timezone.localdate(),
        actor=actor,
    )
    # The counts move with every chunk, so the screening's page can show how far a long run has come.
    Screening.objects.filter(pk=screening.pk).update(
        children_scored=F("children_scored") + chunk_counts["scored"],
        children_proposed=F("children_proposed") + chunk_counts[ScreeningDecision.PROPOSED],
        children_in_group=F("children_in_group") + chunk_counts[ScreeningDecision.IN_GROUP],
        children_flagged=F("children_flagged")
        + chunk_counts[ScreeningDecision.PROPOSED]
        + chunk_counts[ScreeningDecision.IN_GROUP],
    )
    counts.update(chunk_counts)


def _screening_fill(*, screening: Screening, actor: User | None) -> Screening:
    """Score every child enrolled on the screening's date in its schools, chunk by chunk. Each chunk is its own
    transaction when called outside one (the background task), so its progress is visible while it runs."""
    started = time.monotonic()
    school_ids = list(screening.schools.values_list("pk", flat=True))
    enrolled = _enrolled_on(school_ids, screening.run_on)
    child_ids = sorted(enrolled)
    Screening.objects.filter(pk=screening.pk).update(children_total=len(child_ids))
    counts: Counter[str] = Counter()
    for start in range(0, len(child_ids), CHUNK):
        with transaction.atomic():
            _chunk_fill(
                screening=screening,
                chunk=child_ids[start : start + CHUNK],
                enrolled=enrolled,
                actor=actor,
                counts=counts,
            )
    with transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(
            status=ScreeningStatus.DONE, duration_ms=round((time.monotonic() - started) * 1000)
        )
        screening.refresh_from_db()
        audit_record(
            actor=actor,
            action="screening.run",
            target=screening,
            details={
                "programme": screening.programme_id,
                "schools": len(school_ids),
                "rule_set": screening.rule_set_id,
                "rule_set_version": screening.rule_set.version,
                "threshold": screening.threshold_level,
                "on": screening.run_on.isoformat(),
                "scored": counts["scored"],
                "not_scored": counts["not_scored"],
                "proposed": counts[ScreeningDecision.PROPOSED],
                "moved_to_proposed": counts["moved"],
                "in_group": counts[ScreeningDecision.IN_GROUP],
            },
        )
    return screening


@transaction.atomic
def screening_run(
    *,
    programme: Programme,
    schools: Iterable[School],
    on: datetime.date,
    actor: User | None,
    threshold_level: str = ScreeningLevel.MEDIUM,
    delegate_to_schools: bool = True,
) -> Screening:
    """Score every child enrolled on `on` in `schools` under the county's current rule set and keep the result;
    propose for the target group those at or above `threshold_level` who are not in it yet (or only screened).
    All in one transaction; the pages start it in the background instead (`screening_start`).

    Children already proposed stay proposed, included ones stay included (never demoted), and children who left
    the programme are proposed in the screening only (confirming re-includes them)."""
    screening = _screening_create(
        programme=programme,
        schools=schools,
        on=on,
        actor=actor,
        threshold_level=threshold_level,
        delegate_to_schools=delegate_to_schools,
    )
    return _screening_fill(screening=screening, actor=actor)


@transaction.atomic
def screening_start(
    *,
    programme: Programme,
    schools: Iterable[School],
    on: datetime.date,
    actor: User,
    threshold_level: str = ScreeningLevel.MEDIUM,
    delegate_to_schools: bool = True,
) -> Screening:
    """Record the screening as running, to be filled by `screening_execute`: the page hands it to a background task
    (Celery) once committed, since a county's screening takes longer than a web request should."""
    screening = _screening_create(
        programme=programme,
        schools=schools,
        on=on,
        actor=actor,
        threshold_level=threshold_level,
        delegate_to_schools=delegate_to_schools,
    )
    audit_record(actor=actor, action="screening.start", target=screening, details={"programme": programme.pk})
    return screening


def screening_execute(*, screening: Screening, actor: User | None) -> Screening:
    """Run a screening recorded by `screening_start` (the background task). On an error the screening is marked
    failed, keeping the chunks already done (their proposals are valid), and the error is logged."""
    if screening.status != ScreeningStatus.RUNNING:
        return screening
    try:
        return _screening_fill(screening=screening, actor=actor)
    except Exception:
        logger.exception("screening %s failed", screening.pk)
        Screening.objects.filter(pk=screening.pk).update(status=ScreeningStatus.FAILED)
        audit_record(actor=actor, action="screening.failed", target=screening, details={})
        screening.refresh_from_db()
        return screening


DECISION_TARGETS = {
    ScreeningDecision.CONFIRMED: MembershipStatus.INCLUDED,
    ScreeningDecision.DISMISSED: MembershipStatus.SCREENED,
}


@transaction.atomic
def screening_decide(*, result: ScreeningResult, decision: str, reason: str, actor: User) -> ScreeningResult:
    """Confirm (the child is included in the target group) or dismiss (back to "screened") a proposal, with a
    reason. The membership moves through `membership_move`, so the transition table and its step apply."""
    if decision not in DECISION_TARGETS:
        raise ValidationError({"decision": _("Alegeți: confirmă sau respinge.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Scrieți motivul.")})
    result = (
        ScreeningResult.objects.select_for_update().select_related("screening__programme", "child").get(pk=result.pk)
    )
    if result.decision != ScreeningDecision.PROPOSED:
        raise ValidationError(_("Propunerea a fost deja decisă."))
    programme = result.screening.programme
    membership = TargetGroupMembership.objects.filter(programme=programme, child=result.child).first()
    status = membership.status if membership else ""
    target = DECISION_TARGETS[ScreeningDecision(decision)]
    today = timezone.localdate()
    move = status != target
    if decision == ScreeningDecision.DISMISSED:
        if status == MembershipStatus.INCLUDED:
            raise ValidationError(
                _("Copilul este deja inclus în grupul țintă; ieșirea din program se face din pagina programului.")
            )
        # Only a pending proposal goes back to "screened"; a child who left the programme stays out.
        move = status == MembershipStatus.PROPOSED
    if move:
        membership_move(
            programme=programme,
            child=result.child,
            to_status=target,
            on=max(today, membership.since) if membership else today,
            reason=reason,
            actor=actor,
        )
    result.decision = decision
    result.decided_by = actor
    result.decided_on = today
    result.decision_reason = reason[:REASON_MAX]
    result.save(update_fields=["decision", "decided_by", "decided_on", "decision_reason"])
    audit_record(
        actor=actor,
        action="screening.decide",
        target=result,
        details={"screening": result.screening_id, "child": result.child_id, "decision": decision, "moved": move},
    )
    return result


def screening_compare(*, earlier: Screening, later: Screening, user: User | None = None) -> dict[str, Any]:
    """What changed between two screenings: children newly proposed (at or above the threshold now, not before),
    no longer proposed, and whose level changed (up or down), with counts. Two queries. With `user`, only the
    results that user may read."""
    diff = screening_diff(
        earlier=screening_marks(screening=earlier, user=user), later=screening_marks(screening=later, user=user)
    )
    return {
        "counts": diff.counts(),
        "newly_proposed": diff.newly_proposed,
        "no_longer_proposed": diff.no_longer_proposed,
        "level_changed": diff.level_changed,
        "level_up": diff.level_up,
        "level_down": diff.level_down,
        "only_earlier": diff.only_earlier,
        "only_later": diff.only_later,
    }
