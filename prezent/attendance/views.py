import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from prezent.accounts.http import AuthedRequest
from prezent.attendance.closed import closed_year_coordinator_message, closed_year_message, year_label
from prezent.attendance.permissions import (
    can_take_register,
    can_view_register_overview,
    can_write_closed_register,
    register_closed,
)
from prezent.attendance.selectors import (
    attendance_by_child,
    attendance_for_classes,
    enrolled_on,
    register_week_status,
    weekly_absence_summary,
)
from prezent.children.promotion.permissions import can_edit_repeaters
from prezent.core.dates import day_or_none
from prezent.schools.calendar import week_days
from prezent.schools.selectors import (
    calendar_for,
    class_get_for_user_or_404,
    class_list_visible_to,
    school_get_for_user_or_404,
)


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
    closed_notice = ""
    year_ended = register_closed(school_year=year, today=today)
    if year_ended:
        closed_notice = (
            closed_year_coordinator_message(year)
            if can_write_closed_register(user=request.user, class_group=group)
            else closed_year_message(year)
        )
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
            "may_mark_repeaters": can_edit_repeaters(user=request.user, class_group=group),
            "month_start": month_start,
            # An ended year's "month" is its last one, named ("prezență în iunie 2026"), never "this month".
            "year_ended": year_ended,
            "year_name": year_label(year),
            "closed_notice": closed_notice,
        },
    )


def register_today_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Opens the register for today, or for the last school day when today has no classes."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    day = _last_school_day(group, timezone.localdate())
    return redirect("risk:register", pk=group.pk, day=day.isoformat())


def school_register_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """For the school coordinator and the mediator: which classes have not taken the register today and this
    week, and the weekly absence summary."""
    school = school_get_for_user_or_404(user=request.user, pk=pk)
    if not can_view_register_overview(user=request.user):
        raise Http404
    today = timezone.localdate()
    day = day_or_none(request.GET.get("d", "")) or today
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
