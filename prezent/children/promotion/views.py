from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.children.promotion.forms import RepeatersForm, YearOpenForm
from prezent.children.promotion.permissions import can_edit_repeaters
from prezent.children.promotion.selectors import (
    Opening,
    repeater_enrolments,
    school_year_opening_preview,
    year_open_initial,
)
from prezent.children.promotion.services import enrolment_repeaters_mark, school_year_start
from prezent.schools.permissions import can_open_school_year
from prezent.schools.selectors import class_get_for_user_or_404


@require_http_methods(["GET", "POST"])
def year_open_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator opens a school year: first a preview (the calendar and, school by school, what
    promotion will do), then the confirmation."""
    counties = sorted(scope_for(request.user).counties(Role.COUNTY_COORDINATOR))
    if not counties:
        raise Http404
    form = YearOpenForm(
        request.POST if request.method == "POST" else None,
        counties=counties,
        initial=year_open_initial(county_code=counties[0]),
    )
    if request.method == "GET":
        return render(request, "children/promotion/year_open.html", {"form": form})
    if not form.is_valid():
        return render(request, "children/promotion/year_open.html", {"form": form}, status=400)
    data = form.cleaned_data
    if not can_open_school_year(user=request.user, county_code=data["county_code"]):
        raise Http404
    choice = {
        "county_code": data["county_code"],
        "name": data["name"],
        "february_monday": data["february_monday"],
        "promote": data["promote"],
    }
    try:
        opening = school_year_opening_preview(**choice)
        if "confirm" in request.POST and not (data["promote"] and opening.refusal):
            opening = school_year_start(**choice, actor=request.user)
            return _opened(request, opening)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "children/promotion/year_open.html", {"form": form}, status=400)
    return render(request, "children/promotion/year_open.html", {"form": form, "opening": opening})


def _opened(request: AuthedRequest, opening: Opening) -> HttpResponse:
    if opening.created:
        messages.success(request, _("Anul școlar %(name)s a fost deschis.") % {"name": opening.draft.name})
    else:
        messages.info(
            request,
            _("Anul școlar %(name)s exista deja: calendarul nu a fost schimbat.") % {"name": opening.draft.name},
        )
    if opening.plan is not None:
        messages.success(
            request,
            _(
                "Elevi trecuți în clasa următoare: %(promoted)d; absolvenți: %(graduating)d; repetenți: "
                "%(repeating)d; clase noi: %(classes)d."
            )
            % {
                "promoted": opening.plan.promoted,
                "graduating": opening.plan.graduating,
                "repeating": opening.plan.repeating,
                "classes": len(opening.plan.new_classes),
            },
        )
    return redirect("schools:years")


@require_http_methods(["GET", "POST"])
def repeaters_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The school marks the pupils of a class who repeat the grade next year, before promotion."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    if not can_edit_repeaters(user=request.user, class_group=group):
        raise Http404
    enrolments = list(repeater_enrolments(class_group=group))
    marked = [e.child_id for e in enrolments if e.repeats_next_year]
    form = RepeatersForm(
        request.POST if request.method == "POST" else None,
        child_ids=[e.child_id for e in enrolments],
        initial={"repeaters": marked},
    )
    if request.method == "POST" and form.is_valid():
        count = enrolment_repeaters_mark(
            class_group=group, child_ids=set(form.cleaned_data["repeaters"]), actor=request.user
        )
        messages.success(request, _("Repetenți marcați în clasă: %(n)d.") % {"n": count})
        return redirect(group.get_absolute_url())
    checked = {int(v) for v in (form["repeaters"].value() or [])}
    rows = [(e, e.child_id in checked) for e in enrolments]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "children/promotion/repeaters.html", {"group": group, "rows": rows, "form": form}, status=status
    )
