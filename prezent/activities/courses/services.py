"""Every change to a training course, each audited with ids and counts (never a name).

Rules:
- a course's participants are guardians (parent course) or teachers (teacher course) of its schools, or named
  people; attendance is recorded per session; completion is `logic.course_completed` with the course's threshold;
- a certificate is issued only to a participant who completed the course.
"""

import base64
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.courses.selectors import course_candidates, course_enrolment_rows
from prezent.activities.models import Course, CourseEnrolment, CourseKind, CourseSession, SessionAttendance
from prezent.activities.services import clean_names
from prezent.core.languages import document_language
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError, SpreadsheetError, cell_text, code_text, sheet_open
from prezent.core.text import fold
from prezent.core.validators import CONTROL_CHARACTERS
from prezent.programme.models import Programme
from prezent.programme.selectors import programme_of_county
from prezent.schools.models import School


def _check_course(*, start: datetime.date, end: datetime.date, completion_percent: int) -> None:
    errors = {}
    if end < start:
        errors["end"] = _("Cursul nu se poate termina înainte să înceapă.")
    if not 1 <= completion_percent <= 100:
        errors["completion_percent"] = _("Pragul de absolvire este un procent între 1 și 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    kind: str,
    title: str,
    trainer: User,
    schools: Sequence[School],
    start: datetime.date,
    end: datetime.date,
    place: str = "",
    hours: int = 0,
    completion_percent: int = 80,
    actor: User,
) -> Course:
    _check_course(start=start, end=end, completion_percent=completion_percent)
    if not schools:
        raise ValidationError({"schools": _("Alegeți cel puțin o școală.")})
    course = Course.objects.create(
        kind=kind,
        title=title,
        trainer=trainer,
        county_code=schools[0].county_code,
        start=start,
        end=end,
        place=place,
        hours=hours,
        completion_percent=completion_percent,
    )
    course.schools.set(schools)
    audit_record(
        actor=actor,
        action="course.create",
        target=course,
        details={
            "kind": kind,
            "trainer": trainer.pk,
            "schools": [s.pk for s in schools],
            "percent": completion_percent,
        },
    )
    return course


@transaction.atomic
def course_settings_save(
    *, course: Course, start: datetime.date, end: datetime.date, completion_percent: int, actor: User
) -> Course:
    """The course's dates and its completion threshold (default 80 % of sessions)."""
    _check_course(start=start, end=end, completion_percent=completion_percent)
    course.start, course.end, course.completion_percent = start, end, completion_percent
    course.save(update_fields=["start", "end", "completion_percent"])
    audit_record(actor=actor, action="course.settings", target=course, details={"percent": completion_percent})
    return course


@transaction.atomic
def course_session_add(*, course: Course, date: datetime.date, topic: str, actor: User) -> CourseSession:
    if not course.start <= date <= course.end:
        raise ValidationError(
            {
                "date": _("Sesiunea trebuie să fie între %(start)s și %(end)s.")
                % {"start": f"{course.start:%d.%m.%Y}", "end": f"{course.end:%d.%m.%Y}"}
            }
        )
    session = CourseSession.objects.create(course=course, date=date, topic=topic)
    audit_record(actor=actor, action="course.session_add", target=session, details={"course": course.pk})
    return session


@transaction.atomic
def course_enrol(
    *, course: Course, person_ids: Iterable[int] = (), names: Iterable[str] = (), on: datetime.date, actor: User
) -> int:
    """Enrol people from the lists (guardians for a parent course, teachers for a teacher course) and people from
    outside the lists by name. Returns how many were enrolled."""
    ids = set(person_ids)
    candidates = {c.pk: c for c in course_candidates(course=course, on=on)}
    if not ids <= set(candidates):
        raise ValidationError({"people": _("Unele persoane alese nu sunt pe listele școlilor cursului.")})
    field = "teacher_id" if course.kind == CourseKind.TEACHERS else "guardian_id"
    rows = [
        CourseEnrolment(course=course, name=candidates[pk].name, enrolled_on=on, **{field: pk}) for pk in sorted(ids)
    ]
    existing = set(course.enrolments.filter(guardian=None, teacher=None).values_list("name", flat=True))
    rows += [CourseEnrolment(course=course, name=n, enrolled_on=on) for n in clean_names(names) if n not in existing]
    CourseEnrolment.objects.bulk_create(rows)
    audit_record(
        actor=actor, action="course.enrol", target=course, details={"from_lists": len(ids), "count": len(rows)}
    )
    return len(rows)


@transaction.atomic
def session_attendance_save(*, session: CourseSession, enrolment_ids: Iterable[int], actor: User) -> int:
    """Set who attended a session to exactly `enrolment_ids` (participants of the session's course)."""
    ids = set(enrolment_ids)
    valid = set(session.course.enrolments.values_list("pk", flat=True))
    if not ids <= valid:
        raise ValidationError(_("Unii participanți aleși nu sunt înscriși la acest curs."))
    SessionAttendance.objects.filter(session=session).exclude(enrolment_id__in=ids).delete()
    present = set(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=session, enrolment_id=pk) for pk in sorted(ids - present)]
    )
    audit_record(actor=actor, action="course.attendance", target=session, details={"present": len(ids)})
    return len(ids)


@transaction.atomic
def course_scores_save(*, course: Course, scores: dict[int, tuple[Decimal | None, Decimal | None]], actor: User) -> int:
    """Pre and post test scores (0–100, optional) of the course's participants."""
    enrolments = {e.pk: e for e in course.enrolments.filter(pk__in=list(scores))}
    if set(scores) - set(enrolments):
        raise ValidationError(_("Unii participanți nu sunt înscriși la acest curs."))
    for pk, (pre, post) in scores.items():
        for value in (pre, post):
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                raise ValidationError(_("Scorurile sunt între 0 și 100."))
        enrolments[pk].pre_score, enrolments[pk].post_score = pre, post
    CourseEnrolment.objects.bulk_update(list(enrolments.values()), ["pre_score", "post_score"])
    audit_record(actor=actor, action="course.scores", target=course, details={"count": len(enrolments)})
    return len(enrolments)


CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 16mm; }
body { font-family: "DejaVu Serif", "DejaVu Sans", serif; color: #000; text-align: center; }
.certificate { page-break-after: always; border: 3px double #1b4f72; padding: 14mm 12mm; height: 150mm; }
.certificate:last-child { page-break-after: auto; }
.issuer { font-size: 11pt; margin: 0; }
h1 { font-size: 28pt; letter-spacing: 0.08em; margin: 10mm 0 4mm; }
.lead { font-size: 13pt; margin: 2mm 0; }
.name { font-size: 22pt; font-weight: bold; margin: 6mm 0; }
.course { font-size: 15pt; font-style: italic; margin: 4mm 0; }
.small { font-size: 10pt; }
table.signatures { width: 100%; margin-top: 10mm; font-size: 10.5pt; border-collapse: collapse; }
table.signatures td { vertical-align: top; padding: 0 3mm; }
.sign-line { border-bottom: 1px solid #000; height: 10mm; margin: 0 4mm 1mm; }
.funder { margin-top: 6mm; font-size: 9pt; }
.funder img { max-height: 14mm; max-width: 60mm; display: block; margin: 0 auto 2mm; }
"""


def _logo_data_uri(programme: Programme | None) -> str:
    """The funder's logo as a data URI (the PDF renderer then fetches nothing), or ""."""
    if programme is None or not programme.logo:
        return ""
    try:
        with programme.logo.open("rb") as file:
            content = file.read()
    except OSError:
        return ""
    kind = "png" if content.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(content).decode('ascii')}"


def certificate_pdf(*, course: Course, enrolments: Sequence[CourseEnrolment], issued_on: datetime.date) -> bytes:
    """One certificate page per participant, rendered with WeasyPrint; the DejaVu fonts carry every Romanian
    diacritic (ă â î ș ț). It names the issuing institutions of the county's programme that ran the course, has a
    signature line for each of its signatories and the trainer, and carries the funder's mention and logo."""
    from weasyprint import CSS, HTML

    programme = programme_of_county(county_code=course.county_code, start=course.start, end=course.end)
    html = render_to_string(
        "activities/courses/certificate.html",
        {
            "course": course,
            "enrolments": enrolments,
            "issued_on": issued_on,
            "sessions": course.sessions.count(),
            "programme": programme,
            "logo": _logo_data_uri(programme),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=CERTIFICATE_CSS)])
    return pdf


def course_certificates_issue(
    *,
    course: Course,
    enrolment: CourseEnrolment | None = None,
    actor: User,
    on: datetime.date | None = None,
    language: str | None = None,
) -> bytes:
    """The certificate of one participant, or of every participant who completed the course, as one PDF, in the
    documents' language (`prezent.core.languages`) unless another is chosen. Refused for someone who has not
    completed the course."""
    rows = [row for row in course_enrolment_rows(course=course) if row.completed]
    if enrolment is not None:
        rows = [row for row in rows if row.enrolment.pk == enrolment.pk]
        if not rows:
            raise ValidationError(_("Participantul nu a absolvit încă acest curs."))
    if not rows:
        raise ValidationError(_("Niciun participant nu a absolvit încă acest curs."))
    with document_language(language):
        pdf = certificate_pdf(
            course=course, enrolments=[r.enrolment for r in rows], issued_on=on or timezone.localdate()
        )
    audit_record(
        actor=actor,
        action="course.certificates",
        target=course,
        details={"enrolments": [r.enrolment.pk for r in rows]},
    )
    return pdf


# -- trainee lists (teachers without an account) --------------------------------------------------------------------

TRAINEE_NAME_HEADERS = ("Nume și prenume", "Nume si prenume", "Nume", "Cursant", "Participant", "Numele")
TRAINEE_FIRST_NAME_HEADERS = ("Prenume",)
TRAINEE_SCHOOL_HEADERS = (
    "Cod SIIIR",
    "Cod SIIIR unitate",
    "Cod unitate",
    "Școala",
    "Unitatea",
    "Unitate de învățământ",
)
TRAINEE_MAX_BYTES = 2 * 1024 * 1024


class TraineeImportError(SpreadsheetError):
    """The trainee list was refused; nothing was enrolled."""


def course_trainees_import(*, course: Course, source: bytes, actor: User, on: datetime.date) -> tuple[int, int]:
    """Enrol the people of a trainee list (name and school; no account needed) in a teacher course: every row or
    none, each bad row named with its line. A school is the course's, found by its SIIIR code or its name. A person
    already enrolled by name at that school is skipped, so the same list imported twice enrols nobody the second
    time. Returns (enrolled, already enrolled)."""
    if course.kind != CourseKind.TEACHERS:
        raise TraineeImportError([RowError(0, _("Lista de cursanți se încarcă doar la un curs pentru profesori."))])
    schools = list(course.schools.all())
    by_code = {school.siiir_code: school for school in schools}
    by_name = {fold(school.name): school for school in schools}
    errors: list[RowError] = []
    rows: list[tuple[int, str, School]] = []
    seen: dict[tuple[str, int], int] = {}
    try:
        with sheet_open(
            source, header_names=TRAINEE_NAME_HEADERS, header_label=_("„Nume și prenume” sau „Nume”")
        ) as sheet:
            name_column = sheet.column(*TRAINEE_NAME_HEADERS)
            first_column = sheet.column(*TRAINEE_FIRST_NAME_HEADERS)
            school_column = sheet.column(*TRAINEE_SCHOOL_HEADERS)
            if school_column is None:
                raise TraineeImportError(
                    [RowError(sheet.header_line, _("Lipsește coloana școlii („Cod SIIIR” sau „Școala”)."))]
                )
            for line, raw in sheet.data_rows():
                name = " ".join(
                    part
                    for part in (cell_text(sheet.cell(raw, name_column)), cell_text(sheet.cell(raw, first_column)))
                    if part
                )
                name = " ".join(name.split())
                school_cell = cell_text(sheet.cell(raw, school_column))
                school = by_code.get(code_text(sheet.cell(raw, school_column), width=10)) or by_name.get(
                    fold(school_cell)
                )
                if not name:
                    errors.append(RowError(line, _("numele lipsește")))
                elif CONTROL_CHARACTERS.search(name):
                    errors.append(RowError(line, _("numele conține un caracter invizibil sau de control")))
                elif len(name) > 200 or not name.isprintable():
                    errors.append(RowError(line, _("numele are peste 200 de caractere sau caractere nepermise")))
                if school is None:
                    errors.append(
                        RowError(
                            line,
                            _("școala „%(school)s” nu este printre școlile cursului") % {"school": school_cell}
                            if school_cell
                            else _("școala lipsește"),
                        )
                    )
                if not name or school is None or len(name) > 200 or not name.isprintable():
                    continue
                first = seen.setdefault((fold(name), school.pk), line)
                if first != line:
                    errors.append(RowError(line, _("aceeași persoană apare și pe linia %(first)d") % {"first": first}))
                    continue
                rows.append((line, name, school))
    except TraineeImportError:
        raise
    except SpreadsheetError as error:
        raise TraineeImportError(error.errors) from error
    if errors:
        raise TraineeImportError(errors)
    if not rows:
        raise TraineeImportError([RowError(0, _("Lista nu are niciun cursant."))])
    with transaction.atomic():
        existing = {
            (fold(name), school_id)
            for name, school_id in course.enrolments.filter(teacher=None, school__isnull=False).values_list(
                "name", "school_id"
            )
        }
        new = [
            CourseEnrolment(course=course, name=name, school=school, enrolled_on=on)
            for _line, name, school in rows
            if (fold(name), school.pk) not in existing
        ]
        CourseEnrolment.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="course.trainees_import",
            target=course,
            details={"rows": len(rows), "enrolled": len(new), "already": len(rows) - len(new)},
        )
    return len(new), len(rows) - len(new)
