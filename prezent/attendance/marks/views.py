"""Module averages of a class: the grid page (one save for the whole class), the spreadsheet import and the
template download. The class's teacher and the school coordinator write; mediators and county coordinators
read; anyone else gets 404 (class_get_for_user_or_404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.attendance.closed import closed_year_coordinator_message, closed_year_message
from prezent.attendance.marks.forms import ResultsGridForm, ResultsImportForm, subjects_from_post
from prezent.attendance.marks.permissions import can_record_results
from prezent.attendance.marks.selectors import (
    module_get_or_404,
    module_number_current,
    module_numbers,
    pupils_in_module,
    results_for_class_module,
    subjects_for_class,
)
from prezent.attendance.marks.services import (
    ResultsImportError,
    module_results_import,
    module_results_save,
    module_results_template,
)
from prezent.attendance.marks.values import format_average, is_failing, merge_subjects, uses_qualifiers
from prezent.attendance.permissions import register_closed, register_writable
from prezent.schools.models import ClassGroup, Module
from prezent.schools.selectors import class_get_for_user_or_404

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(
    request: AuthedRequest,
    group: ClassGroup,
    period: Module,
    *,
    form: ResultsGridForm,
    import_form: ResultsImportForm | None = None,
    import_errors: list[str] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    closed = register_closed(school_year=group.school_year)
    may_edit = can_record_results(user=request.user, class_group=group) and register_writable(
        user=request.user, class_group=group
    )
    closed_notice = ""
    if closed:
        year = group.school_year
        closed_notice = closed_year_coordinator_message(year) if may_edit else closed_year_message(year)
    existing = form.existing
    readonly_rows = [
        (
            child,
            [
                (format_average(existing.get((child.pk, s))) or "–", is_failing(existing.get((child.pk, s))))
                for s in form.subjects
            ],
        )
        for child in form.children
    ]
    return render(
        request,
        "attendance/marks/grid.html",
        {
            "group": group,
            "period": period,
            "modules": module_numbers(school_year=group.school_year),
            "form": form,
            "subjects": form.subjects,
            "readonly_rows": readonly_rows,
            "recorded": len(existing),
            "may_edit": may_edit,
            "import_form": import_form or ResultsImportForm(needs_reason=closed),
            "closed_notice": closed_notice,
            "import_errors": import_errors or [],
            "error": error,
        },
        status=status,
    )


def _grid_form(request: AuthedRequest, group: ClassGroup, period: Module, *, bound: bool) -> ResultsGridForm:
    children = pupils_in_module(class_group=group, module=period)
    existing = results_for_class_module(class_group=group, module=period.number)
    subjects = subjects_for_class(class_group=group)
    if bound:
        subjects = merge_subjects(subjects, subjects_from_post(request.POST.getlist("subject")))
    return ResultsGridForm(
        request.POST if bound else None,
        children=children,
        subjects=subjects,
        existing=existing,
        qualitative=uses_qualifiers(group.grade),
        needs_reason=register_closed(school_year=group.school_year),
    )


def _writable_or_404(request: AuthedRequest, pk: int, module: int) -> tuple[ClassGroup, Module]:
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    period = module_get_or_404(class_group=group, number=module)
    if not can_record_results(user=request.user, class_group=group):
        raise Http404
    return group, period


@require_GET
def results_current_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The averages of the module under way (or just ended)."""
    group = class_get_for_user_or_404(user=request.user, pk=pk)
    number = module_number_current(school_year=group.school_year, today=timezone.localdate())
    return redirect("attendance:results", pk=group.pk, module=number)


@require_http_methods(["GET", "POST"])
def results_view(request: AuthedRequest, pk: int, module: int) -> HttpResponse:
    """The class's averages for one module: a cell per pupil and subject, saved at once for the whole class.
    A wrong cell saves nothing and shows the grid again as typed, with the reason under the cell."""
    if request.method == "POST":
        group, period = _writable_or_404(request, pk, module)
    else:
        group = class_get_for_user_or_404(user=request.user, pk=pk)
        period = module_get_or_404(class_group=group, number=module)
    form = _grid_form(request, group, period, bound=request.method == "POST")
    if request.method == "GET":
        return _page(request, group, period, form=form)
    if not register_writable(user=request.user, class_group=group):
        return _page(request, group, period, form=form, error=closed_year_message(group.school_year), status=403)
    if "add" in request.POST or request.POST.get("new_subject", "").strip():
        form.is_valid()
        form.errors.pop("change_reason", None)  # adding a column saves nothing: the reason is asked at the save
        if form.added_subject:
            messages.info(
                request,
                _("Coloana „%(subject)s” a fost adăugată: completați mediile și salvați.")
                % {"subject": form.added_subject},
            )
        elif not form.errors.get("new_subject"):
            if request.POST.get("new_subject", "").strip():
                messages.info(request, _("Disciplina are deja o coloană."))
            else:
                form.add_error("new_subject", _("Scrieți numele disciplinei."))
        return _page(request, group, period, form=form, status=400 if form.errors.get("new_subject") else 200)
    if not form.is_valid():
        return _page(request, group, period, form=form, status=400)
    try:
        saved = module_results_save(
            class_group=group,
            module=period.number,
            grid=form.cleaned_data["grid"],
            actor=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
        )
    except ValidationError as exc:
        return _page(request, group, period, form=form, error=" ".join(exc.messages), status=400)
    if saved.changed:
        messages.success(
            request,
            _("Mediile au fost salvate — noi: %(created)s, modificate: %(updated)s, șterse: %(deleted)s.")
            % {"created": saved.created, "updated": saved.updated, "deleted": saved.deleted},
        )
    else:
        messages.info(request, _("Nicio medie nu s-a schimbat."))
    return redirect("attendance:results", pk=group.pk, module=period.number)


@require_POST
def results_import_view(request: AuthedRequest, pk: int, module: int) -> HttpResponse:
    """Import the module's averages from an XLSX or CSV file: all rows or none, each bad row reported."""
    group, period = _writable_or_404(request, pk, module)
    closed = register_closed(school_year=group.school_year)
    import_form = ResultsImportForm(request.POST, request.FILES, needs_reason=closed)
    errors: list[str] = []
    if not register_writable(user=request.user, class_group=group):
        form = _grid_form(request, group, period, bound=False)
        return _page(request, group, period, form=form, error=closed_year_message(group.school_year), status=403)
    if import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            report = module_results_import(
                class_group=group,
                module=period.number,
                file=upload,
                filename=upload.name,
                actor=request.user,
                change_reason=import_form.cleaned_data.get("change_reason", ""),
            )
        except ResultsImportError as exc:
            errors = [str(error) for error in exc.errors]
        else:
            messages.success(
                request,
                _(
                    "Import reușit — elevi: %(rows)s; medii noi: %(created)s; modificate: %(updated)s; "
                    "neschimbate: %(unchanged)s."
                )
                % {
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
            return redirect("attendance:results", pk=group.pk, module=period.number)
    form = _grid_form(request, group, period, bound=False)
    return _page(request, group, period, form=form, import_form=import_form, import_errors=errors, status=400)


@require_GET
def results_template_view(request: AuthedRequest, pk: int, module: int) -> HttpResponse:
    """The spreadsheet to fill in and import: the pupils' names and the averages saved so far."""
    group, period = _writable_or_404(request, pk, module)
    children = pupils_in_module(class_group=group, module=period)
    content = module_results_template(
        class_group=group,
        module=period.number,
        children=children,
        subjects=subjects_for_class(class_group=group),
        actor=request.user,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"medii-{slugify(str(group))}-modulul-{period.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
