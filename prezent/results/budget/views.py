"""The programme's budget: planned and spent per line and period (EUR and RON), the exchange rate, the unit costs
of services, the costs with their invoices. Read by whoever reads the results; changed by the county
coordinator only. Money only: no page here shows a child."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.activities.campaign.services import evidence_max_bytes
from prezent.activities.forms import add_service_errors
from prezent.programme.models import Programme
from prezent.results.budget.forms import CostForm, InvoiceForm, LineForm, PlanForm, RateForm, UnitCostForm
from prezent.results.budget.models import Cost
from prezent.results.budget.permissions import can_manage_budget
from prezent.results.budget.selectors import (
    budget_line_get_or_404,
    budget_line_list,
    budget_plan_get_or_404,
    budget_plans_open,
    budget_programme_for_user_or_404,
    budget_table,
    cost_get_or_404,
    cost_list,
    cost_subjects,
    invoice_get_or_404,
    locked_period_holding,
    unit_cost_get_or_404,
    unit_cost_list,
)
from prezent.results.budget.services import (
    budget_line_create,
    budget_line_delete,
    budget_plan_delete,
    budget_plan_set,
    budget_rate_set,
    cost_delete,
    cost_edit,
    cost_record,
    invoice_add,
    invoice_delete,
    invoice_storage,
    unit_cost_delete,
    unit_cost_set,
)
from prezent.results.models import ReportingPeriod

COST_LIMIT = 200


def _open_periods(programme: Programme) -> QuerySet[ReportingPeriod]:
    return programme.periods.filter(status="open").order_by("end")


def _budget_page(request: AuthedRequest, programme: Programme, *, status: int = 200, **forms: object) -> HttpResponse:
    may_manage = can_manage_budget(user=request.user)
    table = budget_table(programme=programme)
    context: dict[str, object] = {"programme": programme, "table": table, "may_manage": may_manage}
    context["unit_costs"] = list(unit_cost_list(programme=programme))
    if may_manage:
        locked_ends = [p.end for p in table.periods if p.is_locked]
        context["last_locked_end"] = max(locked_ends) if locked_ends else None
        context["open_plans"] = list(budget_plans_open(programme=programme))
        context["rate_form"] = forms.get("rate_form") or RateForm(initial={"ron_per_eur": table.ron_per_eur})
        context["line_form"] = forms.get("line_form") or LineForm()
        context["plan_form"] = forms.get("plan_form") or _plan_form(programme)
        context["unit_cost_form"] = forms.get("unit_cost_form") or UnitCostForm()
    return render(request, "results/budget/budget.html", context, status=status)


def _manager_programme(request: AuthedRequest) -> Programme:
    if not can_manage_budget(user=request.user):
        raise Http404
    return budget_programme_for_user_or_404(user=request.user)


@require_GET
def budget_view(request: AuthedRequest) -> HttpResponse:
    """Planned vs spent per line and period; a locked period shows the spending stored when it was locked."""
    programme = budget_programme_for_user_or_404(user=request.user)
    return _budget_page(request, programme)


def _budget_form_post(
    request: AuthedRequest,
    programme: Programme,
    form: django_forms.Form,
    *,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    saved: str,
) -> HttpResponse:
    """The budget page's small forms share one flow: valid and accepted by the service → back to the page with a
    message; otherwise the page again, 400, this form with what was typed and its errors."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("results:budget")
    return _budget_page(request, programme, status=400, **{form_name: form})


@require_POST
def budget_rate_view(request: AuthedRequest) -> HttpResponse:
    programme = _manager_programme(request)
    return _budget_form_post(
        request,
        programme,
        RateForm(request.POST),
        form_name="rate_form",
        save=lambda data: budget_rate_set(programme=programme, ron_per_eur=data["ron_per_eur"], actor=request.user),
        saved=_("Cursul de schimb a fost salvat."),
    )


@require_POST
def budget_line_create_view(request: AuthedRequest) -> HttpResponse:
    programme = _manager_programme(request)
    return _budget_form_post(
        request,
        programme,
        LineForm(request.POST),
        form_name="line_form",
        save=lambda data: budget_line_create(programme=programme, actor=request.user, **data),
        saved=_("Linia de buget a fost adăugată."),
    )


def _plan_form(programme: Programme, data: object = None) -> PlanForm:
    return PlanForm(data, lines=budget_line_list(programme=programme), periods=_open_periods(programme))  # type: ignore[arg-type]


@require_POST
def budget_plan_view(request: AuthedRequest) -> HttpResponse:
    programme = _manager_programme(request)
    return _budget_form_post(
        request,
        programme,
        _plan_form(programme, request.POST),
        form_name="plan_form",
        save=lambda data: budget_plan_set(actor=request.user, **data),
        saved=_("Suma planificată a fost salvată."),
    )


@require_POST
def budget_unit_cost_view(request: AuthedRequest) -> HttpResponse:
    programme = _manager_programme(request)
    return _budget_form_post(
        request,
        programme,
        UnitCostForm(request.POST),
        form_name="unit_cost_form",
        save=lambda data: unit_cost_set(programme=programme, actor=request.user, **data),
        saved=_("Costul unitar a fost salvat."),
    )


@require_GET
def cost_list_view(request: AuthedRequest) -> HttpResponse:
    """The newest costs with their line, what they were for and their invoices."""
    programme = budget_programme_for_user_or_404(user=request.user)
    costs = list(cost_list(programme=programme)[: COST_LIMIT + 1])
    return render(
        request,
        "results/budget/costs.html",
        {
            "programme": programme,
            "costs": costs[:COST_LIMIT],
            "more": len(costs) > COST_LIMIT,
            "limit": COST_LIMIT,
            "may_manage": can_manage_budget(user=request.user),
        },
    )


def _cost_form(programme: Programme, data: object = None, **kwargs: object) -> CostForm:
    return CostForm(
        data,  # type: ignore[arg-type]
        lines=budget_line_list(programme=programme),
        subjects=cost_subjects(programme=programme),
        **kwargs,  # type: ignore[arg-type]
    )


@require_http_methods(["GET", "POST"])
def cost_create_view(request: AuthedRequest) -> HttpResponse:
    programme = _manager_programme(request)
    form = _cost_form(programme, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                cost = cost_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Cheltuiala a fost înregistrată."))
                return redirect("results:budget_cost_edit", pk=cost.pk)
        return _cost_page(request, programme, form, cost=None, status=400)
    return _cost_page(request, programme, form, cost=None)


def _cost_page(
    request: AuthedRequest,
    programme: Programme,
    form: CostForm,
    *,
    cost: Cost | None,
    invoice_form: InvoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    locked = locked_period_holding(programme=programme, day=cost.date) if cost else None
    return render(
        request,
        "results/budget/cost.html",
        {
            "programme": programme,
            "form": form,
            "cost": cost,
            "locked": locked,
            "invoices": list(cost.invoices.all()) if cost else [],
            "invoice_form": invoice_form or InvoiceForm(),
            "max_bytes": evidence_max_bytes(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def cost_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct a cost and add its invoices; a cost in a locked period is shown, not changed."""
    programme = _manager_programme(request)
    cost = cost_get_or_404(programme=programme, pk=pk)
    if request.method == "POST":
        form = _cost_form(programme, request.POST)
        if form.is_valid():
            try:
                cost_edit(cost=cost, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Cheltuiala a fost modificată."))
                return redirect("results:budget_cost_edit", pk=cost.pk)
        return _cost_page(request, programme, form, cost=cost, status=400)
    return _cost_page(request, programme, _cost_form(programme, initial=_initial(cost)), cost=cost)


def _initial(cost: Cost) -> dict:
    return {
        "line": cost.line_id,
        "date": cost.date,
        "amount_eur": cost.amount_eur,
        "description": cost.description,
        "activity": cost.activity_id,
        "course": cost.course_id,
        "campaign_event": cost.campaign_event_id,
    }


@require_POST
def invoice_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an invoice to a cost; a wrong type or a file too large is refused with the reason."""
    programme = _manager_programme(request)
    cost = cost_get_or_404(programme=programme, pk=pk)
    form = InvoiceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            invoice_add(cost=cost, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Factura a fost adăugată."))
            return redirect("results:budget_cost_edit", pk=cost.pk)
    return _cost_page(
        request, programme, _cost_form(programme, initial=_initial(cost)), cost=cost, invoice_form=form, status=400
    )


@require_GET
def invoice_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    """An invoice, to whoever reads the budget; served from private storage, never from a public URL."""
    programme = budget_programme_for_user_or_404(user=request.user)
    invoice = invoice_get_or_404(programme=programme, pk=pk)
    response = FileResponse(
        invoice_storage().open(invoice.storage_name, "rb"),
        content_type=invoice.content_type,
        as_attachment=True,
        filename=invoice.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _delete(
    request: AuthedRequest,
    delete: Callable[[], object],
    *,
    done: str,
    to: str,
    refused_to: HttpResponse | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """A deletion (asked for with two clicks: "Șterge", then the button that names what goes): done → a message and
    `to`; refused by the service → the reason, and `refused_to` (by default the same page)."""
    try:
        delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if refused_to is not None:
            return refused_to
    else:
        messages.success(request, done)
    return redirect(to, **kwargs)


@require_POST
def budget_line_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a line added by mistake (with its planned amounts); refused while it has costs or a locked period."""
    programme = _manager_programme(request)
    line = budget_line_get_or_404(programme=programme, pk=pk)
    return _delete(
        request,
        lambda: budget_line_delete(line=line, actor=request.user),
        done=_("Linia de buget a fost ștearsă."),
        to="results:budget",
    )


@require_POST
def budget_plan_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = _manager_programme(request)
    plan = budget_plan_get_or_404(programme=programme, pk=pk)
    return _delete(
        request,
        lambda: budget_plan_delete(plan=plan, actor=request.user),
        done=_("Suma planificată a fost ștearsă."),
        to="results:budget",
    )


@require_POST
def budget_unit_cost_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = _manager_programme(request)
    unit_cost = unit_cost_get_or_404(programme=programme, pk=pk)
    return _delete(
        request,
        lambda: unit_cost_delete(unit_cost=unit_cost, actor=request.user),
        done=_("Costul unitar a fost șters."),
        to="results:budget",
    )


@require_POST
def cost_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a cost with its invoices; back to the list when done, to the cost with the reason when refused."""
    programme = _manager_programme(request)
    cost = cost_get_or_404(programme=programme, pk=pk)
    return _delete(
        request,
        lambda: cost_delete(cost=cost, actor=request.user),
        done=_("Cheltuiala a fost ștearsă."),
        to="results:budget_costs",
        refused_to=redirect("results:budget_cost_edit", pk=cost.pk),
    )


@require_POST
def invoice_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = _manager_programme(request)
    invoice = invoice_get_or_404(programme=programme, pk=pk)
    return _delete(
        request,
        lambda: invoice_delete(invoice=invoice, actor=request.user),
        done=_("Factura a fost ștearsă."),
        to="results:budget_cost_edit",
        pk=invoice.cost_id,
    )
