"""The county coordinator's backtest page: the rule set in force scored on a past date against what Prezent
recorded by the year's end, beside weights fitted on the same pupils; a button saves the fit as a proposed
version (adopted, or not, on the rules page)."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.risk.backtest.fitting import fit
from prezent.risk.backtest.forms import BacktestForm
from prezent.risk.backtest.metrics import Estimate, criterion_label, section
from prezent.risk.backtest.permissions import can_view_backtest
from prezent.risk.backtest.sample import sample_score
from prezent.risk.backtest.selectors import backtest_history
from prezent.risk.backtest.services import rule_set_propose
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA
from prezent.risk.selectors import rule_set_bands, rule_set_criteria, rule_set_current

PAGE_BOOTSTRAP = 200  # the page's intervals: fewer bootstrap draws than the command, to answer in a request


@require_http_methods(["GET", "POST"])
def backtest_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_backtest(user=request.user):
        raise Http404
    county = sorted(scope_for(request.user).counties(Role.COUNTY_COORDINATOR))[0]
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else (request.GET if "on" in request.GET else None)
    form = BacktestForm(data, initial={"on": today - datetime.timedelta(days=60)})
    context: dict[str, object] = {"form": form, "county": county}
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"]
        base = rule_set_current(county_code=county)
        criteria = rule_set_criteria(rule_set=base) if base else list(DEFAULT_CRITERIA)
        bands = rule_set_bands(rule_set=base) if base else DEFAULT_BANDS
        history = backtest_history(county_code=county, on=on, today=today)
        if history is None:
            context["empty"] = True
        else:
            scores = sample_score(history.sample.indicators, criteria, bands)
            fitted = fit(scores, history.sample.outcome)
            if request.method == "POST":
                if fitted is None or base is None:
                    raise Http404
                proposal = rule_set_propose(
                    base=base,
                    criteria=fitted.proposed,
                    bands=fitted.bands,
                    note=_("Puncte potrivite pe elevii din %(on)s (%(n)s elevi).")
                    % {"on": on.strftime("%d.%m.%Y"), "n": len(history.sample.outcome)},
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Propunerea a fost salvată ca versiunea %(v)s; o puteți adopta din pagina regulilor.")
                    % {"v": proposal.version},
                )
                return redirect("risk:rules")
            rules = section(history.sample.outcome, scores, bootstrap=PAGE_BOOTSTRAP)
            fit_top: list[Estimate | None] = list(fitted.top.values()) if fitted else [None] * len(rules.top)
            context.update(
                history=history,
                rules=rules,
                top_rows=[(f.label, f.precision, e) for f, e in zip(rules.top, fit_top, strict=True)],
                fitted=fitted,
                base=base,
                proposed=[(criterion_label(c), c.points) for c in fitted.proposed] if fitted else [],
            )
    return render(request, "risk/backtest/backtest.html", context)
