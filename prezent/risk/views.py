"""The register and excuse workflows: they change a child's absences, so they start here, in `risk`, and
recompute the scores of the children they touched once the change is committed (ARCHITECTURE.md: a workflow
that spans two apps lives in the higher one, never in a signal)."""

import datetime
import logging
from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import User
from prezent.attendance.closed import closed_year_coordinator_message, closed_year_message
from prezent.attendance.forms import ExcuseForm, RegisterForm
from prezent.attendance.permissions import (
    can_excuse_absences,
    can_take_register,
    can_write_closed_register,
    register_closed,
)
from prezent.attendance.selectors import absences_by_child, enrolled_on, register_entry_for
from prezent.attendance.services import absences_excuse, absences_for_excuse, register_save
from prezent.children.selectors import child_current_class_id, child_enrolment_history, child_get_for_user_or_404
from prezent.core.dates import day_or_none
from prezent.risk.tasks import recompute_children_task
from prezent.schools.models import ClassGroup
from prezent.schools.selectors import calendar_for, class_get_for_user_or_404

logger = logging.getLogger(__name__)


def _day_or_404(value: str) -> datetime.date:
    """A day from the URL; a malformed or impossible one (30 February) is not found, never a server error."""
    day = day_or_none(value)
    if day is None:
        raise Http404
    return day


def recompute_after_commit(*, child_ids: Iterable[int], actor: User) -> None:
    """Once the transaction commits, recompute today's scores of these children (in a worker when a broker is
    configured, in this request otherwise). A failure is logged, never shown: the change is saved, and the
    nightly run recomputes everyone anyway."""
    ids = sorted(set(child_ids))
    if not ids:
        return
    on = timezone.localdate().isoformat()

    def send() -> None:
        try:
            recompute_children_task.delay(child_ids=ids, on=on, actor_id=actor.pk)
        except Exception:
            logger.exception("Recomputing the risk of %s children after a change failed", len(ids))

    transaction.on_commit(send)


@require_http_methods(["GET", "POST"])
def register_view(request: AuthedRequest, pk: int, day: str) -> HttpResponse:
    """The class register for one day: tick who is absent, set hours, save once for the whole class."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    the_day = _day_or_404(day)
    if not can_take_register(user=request.user, class_group=group):
        raise Http404
    calendar = calendar_for(group.school_year)
    entry = register_entry_for(class_group=group, day=the_day)
    existing = absences_by_child(entry=entry)
    children = list(enrolled_on(class_group=group, day=the_day))
    day_hours = entry.hours if entry else group.hours_per_day
    closed = register_closed(school_year=group.school_year)
    may_write = not closed or can_write_closed_register(user=request.user, class_group=group)
    form = RegisterForm(
        request.POST or None,
        children=children,
        day_hours=day_hours,
        absent={cid: a.hours for cid, a in existing.items()},
        needs_reason=closed and may_write,
    )
    error = ""
    if request.method == "POST" and not may_write:
        # The page offers no save button here; a POST that comes anyway is refused before anything is read.
        error = closed_year_message(group.school_year)
    elif request.method == "POST" and form.is_valid():
        try:
            saved = register_save(
                class_group=group,
                day=the_day,
                absences=form.cleaned_data["absences"],
                hours=form.cleaned_data["day_hours"],
                actor=request.user,
                change_reason=form.cleaned_data.get("change_reason", ""),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            recompute_after_commit(child_ids=saved.changed_child_ids, actor=request.user)
            if saved.absent_children:
                messages.success(
                    request,
                    _("Condica a fost salvată. Elevi absenți: %(n)s; ore de absență: %(h)s.")
                    % {"n": saved.absent_children, "h": saved.absent_hours},
                )
            else:
                messages.success(request, _("Condica a fost salvată: toți elevii au fost prezenți."))
            return redirect("attendance:class", pk=group.pk)
    closed_notice = ""
    if closed:
        closed_notice = (
            closed_year_coordinator_message(group.school_year) if may_write else closed_year_message(group.school_year)
        )
    status = 200
    if request.method == "POST":
        status = 403 if not may_write else 400 if error or not form.is_valid() else 200
    school_day = calendar.is_school_day(the_day)
    previous_days = calendar.last_school_days(the_day - datetime.timedelta(days=1), 1)
    # The next school day of the year, up to today (a future day's register cannot be taken).
    next_day = next(
        calendar.school_days(the_day + datetime.timedelta(days=1), min(timezone.localdate(), group.school_year.end)),
        None,
    )
    return render(
        request,
        "attendance/register.html",
        {
            "group": group,
            "day": the_day,
            "form": form,
            "entry": entry,
            "existing": existing,
            "error": error,
            "school_day": school_day,
            "is_future": the_day > timezone.localdate(),
            "previous_day": previous_days[-1] if previous_days else None,
            "next_day": next_day,
            "excused_ids": {cid for cid, a in existing.items() if a.excused},
            "may_write": may_write,
            "closed_notice": closed_notice,
        },
        status=status,
    )


@require_POST
def excuse_view(request: AuthedRequest, child_id: int) -> HttpResponse:
    """Excuse (motivare) some of a child's absences with a reason and a document date.

    Who may excuse is decided by the classes the absences were recorded in, not by the class the child is in
    today: a pupil who left school or finished it has no class today, and the page still offers the absences of
    their last year (decision 53: in a closed year, only to the school coordinator, with a reason)."""
    child = child_get_for_user_or_404(user=request.user, pk=child_id)
    ids = [int(v) for v in request.POST.getlist("absence_ids") if v.isdigit()]
    absences = absences_for_excuse(child_id=child.pk, absence_ids=ids)
    groups = {a.register_entry.class_group_id: a.register_entry.class_group for a in absences}
    if not groups:
        # Nothing of the child's was chosen: the class the page offered the box for decides who is told so.
        class_id = child_current_class_id(child=child)
        latest = child_enrolment_history(child=child).first()
        group = ClassGroup.objects.filter(pk=class_id).first() if class_id else latest.class_group if latest else None
        groups = {group.pk: group} if group else {}
    if not groups or not all(can_excuse_absences(user=request.user, class_group=g) for g in groups.values()):
        raise Http404
    refused = next(
        (
            g
            for g in groups.values()
            if register_closed(school_year=g.school_year)
            and not can_write_closed_register(user=request.user, class_group=g)
        ),
        None,
    )
    if refused is not None:
        # The page offers no excuse box here; a POST that comes anyway is refused before anything is read.
        messages.error(request, closed_year_message(refused.school_year))
        return redirect("reports:child_detail", pk=child.pk)
    closed = any(register_closed(school_year=g.school_year) for g in groups.values())
    form = ExcuseForm(request.POST, absence_choices=[(a.pk, str(a)) for a in absences], needs_reason=closed)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("reports:child_detail", pk=child.pk)
    try:
        hours = absences_excuse(
            absences=absences,
            reason=form.cleaned_data["reason"],
            document_date=form.cleaned_data["document_date"],
            actor=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        recompute_after_commit(child_ids=[child.pk], actor=request.user)
        messages.success(request, _("Absențele au fost motivate. Ore motivate: %(h)s.") % {"h": hours})
    return redirect("reports:child_detail", pk=child.pk)
