"""The access export of one child and their family, for the data-protection officer: PDF and JSON."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from prezent.accounts.http import AuthedRequest
from prezent.children.models import Child
from prezent.children.selectors import child_get_for_user_or_404
from prezent.core.languages import document_language
from prezent.core.services import access_log_child_read
from prezent.reports.privacy.documents import export_json, export_pdf
from prezent.reports.privacy.permissions import can_export_child_data
from prezent.reports.privacy.selectors import SubjectExport, subject_export
from prezent.reports.privacy.services import subject_export_record


def _export(request: AuthedRequest, pk: int, fmt: str) -> tuple[Child, SubjectExport]:
    child = child_get_for_user_or_404(user=request.user, pk=pk)
    if not can_export_child_data(user=request.user, child=child):
        raise Http404
    access_log_child_read(request=request, child_id=child.pk, view=f"reports:subject_export_{fmt}")
    export = subject_export(user=request.user, child=child, today=timezone.localdate(), now=timezone.now())
    subject_export_record(actor=request.user, child=child, fmt=fmt, counts=export.counts())
    return child, export


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def subject_export_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything Prezent holds about the child and their family, in Romanian; the file is named by the child's
    id, never their name. The read and the export are logged."""
    with document_language():
        child, export = _export(request, pk, "pdf")
        content = export_pdf(export)
    return _attachment(content, "application/pdf", f"date-personale-copil-{child.pk}.pdf")


@require_GET
def subject_export_json_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same, machine-readable: the stored values of every row."""
    child, export = _export(request, pk, "json")
    return _attachment(export_json(export), "application/json; charset=utf-8", f"date-personale-copil-{child.pk}.json")
