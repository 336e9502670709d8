"""Reads of screenings, always scoped to the user, and the rule "class teachers see only confirmed flags"."""

from collections.abc import Sequence
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.children.models import Child
from prezent.children.selectors import child_list_visible_to
from prezent.programme.models import (
    MembershipStatus,
    Programme,
    Screening,
    ScreeningDecision,
    ScreeningResult,
    TargetGroupMembership,
)
from prezent.programme.screening.logic import Mark
from prezent.programme.screening.permissions import (
    RISK_READER_ROLES,
    RUN_ROLES,
    can_view_screenings,
    readable_school_q,
)
from prezent.risk.models import Level, RiskScore
from prezent.risk.selectors import risk_score_current_for, risk_score_unknown, unknown_texts
from prezent.schools.models import School

FLAGGED_DECISIONS = (
    ScreeningDecision.PROPOSED,
    ScreeningDecision.CONFIRMED,
    ScreeningDecision.DISMISSED,
    ScreeningDecision.IN_GROUP,
)


def screening_programmes_runnable_by(*, user: User) -> QuerySet[Programme]:
    """Programmes whose schools the user may screen: those of the counties where they are county coordinator."""
    return Programme.objects.filter(county_code__in=scope_for(user).counties(*RUN_ROLES)).order_by("-start", "pk")


def screening_school_choices(*, user: User, programme: Programme) -> QuerySet[School]:
    """The programme's schools the user may include in a screening they run."""
    counties = scope_for(user).counties(*RUN_ROLES)
    return programme.schools.filter(county_code__in=counties).order_by("name", "pk")


def _readable_schools(user: User) -> QuerySet[School]:
    return School.objects.filter(readable_school_q(user))


def screening_list_visible_to(*, user: User) -> QuerySet[Screening]:
    """Screenings that hold at least one school whose results the user may read."""
    if not can_view_screenings(user=user):
        return Screening.objects.none()
    through = Screening.schools.through.objects.filter(
        screening_id=OuterRef("pk"), school_id__in=_readable_schools(user).values("pk")
    )
    return Screening.objects.filter(Exists(through)).select_related("programme", "rule_set", "created_by")


def screening_get_for_user_or_404(*, user: User, pk: int) -> Screening:
    return get_object_or_404(screening_list_visible_to(user=user), pk=pk)


def screening_results_visible_to(
    *, user: User, screening: Screening, school_id: int | None = None, decisions: Sequence[str] = ()
) -> QuerySet[ScreeningResult]:
    """The screening's results the user may read: their schools' results, for children they may open; grouped
    by school, highest points first."""
    results = screening.results.filter(
        school__in=_readable_schools(user).values("pk"),
        child__in=child_list_visible_to(user=user).values("pk"),
    )
    if school_id:
        results = results.filter(school_id=school_id)
    if decisions:
        results = results.filter(decision__in=list(decisions))
    return results.select_related("child", "school", "class_group").order_by(
        "school__name", "school_id", "-points", "child__last_name", "child__first_name", "pk"
    )


def screening_result_get_for_user_or_404(*, user: User, pk: int) -> ScreeningResult:
    results = ScreeningResult.objects.filter(
        screening__in=screening_list_visible_to(user=user).values("pk"),
        school__in=_readable_schools(user).values("pk"),
        child__in=child_list_visible_to(user=user).values("pk"),
    ).select_related("screening", "screening__programme", "child", "school", "class_group")
    return get_object_or_404(results, pk=pk)


def screening_decision_counts(*, user: User, screening: Screening, school_id: int | None = None) -> dict[str, int]:
    """Results per decision among those the user may read (one query)."""
    rows = (
        screening_results_visible_to(user=user, screening=screening, school_id=school_id)
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ScreeningDecision.values, 0)
    counts.update({row["decision"]: row["n"] for row in rows})
    return counts


def screening_counts_by_screening(*, user: User, screening_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per screening, results per decision in the user's schools, with "scored" (all) and "proposals" (proposed,
    then confirmed or dismissed): one query for a whole page of screenings."""
    rows = (
        ScreeningResult.objects.filter(
            screening_id__in=list(screening_ids),
            school__in=_readable_schools(user).values("pk"),
        )
        .values("screening_id", "decision")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(ScreeningDecision.values, 0) for pk in screening_ids}
    for row in rows:
        counts[row["screening_id"]][row["decision"]] = row["n"]
    for by_decision in counts.values():
        by_decision["scored"] = sum(by_decision[d] for d in ScreeningDecision.values)
        by_decision["proposals"] = sum(
            by_decision[d]
            for d in (ScreeningDecision.PROPOSED, ScreeningDecision.CONFIRMED, ScreeningDecision.DISMISSED)
        )
    return counts


def screening_schools_readable(*, user: User, screening: Screening) -> QuerySet[School]:
    return screening.schools.filter(readable_school_q(user)).order_by("name", "pk")


def screening_marks(*, screening: Screening, user: User | None = None) -> dict[int, Mark]:
    """Each child's level in the screening and whether it reached the threshold (one query). With `user`, only
    the results they may read."""
    results = (
        screening_results_visible_to(user=user, screening=screening).order_by()
        if user is not None
        else screening.results.all()
    )
    return {
        child_id: Mark(level=level, flagged=decision in FLAGGED_DECISIONS)
        for child_id, level, decision in results.values_list("child_id", "level", "decision")
    }


def screening_results_for_children(
    *, user: User, screening: Screening, child_ids: Sequence[int]
) -> dict[int, ScreeningResult]:
    results = screening_results_visible_to(user=user, screening=screening).filter(child_id__in=list(child_ids))
    return {result.child_id: result for result in results}


class RiskFlag(NamedTuple):
    """A child's current risk as a user may see it: the level code, the reasons in words, and (for one child's
    page) the rule set's indicators that were unknown, in words: they gave no points, and they are not "no risk"."""

    level: str
    reasons: list[str]
    unknown: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else self.level


def _reason_texts(reasons: object) -> list[str]:
    if not isinstance(reasons, list):
        return []
    return [str(r.get("text", "")) if isinstance(r, dict) else str(r) for r in reasons]


def risk_flag_for_user(*, user: User, child: Child) -> RiskFlag | None:
    """The child's current risk level, reasons and unknown indicators, as this user may see them, or None.

    Coordinators, school mediators and case workers see the current score as computed. A class teacher sees it
    only when the child is confirmed ("included") in a target group: a flag nobody has reviewed is not shown to
    teachers (DOMAIN.md, "flags that teachers see before anyone reviewed them"). Other roles see nothing.
    `child` must come from a scoped selector (`child_get_for_user_or_404`)."""
    scope = scope_for(user)
    if not scope.has(*RISK_READER_ROLES):
        if not scope.has(Role.CLASS_TEACHER):
            return None
        if not TargetGroupMembership.objects.filter(child=child, status=MembershipStatus.INCLUDED).exists():
            return None
    score = risk_score_current_for(child=child)
    if score is None:
        return None
    unknown = tuple(unknown_texts(risk_score_unknown(score=score)))
    return RiskFlag(level=score.level, reasons=_reason_texts(score.reasons), unknown=unknown)


def risk_flags_for_children(*, user: User, child_ids: Sequence[int]) -> dict[int, RiskFlag]:
    """`risk_flag_for_user` for a list of children (a class roster) in at most two queries; children without a
    visible flag are absent from the result."""
    scope = scope_for(user)
    ids = list(child_ids)
    if not scope.has(*RISK_READER_ROLES):
        if not scope.has(Role.CLASS_TEACHER):
            return {}
        ids = list(
            TargetGroupMembership.objects.filter(child_id__in=ids, status=MembershipStatus.INCLUDED)
            .values_list("child_id", flat=True)
            .distinct()
        )
        if not ids:
            return {}
    scores = RiskScore.objects.filter(child_id__in=ids, is_current=True).values_list("child_id", "level", "reasons")
    return {child_id: RiskFlag(level=level, reasons=_reason_texts(reasons)) for child_id, level, reasons in scores}
