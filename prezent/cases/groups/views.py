"""Pages of group deliveries: the distribution list (ticked on a phone), the groups and a group's attendance."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.http import AuthedRequest
from prezent.cases.groups.forms import DeliveryPickForm, GroupForm, day_parse, ticks_read
from prezent.cases.groups.permissions import can_create_groups, can_edit_group, can_record_deliveries
from prezent.cases.groups.selectors import (
    delivery_list_find,
    delivery_lists_recent,
    delivery_school_get_or_404,
    delivery_schools_visible_to,
    delivery_ticks,
    delivery_types,
    group_attendance_grid,
    group_children,
    group_day_ticks,
    group_get_for_user_or_404,
    group_meeting_days,
    group_rows,
    programme_children_of_school,
)
from prezent.cases.groups.services import delivery_list_save, group_attendance_save, group_create, group_enrol
from prezent.cases.models import ServiceGroup


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def deliveries_view(request: AuthedRequest) -> HttpResponse:
    """Pick a school, a kind and a day to open its distribution list; the newest lists of the user's schools."""
    _require(can_record_deliveries(user=request.user))
    schools = delivery_schools_visible_to(user=request.user)
    form = DeliveryPickForm(request.GET or None, schools=schools, initial={"day": timezone.localdate()})
    if request.GET and form.is_valid():
        return redirect(
            "cases:delivery_list",
            school=form.cleaned_data["school"].pk,
            kind=form.cleaned_data["type"].code,
            day=form.cleaned_data["day"].isoformat(),
        )
    context = {"form": form, "lists": delivery_lists_recent(user=request.user)}
    return render(request, "cases/groups/deliveries.html", context, status=400 if request.GET else 200)


def delivery_list_view(request: AuthedRequest, school: int, kind: str, day: str) -> HttpResponse:
    """The distribution list: the programme's children of the school, each with a tick and a quantity; saved whole
    in one POST (unticking removes the delivery, saving again adds nothing twice)."""
    _require(can_record_deliveries(user=request.user))
    the_school = delivery_school_get_or_404(user=request.user, pk=school)
    the_kind = get_object_or_404(delivery_types(county_codes=[the_school.county_code]), code=kind)
    the_day = day_parse(day)
    if the_day is None:
        raise Http404
    children = [
        (pk, f"{last} {first}")
        for pk, last, first in programme_children_of_school(school=the_school, day=the_day).values_list(
            "pk", "last_name", "first_name"
        )
    ]
    status, errors = 200, []
    if request.method == "POST":
        read = ticks_read(request.POST, children, quantities=True)
        rows, errors = read.rows, read.errors
        if not errors:
            try:
                saved = delivery_list_save(
                    school=the_school, kind=the_kind, day=the_day, ticks=read.ticks, actor=request.user
                )
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(
                    request,
                    _("Lista a fost salvată: %(n)d copii bifați (adăugați %(a)d, modificați %(c)d, scoși %(r)d).")
                    % {"n": len(read.ticks), "a": saved.added, "c": saved.changed, "r": saved.removed},
                )
                return redirect(request.path)
        status = 400
    else:
        ticks = delivery_ticks(delivery_list=delivery_list_find(school=the_school, kind=the_kind, day=the_day))
        rows = ticks_read(
            {**{f"c{c}": "on" for c in ticks}, **{f"q{c}": str(q or 1) for c, q in ticks.items()}},
            children,
            quantities=True,
        ).rows
    context = {
        "school": the_school,
        "kind": the_kind,
        "day": the_day,
        "rows": rows,
        "errors": errors,
        "ticked": sum(r.ticked for r in rows),
        "future": the_day > timezone.localdate(),
    }
    return render(request, "cases/groups/delivery_list.html", context, status=status)


def groups_view(request: AuthedRequest) -> HttpResponse:
    """The groups of the user's schools; those who run cases create one here."""
    _require(can_record_deliveries(user=request.user))
    may_create = can_create_groups(user=request.user)
    schools = delivery_schools_visible_to(user=request.user)
    form = GroupForm(request.POST or None, schools=schools) if may_create else None
    status = 200
    if request.method == "POST":
        _require(form is not None)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = group_create(actor=request.user, **data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Grupa a fost creată. Înscrieți copiii."))
                return redirect(group)
        status = 400
    context = {"groups": group_rows(user=request.user), "form": form}
    return render(request, "cases/groups/groups.html", context, status=status)


def _add_errors(form: GroupForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def group_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A group: its schedule, the attendance of its last meeting days, and (for those who run cases) the choice of
    its children among the programme's children of the school."""
    group = group_get_for_user_or_404(user=request.user, pk=pk)
    may_edit = can_edit_group(user=request.user, group=group)
    today = timezone.localdate()
    status, errors = 200, []
    members = list(group_children(group=group))
    enrolled = {c.pk for c in members}
    candidates: list[Any] = []
    if may_edit:
        candidates = list(programme_children_of_school(school=group.school, day=min(today, group.end)))
        known = {c.pk for c in candidates}
        candidates += [c for c in members if c.pk not in known]
    if request.method == "POST":
        _require(may_edit)
        chosen = set()
        for value in request.POST.getlist("children"):
            try:
                chosen.add(int(value))
            except ValueError:
                errors.append(_("Alegerea copiilor nu este validă."))
        if not errors:
            try:
                saved = group_enrol(group=group, child_ids=chosen, actor=request.user)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(
                    request,
                    _("Înscrieri salvate: %(a)d adăugați, %(r)d scoși.") % {"a": saved.added, "r": saved.removed},
                )
                return redirect(group)
        enrolled = chosen
        status = 400
    days = group_meeting_days(group=group, until=today)
    context = {
        "group": group,
        "grid": group_attendance_grid(group=group, days=days, children=members),
        "may_edit": may_edit,
        "candidates": candidates,
        "enrolled": enrolled,
        "errors": errors,
        "today_meets": group.meets_on(today),
        "today": today,
    }
    return render(request, "cases/groups/group.html", context, status=status)


def group_attendance_view(request: AuthedRequest, pk: int, day: str) -> HttpResponse:
    """A group's attendance on one meeting day: a tick per enrolled child; each tick a service to the child."""
    group = group_get_for_user_or_404(user=request.user, pk=pk)
    _require(can_record_deliveries(user=request.user, school=group.school))
    the_day = day_parse(day)
    if the_day is None:
        raise Http404
    children = [(c.pk, f"{c.last_name} {c.first_name}") for c in group_children(group=group)]
    status, errors = 200, []
    if request.method == "POST":
        read = ticks_read(request.POST, children, quantities=False)
        rows = read.rows
        try:
            saved = group_attendance_save(group=group, day=the_day, present=set(read.ticks), actor=request.user)
        except ValidationError as error:
            errors = _messages_of(error)
            status = 400
        else:
            messages.success(
                request,
                _("Prezența a fost salvată: %(n)d copii prezenți (adăugați %(a)d, scoși %(r)d).")
                % {"n": len(read.ticks), "a": saved.added, "r": saved.removed},
            )
            return redirect(group)
    else:
        present = group_day_ticks(group=group, day=the_day)
        rows = ticks_read({f"c{c}": "on" for c in present}, children, quantities=False).rows
    context = {
        "group": group,
        "day": the_day,
        "rows": rows,
        "errors": errors,
        "meets": group.meets_on(the_day),
        "previous": _neighbour(group, the_day, -1),
        "next": _neighbour(group, the_day, 1),
    }
    return render(request, "cases/groups/attendance.html", context, status=status)


def _neighbour(group: ServiceGroup, day: datetime.date, step: int) -> datetime.date | None:
    """The group's previous or next meeting day (the next one only up to today)."""
    limit = min(group.end, timezone.localdate()) if step > 0 else group.start
    current = day + datetime.timedelta(days=step)
    for _i in range(60):
        if (step > 0 and current > limit) or (step < 0 and current < limit):
            return None
        if group.meets_on(current):
            return current
        current += datetime.timedelta(days=step)
    return None
