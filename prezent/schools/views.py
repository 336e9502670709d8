from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.schools.forms import ModuleFormSet, NetworkUploadForm, NonSchoolDayFormSet, SchoolYearAssumptionsForm
from prezent.schools.network_import import ImportReport, NetworkImportError
from prezent.schools.permissions import can_manage_network, network_counties
from prezent.schools.selectors import (
    class_list_visible_to,
    school_get_for_user_or_404,
    school_search,
    school_year_list_editable_by,
)
from prezent.schools.services import (
    network_upload_discard,
    network_upload_import,
    network_upload_preview,
    network_upload_store,
    school_year_calendar_save,
)

# The session keeps the pending upload's token, county and file name between the preview and the confirmation.
NETWORK_SESSION_KEY = "schools_network_upload"


def school_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    schools = school_search(user=request.user, query=query)
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/list.html",
        {"page": page, "query": query, "may_upload": can_manage_network(user=request.user)},
    )


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


def _network_page(
    request: AuthedRequest,
    form: NetworkUploadForm,
    *,
    errors: list[str] | None = None,
    report: ImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = request.session.get(NETWORK_SESSION_KEY) if report is not None else None
    return render(
        request,
        "schools/network_upload.html",
        {"form": form, "errors": errors or [], "report": report, "pending": pending},
        status=status,
    )


def _pending_discard(request: AuthedRequest) -> dict | None:
    pending = request.session.pop(NETWORK_SESSION_KEY, None)
    if isinstance(pending, dict):
        network_upload_discard(token=str(pending.get("token", "")))
        return pending
    return None


@require_http_methods(["GET", "POST"])
def network_upload_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator uploads the Ministry's school-network export; the page shows what the import would
    do (new and changed units, new localities, rows of other counties left out) or every bad line, and writes
    nothing until it is confirmed."""
    counties = network_counties(user=request.user)
    if not counties:
        raise Http404
    if request.method == "GET":
        return _network_page(request, NetworkUploadForm(counties=counties))
    form = NetworkUploadForm(request.POST, request.FILES, counties=counties)
    if not form.is_valid():
        return _network_page(request, form, status=400)
    _pending_discard(request)
    upload = form.cleaned_data["file"]
    county = form.cleaned_data["county"]
    try:
        token = network_upload_store(chunks=upload.chunks())
    except NetworkImportError as exc:
        return _network_page(request, form, errors=[str(e) for e in exc.errors], status=400)
    try:
        report = network_upload_preview(token=token, county_code=county, actor=request.user)
    except NetworkImportError as exc:
        network_upload_discard(token=token)
        return _network_page(request, form, errors=[str(e) for e in exc.errors], status=400)
    request.session[NETWORK_SESSION_KEY] = {"token": token, "county": county, "name": upload.name[:200]}
    return _network_page(request, form, report=report)


@require_POST
def network_confirm_view(request: AuthedRequest) -> HttpResponse:
    """Write the previewed file (checked again, all rows or none), or drop it."""
    counties = network_counties(user=request.user)
    if not counties:
        raise Http404
    pending = request.session.pop(NETWORK_SESSION_KEY, None)
    if not isinstance(pending, dict) or pending.get("county") not in counties:
        messages.error(request, _("Nu este niciun fișier de confirmat: încărcați fișierul rețelei școlare."))
        return redirect("schools:network_upload")
    token = str(pending.get("token", ""))
    if "cancel" in request.POST:
        network_upload_discard(token=token)
        messages.info(request, _("Importul a fost anulat; nu s-a scris nimic."))
        return redirect("schools:network_upload")
    try:
        report = network_upload_import(token=token, county_code=pending["county"], actor=request.user)
    except NetworkImportError as exc:
        form = NetworkUploadForm(initial={"county": pending["county"]}, counties=counties)
        return _network_page(request, form, errors=[str(e) for e in exc.errors], status=400)
    messages.success(
        request,
        _(
            "Rețeaua școlară a județului %(county)s a fost importată: %(created)d unități noi, %(updated)d "
            "modificate, %(unchanged)d neschimbate, %(localities)d localități noi."
        )
        % {
            "county": pending["county"],
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "localities": report.localities_created,
        },
    )
    return redirect("schools:list")
