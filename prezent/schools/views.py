from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.schools.forms import ModuleFormSet, NonSchoolDayFormSet, SchoolYearAssumptionsForm
from prezent.schools.selectors import (
    class_list_visible_to,
    school_get_for_user_or_404,
    school_list_visible_to,
    school_year_list_editable_by,
)
from prezent.schools.services import school_year_calendar_save


def school_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    schools = school_list_visible_to(user=request.user)
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(siiir_code__startswith=query))
    page = Paginator(schools.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "schools/list.html", {"page": page, "query": query})


def school_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    school = school_get_for_user_or_404(user=request.user, pk=pk)
    today = timezone.localdate()
    classes = (
        class_list_visible_to(user=request.user)
        .filter(school=school, school_year__start__lte=today)
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__end__isnull=True)))
        .order_by("-school_year__start", "grade", "letter")
    )
    latest_year = classes[0].school_year if classes else None
    if latest_year:
        classes = classes.filter(school_year=latest_year)
    return render(request, "schools/detail.html", {"school": school, "classes": classes, "school_year": latest_year})


def school_year_list_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator's school years (the February holiday week is the county's to set)."""
    if not scope_for(request.user).has(Role.COUNTY_COORDINATOR):
        raise Http404
    years = school_year_list_editable_by(user=request.user).prefetch_related("modules")
    return render(request, "schools/years.html", {"years": years})


@require_http_methods(["GET", "POST"])
def school_year_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(school_year_list_editable_by(user=request.user), pk=pk)
    modules = ModuleFormSet(request.POST or None, instance=year, prefix="m")
    days = NonSchoolDayFormSet(request.POST or None, instance=year, prefix="d")
    note = SchoolYearAssumptionsForm(request.POST or None, initial={"assumptions": year.assumptions}, prefix="a")
    if request.method == "POST" and modules.is_valid() and days.is_valid() and note.is_valid():
        school_year_calendar_save(
            school_year=year,
            module_formset=modules,
            day_formset=days,
            assumptions=note.cleaned_data["assumptions"],
            actor=request.user,
        )
        messages.success(request, _("Calendarul anului școlar a fost salvat."))
        return redirect("schools:years")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "schools/year_edit.html", {"year": year, "modules": modules, "days": days, "note": note}, status=status
    )
