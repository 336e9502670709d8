"""The county coordinator's backtest page: the rule set in force scored on a past date against what Prezent
recorded by the year's end, beside weights fitted on the same pupils; a button saves the fit as a proposed
version (adopted, or not, on the rules page).

A backtest takes seconds to minutes, so the form asks for it (`backtest_request`) and a background task computes it
once the request's transaction commits (prezent/risk/tasks.py); the page of the run says "în lucru" and asks again
every few seconds (htmx) until the figures are there."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.risk.backtest.forms import BacktestForm
from prezent.risk.backtest.permissions import can_view_backtest
from prezent.risk.backtest.selectors import backtest_run_visible_to
from prezent.risk.backtest.services import backtest_propose, backtest_request
from prezent.risk.models import BacktestRun, BacktestStatus, Indicator, Operator
from prezent.risk.tasks import backtest_task


def criterion_words(indicator: str, operator: str, threshold: float) -> str:
    """A criterion in the words of the rules page: "ore nemotivate în anul școlar ≥ 20" (the code if unknown)."""
    name = str(Indicator(indicator).label) if indicator in Indicator.values else indicator
    sign = str(Operator(operator).label) if operator in Operator.values else operator
    return f"{name} {sign} {float(threshold):g}"


def _run_context(run: BacktestRun) -> dict[str, Any]:
    """The stored figures, with the criteria in words."""
    result = run.result
    context: dict[str, Any] = {"run": run, "result": result}
    if run.status != BacktestStatus.DONE or result.get("empty"):
        return context
    context["firing"] = [
        (criterion_words(i, o, t), points, with_outcome, without_outcome)
        for i, o, t, points, with_outcome, without_outcome in result["firing"]
    ]
    fitted = result.get("fit")
    if fitted:
        context["proposed"] = [(criterion_words(i, o, t), points) for i, o, t, points in fitted["proposed"]]
        context["removed"] = [criterion_words(i, o, t) for i, o, t, _points in fitted["removed"]]
    return context


def _queue_after_commit(run: BacktestRun) -> None:
    """Hand the run to the background task once the transaction commits (in a worker when a broker is configured,
    at once in this request otherwise)."""
    run_id = run.pk
    transaction.on_commit(lambda: backtest_task.delay(run_id))


@require_http_methods(["GET", "POST"])
def backtest_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_backtest(user=request.user):
        raise Http404
    county = sorted(scope_for(request.user).counties(Role.COUNTY_COORDINATOR))[0]
    today = timezone.localdate()
    run = None
    if "run" in request.GET or "run" in request.POST:
        raw = request.POST.get("run") if request.method == "POST" else request.GET.get("run")
        run = backtest_run_visible_to(user=request.user, pk=int(raw)) if raw and raw.isdigit() else None
        if run is None:
            raise Http404
    if request.method == "POST" and run is not None:
        return _save_proposal(request, run)
    if request.method == "POST":
        form = BacktestForm(request.POST)
        if form.is_valid():
            run, new = backtest_request(county_code=county, on=form.cleaned_data["on"], today=today, actor=request.user)
            if new:
                _queue_after_commit(run)
            return redirect(f"{reverse('risk:backtest')}?run={run.pk}")
    else:
        initial = run.on if run is not None else today - datetime.timedelta(days=60)
        form = BacktestForm(initial={"on": initial})
    context: dict[str, Any] = {"form": form, "county": county}
    if run is not None:
        context.update(_run_context(run))
        if request.htmx:
            return render(request, "risk/backtest/backtest.html#run", context)
    return render(request, "risk/backtest/backtest.html", context)


def _save_proposal(request: AuthedRequest, run: BacktestRun) -> HttpResponse:
    try:
        proposal = backtest_propose(run=run, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('risk:backtest')}?run={run.pk}")
    messages.success(
        request,
        _("Propunerea a fost salvată ca versiunea %(v)s; o puteți adopta din pagina regulilor.")
        % {"v": proposal.version},
    )
    return redirect("risk:rules")
