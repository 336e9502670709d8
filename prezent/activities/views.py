"""Activities: the calendar (per school and for the county), recording an activity with its participants ticked
from the school's lists, an activity's page, the coverage table per module and the catalogues."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import Role
from prezent.accounts.scope import scope_for
from prezent.activities.forms import ActivityForm, ActivityTypeForm, CampaignKindForm, add_service_errors
from prezent.activities.logic import month_bounds, month_shift
from prezent.activities.models import Activity, ActivityType, CampaignEventKind
from prezent.activities.permissions import can_configure_activity_catalogue, can_view_coverage
from prezent.activities.selectors import (
    activity_coverage,
    activity_get_for_user_or_404,
    activity_participants,
    activity_school_get_or_404,
    activity_school_list,
    activity_types,
    calendar_items,
    campaign_kinds,
    coverage_modules,
    coverage_school_list,
    programme_school_list,
    school_lists,
)
from prezent.activities.services import (
    ActivityDetails,
    activity_record,
    activity_type_save,
    activity_update,
    campaign_kind_save,
    catalogues_ensure,
)
from prezent.schools.models import School


def _month(request: AuthedRequest) -> datetime.date:
    raw = request.GET.get("luna", "")
    try:
        return datetime.date.fromisoformat(f"{raw}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_GET
def calendar_view(request: AuthedRequest) -> HttpResponse:
    """The month's activities, campaign events and course sessions: for one school, or every school in scope."""
    if not activity_school_list(user=request.user).exists():
        raise Http404
    schools = programme_school_list(user=request.user).order_by("name")
    school: School | None = None
    if request.GET.get("scoala", "").isdigit():
        school = activity_school_get_or_404(user=request.user, pk=int(request.GET["scoala"]))
    month = _month(request)
    first, last = month_bounds(month)
    items = calendar_items(user=request.user, start=first, end=last, school=school)
    days: dict[datetime.date, list[object]] = {}
    for item in items:
        days.setdefault(item.date, []).append(item)
    school_choices = list(schools[:200])
    return render(
        request,
        "activities/calendar.html",
        {
            "school": school,
            "schools": school_choices,
            "single_school": school_choices[0] if len(school_choices) == 1 else None,
            "month": month,
            "previous": month_shift(month, -1),
            "next": month_shift(month, 1),
            "days": sorted(days.items()),
            "count": len(items),
            "may_configure": can_configure_activity_catalogue(user=request.user),
            "may_see_coverage": can_view_coverage(user=request.user),
        },
    )


def _details(form: ActivityForm) -> ActivityDetails:
    data = form.cleaned_data
    return ActivityDetails(
        type=data["type"],
        title=data["title"],
        date=data["date"],
        start_time=data["start_time"],
        place=data["place"],
        facilitator=data["facilitator"],
        audience=data["audience"],
        notes=data["notes"],
    )


@require_http_methods(["GET", "POST"])
def activity_create_view(request: AuthedRequest, school_id: int) -> HttpResponse:
    """Record an activity: its details, then the participants ticked from the school's lists (by class), its
    teachers and names of people from outside the lists."""
    school = activity_school_get_or_404(user=request.user, pk=school_id)
    lists = school_lists(school=school)
    catalogues_ensure(county_code=school.county_code, actor=request.user)
    form = ActivityForm(request.POST or None, lists=lists, county_code=school.county_code)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_record(
                school=school,
                details=_details(form),
                child_ids=form.cleaned_data["children"],
                guardian_ids=form.cleaned_data["guardians"],
                teacher_ids=form.cleaned_data["teachers"],
                others=form.cleaned_data["others"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            total = activity.participations.count()
            messages.success(
                request,
                ngettext(
                    "Activitatea a fost înregistrată cu %(n)d participant.",
                    "Activitatea a fost înregistrată cu %(n)d participanți.",
                    total,
                )
                % {"n": total},
            )
            return redirect(activity)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/activity_form.html", {"form": form, "school": school, "lists": lists}, status=status
    )


@require_GET
def activity_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user_or_404(user=request.user, pk=pk)
    return render(
        request,
        "activities/activity_detail.html",
        {"activity": activity, "participants": activity_participants(activity=activity)},
    )


def _initial(activity: Activity) -> dict[str, object]:
    rows = list(activity.participations.all())
    return {
        "type": activity.type_id,
        "title": activity.title,
        "date": activity.date,
        "start_time": activity.start_time,
        "place": activity.place,
        "facilitator": activity.facilitator,
        "audience": activity.audience,
        "notes": activity.notes,
        "children": [p.child_id for p in rows if p.child_id],
        "guardians": [p.guardian_id for p in rows if p.guardian_id],
        "teachers": [p.teacher_id for p in rows if p.teacher_id],
        "others": "\n".join(p.name for p in rows if p.kind == "other"),
    }


@require_http_methods(["GET", "POST"])
def activity_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user_or_404(user=request.user, pk=pk)
    lists = school_lists(school=activity.school)
    form = ActivityForm(
        request.POST or None, lists=lists, county_code=activity.school.county_code, initial=_initial(activity)
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(
                activity=activity,
                details=_details(form),
                child_ids=form.cleaned_data["children"],
                guardian_ids=form.cleaned_data["guardians"],
                teacher_ids=form.cleaned_data["teachers"],
                others=form.cleaned_data["others"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activitatea a fost salvată."))
            return redirect(activity)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "school": activity.school, "lists": lists, "activity": activity},
        status=status,
    )


@require_GET
def coverage_view(request: AuthedRequest) -> HttpResponse:
    """Which schools had which types of activity in a module (counts per school and type)."""
    if not can_view_coverage(user=request.user):
        raise Http404
    schools = coverage_school_list(user=request.user)
    first = schools.first()
    county = first.county_code if first else "IS"
    year, modules = coverage_modules(county_code=county)
    today = timezone.localdate()
    module = None
    if request.GET.get("modul", "").isdigit():
        module = next((m for m in modules if m.number == int(request.GET["modul"])), None)
    if module is None and modules:
        started = [m for m in modules if m.start <= today]
        module = started[-1] if started else modules[0]
    table = activity_coverage(schools=schools, start=module.start, end=module.end) if module else None
    return render(
        request,
        "activities/coverage.html",
        {"year": year, "modules": modules, "module": module, "table": table},
    )


def _catalogue_county(request: AuthedRequest) -> str:
    """The county whose catalogues the coordinator keeps (their first, by code, if they coordinate several)."""
    if not can_configure_activity_catalogue(user=request.user):
        raise Http404
    return sorted(scope_for(request.user).counties(Role.COUNTY_COORDINATOR))[0]


@require_http_methods(["GET", "POST"])
def catalogue_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator's catalogues, their county's own: types of activity and kinds of campaign event (add
    one). A county without them gets the shared defaults copied in."""
    county = _catalogue_county(request)
    catalogues_ensure(county_code=county, actor=request.user)
    which = request.POST.get("which", "")
    type_form = ActivityTypeForm(request.POST if which == "type" else None, prefix="type")
    kind_form = CampaignKindForm(request.POST if which == "kind" else None, prefix="kind")
    if request.method == "POST":
        form = type_form if which == "type" else kind_form
        if which in ("type", "kind") and form.is_valid():
            try:
                if which == "type":
                    activity_type_save(county_code=county, actor=request.user, **form.cleaned_data)
                else:
                    campaign_kind_save(county_code=county, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Tipul a fost adăugat."))
                return redirect("activities:catalogue")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/catalogue.html",
        {
            "type_form": type_form,
            "kind_form": kind_form,
            "types": activity_types(county_code=county, active_only=False),
            "kinds": campaign_kinds(county_code=county, active_only=False),
        },
        status=status,
    )


@require_POST
def catalogue_toggle_view(request: AuthedRequest, which: str, pk: int) -> HttpResponse:
    """Put a type in use or out of use (a type with activities is never deleted), in the coordinator's county only."""
    county = _catalogue_county(request)
    if which not in ("tip", "actiune"):
        raise Http404
    if which == "tip":
        item = get_object_or_404(ActivityType, pk=pk, county_code=county)
        activity_type_save(
            county_code=county,
            code=item.code,
            name=item.name,
            audience=item.audience,
            order=item.order,
            active=not item.active,
            actor=request.user,
            instance=item,
        )
    else:
        kind = get_object_or_404(CampaignEventKind, pk=pk, county_code=county)
        campaign_kind_save(
            county_code=county,
            code=kind.code,
            name=kind.name,
            order=kind.order,
            active=not kind.active,
            actor=request.user,
            instance=kind,
        )
    messages.success(request, _("Modificarea a fost salvată."))
    return redirect("activities:catalogue")


@require_http_methods(["GET", "POST"])
def catalogue_edit_view(request: AuthedRequest, which: str, pk: int) -> HttpResponse:
    """Rename a type, change its order, audience or use (its code stays: reports refer to it); only a type of the
    coordinator's county (another county's is not found)."""
    county = _catalogue_county(request)
    if which not in ("tip", "actiune"):
        raise Http404
    item: ActivityType | CampaignEventKind
    if which == "tip":
        item = get_object_or_404(ActivityType, pk=pk, county_code=county)
        form: ActivityTypeForm | CampaignKindForm = ActivityTypeForm(
            request.POST or None,
            initial={
                "code": item.code,
                "name": item.name,
                "audience": item.audience,
                "order": item.order,
                "active": item.active,
            },
        )
    else:
        item = get_object_or_404(CampaignEventKind, pk=pk, county_code=county)
        form = CampaignKindForm(
            request.POST or None,
            initial={"code": item.code, "name": item.name, "order": item.order, "active": item.active},
        )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "code": item.code, "county_code": county}
        if isinstance(item, ActivityType):
            activity_type_save(actor=request.user, instance=item, **data)
        else:
            campaign_kind_save(actor=request.user, instance=item, **data)
        messages.success(request, _("Modificarea a fost salvată."))
        return redirect("activities:catalogue")
    return render(
        request,
        "activities/catalogue_edit.html",
        {"form": form, "item": item},
        status=400 if request.method == "POST" else 200,
    )
