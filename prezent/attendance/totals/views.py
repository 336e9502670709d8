"""The upload of a previous year's absence totals: choose the year and the file, see what it would change
(preview, nothing written), confirm. The county coordinator imports for the county's pupils, the school
coordinator for the pupils of their schools; anyone else gets 404. Between the preview and the confirmation the
checked lines wait in the session (ids and numbers, no names); the file itself is never stored."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.attendance.totals.forms import TotalsImportForm
from prezent.attendance.totals.permissions import can_import_absence_totals
from prezent.attendance.totals.selectors import import_school_ids, import_school_years_for
from prezent.attendance.totals.services import (
    AbsenceTotalsImportError,
    TotalsPlan,
    absence_totals_compare,
    absence_totals_read,
    absence_totals_save,
)
from prezent.schools.models import SchoolYear

SESSION_KEY = "attendance_totals_plan"


def _page(
    request: AuthedRequest,
    form: TotalsImportForm,
    *,
    errors: list[str] | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context = {"form": form, "errors": errors or [], **extra}
    return render(request, "attendance/totals/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def totals_import_view(request: AuthedRequest) -> HttpResponse:
    """GET: the upload form. POST: the file checked against the year — every bad line listed, or the preview."""
    if not can_import_absence_totals(user=request.user):
        raise Http404
    years = import_school_years_for(user=request.user)
    if request.method == "GET":
        request.session.pop(SESSION_KEY, None)
        return _page(request, TotalsImportForm(years=years))
    form = TotalsImportForm(request.POST, request.FILES, years=years)
    if not form.is_valid():
        return _page(request, form, status=400)
    year: SchoolYear = form.cleaned_data["school_year"]
    if not can_import_absence_totals(user=request.user, school_year=year):
        raise Http404
    upload = form.cleaned_data["file"]
    try:
        plan = absence_totals_read(
            file=upload,
            filename=upload.name,
            school_year=year,
            school_ids=import_school_ids(user=request.user, school_year=year),
        )
    except AbsenceTotalsImportError as exc:
        return _page(request, form, errors=[str(e) for e in exc.errors], status=400)
    request.session[SESSION_KEY] = plan.to_session()
    report = absence_totals_compare(plan=plan, school_year=year)
    return _page(request, form, preview=report, year=year, plan=plan)


@require_POST
def totals_import_confirm_view(request: AuthedRequest) -> HttpResponse:
    """Write what the preview showed (the lines kept in the session), checked again against who may be named."""
    if not can_import_absence_totals(user=request.user):
        raise Http404
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, _("Nu există niciun fișier verificat: încărcați-l din nou."))
        return redirect("attendance:totals_import")
    year = import_school_years_for(user=request.user).filter(pk=stored["school_year_id"]).first()
    if year is None or not can_import_absence_totals(user=request.user, school_year=year):
        raise Http404
    try:
        report = absence_totals_save(
            plan=TotalsPlan.from_session(stored),
            school_year=year,
            actor=request.user,
            school_ids=import_school_ids(user=request.user, school_year=year),
        )
    except AbsenceTotalsImportError as exc:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, " ".join(str(e) for e in exc.errors))
        return redirect("attendance:totals_import")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _(
            "Absențele au fost importate — elevi: %(pupils)s; totaluri noi: %(created)s; modificate: %(updated)s; "
            "neschimbate: %(unchanged)s; înlocuite: %(replaced)s."
        )
        % {
            "pupils": report.pupils,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "replaced": report.replaced,
        },
    )
    return redirect("attendance:totals_import")
