"""The alert work lists: "my alerts", an alert with its follow-up, notices to parents, school and county overviews."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.permissions import can_view_children
from prezent.core.pagination import CappedPaginator
from prezent.core.services import access_log_child_read
from prezent.risk.alerts.forms import FollowUpForm, NoticeSendForm, WorklistFilterForm
from prezent.risk.alerts.notices import consent_for_contact, guardians_of, notice_letter_create, notice_send
from prezent.risk.alerts.permissions import can_dismiss_alert, can_view_county_overview
from prezent.risk.alerts.selectors import (
    COUNTY_SORTS,
    alert_get_for_user_or_404,
    alert_notes,
    alert_notices,
    alert_worklist,
    county_overview,
    overview_school_get_or_404,
    overview_school_list,
    school_overview,
)
from prezent.risk.alerts.services import alert_assign, alert_dismiss, alert_follow_up
from prezent.risk.alerts.steps import step_work
from prezent.risk.models import Alert, AlertStatus, Notice

PAGE_SIZE = 50


def _children_or_404(request: AuthedRequest) -> None:
    if not can_view_children(user=request.user):
        raise Http404


@require_GET
def alert_list_view(request: AuthedRequest) -> HttpResponse:
    """ "Alertele mele": the open alerts assigned to me or to my role, overdue first; filters for all, closed."""
    _children_or_404(request)
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    mine = filters.get("mine") or "1"
    alerts = alert_worklist(
        user=request.user,
        on=today,
        mine=mine != "0",
        status=filters.get("status") or "open",
        overdue=bool(filters.get("overdue")),
        unreached=mine == "unreached",
    )
    page = CappedPaginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    county_wide = can_view_county_overview(user=request.user)
    # a coordinator's county has dozens of schools: the county overview links them; others get their few schools
    schools = [] if county_wide else list(overview_school_list(user=request.user).order_by("name")[:20])
    return render(
        request,
        "risk/alerts/list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "schools": schools,
            "county_overview": county_wide,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _detail_context(request: AuthedRequest, alert: Alert, **extra: object) -> dict[str, object]:
    today = timezone.localdate()
    guardians = guardians_of(child=alert.child)
    guardian_rows = [
        (g, consent_for_contact(child=alert.child, guardian=g, on=today), bool(g.phone and g.phone_verified))
        for g in guardians
    ]
    context: dict[str, object] = {
        "alert": alert,
        "today": today,
        "is_open": alert.status != AlertStatus.CLOSED,
        "overdue": alert.status != AlertStatus.CLOSED and alert.due_on < today,
        "notes": alert_notes(alert=alert),
        "notices": alert_notices(alert=alert),
        "guardian_rows": guardian_rows,
        "follow_up_form": FollowUpForm(),
        "notice_form": NoticeSendForm(guardians=guardians),
        "may_dismiss": can_dismiss_alert(user=request.user, alert=alert),
        "action": _step_action(request, alert),
        "unreached": alert.status != AlertStatus.CLOSED
        and alert.assigned_to_id is None
        and alert.assignee_role != alert.step.assignee_role,
        "step_role": dict(Role.choices).get(alert.step.assignee_role, alert.step.assignee_role),
        "alert_role": dict(Role.choices).get(alert.assignee_role, alert.assignee_role),
        "may_take": alert.assigned_to_id != request.user.pk,
    }
    context.update(extra)
    return context


def _step_action(request: AuthedRequest, alert: Alert) -> tuple[str, str] | None:
    """The link to the page where the alert's step is done, carrying the alert, when the user may do it there (the
    app that owns the page registered it, prezent/risk/alerts/steps.py)."""
    work = step_work(alert.step.code)
    if alert.status == AlertStatus.CLOSED or work is None or work.action is None:
        return None
    return work.action(request.user, alert)


@require_GET
def alert_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    access_log_child_read(request=request, child_id=alert.child_id, view="risk:alert_detail")
    return render(request, "risk/alerts/detail.html", _detail_context(request, alert))


@require_POST
def alert_follow_up_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a contact note of any kind; it closes the alert as followed up."""
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            alert_follow_up(
                alert=alert,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                outcome=form.cleaned_data["outcome"],
                parent_reached=form.cleaned_data["parent_reached"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Contactul a fost înregistrat; alerta este închisă."))
            return redirect("risk:alert_list")
    context = _detail_context(request, alert, follow_up_form=form)
    return render(request, "risk/alerts/detail.html", context, status=400)


def _add_errors(form: FollowUpForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
def alert_assign_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Preiau eu": the alert goes on my list, in progress."""
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    try:
        alert_assign(alert=alert, user=request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alerta este acum pe lista dumneavoastră."))
    return redirect("risk:alert_detail", pk=alert.pk)


@require_POST
def alert_dismiss_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A coordinator closes an alert that needs no follow-up."""
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    if not can_dismiss_alert(user=request.user, alert=alert):
        raise Http404
    try:
        alert_dismiss(alert=alert, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alerta a fost închisă."))
    return redirect("risk:alert_detail", pk=alert.pk)


@require_POST
def alert_letter_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The written notice to the parents, as a PDF letter to print, sign and send."""
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    try:
        result = notice_letter_create(alert=alert, actor=request.user, language=request.POST.get("limba"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("risk:alert_detail", pk=alert.pk)
    response = HttpResponse(result.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="instiintare-{result.notice.pk}.pdf"'
    return response


@require_POST
def alert_notice_send_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An SMS or e-mail to a parent; refused (and recorded) without consent or a verified number."""
    alert = alert_get_for_user_or_404(user=request.user, pk=pk)
    form = NoticeSendForm(request.POST, guardians=guardians_of(child=alert.child))
    if not form.is_valid():
        messages.error(request, _("Alegeți părintele și canalul."))
        return redirect("risk:alert_detail", pk=alert.pk)
    try:
        result = notice_send(
            alert=alert,
            guardian=form.cleaned_data["guardian"],
            channel=form.cleaned_data["channel"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.sent:
            label = _("SMS-ul") if result.notice.channel == Notice.Channel.SMS else _("E-mailul")
            messages.success(request, _("%(what)s a fost trimis.") % {"what": label})
        else:
            messages.warning(request, result.refusal)
    return redirect(reverse("risk:alert_detail", kwargs={"pk": alert.pk}))


@require_GET
def school_overview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """One school: children by current risk level, open and overdue alerts per ladder step. Counts only."""
    school = overview_school_get_or_404(user=request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "risk/alerts/school_overview.html",
        {"overview": school_overview(school=school, on=today), "today": today},
    )


@require_GET
def county_overview_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator's table: per school, children by level, open and overdue alerts."""
    if not can_view_county_overview(user=request.user):
        raise Http404
    today = timezone.localdate()
    sort = request.GET.get("ordine") or "name"
    sort = sort if sort in COUNTY_SORTS else "name"
    shown = request.GET.get("scoli")
    overview = county_overview(user=request.user, on=today, programme_only=shown != "toate", sort=sort)
    if shown is None and not overview.has_programme:
        # a county whose schools are in no programme yet: all its schools, not an empty table
        shown = "toate"
        overview = county_overview(user=request.user, on=today, sort=sort)
    return render(
        request,
        "risk/alerts/county_overview.html",
        {
            "overview": overview,
            "today": today,
            "role": Role,
            "sort": sort,
            "shown": "toate" if shown == "toate" else "program",
        },
    )
