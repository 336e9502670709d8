"""The access export as files: JSON with the stored values (machine-readable, GDPR art. 15(3) and 20) and a PDF
in Romanian with the same rows in words (WeasyPrint, DejaVu fonts for ă â î ș ț)."""

import datetime
import decimal
import json
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from prezent.reports.privacy.selectors import Section, SubjectExport

EXPORT_FORMAT_VERSION = 1
# A section with more columns than this is printed as one block per row (name: value), not as a table.
TABLE_COLUMNS = 7


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def export_json(export: SubjectExport) -> bytes:
    """Every section's rows with their stored values (ids for related rows, codes for choices), the labels of the
    columns, and the names of the staff the rows point to."""
    document = {
        "format": "prezent-subject-access",
        "version": EXPORT_FORMAT_VERSION,
        "generated_at": export.generated_at.isoformat(),
        "generated_by": export.reader.pk,
        "child_id": export.child.pk,
        "sections": {
            section.key: {
                "title": section.title,
                "columns": dict(section.columns),
                "rows": [{name: _plain(value) for name, value in row.items()} for row in section.rows],
            }
            for section in export.sections
        },
        "staff": {str(pk): name for pk, name in sorted(export.user_names.items())},
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _words(field: models.Field, value: Any, related: str | None, user_names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        if related is not None:
            return related
        if value in user_names:
            return user_names[value]
        return f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("da") if value else _("nu")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d.m.Y")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _printed(section: Section, user_names: dict[int, str]) -> dict[str, Any]:
    rows = [
        [
            (label, _words(f, row[f.name], words.get(f.name), user_names))
            for f, (_name, label) in zip(section.fields, section.columns, strict=True)
        ]
        for row, words in zip(section.rows, section.related, strict=True)
    ]
    return {
        "title": section.title,
        "note": section.note,
        "headers": [label for _name, label in section.columns],
        "rows": rows,
        "as_table": len(section.fields) <= TABLE_COLUMNS,
    }


EXPORT_CSS = """
@page { size: A4; margin: 15mm 12mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; line-height: 1.3; color: #000; }
h1 { font-size: 14pt; text-align: center; margin: 4mm 0 1mm; }
h2 { font-size: 11pt; margin: 5mm 0 1.5mm; border-bottom: 1px solid #000; }
.subtitle { text-align: center; margin: 0 0 4mm; }
.muted { color: #333; font-size: 8pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; }
.grid th, .grid td { border: 1px solid #888; padding: 0.6mm 1.2mm; text-align: left; vertical-align: top; }
.record { border: 1px solid #888; margin: 0 0 2mm; page-break-inside: avoid; }
.record th { text-align: left; width: 50mm; padding: 0.4mm 1.5mm; vertical-align: top; font-weight: normal; }
.record td { padding: 0.4mm 1.5mm; vertical-align: top; }
"""


def export_pdf(export: SubjectExport) -> bytes:
    """The same sections in Romanian words, one after another; an empty section says so."""
    from weasyprint import CSS, HTML

    context = {
        "export": export,
        "child": export.child,
        "sections": [_printed(section, export.user_names) for section in export.sections],
        "reader": export.user_names.get(export.reader.pk) or export.reader.get_full_name() or export.reader.username,
    }
    html = render_to_string("reports/privacy/export.html", context)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=EXPORT_CSS)])
    return pdf
