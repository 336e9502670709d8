from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.permissions import can_view_children
from prezent.children.selectors import child_get_for_user_or_404
from prezent.core.redirects import local_path_or
from prezent.programme.models import MembershipStatus
from prezent.programme.permissions import can_decide_membership
from prezent.programme.selectors import (
    membership_list_visible_to,
    programme_list_visible_to,
    programme_status_counts,
    targets_current,
)
from prezent.programme.services import membership_move


def programme_detail_view(request: AuthedRequest) -> HttpResponse:
    """The programme: its targets with revisions, the target group by status, and (for those who may see
    children) the members."""
    programme = programme_list_visible_to(user=request.user).order_by("-start").first()
    if programme is None:
        raise Http404
    status = request.GET.get("stare") or MembershipStatus.PROPOSED
    if status not in MembershipStatus.values:
        status = MembershipStatus.PROPOSED
    members = None
    if can_view_children(user=request.user):
        members = Paginator(
            membership_list_visible_to(user=request.user, programme=programme, status=status).prefetch_related(
                Prefetch("steps", to_attr="step_list")
            ),
            50,
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/detail.html",
        {
            "programme": programme,
            "counts": programme_status_counts(programme=programme),
            "targets": targets_current(programme=programme),
            "members": members,
            "status": status,
            "statuses": MembershipStatus.choices,
            "may_decide": can_decide_membership(user=request.user),
            "today": timezone.localdate(),
        },
    )


@require_POST
def membership_move_view(request: AuthedRequest, child_id: int) -> HttpResponse:
    """The county coordinator confirms (include), dismisses or ends a child's place in the target group."""
    if not can_decide_membership(user=request.user):
        raise Http404
    programme_id = request.POST.get("programme", "")
    if not programme_id.isdigit():
        raise Http404
    programme = get_object_or_404(programme_list_visible_to(user=request.user), pk=programme_id)
    child = child_get_for_user_or_404(user=request.user, pk=child_id)
    to_status = request.POST.get("to_status", "")
    if to_status not in MembershipStatus.values:
        raise Http404
    try:
        membership_move(
            programme=programme,
            child=child,
            to_status=to_status,
            on=timezone.localdate(),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decizia a fost înregistrată."))
    return redirect(local_path_or(request, request.POST.get("back"), reverse("programme:detail")))
