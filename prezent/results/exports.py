"""The exports: the funder's report (PDF, Romanian), the indicator table (XLSX), the pseudonymised dataset for
external evaluators (CSV) and the lists schools send social services each autumn (HG 691/2015, XLSX).

Every text cell of every spreadsheet or CSV goes through `cell_safe`; small cells are suppressed in every
aggregate; the evaluator's dataset holds no name, CNP, address, free text or ethnicity, is k-anonymous (k = 5, see
`prezent.results.anonymity`) over its quasi-identifiers, and its pseudonyms are a keyed hash (HMAC-SHA256 with
PREZENT_PSEUDONYM_KEY, which only production holds) of the release and the child's id: the same within one
period's file, different from one period's file to the next, not reversible without the key.
"""

import csv
import datetime
import hashlib
import hmac
import io
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.children.models import Enrolment, Guardianship, ParentsAbroad
from prezent.core.languages import document_language
from prezent.core.spreadsheets import cell_safe
from prezent.results.anonymity import Anonymised, K, k_anonymise
from prezent.results.indicators import Data, placements_for
from prezent.results.selectors import Report
from prezent.schools.models import GRADE_LABELS, School

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REPORT_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; color: #000; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 7mm 0 2mm; } h3 { font-size: 10pt; }
.muted { color: #444; font-size: 8.5pt; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; }
th, td { border: 0.5pt solid #999; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.num, th.num { text-align: right; }
"""


def report_pdf(*, report: Report, trend: Sequence[object], generated_by: str, today: datetime.date) -> bytes:
    """The funder's interim / final report for a period, in Romanian (WeasyPrint; DejaVu carries ă â î ș ț)."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "results/report_pdf.html",
        {"report": report, "trend": trend, "generated_by": generated_by, "today": today},
    )
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=REPORT_CSS)])
    return pdf


def _sheet_rows(sheet: object, rows: Iterable[Sequence[object]]) -> None:
    for row in rows:
        sheet.append([cell_safe(cell) for cell in row])  # type: ignore[attr-defined]


def _workbook_bytes(workbook: object) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def indicators_xlsx(*, report: Report) -> bytes:
    """The indicator table of a period (target, baseline, actual, late data) and, on a second sheet, every
    breakdown with its small cells (and the cells that would give them away) suppressed, as on the pages."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicatori")
    period = report.period.name if report.period else _("până azi")
    sheet.append([cell_safe(f"{report.programme.name} — {period}")])
    sheet.append([f"{report.span.start:%d.%m.%Y} – {report.span.end:%d.%m.%Y}"])
    header = [
        _("Cod"),
        _("Indicator"),
        _("Unitate"),
        _("Valoare de referință"),
        _("Referință calculată"),
        _("Țintă în vigoare"),
        _("Realizat"),
        _("% din țintă"),
        _("Date întârziate pentru perioada anterioară"),
        _("Definiție"),
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    _sheet_rows(
        sheet,
        (
            [
                row.code,
                row.name,
                row.unit,
                row.baseline_stated,
                None if row.baseline is None else round(row.baseline, 2),
                float(row.target.value) if row.target else None,
                row.mark if row.suppressed else None if row.value is None else round(row.value, 2),
                None if row.suppressed else row.progress,
                row.late,
                row.definition if row.computed else _("Nu se calculează încă: datele sunt în alt modul."),
            ]
            for row in report.rows
        ),
    )
    details = workbook.create_sheet(_("Dezagregare"))
    details.append([_("Cod"), _("Indicator"), _("Dimensiune"), _("Categorie"), _("Valoare"), _("Copii")])
    for cell in details[1]:
        cell.font = Font(bold=True)
    _sheet_rows(
        details,
        (
            [
                row.code,
                row.name,
                b.label,
                c.label,
                c.shown if c.suppressed or c.value is None else round(c.value, 2),
                c.shown if c.suppressed else c.count,
            ]
            for row in report.rows
            for b in row.breakdowns
            for c in b.cells
        ),
    )
    return _workbook_bytes(workbook)


def pseudonym_key() -> bytes:
    """PREZENT_PSEUDONYM_KEY; outside production the secret key stands in for it, in production there is no
    default (ImproperlyConfigured)."""
    key = getattr(settings, "PREZENT_PSEUDONYM_KEY", "")
    if not key:
        if getattr(settings, "PREZENT_PRODUCTION", False):
            raise ImproperlyConfigured("PREZENT_PSEUDONYM_KEY must be set in production.")
        key = settings.SECRET_KEY
    return str(key).encode()


def pseudonym(child_id: int, *, release: str) -> str:
    """A keyed pseudonym for one release (a period's code, or the day the export ends): the same child gets the
    same one throughout a file, and a different one in another period's file, so files cannot be joined."""
    message = f"prezent-child:{release}:{child_id}".encode()
    return hmac.new(pseudonym_key(), message, hashlib.sha256).hexdigest()[:16]


EVALUATOR_COLUMNS = (
    "pseudonim",
    "sex",
    "nivel",
    "clasa",
    "mediu",
    "comuna_siruta",
    "prezenta_referinta_pct",
    "prezenta_curenta_pct",
    "ore_nemotivate_referinta",
    "ore_nemotivate_curente",
    "abandon",
    "parinti_plecati",
)
# What someone who knows a child could match against the file, and the order in which they are generalised
# (blanked) in the rows that would single a child out: the class (the level stays), the commune (the environment
# stays), the sex, the level, the environment. What still singles out is suppressed.
EVALUATOR_QUASI_IDENTIFIERS = ("sex", "nivel", "clasa", "mediu", "comuna_siruta")
EVALUATOR_GENERALISATION = ("clasa", "comuna_siruta", "sex", "nivel", "mediu")


def evaluator_statement(result: Anonymised) -> str:
    """What the file's recipient must know, in one line: k, the cells generalised per column, the rows
    suppressed."""
    done = ", ".join(f"{column} ({count})" for column, count in result.generalised.items()) or _("nimic")
    return _("k=%(k)d; generalizat: %(done)s; rânduri suprimate: %(suppressed)d") % {
        "k": result.k,
        "done": done,
        "suppressed": result.suppressed,
    }


def evaluator_csv(*, data: Data, release: str) -> tuple[str, Anonymised]:
    """The target group of the period, one row per child, under a pseudonym for this release; no name, CNP,
    address, free text or ethnicity; k-anonymous (k = 5) over sex, level, class, environment and commune, by
    generalising in the order of EVALUATOR_GENERALISATION and then suppressing. Returns the CSV text and what
    the anonymisation did (rows kept, cells generalised, rows suppressed)."""
    from prezent.children.models import Child
    from prezent.schools.models import Locality

    span = data.span
    placements, _labels = placements_for(child_ids=data.target_group_q, end=span.end)
    now, baseline = data.attendance_now, data.attendance_baseline
    dropped = set(
        Enrolment.objects.filter(
            child_id__in=data.target_group_q,
            end_reason=Enrolment.EndReason.DROPPED_OUT,
            end__lte=span.end,
        ).values_list("child_id", flat=True)
    )
    abroad = dict(Child.objects.filter(pk__in=data.target_group_q).values_list("pk", "household__parents_abroad"))
    commune_ids = {p.commune_id for p in placements.values() if p.commune_id is not None}
    communes = dict(Locality.objects.filter(pk__in=commune_ids).values_list("pk", "siruta"))
    names = {child_id: pseudonym(child_id, release=release) for child_id in data.target_group}
    table: list[dict[str, str]] = []
    for child_id in sorted(data.target_group, key=names.__getitem__):
        p = placements.get(child_id)
        rate_now, rate_base = now.get(child_id), baseline.get(child_id)
        values = (
            names[child_id],
            p.sex if p else "",
            p.level if p else "",
            "" if p is None or p.grade is None else GRADE_LABELS.get(p.grade, str(p.grade)),
            p.environment if p else "",
            communes.get(p.commune_id, "") if p is not None and p.commune_id is not None else "",
            _rate(rate_base),
            _rate(rate_now),
            rate_base.unexcused_hours if rate_base and rate_base.scheduled_hours else "",
            rate_now.unexcused_hours if rate_now and rate_now.scheduled_hours else "",
            int(child_id in dropped),
            abroad.get(child_id) or ParentsAbroad.NONE,
        )
        table.append({column: str(value) for column, value in zip(EVALUATOR_COLUMNS, values, strict=True)})
    result = k_anonymise(table, quasi_identifiers=EVALUATOR_QUASI_IDENTIFIERS, steps=EVALUATOR_GENERALISATION, k=K)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EVALUATOR_COLUMNS)
    for row in result.rows:
        writer.writerow([cell_safe(row[column]) for column in EVALUATOR_COLUMNS])
    return out.getvalue(), result


def _rate(totals: object) -> str:
    rate = getattr(totals, "rate", None)
    return "" if rate is None else f"{rate * 100:.1f}"


HG691_LISTS = (
    (ParentsAbroad.BOTH, gettext_lazy("Ambii părinți plecați")),
    (ParentsAbroad.ONLY_PARENT, gettext_lazy("Părintele unic plecat")),
    (ParentsAbroad.ONE, gettext_lazy("Un părinte plecat")),
    (ParentsAbroad.RETURNED, gettext_lazy("Întorși după 12 luni")),
)


def hg691_rows(*, school: School, on: datetime.date) -> dict[str, list[Enrolment]]:
    """The children enrolled in the school on `on`, grouped by their household's situation, with their parents and
    carers (three queries)."""
    enrolments = (
        Enrolment.objects.filter(class_group__school=school, start__lte=on)
        .exclude(end__lt=on)
        .filter(child__household__parents_abroad__in=[code for code, _label in HG691_LISTS])
        .select_related("child", "child__household", "child__household__locality", "class_group")
        .prefetch_related(
            Prefetch(
                "child__guardianship_set",
                queryset=Guardianship.objects.select_related("guardian").order_by("-is_primary_contact", "pk"),
            )
        )
        .order_by("child__last_name", "child__first_name", "child_id")
    )
    lists: dict[str, list[Enrolment]] = {code: [] for code, _label in HG691_LISTS}
    for enrolment in enrolments:
        household = enrolment.child.household
        if household is not None:
            lists[household.parents_abroad].append(enrolment)
    return lists


def _people(guardianships: Iterable[Guardianship]) -> str:
    return "; ".join(f"{g.guardian} ({g.get_relationship_display()})" for g in guardianships)


def hg691_xlsx(*, school: School, on: datetime.date, language: str | None = None) -> tuple[bytes, int]:
    """The four lists of HG 691/2015 for one school, one sheet each: both parents abroad, the only parent abroad,
    one parent abroad, parents returned after 12 months or more; for each child, besides who and where, the parent
    or parents gone (or returned) and the person in whose care the child stays, with a telephone, which the social
    assistance service needs to reach the family. In the documents' language (`prezent.core.languages`) unless
    another is chosen. Returns the file and the number of children."""
    with document_language(language):
        return _hg691_workbook(school=school, on=on)


def _hg691_workbook(*, school: School, on: datetime.date) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    total = 0
    labels = dict(ParentsAbroad.choices)
    lists = hg691_rows(school=school, on=on)
    for code, title in HG691_LISTS:
        sheet = workbook.create_sheet(str(title)[:31])
        _sheet_rows(sheet, [[school.name], [str(labels[code])], [_("Situația la %(day)s") % {"day": f"{on:%d.%m.%Y}"}]])
        sheet.append(
            [
                _("Nr."),
                _("Nume"),
                _("Prenume"),
                _("Data nașterii"),
                _("Clasa"),
                _("Localitatea"),
                _("Adresa"),
                _("Din data"),
                _("Părintele / părinții plecați")
                if code != ParentsAbroad.RETURNED
                else _("Părintele / părinții întorși"),
                _("Persoana în grija căreia a rămas copilul"),
                _("Telefonul persoanei"),
            ]
        )
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for number, enrolment in enumerate(lists[code], start=1):
            child, household = enrolment.child, enrolment.child.household
            guardianships = list(child.guardianship_set.all())
            gone = [g for g in guardianships if g.guardian.works_abroad]
            carers = [g for g in guardianships if not g.guardian.works_abroad]
            _sheet_rows(
                sheet,
                [
                    [
                        number,
                        child.last_name,
                        child.first_name,
                        f"{child.birth_date:%d.%m.%Y}",
                        str(enrolment.class_group),
                        str(household.locality) if household and household.locality else "",
                        household.address if household else "",
                        f"{household.parents_abroad_since:%d.%m.%Y}"
                        if household and household.parents_abroad_since
                        else "",
                        _people(gone),
                        _people(carers),
                        next((g.guardian.phone for g in carers if g.guardian.phone), ""),
                    ]
                ],
            )
            total += 1
    return _workbook_bytes(workbook), total
