"""Casework pages: the case worker's work page, the case list, opening a case, the case page with its forms
(assessment, plan, interventions, visits, referrals, notes, states, closure) and the catalogue of interventions.

A POST with bad input re-renders the page with the form as typed and the message (status 400), changing nothing.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import User
from prezent.accounts.scope import scope_for
from prezent.cases.forms import (
    AssessmentForm,
    CaseOpenForm,
    CloseApproveForm,
    CloseRequestForm,
    HandOverForm,
    InterventionForm,
    InterventionRemoveForm,
    InterventionTypeForm,
    NoteForm,
    PlanForm,
    PlanReviewForm,
    ReassignForm,
    ReferralAnswerForm,
    ReferralDueForm,
    ReferralForm,
    TransitionForm,
    VisitDoneForm,
    VisitForm,
)
from prezent.cases.groups.permissions import can_record_deliveries
from prezent.cases.groups.selectors import RECENT_TICKS, case_ticks_received
from prezent.cases.models import (
    CASE_TRANSITIONS,
    OPEN_CASE_STATUSES,
    Case,
    CaseStatus,
    Confidentiality,
    HomeVisit,
    Intervention,
    InterventionType,
    Referral,
)
from prezent.cases.permissions import (
    CATALOGUE_ROLES,
    CaseAccess,
    can_configure_intervention_catalogue,
    can_open_cases,
    can_remove_intervention,
    can_view_cases,
    case_access,
)
from prezent.cases.selectors import (
    assessment_latest,
    assessment_views,
    attendance_before_after,
    case_assignments,
    case_get_for_user_or_404,
    case_interventions,
    case_list_visible_to,
    case_notes_visible_to,
    case_open_for_child,
    case_referrals,
    case_rows,
    case_siblings,
    case_visits,
    case_workers_for,
    cases_mine,
    cases_without_plan,
    closures_to_approve,
    intervention_types_active,
    intervention_types_of,
    plan_current,
    reassign_candidates,
    referrals_scope_wide,
    referrals_unanswered,
    reviews_overdue,
    visits_planned,
)
from prezent.cases.services import (
    assessment_record,
    case_close_approve,
    case_close_reject,
    case_close_request,
    case_file_pdf,
    case_hand_over,
    case_note_add,
    case_open,
    case_reassign,
    case_transition,
    consent_for_case,
    intervention_record,
    intervention_remove,
    intervention_type_create,
    intervention_type_set_active,
    intervention_types_load_defaults,
    plan_create,
    plan_review,
    referral_answer,
    referral_create,
    referral_set_due,
    visit_plan,
    visit_record,
)
from prezent.children.selectors import child_get_for_user_or_404
from prezent.core.pagination import CappedPaginator
from prezent.core.services import access_log_child_read
from prezent.programme.models import MembershipStatus
from prezent.risk.alerts.selectors import (
    OPEN_STATUSES,
    alert_get_for_user_or_404,
    alert_list_visible_to,
    alert_worklist,
)
from prezent.risk.alerts.services import REFERRAL_STEP
from prezent.risk.models import Alert

LIST_PAGE_SIZE = 200
# The case page holds several forms with fields of the same name: prefixes keep their ids unique.
REVIEW_PREFIX, TRANSITION_PREFIX, CLOSE_PREFIX = "revizuire", "stare", "inchidere"
REASSIGN_PREFIX, HANDOVER_PREFIX = "responsabil", "predare"
REFERRALS_SHOWN = 50


def add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


# -- work page and list ----------------------------------------------------------------------------------------


@require_GET
def work_view(request: AuthedRequest) -> HttpResponse:
    """ "Cazurile mele": my open cases, overdue plan reviews, cases without a plan, my open alerts, the visits
    planned this week, the referrals waiting for an answer (overdue first; the coordinators see those of every case
    in their scope) and, for the county coordinator, the closures waiting for approval."""
    _require(can_view_cases(user=request.user))
    user = request.user
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    wide = referrals_scope_wide(user=user)
    unanswered = referrals_unanswered(user=user, mine=not wide)
    context: dict[str, Any] = {
        "today": today,
        "week": (monday, sunday),
        "my_cases": list(cases_mine(user=user)),
        "overdue": list(reviews_overdue(user=user, on=today)),
        "without_plan": list(cases_without_plan(user=user)),
        "alerts": list(alert_worklist(user=user, on=today)[:20]),
        "visits": list(visits_planned(user=user, start=monday, end=sunday)),
        "closures": list(closures_to_approve(user=user)),
        "referrals_wide": wide,
        "referrals": list(unanswered[:REFERRALS_SHOWN]),
        "referrals_total": unanswered.count(),
        "may_open": can_open_cases(user=user),
        "may_keep_catalogue": can_configure_intervention_catalogue(user=user),
        "may_deliver": can_record_deliveries(user=user),
    }
    return render(request, "cases/work.html", context)


@require_GET
def case_list_view(request: AuthedRequest) -> HttpResponse:
    """Every case the user may see (or only mine, or by state): one page, a constant number of queries."""
    _require(can_view_cases(user=request.user))
    mine = request.GET.get("ale_mele") == "1"
    status = request.GET.get("stare", "open")
    if status not in ("", "open", *CaseStatus.values):
        status = "open"
    rows = case_rows(user=request.user, mine=mine, status=status)
    page = CappedPaginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "mine": mine,
            "status": status,
            "statuses": [("open", _("deschise (toate stările active)")), *CaseStatus.choices, ("", _("toate"))],
            "today": timezone.localdate(),
        },
    )


# -- opening a case --------------------------------------------------------------------------------------------


def _open_target(request: AuthedRequest) -> tuple[Any, Alert | None]:
    alert = None
    alert_id = request.GET.get("alerta") or request.POST.get("alerta")
    if alert_id:
        if not str(alert_id).isdigit():
            raise Http404
        alert = alert_get_for_user_or_404(user=request.user, pk=int(alert_id))
        child = alert.child
    else:
        child_id = request.GET.get("copil") or request.POST.get("copil")
        if not child_id or not str(child_id).isdigit():
            return None, None
        child = child_get_for_user_or_404(user=request.user, pk=int(child_id))
    return child, alert


def alert_action_open_case(user: User, alert: Alert) -> tuple[str, str] | None:
    """The link an alert of the step "open a case file" shows: this page, from the alert (the child chosen), when
    the user may open cases — the predicate this page asks first."""
    if not can_open_cases(user=user):
        return None
    return _("Deschide dosarul de caz"), f"{reverse('cases:open')}?{urlencode({'alerta': alert.pk})}"


def alert_action_record_visit(user: User, alert: Alert) -> tuple[str, str] | None:
    """The link an alert of the step "home visit" shows when the child has an open case: the case page's visit form,
    the alert chosen, for those who record visits on it (`case_access(...).field`, what the form's view asks)."""
    case = case_list_visible_to(user=user).filter(child_id=alert.child_id, status__in=OPEN_CASE_STATUSES).first()
    if case is None or not case_access(user=user, case=case).field:
        return None
    return _(
        "Înregistrează vizita în dosarul de caz"
    ), f"{case.get_absolute_url()}?{urlencode({'alerta': alert.pk})}#vizite"


def alert_action_record_referral(user: User, alert: Alert) -> tuple[str, str] | None:
    """The link an alert of the step "referral to SPAS / DGASPC" shows when the child has an open case: the case
    page's referral form, opened from the alert (SPAS chosen), for those who record referrals (`case_access(...)
    .manage`, what the form's view asks). Without an open case there is nowhere to record it yet."""
    case = case_list_visible_to(user=user).filter(child_id=alert.child_id, status__in=OPEN_CASE_STATUSES).first()
    if case is None or not case_access(user=user, case=case).manage:
        return None
    return _(
        "Înregistrează sesizarea în dosarul de caz"
    ), f"{case.get_absolute_url()}?{urlencode({'alerta': alert.pk})}#sesizari"


@require_http_methods(["GET", "POST"])
def case_open_view(request: AuthedRequest) -> HttpResponse:
    """Open a case for a child (?copil=<id>) or from an alert (?alerta=<id>). Without either, a short help page."""
    _require(can_open_cases(user=request.user))
    child, alert = _open_target(request)
    if child is None:
        return render(request, "cases/open.html", {"child": None})
    existing = case_open_for_child(child=child)
    if existing is not None and case_list_visible_to(user=request.user).filter(pk=existing.pk).exists():
        messages.info(request, _("Copilul are deja un caz deschis."))
        return redirect(existing)
    school = child.enrolments.select_related("class_group__school").order_by("end", "-start").first()
    workers = case_workers_for(
        case_school_id=school.class_group.school_id if school else 0,
        county_code=school.class_group.school.county_code if school else "",
    )
    initial = {"case_worker": request.user.pk if workers.filter(pk=request.user.pk).exists() else None}
    form = CaseOpenForm(request.POST or None, case_workers=workers, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = case_open(
                    child=child,
                    opened_on=data["opened_on"],
                    case_worker=data["case_worker"],
                    legal_basis=data["legal_basis"],
                    legal_basis_note=data["legal_basis_note"],
                    source_alert=alert,
                    actor=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Cazul a fost deschis."))
                return redirect(case)
        status = 400
    access_log_child_read(request=request, child_id=child.pk, view="cases:open")
    context = {
        "child": child,
        "alert": alert,
        "form": form,
        "consent": consent_for_case(child=child, on=timezone.localdate()),
        "in_target_group": child.target_memberships.filter(
            status__in=(MembershipStatus.PROPOSED, MembershipStatus.INCLUDED)
        ).exists(),
    }
    return render(request, "cases/open.html", context, status=status)


# -- the case page ---------------------------------------------------------------------------------------------


def _transition_choices(case: Case) -> list[tuple[str, Any]]:
    return [
        (status, label)
        for status, label in CaseStatus.choices
        if status in CASE_TRANSITIONS[case.status] and status != CaseStatus.CLOSED
    ]


def _open_alerts(request: AuthedRequest, case: Case) -> QuerySet[Alert]:
    return (
        alert_list_visible_to(user=request.user)
        .filter(child_id=case.child_id, status__in=OPEN_STATUSES)
        .select_related("step")
        .order_by("due_on", "pk")
    )


def _detail_context(request: AuthedRequest, case: Case, access: CaseAccess, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    types = intervention_types_active(county_code=case.school.county_code)
    teacher_only = not access.field
    context: dict[str, Any] = {
        "case": case,
        "access": access,
        "today": today,
        "teacher_only": teacher_only,
        "siblings": case_siblings(user=request.user, case=case),
        "plan": plan_current(case=case),
        "interventions": _removable(request, case, access, list(case_interventions(case=case))),
        "received": case_ticks_received(user=request.user, case=case),
        "recent_ticks": RECENT_TICKS,
        "visits": _with_forms(list(case_visits(case=case)), "v", VisitDoneForm),
        "notes": case_notes_visible_to(user=request.user, case=case).order_by("-written_on", "-pk"),
        "before_after": attendance_before_after(case=case, today=today),
        "steps": case.steps.select_related("actor").order_by("date", "pk"),
        "assignments": list(case_assignments(case=case)),
        "transition_choices": _transition_choices(case),
    }
    if not teacher_only:
        context["assessments"] = assessment_views(case=case)
        context["referrals"] = _with_forms(list(case_referrals(case=case)), "r", ReferralAnswerForm)
        for referral in context["referrals"]:
            referral.due_form = ReferralDueForm(prefix=f"t{referral.pk}", initial={"due_on": referral.due_on})
    if access.field and not case.is_closed:
        alerts = _open_alerts(request, case)
        context.update(
            {
                "intervention_form": forms.get("intervention_form") or InterventionForm(types=types),
                "visit_form": forms.get("visit_form")
                or VisitForm(alerts=alerts, initial={"alert": _default_alert(case, alerts, request.GET.get("alerta"))}),
                "note_form": forms.get("note_form") or NoteForm(confidential=access.confidential),
            }
        )
    if access.manage and not case.is_closed:
        # opened from a referral alert (its link, `alert_action_record_referral`): the form open, SPAS chosen
        from_alert = _asked_alert(_open_alerts(request, case), request.GET.get("alerta"), REFERRAL_STEP)
        context["referral_from_alert"] = from_alert
        context["referral_form"] = forms.get("referral_form") or ReferralForm(
            initial={"institution": Referral.Institution.SPAS} if from_alert else None
        )
        context["review_form"] = forms.get("review_form") or PlanReviewForm(prefix=REVIEW_PREFIX)
        context["close_form"] = forms.get("close_form") or CloseRequestForm(prefix=CLOSE_PREFIX)
        context["handover_form"] = forms.get("handover_form") or HandOverForm(prefix=HANDOVER_PREFIX)
    if access.reassign and not case.is_closed:
        context["reassign_form"] = forms.get("reassign_form") or ReassignForm(
            candidates=reassign_candidates(case=case), prefix=REASSIGN_PREFIX
        )
        context["transition_form"] = forms.get("transition_form") or TransitionForm(
            choices=_transition_choices(case), prefix=TRANSITION_PREFIX
        )
    return context


def _removable(
    request: AuthedRequest, case: Case, access: CaseAccess, interventions: list[Intervention]
) -> list[Intervention]:
    """Give each intervention the user may remove (not on a closed case) its own small form."""
    for intervention in interventions:
        may = not case.is_closed and can_remove_intervention(
            user=request.user, intervention=intervention, access=access
        )
        intervention.remove_form = InterventionRemoveForm(prefix=f"i{intervention.pk}") if may else None  # type: ignore[attr-defined]
    return interventions


def _with_forms(rows: list[Any], prefix: str, form_class: type[Form]) -> list[Any]:
    """Give each planned visit / referral its own small form (its own field ids)."""
    for row in rows:
        row.form = form_class(prefix=f"{prefix}{row.pk}")
    return rows


def _asked_alert(alerts: QuerySet[Alert], asked: str | None, code: str) -> Alert | None:
    """The open alert of this step the page was opened from (?alerta=), if it is one of the child's."""
    if not asked or not asked.isdigit():
        return None
    return alerts.filter(pk=int(asked), step__code=code).first()


def _default_alert(case: Case, alerts: QuerySet[Alert], asked: str | None = None) -> int | None:
    """The alert the page was opened from (?alerta=, from the alert's page), else the one the case was opened from,
    else the child's open home-visit alert, if any."""
    ids = {a.pk: a for a in alerts}
    if asked and asked.isdigit() and int(asked) in ids:
        return int(asked)
    if case.source_alert_id in ids:
        return case.source_alert_id
    visit = next((a for a in ids.values() if a.step.code == "home-visit"), None)
    return visit.pk if visit else None


def _render_detail(
    request: AuthedRequest, case: Case, access: CaseAccess, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(request, "cases/detail.html", _detail_context(request, case, access, **forms), status=status)


@require_GET
def case_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The case: child, state, siblings' cases, assessments compared, plan, interventions with attendance before
    and after, visits, referrals, notes (confidential ones only for those who may read them). The read is logged."""
    case = case_get_for_user_or_404(user=request.user, pk=pk)
    access_log_child_read(request=request, child_id=case.child_id, view="cases:detail")
    return _render_detail(request, case, case_access(user=request.user, case=case))


@require_GET
def case_file_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The case file as a PDF — for a referral, a review, the paper file: the case page without the confidential
    notes, for those who manage the case. The read is logged like the page's."""
    case, _access = _case_for(request, pk, "manage")
    access_log_child_read(request=request, child_id=case.child_id, view="cases:file")
    today = timezone.localdate()
    context = {
        "case": case,
        "today": today,
        "printed_by": request.user,
        "assessments": assessment_views(case=case),
        "plan": plan_current(case=case),
        "interventions": case_interventions(case=case),
        "before_after": attendance_before_after(case=case, today=today),
        "visits": case_visits(case=case),
        "referrals": case_referrals(case=case),
        "notes": case_notes_visible_to(user=request.user, case=case)
        .filter(confidentiality=Confidentiality.TEAM)
        .select_related("author")
        .order_by("written_on", "pk"),
        "steps": case.steps.order_by("date", "pk"),
    }
    response = HttpResponse(case_file_pdf(context=context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fisa-caz-{case.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _case_for(request: AuthedRequest, pk: int, need: str) -> tuple[Case, CaseAccess]:
    case = case_get_for_user_or_404(user=request.user, pk=pk)
    access = case_access(user=request.user, case=case)
    _require(getattr(access, need))
    return case, access


def _saved(request: AuthedRequest, case: Case, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{case.get_absolute_url()}#{anchor}")


@require_http_methods(["GET", "POST"])
def assessment_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An intake or a reassessment; the form starts from the previous assessment so the changes stand out."""
    case, _access = _case_for(request, pk, "manage")
    previous = assessment_latest(case=case)
    initial: dict[str, Any] = {}
    if previous is not None:
        initial["risk_factors"] = previous.risk_factors
        for need in previous.needs.all():
            initial[f"level_{need.domain}"] = need.level
    form = AssessmentForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessment_record(
                    case=case,
                    assessed_on=form.cleaned_data["assessed_on"],
                    needs=form.needs(),
                    risk_factors=form.cleaned_data["risk_factors"],
                    summary=form.cleaned_data["summary"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return _saved(request, case, _("Evaluarea a fost salvată."), "evaluari")
        status = 400
    access_log_child_read(request=request, child_id=case.child_id, view="cases:assessment")
    return render(request, "cases/assessment.html", {"case": case, "form": form, "previous": previous}, status=status)


@require_http_methods(["GET", "POST"])
def plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new intervention plan (it replaces the current one, which stays as history)."""
    case, _access = _case_for(request, pk, "manage")
    form = PlanForm(request.POST or None, types=intervention_types_active(county_code=case.school.county_code))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan_create(
                    case=case,
                    drawn_up_on=form.cleaned_data["drawn_up_on"],
                    goals=form.cleaned_data["goals"],
                    services=form.services(),
                    review_every_months=form.cleaned_data["review_every_months"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return _saved(request, case, _("Planul de intervenție a fost salvat."), "plan")
        status = 400
    access_log_child_read(request=request, child_id=case.child_id, view="cases:plan")
    return render(
        request, "cases/plan.html", {"case": case, "form": form, "current": plan_current(case=case)}, status=status
    )


@require_POST
def plan_review_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, access = _case_for(request, pk, "manage")
    plan = plan_current(case=case)
    if plan is None:
        raise Http404
    form = PlanReviewForm(request.POST, prefix=REVIEW_PREFIX)
    if form.is_valid():
        try:
            plan_review(
                plan=plan,
                reviewed_on=form.cleaned_data["reviewed_on"],
                notes=form.cleaned_data["notes"],
                next_review_on=form.cleaned_data["next_review_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Revizuirea planului a fost salvată."), "plan")
    return _render_detail(request, case, access, 400, review_form=form)


@require_POST
def intervention_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, access = _case_for(request, pk, "field")
    form = InterventionForm(request.POST, types=intervention_types_active(county_code=case.school.county_code))
    if form.is_valid():
        data = form.cleaned_data
        try:
            intervention_record(
                case=case,
                kind=data["type"],
                delivered_on=data["delivered_on"],
                recipient=data["recipient"],
                quantity=data["quantity"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Intervenția a fost înregistrată."), "interventii")
    return _render_detail(request, case, access, 400, intervention_form=form)


@require_POST
def visit_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A visit made (it closes the alert it answers) or a visit planned."""
    case, access = _case_for(request, pk, "field")
    form = VisitForm(request.POST, alerts=_open_alerts(request, case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["visited_on"]:
                visit = visit_record(
                    case=case,
                    visited_on=data["visited_on"],
                    outcome=data["outcome"],
                    parent_reached=data["parent_reached"],
                    alert=data["alert"],
                    actor=request.user,
                )
            else:
                visit = visit_plan(case=case, planned_on=data["planned_on"], actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if visit.status == HomeVisit.Status.PLANNED:
                message = _("Vizita a fost planificată.")
            elif visit.alert_id:
                message = _("Vizita a fost înregistrată; alerta la care răspunde este închisă.")
            else:
                message = _("Vizita a fost înregistrată.")
            return _saved(request, case, message, "vizite")
    return _render_detail(request, case, access, 400, visit_form=form)


@require_POST
def intervention_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove an intervention recorded by mistake (its recorder, or whoever manages the case), with a reason."""
    intervention = get_object_or_404(
        Intervention.objects.filter(case__in=case_list_visible_to(user=request.user)), pk=pk
    )
    assert intervention.case_id is not None  # only a case's interventions are in scope here
    case, access = _case_for(request, intervention.case_id, "field")
    if not can_remove_intervention(user=request.user, intervention=intervention, access=access):
        raise Http404
    form = InterventionRemoveForm(request.POST, prefix=f"i{intervention.pk}")
    if form.is_valid():
        try:
            intervention_remove(
                intervention=intervention,
                reason=form.cleaned_data["reason"],
                access=access,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_detail(request, case, access, 400)
        return _saved(request, case, _("Intervenția a fost anulată."), "interventii")
    messages.error(request, _("Alegeți motivul anulării."))
    return _render_detail(request, case, access, 400)


@require_POST
def visit_done_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The outcome of a planned visit; it answers (and closes) the child's open home-visit alert, if there is one."""
    visit = get_object_or_404(HomeVisit.objects.filter(case__in=case_list_visible_to(user=request.user)), pk=pk)
    case, access = _case_for(request, visit.case_id, "field")
    form = VisitDoneForm(request.POST, prefix=f"v{visit.pk}")
    if form.is_valid():
        try:
            visit_record(
                case=case,
                visit=visit,
                visited_on=form.cleaned_data["visited_on"],
                outcome=form.cleaned_data["outcome"],
                parent_reached=form.cleaned_data["parent_reached"],
                alert=_open_alerts(request, case).filter(step__code="home-visit").first(),
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_detail(request, case, access, 400)
        return _saved(request, case, _("Vizita a fost înregistrată."), "vizite")
    messages.error(request, _("Scrieți data și rezultatul vizitei."))
    return _render_detail(request, case, access, 400)


@require_POST
def referral_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, access = _case_for(request, pk, "manage")
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            referral_create(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Sesizarea a fost înregistrată."), "sesizari")
    return _render_detail(request, case, access, 400, referral_form=form)


@require_POST
def referral_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.filter(case__in=case_list_visible_to(user=request.user)), pk=pk)
    case, access = _case_for(request, referral.case_id, "manage")
    form = ReferralAnswerForm(request.POST, prefix=f"r{referral.pk}")
    if form.is_valid():
        try:
            referral_answer(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_detail(request, case, access, 400)
        return _saved(request, case, _("Răspunsul a fost înregistrat."), "sesizari")
    messages.error(request, _("Scrieți data și răspunsul instituției."))
    return _render_detail(request, case, access, 400)


@require_POST
def referral_due_view(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.filter(case__in=case_list_visible_to(user=request.user)), pk=pk)
    case, access = _case_for(request, referral.case_id, "manage")
    form = ReferralDueForm(request.POST, prefix=f"t{referral.pk}")
    if form.is_valid():
        try:
            referral_set_due(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_detail(request, case, access, 400)
        return _saved(request, case, _("Termenul de răspuns a fost schimbat."), "sesizari")
    messages.error(request, _("Scrieți noul termen de răspuns."))
    return _render_detail(request, case, access, 400)


@require_POST
def note_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, access = _case_for(request, pk, "field")
    form = NoteForm(request.POST, confidential=access.confidential)
    if form.is_valid():
        try:
            case_note_add(
                case=case, may_write_confidential=access.confidential, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Nota a fost adăugată."), "note")
    return _render_detail(request, case, access, 400, note_form=form)


@require_POST
def transition_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Active, monitoring, or reopening a closed case (closing has its own request and approval)."""
    case, access = _case_for(request, pk, "manage")
    form = TransitionForm(request.POST, choices=_transition_choices(case), prefix=TRANSITION_PREFIX)
    if form.is_valid():
        try:
            case_transition(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Starea cazului a fost schimbată."), "stare")
    return _render_detail(request, case, access, 400, transition_form=form)


@require_POST
def close_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, access = _case_for(request, pk, "manage")
    form = CloseRequestForm(request.POST, prefix=CLOSE_PREFIX)
    if form.is_valid():
        try:
            case_close_request(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Închiderea a fost cerută; coordonatorul județean o aprobă."), "stare")
    return _render_detail(request, case, access, 400, close_form=form)


@require_POST
def close_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The county coordinator approves or rejects a requested closure."""
    case, access = _case_for(request, pk, "approve")
    form = CloseApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alegeți dacă aprobați sau respingeți închiderea."))
        return _render_detail(request, case, access, 400)
    try:
        if form.cleaned_data["decision"] == "approve":
            case_close_approve(case=case, on=timezone.localdate(), actor=request.user)
            message = _("Cazul a fost închis.")
        else:
            case_close_reject(case=case, actor=request.user)
            message = _("Cererea de închidere a fost respinsă; cazul continuă.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_detail(request, case, access, 400)
    return _saved(request, case, message, "stare")


@require_POST
def reassign_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The county or school coordinator moves the case to another case worker who sees the child."""
    case, access = _case_for(request, pk, "reassign")
    form = ReassignForm(request.POST, candidates=reassign_candidates(case=case), prefix=REASSIGN_PREFIX)
    if form.is_valid():
        try:
            case_reassign(case=case, access=access, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, case, _("Cazul a fost mutat la noul responsabil."), "responsabil")
    return _render_detail(request, case, access, 400, reassign_form=form)


@require_POST
def hand_over_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hand the case over to the school or to SPAS (closed at once by the county coordinator, otherwise a closure
    request)."""
    case, access = _case_for(request, pk, "manage")
    form = HandOverForm(request.POST, prefix=HANDOVER_PREFIX)
    if form.is_valid():
        try:
            case = case_hand_over(case=case, access=access, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            message = (
                _("Cazul a fost predat și închis.")
                if case.is_closed
                else _("Predarea a fost înregistrată; coordonatorul județean aprobă închiderea.")
            )
            return _saved(request, case, message, "stare")
    return _render_detail(request, case, access, 400, handover_form=form)


# -- the catalogue ---------------------------------------------------------------------------------------------


def _catalogue_county(request: AuthedRequest) -> str:
    """The county whose catalogue the coordinator keeps (their first, by code, if they coordinate several)."""
    _require(can_configure_intervention_catalogue(user=request.user))
    return sorted(scope_for(request.user).counties(*CATALOGUE_ROLES))[0]


@require_http_methods(["GET", "POST"])
def catalogue_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator's catalogue of intervention types, their county's own: add a type, switch one off or
    on, copy in the shared defaults."""
    county = _catalogue_county(request)
    form = InterventionTypeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("defaults"):
            created = intervention_types_load_defaults(county_code=county, actor=request.user)
            messages.success(request, _("Tipuri adăugate din catalogul implicit: %(n)d.") % {"n": created})
            return redirect("cases:catalogue")
        if form.is_valid():
            try:
                intervention_type_create(county_code=county, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Tipul de intervenție a fost adăugat."))
                return redirect("cases:catalogue")
        status = 400
    types = intervention_types_of(county_code=county)
    return render(request, "cases/catalogue.html", {"form": form, "types": types}, status=status)


@require_POST
def catalogue_toggle_view(request: AuthedRequest, pk: int) -> HttpResponse:
    county = _catalogue_county(request)
    kind = get_object_or_404(InterventionType, pk=pk, county_code=county)  # another county's type is not found
    intervention_type_set_active(kind=kind, active=not kind.is_active, actor=request.user)
    messages.success(request, _("Catalogul a fost actualizat."))
    return redirect("cases:catalogue")
