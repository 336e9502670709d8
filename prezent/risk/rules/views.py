"""The county coordinator's rule set: read the version in force, edit it into a new version, recompute."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.risk.backtest.services import rule_set_adopt
from prezent.risk.models import RuleSet
from prezent.risk.rules.forms import CriterionFormSet, RuleSetForm
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import rule_set_current
from prezent.risk.services import risk_defaults_load, rule_set_new_version
from prezent.risk.tasks import recompute_risk_task


def _county_or_404(request: AuthedRequest) -> str:
    counties = sorted(scope_for(request.user).counties(Role.COUNTY_COORDINATOR))
    if not counties:
        raise Http404
    return counties[0]


@require_http_methods(["GET", "POST"])
def rules_view(request: AuthedRequest) -> HttpResponse:
    """The rule set in force, its earlier versions, and the form that saves an edit as the next version."""
    county = _county_or_404(request)
    current = rule_set_current(county_code=county) or risk_defaults_load(county_code=county)
    initial = [
        {"indicator": c.indicator, "operator": c.operator, "threshold": c.threshold, "points": c.points}
        for c in current.criteria.all()
    ]
    form = RuleSetForm(
        request.POST or None,
        initial={
            "name": current.name,
            "low_from": current.low_from,
            "medium_from": current.medium_from,
            "high_from": current.high_from,
        },
    )
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        criteria = [
            Criterion(
                indicator=f.cleaned_data["indicator"],
                operator=f.cleaned_data["operator"],
                threshold=float(f.cleaned_data["threshold"]),
                points=f.cleaned_data["points"],
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        new = rule_set_new_version(
            base=current,
            county_code=county,
            name=data["name"],
            criteria=criteria,
            bands=Bands(low_from=data["low_from"], medium_from=data["medium_from"], high_from=data["high_from"]),
            note=data["note"],
            actor=request.user,
        )
        messages.success(
            request,
            _("A fost salvată versiunea %(v)s. Recalculați scorurile ca să o aplicați.") % {"v": new.version},
        )
        return redirect("risk:rules")
    versions = (
        RuleSet.objects.filter(county_code=county)
        .select_related("created_by")
        .prefetch_related("criteria")
        .order_by("-version")[:20]
    )
    return render(
        request,
        "risk/rules/rule_set.html",
        {"current": current, "form": form, "formset": formset, "versions": versions},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def recompute_view(request: AuthedRequest) -> HttpResponse:
    """Recompute every child's score in the county with the rule set in force (in the background when a
    worker runs; in this request otherwise)."""
    county = _county_or_404(request)
    recompute_risk_task.delay(school_id=None, on=timezone.localdate().isoformat(), county_code=county)
    messages.success(request, _("Recalcularea scorurilor a pornit."))
    return redirect("risk:rules")


@require_POST
def adopt_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put a proposed version (points fitted by a backtest) in force: it is saved again as the next version."""
    county = _county_or_404(request)
    proposal = RuleSet.objects.filter(pk=pk, county_code=county, proposed=True).first()
    if proposal is None:
        raise Http404
    adopted = rule_set_adopt(proposal=proposal, actor=request.user)
    messages.success(
        request,
        _("Propunerea a fost adoptată ca versiunea %(v)s. Recalculați scorurile ca să o aplicați.")
        % {"v": adopted.version},
    )
    return redirect("risk:rules")
