"""The pupils import: upload → preview (columns chosen, every row checked, nothing written) → confirmation.

The uploaded file is kept on the server under a random token held in the session (never a path from the client)
between the preview and the confirmation, and removed when the import is done or cancelled."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prezent.accounts.http import AuthedRequest
from prezent.children.imports.forms import ColumnMapForm, PupilUploadForm
from prezent.children.imports.permissions import can_create_pupil_imports
from prezent.children.imports.selectors import import_school_ids_for, import_years_for
from prezent.children.imports.services import (
    PupilImportError,
    PupilImportReport,
    mapping_guess,
    mapping_remember,
    mapping_remembered,
    pupils_file_header,
    pupils_import,
    upload_discard,
    upload_keep,
    upload_path,
)
from prezent.schools.models import School

SESSION_KEY = "prezent_pupil_import"


@require_http_methods(["GET", "POST"])
def pupil_import_view(request: AuthedRequest) -> HttpResponse:
    if not can_create_pupil_imports(user=request.user):
        raise Http404
    years = import_years_for(user=request.user)
    form = PupilUploadForm(request.POST or None, request.FILES or None, years=years)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            token = upload_keep(file=upload, filename=upload.name or "")
        except PupilImportError as exc:
            errors = [str(error) for error in exc.errors]
        else:
            previous = request.session.get(SESSION_KEY) or {}
            upload_discard(str(previous.get("token", "")))
            request.session[SESSION_KEY] = {"token": token, "year": form.cleaned_data["year"].pk}
            return redirect("children:import_preview")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "children/imports/upload.html",
        {"form": form, "errors": errors, "has_years": years.exists()},
        status=status,
    )


def _school_names(report: PupilImportReport) -> list[tuple[str, str, Any]]:
    names = dict(School.objects.filter(siiir_code__in=list(report.schools)).values_list("siiir_code", "name"))
    return [(code, names.get(code, ""), counts) for code, counts in sorted(report.schools.items())]


@require_http_methods(["GET", "POST"])
def pupil_import_preview_view(request: AuthedRequest) -> HttpResponse:
    if not can_create_pupil_imports(user=request.user):
        raise Http404
    state = request.session.get(SESSION_KEY) or {}
    token = str(state.get("token", ""))
    path = upload_path(token)
    year_id = state.get("year")
    year = import_years_for(user=request.user).filter(pk=int(year_id)).first() if isinstance(year_id, int) else None
    if path is None or year is None:
        messages.info(request, _("Încărcați din nou fișierul."))
        return redirect("children:import")
    if request.method == "POST" and "cancel" in request.POST:
        upload_discard(token)
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Importul a fost anulat; fișierul a fost șters de pe server."))
        return redirect("children:import")
    county = year.county_code
    school_ids = import_school_ids_for(user=request.user, county_code=county)
    errors: list[str] = []
    report: PupilImportReport | None = None
    try:
        header_line, header = pupils_file_header(source=path)
    except PupilImportError as exc:
        upload_discard(token)
        request.session.pop(SESSION_KEY, None)
        return render(
            request,
            "children/imports/upload.html",
            {
                "form": PupilUploadForm(years=import_years_for(user=request.user)),
                "errors": [str(e) for e in exc.errors],
                "has_years": True,
            },
            status=400,
        )
    guessed = mapping_guess(header, mapping_remembered(county_code=county))
    form = ColumnMapForm(request.POST or None, header=header, mapping=guessed)
    mapping = form.mapping() if request.method == "POST" and form.is_valid() else guessed
    if request.method == "POST" and not form.is_valid():
        errors = [str(error) for error in form.non_field_errors()]
    else:
        confirm = request.method == "POST" and "confirm" in request.POST
        try:
            report = pupils_import(
                source=path,
                county_code=county,
                year_name=year.name,
                actor=request.user,
                mapping=mapping,
                school_ids=school_ids,
                dry_run=not confirm,
            )
        except PupilImportError as exc:
            errors = [str(error) for error in exc.errors]
        else:
            if confirm:
                mapping_remember(county_code=county, header=header, mapping=mapping, actor=request.user)
                upload_discard(token)
                request.session.pop(SESSION_KEY, None)
                messages.success(
                    request,
                    _(
                        "Import făcut: %(new)d elevi noi, %(changed)d modificați (%(moved)d mutați), "
                        "%(unchanged)d neschimbați, %(classes)d clase create."
                    )
                    % {
                        "new": report.new,
                        "changed": report.changed,
                        "moved": report.moved,
                        "unchanged": report.unchanged,
                        "classes": report.classes_created,
                    },
                )
                return redirect("children:import")
    return render(
        request,
        "children/imports/preview.html",
        {
            "year": year,
            "form": form,
            "header_line": header_line,
            "errors": errors,
            "report": report,
            "schools": _school_names(report) if report else [],
        },
        status=400 if errors else 200,
    )
