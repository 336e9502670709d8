import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.attendance.forms import ExcuseForm, RegisterForm
from prezent.attendance.permissions import can_excuse, can_see_register_overview, can_take_register
from prezent.attendance.selectors import (
    absences_by_child,
    attendance_by_child,
    attendance_for_classes,
    enrolled_on,
    register_entry_for,
    register_week_status,
    weekly_absence_summary,
)
from prezent.attendance.services import absences_excuse, absences_for_excuse, register_save
from prezent.children.selectors import child_current_class_id, child_get_for_user_or_404
from prezent.schools.calendar import week_days
from prezent.schools.models import ClassGroup
from prezent.schools.selectors import (
    calendar_for,
    class_get_for_user_or_404,
    class_list_visible_to,
    school_get_for_user_or_404,
)


def _day_or_404(value: str) -> datetime.date:
    day = parse_date(value)
    if day is None:
        raise Http404
    return day


def _last_school_day(class_group, today: datetime.date) -> datetime.date:  # type: ignore[no-untyped-def]
    days = calendar_for(class_group.school_year).last_school_days(today, 1)
    return days[-1] if days else today


def class_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A class: its pupils with their attendance this month and this school year, and the register days."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    today = timezone.localdate()
    year = group.school_year
    end = min(today, year.end)
    children = list(enrolled_on(class_group=group, day=end))
    ids = [c.pk for c in children]
    month_start = end.replace(day=1)
    by_year = attendance_by_child(child_ids=ids, start=year.start, end=end)
    by_month = attendance_by_child(child_ids=ids, start=month_start, end=end)
    class_total = attendance_for_classes(class_ids=[group.pk], start=year.start, end=end)[group.pk]
    class_month = attendance_for_classes(class_ids=[group.pk], start=month_start, end=end)[group.pk]
    rows = [(child, by_month[child.pk], by_year[child.pk]) for child in children]
    recent = group.register_entries.order_by("-date")[:10]
    return render(
        request,
        "attendance/class.html",
        {
            "group": group,
            "rows": rows,
            "class_total": class_total,
            "class_month": class_month,
            "recent": recent,
            "register_day": _last_school_day(group, today),
            "may_take": can_take_register(user=request.user, class_group=group),
            "month_start": month_start,
        },
    )


def register_today_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Opens the register for today, or for the last school day when today has no classes."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    day = _last_school_day(group, timezone.localdate())
    return redirect("attendance:register", pk=group.pk, day=day.isoformat())


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
    form = RegisterForm(
        request.POST or None,
        children=children,
        day_hours=day_hours,
        absent={cid: a.hours for cid, a in existing.items()},
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = register_save(
                class_group=group,
                day=the_day,
                absences=form.cleaned_data["absences"],
                hours=form.cleaned_data["day_hours"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if saved.absent_children:
                messages.success(
                    request,
                    _("Condica a fost salvată: %(n)s absenți, %(h)s ore.")
                    % {"n": saved.absent_children, "h": saved.absent_hours},
                )
            else:
                messages.success(request, _("Condica a fost salvată: toți elevii au fost prezenți."))
            return redirect("attendance:class", pk=group.pk)
    school_day = calendar.is_school_day(the_day)
    previous_days = calendar.last_school_days(the_day - datetime.timedelta(days=1), 1)
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
            "excused_ids": {cid for cid, a in existing.items() if a.excused},
        },
        status=400 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


@require_POST
def excuse_view(request: AuthedRequest, child_id: int) -> HttpResponse:
    """Excuse (motivare) some of a child's absences with a reason and a document date."""
    child = child_get_for_user_or_404(user=request.user, pk=child_id)
    class_id = child_current_class_id(child=child)
    if class_id is None or not can_excuse(user=request.user, class_group=ClassGroup.objects.get(pk=class_id)):
        raise Http404
    ids = [int(v) for v in request.POST.getlist("absence_ids") if v.isdigit()]
    absences = absences_for_excuse(child_id=child.pk, absence_ids=ids)
    form = ExcuseForm(request.POST, absence_choices=[(a.pk, str(a)) for a in absences])
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
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Au fost motivate %(h)s ore.") % {"h": hours})
    return redirect("reports:child_detail", pk=child.pk)


def school_register_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """For the school coordinator and the mediator: which classes have not taken the register today and this
    week, and the weekly absence summary."""
    school = school_get_for_user_or_404(user=request.user, pk=pk)
    if not can_see_register_overview(user=request.user):
        raise Http404
    today = timezone.localdate()
    day = parse_date(request.GET.get("d", "")) or today
    classes = class_list_visible_to(user=request.user).filter(school=school)
    year_classes = classes.filter(school_year__start__lte=day, school_year__end__gte=day)
    if not year_classes.exists():
        year_classes = classes.filter(school_year__start__lte=day).order_by("-school_year__start")
        latest = year_classes.first()
        year_classes = classes.filter(school_year=latest.school_year) if latest else classes.none()
    weeks = register_week_status(classes=year_classes, day=day, today=today)
    missing_today = [w.class_group for w in weeks if any(d == today and s == "missing" for d, s in w.days)]
    missing_week = [w for w in weeks if any(s == "missing" for _d, s in w.days)]
    summary = weekly_absence_summary(classes=year_classes, day=day)
    days = week_days(day)
    return render(
        request,
        "attendance/school.html",
        {
            "school": school,
            "weeks": weeks,
            "days": days,
            "day": day,
            "today": today,
            "missing_today": missing_today,
            "missing_week": missing_week,
            "summary": summary,
            "week_label": f"{date_format(days[0], 'j M')} – {date_format(days[-1], 'j M Y')}",
            "previous_week": days[0] - datetime.timedelta(days=7),
            "next_week": days[0] + datetime.timedelta(days=7),
        },
    )
