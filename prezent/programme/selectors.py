from django.db.models import Count, Q, QuerySet

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.children.selectors import child_list_visible_to
from prezent.programme.models import MembershipStatus, Programme, ProgrammeTarget, TargetGroupMembership


def programme_list_visible_to(*, user: User) -> QuerySet[Programme]:
    """Programmes of the counties the user works in (any role with a county or schools in it)."""
    scope = scope_for(user)
    if not scope.roles:
        return Programme.objects.none()
    counties = scope.counties(*Role.values)
    school_ids = scope.school_ids(*Role.values)
    condition = Q(county_code__in=counties) | Q(schools__in=school_ids)
    if scope.has(Role.ME_VIEWER, Role.ADMINISTRATOR, Role.TRAINER):
        condition |= Q(pk__isnull=False)
    return Programme.objects.filter(condition).distinct()


def programme_status_counts(*, programme: Programme) -> dict[str, int]:
    """Members per status: counts only, safe for every role."""
    rows = programme.memberships.values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(MembershipStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def targets_current(*, programme: Programme) -> list[tuple[ProgrammeTarget, list[ProgrammeTarget]]]:
    """Each indicator's target in force (the latest) with its earlier revisions."""
    by_indicator: dict[str, list[ProgrammeTarget]] = {}
    for target in programme.targets.order_by("indicator", "-set_on", "-pk"):
        by_indicator.setdefault(target.indicator, []).append(target)
    return [(revisions[0], revisions[1:]) for revisions in by_indicator.values()]


def membership_list_visible_to(
    *, user: User, programme: Programme, status: str | None = None
) -> QuerySet[TargetGroupMembership]:
    visible_children = child_list_visible_to(user=user).values("pk")
    memberships = programme.memberships.filter(child__in=visible_children).select_related("child")
    if status:
        memberships = memberships.filter(status=status)
    return memberships.order_by("child__last_name", "child__first_name", "pk")
