"""Screening pages: the list with the "run a screening" form, a screening's proposals to confirm or dismiss, and
the comparison of two screenings."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import User
from prezent.programme.models import Programme, Screening, ScreeningDecision, ScreeningResult, ScreeningStatus
from prezent.programme.screening.forms import FLAGGED, ScreeningDecideForm, ScreeningFilterForm, ScreeningRunForm
from prezent.programme.screening.permissions import can_decide_screening_result, can_view_screenings
from prezent.programme.screening.selectors import (
    FLAGGED_DECISIONS,
    screening_counts_by_screening,
    screening_decision_counts,
    screening_get_for_user_or_404,
    screening_list_visible_to,
    screening_programmes_runnable_by,
    screening_result_get_for_user_or_404,
    screening_results_for_children,
    screening_results_visible_to,
    screening_school_choices,
    screening_schools_readable,
)
from prezent.programme.screening.services import screening_compare, screening_decide, screening_start
from prezent.programme.tasks import screening_execute_task

PAGE_SIZE = 50
COMPARE_LISTS = {
    "newly_proposed": gettext_lazy("Peste prag acum, nu și în evaluarea anterioară"),
    "no_longer_proposed": gettext_lazy("Nu mai sunt peste prag"),
    "level_up": gettext_lazy("Nivel de risc crescut"),
    "level_down": gettext_lazy("Nivel de risc scăzut"),
    "only_later": gettext_lazy("Doar în evaluarea nouă (elevi noi sau veniți)"),
    "only_earlier": gettext_lazy("Doar în evaluarea anterioară (plecați)"),
}


def _runnable_programme(request: AuthedRequest) -> Programme | None:
    programmes = screening_programmes_runnable_by(user=request.user)
    wanted = request.POST.get("program") or request.GET.get("program")
    if wanted and str(wanted).isdigit():
        return programmes.filter(pk=int(wanted)).first()
    return programmes.first()


def _run_form(request: AuthedRequest, programme: Programme | None) -> ScreeningRunForm | None:
    if programme is None:
        return None
    schools = screening_school_choices(user=request.user, programme=programme)
    return ScreeningRunForm(request.POST if request.method == "POST" else None, schools=schools)


def screening_list_view(request: AuthedRequest) -> HttpResponse:
    """Screenings the user may read, newest first, with their counts; the county coordinator's run form."""
    if not can_view_screenings(user=request.user):
        raise Http404
    screenings = (
        screening_list_visible_to(user=request.user).annotate(n_schools=Count("schools")).order_by("-run_on", "-pk")
    )
    page = Paginator(screenings, PAGE_SIZE).get_page(request.GET.get("page"))
    decisions = screening_counts_by_screening(user=request.user, screening_ids=[s.pk for s in page])
    for screening in page:
        screening.decision_counts = decisions[screening.pk]  # type: ignore[attr-defined]
    programme = _runnable_programme(request)
    return render(
        request,
        "programme/screening/list.html",
        {"page": page, "programme": programme, "form": _run_form(request, programme)},
    )


def _execute_after_commit(*, screening: Screening, actor: User) -> None:
    """Hand the recorded screening to the background task once the transaction commits (in a worker when a broker
    is configured, at once in this request otherwise)."""
    screening_id, actor_id = screening.pk, actor.pk
    transaction.on_commit(lambda: screening_execute_task.delay(screening_id, actor_id))


@require_http_methods(["GET", "POST"])
def screening_run_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator screens the programme's schools (all or chosen) on a date."""
    programme = _runnable_programme(request)
    form = _run_form(request, programme)
    if programme is None or form is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            screening = screening_start(
                programme=programme,
                schools=data["schools"],
                on=data["run_on"],
                actor=request.user,
                threshold_level=data["threshold_level"],
                delegate_to_schools=data["delegate_to_schools"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            _execute_after_commit(screening=screening, actor=request.user)
            screening.refresh_from_db()  # without a broker the task has already run
            messages.success(request, _run_message(screening))
            if request.htmx:
                return HttpResponseClientRedirect(screening.get_absolute_url())
            return redirect(screening)
    template = "programme/screening/run.html#run-form" if request.htmx else "programme/screening/run.html"
    return render(request, template, {"form": form, "programme": programme})


def _run_message(screening: Screening) -> str:
    if screening.status == ScreeningStatus.RUNNING:
        return _("Evaluarea a pornit. Pagina arată cât a avansat; propunerile apar pe măsură ce școlile sunt evaluate.")
    if screening.status == ScreeningStatus.FAILED:
        return _("Evaluarea s-a oprit din cauza unei erori; rezultatele de până atunci sunt păstrate.")
    return _(
        "Evaluarea a fost făcută în %(seconds)s s: %(scored)s copii evaluați, %(proposed)s propuși, "
        "%(in_group)s deja incluși în grupul țintă."
    ) % {
        "seconds": f"{screening.duration_ms / 1000:.1f}".replace(".", ","),
        "scored": screening.children_scored,
        "proposed": screening.children_proposed,
        "in_group": screening.children_in_group,
    }


def _decorate(request: AuthedRequest, results: list[ScreeningResult]) -> None:
    for result in results:
        proposed = result.decision == ScreeningDecision.PROPOSED
        result.may_decide = proposed and can_decide_screening_result(user=request.user, result=result)  # type: ignore[attr-defined]


def screening_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The screening's children at or above the threshold, grouped by school, highest points first, with the
    reasons in words; filters by school and decision; Confirm / Dismiss for those who may decide."""
    screening = screening_get_for_user_or_404(user=request.user, pk=pk)
    if request.htmx and "progres" in request.GET:
        if screening.status != ScreeningStatus.RUNNING:
            return HttpResponseClientRefresh()
        return render(request, "programme/screening/detail.html#progress", {"screening": screening})
    schools = list(screening_schools_readable(user=request.user, screening=screening))
    form = ScreeningFilterForm(request.GET, schools=schools)
    school_id, decision = None, str(ScreeningDecision.PROPOSED)
    if form.is_valid():
        school_id = form.cleaned_data["scoala"]
        decision = form.cleaned_data["decizie"] or decision
    decisions = FLAGGED_DECISIONS if decision == FLAGGED else (decision,)
    results = screening_results_visible_to(
        user=request.user, screening=screening, school_id=school_id, decisions=decisions
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(request, list(page))
    query = urlencode({k: v for k, v in (("scoala", school_id or ""), ("decizie", decision)) if v})
    return render(
        request,
        "programme/screening/detail.html",
        {
            "screening": screening,
            "schools": schools,
            "form": form,
            "school_id": school_id,
            "decision": decision,
            "page": page,
            "counts": screening_decision_counts(user=request.user, screening=screening, school_id=school_id),
            "decision_choices": [*ScreeningDecision.choices, (FLAGGED, _("toți cei peste prag"))],
            "query": query,
        },
    )


@require_POST
def screening_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm or dismiss one proposal, with a reason (county coordinator; the school's coordinator when the
    screening was delegated)."""
    result = screening_result_get_for_user_or_404(user=request.user, pk=pk)
    screening = result.screening
    if not can_decide_screening_result(user=request.user, result=result):
        raise Http404
    form = ScreeningDecideForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            result = screening_decide(
                result=result,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        result = screening_result_get_for_user_or_404(user=request.user, pk=pk)
        _decorate(request, [result])
        return render(
            request,
            "programme/screening/detail.html#result",
            {"result": result, "error": error, "screening": screening},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Decizia a fost înregistrată."))
    back = {k: request.POST[k] for k in ("scoala", "decizie", "page") if request.POST.get(k)}
    return redirect(screening.get_absolute_url() + (f"?{urlencode(back)}" if back else ""))


def screening_compare_view(request: AuthedRequest) -> HttpResponse:
    """Two screenings side by side: who is newly proposed, who is no longer, whose level changed."""
    if not can_view_screenings(user=request.user):
        raise Http404
    screenings = screening_list_visible_to(user=request.user).annotate(n_schools=Count("schools"))
    choices = list(screenings.order_by("-run_on", "-pk")[:100])
    context: dict[str, object] = {"choices": choices, "lists": COMPARE_LISTS}
    if len(choices) < 2:
        return render(request, "programme/screening/compare.html", context)
    earlier_id, later_id = request.GET.get("inainte", ""), request.GET.get("dupa", "")
    later = get_object_or_404(screenings, pk=int(later_id)) if later_id.isdigit() else choices[0]
    earlier = get_object_or_404(screenings, pk=int(earlier_id)) if earlier_id.isdigit() else choices[1]
    if (earlier.run_on, earlier.pk) > (later.run_on, later.pk):
        earlier, later = later, earlier
    comparison = screening_compare(earlier=earlier, later=later, user=request.user)
    chosen = request.GET.get("lista", "")
    chosen = chosen if chosen in COMPARE_LISTS else "newly_proposed"
    page = Paginator(comparison[chosen], PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page)
    before = screening_results_for_children(user=request.user, screening=earlier, child_ids=ids)
    after = screening_results_for_children(user=request.user, screening=later, child_ids=ids)
    context.update(
        {
            "earlier": earlier,
            "later": later,
            "counts": comparison["counts"],
            "chosen": chosen,
            "page": page,
            "rows": [(before.get(child_id), after.get(child_id)) for child_id in ids],
            "query": urlencode({"inainte": earlier.pk, "dupa": later.pk, "lista": chosen}),
        }
    )
    return render(request, "programme/screening/compare.html", context)
