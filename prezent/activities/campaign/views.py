"""The information campaign: events per school, recording one (materials, people reached), its evidence files
(uploaded with checks, downloaded only by those who may see the event) and the coverage map of the county."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.activities.campaign.forms import CampaignEventForm, EvidenceForm
from prezent.activities.campaign.selectors import (
    campaign_coverage,
    campaign_event_get_for_user_or_404,
    campaign_event_list_visible_to,
    evidence_get_for_user_or_404,
)
from prezent.activities.campaign.services import (
    Reached,
    allowed_evidence_labels,
    campaign_event_record,
    campaign_evidence_add,
    campaign_evidence_remove,
    evidence_max_bytes,
    evidence_storage,
)
from prezent.activities.forms import add_service_errors
from prezent.activities.models import CampaignEvent
from prezent.activities.permissions import can_view_coverage
from prezent.activities.selectors import (
    activity_school_get_or_404,
    activity_school_list,
    coverage_school_list,
    programme_period,
    programme_school_list,
    school_lists,
)
from prezent.activities.services import catalogues_ensure
from prezent.core.pagination import CappedPaginator
from prezent.core.svgmap import MapCategory, MapPoint, county_map_svg, legend_html
from prezent.schools.selectors import county_outline, school_year_current

PAGE_LIMIT = 200
PAGE_SIZE = 50


@require_GET
def campaign_list_view(request: AuthedRequest) -> HttpResponse:
    if not activity_school_list(user=request.user).exists():
        raise Http404
    schools = programme_school_list(user=request.user).order_by("name")
    events = campaign_event_list_visible_to(user=request.user).order_by("-date", "-pk")
    school = None
    if request.GET.get("scoala", "").isdigit():
        school = activity_school_get_or_404(user=request.user, pk=int(request.GET["scoala"]))
        events = events.filter(school=school)
    school_choices = list(schools[:PAGE_LIMIT])
    return render(
        request,
        "activities/campaign/list.html",
        {
            "page": CappedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
            "school": school,
            "schools": school_choices,
            "single_school": school_choices[0] if len(school_choices) == 1 else None,
            "may_see_map": can_view_coverage(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def campaign_create_view(request: AuthedRequest, school_id: int) -> HttpResponse:
    school = activity_school_get_or_404(user=request.user, pk=school_id)
    lists = school_lists(school=school)
    catalogues_ensure(county_code=school.county_code, actor=request.user)
    form = CampaignEventForm(request.POST or None, lists=lists, county_code=school.county_code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = campaign_event_record(
                school=school,
                kind=data["kind"],
                date=data["date"],
                description=data["description"],
                reached=Reached(
                    children=data["reached_children"],
                    parents=data["reached_parents"],
                    teachers=data["reached_teachers"],
                    others=data["reached_others"],
                ),
                materials=data["materials"],
                guardian_ids=data["guardians"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Acțiunea de informare a fost înregistrată. Puteți adăuga dovezi."))
            return redirect(event)
    return render(
        request,
        "activities/campaign/form.html",
        {"form": form, "school": school, "lists": lists},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(event: CampaignEvent, form: EvidenceForm) -> dict[str, object]:
    return {
        "event": event,
        "materials": list(event.materials.all()),
        "evidence": list(event.evidence.all()),
        "guardians": list(event.guardians.order_by("last_name", "first_name")),
        "form": form,
        "max_bytes": evidence_max_bytes(),
        "kinds": allowed_evidence_labels(),
    }


@require_GET
def campaign_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    event = campaign_event_get_for_user_or_404(user=request.user, pk=pk)
    return render(request, "activities/campaign/detail.html", _detail_context(event, EvidenceForm()))


@require_POST
def evidence_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a photo or a scanned sheet; a wrong type or a file too large is refused with the reason."""
    event = campaign_event_get_for_user_or_404(user=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            campaign_evidence_add(event=event, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Dovada a fost adăugată."))
            return redirect(event)
    return render(request, "activities/campaign/detail.html", _detail_context(event, form), status=400)


@require_POST
def evidence_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a file uploaded by mistake (two clicks: "Șterge", then "Șterge dovada")."""
    evidence = evidence_get_for_user_or_404(user=request.user, pk=pk)
    campaign_evidence_remove(evidence=evidence, actor=request.user)
    messages.success(request, _("Dovada a fost ștearsă."))
    return redirect(evidence.event)


@require_GET
def evidence_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    """The file, only to someone who may see its event; never from a public URL."""
    evidence = evidence_get_for_user_or_404(user=request.user, pk=pk)
    storage = evidence_storage()
    if not storage.exists(evidence.storage_name):
        raise Http404
    response = FileResponse(
        storage.open(evidence.storage_name, "rb"),
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == "application/pdf",
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _period(request: AuthedRequest, county_code: str) -> tuple[datetime.date, datetime.date]:
    """The programme's period by default (so far), or the dates asked for."""
    today = timezone.localdate()
    period = programme_period(county_code=county_code)
    year = school_year_current(county_code=county_code, on=today)
    if period is not None:
        start, end = period[0], min(period[1], max(today, period[0]))
    else:
        start, end = (year.start, year.end) if year else (today.replace(month=1, day=1), today)
    try:
        start = datetime.date.fromisoformat(request.GET["de"]) if request.GET.get("de") else start
        end = datetime.date.fromisoformat(request.GET["pana"]) if request.GET.get("pana") else end
    except ValueError:
        messages.error(request, _("Datele perioadei au forma AAAA-LL-ZZ."))
    return start, end


@require_GET
def campaign_map_view(request: AuthedRequest) -> HttpResponse:
    """The county map: schools reached by the campaign and schools not yet reached, with the same numbers in a
    table (counts only)."""
    if not can_view_coverage(user=request.user):
        raise Http404
    schools = coverage_school_list(user=request.user)
    first = schools.first()
    county = first.county_code if first else "IS"
    start, end = _period(request, county)
    rows = campaign_coverage(schools=schools, start=start, end=end)
    categories = [
        MapCategory("reached", _("atinsă de campanie"), "#1b7f3b"),
        MapCategory("not_reached", _("neatinsă încă"), "#c0392b"),
    ]
    points = []
    without_coordinates = []
    for row in rows:
        locality = row.school.locality
        if locality.latitude is None or locality.longitude is None:
            without_coordinates.append(row)
            continue
        label = f"{row.school.short_name or row.school.name} ({locality.name})"
        points.append(
            MapPoint(
                latitude=locality.latitude,
                longitude=locality.longitude,
                label=label,
                category="reached" if row.is_reached else "not_reached",
            )
        )
    reached = sum(1 for r in rows if r.is_reached)
    counts = {"reached": reached, "not_reached": len(rows) - reached}
    svg = county_map_svg(
        points=points,
        categories=categories,
        outline=county_outline(county),
        title=_("Școlile atinse de campania de informare"),
    )
    return render(
        request,
        "activities/campaign/map.html",
        {
            "svg": svg,
            "legend": legend_html(categories, counts),
            "rows": rows,
            "reached": reached,
            "total": len(rows),
            "without_coordinates": without_coordinates,
            "start": start,
            "end": end,
        },
    )
