"""Pages that bring several domains together: the home page of each role and a child's record."""

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.attendance.closed import closed_year_coordinator_message, closed_year_message
from prezent.attendance.forms import ExcuseForm
from prezent.attendance.marks.selectors import child_module_results
from prezent.attendance.permissions import can_excuse_absences, can_write_closed_register, register_closed
from prezent.attendance.selectors import (
    attendance_for_child,
    child_absences_by_module,
    child_absences_by_month,
    child_unexcused_absences,
    parent_request_hours_used,
    register_week_status,
)
from prezent.attendance.totals.selectors import child_absence_history
from prezent.cases.permissions import can_open_cases
from prezent.cases.selectors import case_list_visible_to, referrals_waiting
from prezent.children.forms import ConsentForm, EnrolmentMoveForm, EthnicityForm, GuardianAddForm
from prezent.children.outside.permissions import can_record_outside_child
from prezent.children.outside.selectors import child_outside_story, outside_records_of
from prezent.children.permissions import can_edit_child, can_edit_child_ethnicity, can_reveal_child_cnp
from prezent.children.selectors import (
    child_enrolment_history,
    child_get_for_user_or_404,
    child_list_visible_to,
    class_list_writable_by,
    consents_of,
    ethnicity_for_child,
)
from prezent.core.services import access_log_child_read
from prezent.programme.screening.selectors import risk_flag_for_user
from prezent.programme.selectors import programme_list_visible_to, programme_status_counts
from prezent.reports.charts import line_chart
from prezent.reports.permissions import can_view_county_setup, setup_counties
from prezent.reports.privacy.permissions import can_export_child_data
from prezent.reports.selectors import county_setup
from prezent.risk.selectors import risk_score_history, rule_set_bands
from prezent.schools.selectors import calendar_for, class_list_visible_to, school_list_visible_to


def home_view(request: AuthedRequest) -> HttpResponse:
    """Each role lands on what it does first: a teacher on their classes, a coordinator on the registers
    not taken, the county on its programme, the evaluator on figures only."""
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    context: dict = {"today": today}
    if scope.has(Role.CLASS_TEACHER):
        context["my_classes"] = (
            class_list_visible_to(user=user)
            .filter(teacher=user, school_year__start__lte=today, school_year__end__gte=today)
            .annotate(pupils=Count("enrolments"))
        )
    if scope.has(Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR):
        schools = school_list_visible_to(user=user).filter(
            pk__in=scope.school_ids(Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
        )
        overview = []
        for school in schools[:12]:
            classes = class_list_visible_to(user=user).filter(
                school=school, school_year__start__lte=today, school_year__end__gte=today
            )
            weeks = register_week_status(classes=classes, day=today, today=today)
            missing = sum(1 for w in weeks for d, s in w.days if s == "missing" and d == today)
            missing_week = sum(1 for w in weeks for _d, s in w.days if s == "missing")
            overview.append((school, len(weeks), missing, missing_week))
        context["school_overview"] = overview
    if scope.has(Role.COUNTY_COORDINATOR, Role.ME_VIEWER, Role.CASE_WORKER):
        programme = programme_list_visible_to(user=user).order_by("-start").first()
        if programme is not None:
            context["programme"] = programme
            context["programme_counts"] = programme_status_counts(programme=programme)
            context["programme_schools"] = programme.schools.count()
    if scope.has(Role.CASE_WORKER):
        context["caseload"] = child_list_visible_to(user=user).count()
    if scope.has(Role.CASE_WORKER, Role.SCHOOL_COORDINATOR, Role.COUNTY_COORDINATOR):
        context["referrals_waiting"] = referrals_waiting(user=user, on=today)
    if can_view_county_setup(user=user):
        # a county still setting up lands on its next step (once every step is done the card goes away)
        setups = [county_setup(county_code=code, today=today) for code in setup_counties(user=user)]
        context["setups_pending"] = [setup for setup in setups if not setup.complete]
    return render(request, "reports/home.html", context)


def county_setup_view(request: AuthedRequest) -> HttpResponse:
    """The county's set-up, step by step: the school network, the programme, the school year, pupils, staff,
    the warning rules, last year's absences and children outside school — what is there and where to do it."""
    if not can_view_county_setup(user=request.user):
        raise Http404
    today = timezone.localdate()
    setups = [county_setup(county_code=code, today=today) for code in setup_counties(user=request.user)]
    return render(request, "reports/setup.html", {"setups": setups})


def child_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A child's record: identity, family, classes, and attendance by month and module. Every read is logged."""
    child = child_get_for_user_or_404(user=request.user, pk=pk)
    access_log_child_read(request=request, child_id=child.pk, view="child_detail")
    today = timezone.localdate()
    enrolments = list(child_enrolment_history(child=child))
    current = next((e for e in enrolments if e.covers(today)), enrolments[0] if enrolments else None)
    context: dict = {
        "child": child,
        "enrolments": enrolments,
        "current": current,
        "ethnicity": ethnicity_for_child(user=request.user, child=child),
        "may_reveal_cnp": can_reveal_child_cnp(user=request.user, child=child),
        "may_export": can_export_child_data(user=request.user, child=child),
        "guardianships": child.guardianship_set.select_related("guardian"),
        "consents": consents_of(user=request.user, child=child),
        "memberships": child.target_memberships.select_related("programme"),
    }
    context["cases"] = list(case_list_visible_to(user=request.user).filter(child=child).order_by("-opened_on", "-pk"))
    context["may_open_case"] = can_open_cases(user=request.user)
    flag = risk_flag_for_user(user=request.user, child=child)
    context["flag"] = flag
    context["absence_history"] = child_absence_history(child=child)
    if flag is not None:
        history = list(risk_score_history(child=child).select_related("rule_set")[:24])
        context["risk_history"] = history
        if len(history) > 1:
            bands = rule_set_bands(rule_set=history[0].rule_set)
            context["risk_chart"] = line_chart(
                [(f"{s.computed_on:%d.%m}", s.points) for s in reversed(history)],
                maximum=bands.high_from + 2,
                bands=[(bands.medium_from, "medium"), (bands.high_from, "high")],
            )
    may_record_ethnicity = can_edit_child_ethnicity(user=request.user, child=child)
    if may_record_ethnicity:
        context["ethnicity_form"] = EthnicityForm(initial={"declared_on": today, "legal_basis": "consent"})
    if can_edit_child(user=request.user, child=child):
        context["may_edit"] = True
        context["guardian_form"] = GuardianAddForm()
        context["consent_form"] = ConsentForm(
            child=child, with_ethnicity=may_record_ethnicity, initial={"given_on": today}
        )
        context["move_form"] = EnrolmentMoveForm(
            classes=class_list_writable_by(user=request.user).filter(
                school_year__start__lte=today, school_year__end__gte=today
            ),
            initial={"on": today},
        )
    outside = outside_records_of(user=request.user, child=child)
    context["outside_records"] = outside
    if outside:
        context["outside_story"] = child_outside_story(child=child, records=outside)
    open_outside = next((r for r in outside if r.is_open), None)
    if open_outside is not None:
        context.pop("move_form", None)  # back to school through the record, so the story is kept
    elif context.get("may_edit") and can_record_outside_child(user=request.user):
        context["may_mark_outside"] = not any(e.end is None for e in enrolments)
    if current is not None:
        year = current.class_group.school_year
        calendar = calendar_for(year)
        end = min(today, year.end)
        module = calendar.module_number(end)
        last30 = calendar.last_school_days(end, 30)
        context.update(
            {
                "school_year": year,
                "rate_year": attendance_for_child(child=child, start=year.start, end=end),
                "rate_30": attendance_for_child(child=child, start=last30[0], end=end) if last30 else None,
                "module": module,
                "rate_module": (
                    attendance_for_child(child=child, start=calendar.modules[module - 1][0], end=end)
                    if module
                    else None
                ),
                "by_month": child_absences_by_month(child=child, school_year=year),
                "by_module": child_absences_by_module(child=child, school_year=year),
                "module_results": child_module_results(child=child, school_year=year),
                "parent_hours_used": parent_request_hours_used(child_ids=[child.pk], school_year=year).get(child.pk, 0),
            }
        )
        if can_excuse_absences(user=request.user, class_group=current.class_group):
            # The year the child was last enrolled in may have ended (the summer before the next enrolment): then
            # only the school coordinator excuses, with a reason, and the others read the notice.
            closed = register_closed(school_year=year, today=today)
            may_write = not closed or can_write_closed_register(user=request.user, class_group=current.class_group)
            if closed:
                context["excuse_closed_notice"] = (
                    closed_year_coordinator_message(year) if may_write else closed_year_message(year)
                )
            if may_write:
                unexcused = list(child_unexcused_absences(child=child, school_year=year)[:60])
                context["unexcused"] = unexcused
                context["excuse_form"] = ExcuseForm(
                    absence_choices=[(a.pk, str(a)) for a in unexcused], needs_reason=closed
                )
    return render(request, "reports/child_detail.html", context)
