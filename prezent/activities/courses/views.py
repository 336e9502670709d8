"""Training courses: the list (a trainer sees only their own), a new course (county coordinator), a course's page
with its sessions and participants, enrolment, attendance per session, scores, settings and certificates (PDF)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.activities.courses.forms import (
    AttendanceForm,
    CourseForm,
    CourseSettingsForm,
    EnrolForm,
    ScoresForm,
    SessionForm,
    TraineeListForm,
)
from prezent.activities.courses.selectors import (
    course_candidates,
    course_enrolment_rows,
    course_get_for_user_or_404,
    course_list_visible_to,
    session_attendee_ids,
    session_get_for_user_or_404,
)
from prezent.activities.courses.services import (
    TRAINEE_MAX_BYTES,
    TraineeImportError,
    course_certificates_issue,
    course_create,
    course_enrol,
    course_scores_save,
    course_session_add,
    course_settings_save,
    course_trainees_import,
    session_attendance_save,
)
from prezent.activities.forms import add_service_errors
from prezent.activities.models import Course, CourseKind
from prezent.activities.permissions import can_create_courses, can_list_courses
from prezent.activities.selectors import programme_school_list
from prezent.core.spreadsheets import SpreadsheetError, upload_read


@require_GET
def course_list_view(request: AuthedRequest) -> HttpResponse:
    courses = course_list_visible_to(user=request.user).order_by("-start", "title")
    if not can_list_courses(user=request.user):
        raise Http404
    return render(
        request,
        "activities/courses/list.html",
        {"courses": courses, "may_create": can_create_courses(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
def course_create_view(request: AuthedRequest) -> HttpResponse:
    if not can_create_courses(user=request.user):
        raise Http404
    schools = programme_school_list(user=request.user).order_by("name")
    form = CourseForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cursul a fost creat."))
            return redirect(course)
    return render(
        request, "activities/courses/form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _course_context(request: AuthedRequest, course: Course, **extra: object) -> dict[str, object]:
    rows = course_enrolment_rows(course=course)
    context: dict[str, object] = {
        "course": course,
        "sessions": list(course.sessions.all()),
        "rows": rows,
        "completed": sum(1 for r in rows if r.completed),
        "session_form": SessionForm(),
        "settings_form": CourseSettingsForm(
            initial={"start": course.start, "end": course.end, "completion_percent": course.completion_percent}
        ),
        "schools": list(course.schools.order_by("name")),
    }
    context.update(extra)
    return context


@require_GET
def course_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    return render(request, "activities/courses/detail.html", _course_context(request, course))


@require_POST
def course_session_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = course_session_add(course=course, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sesiunea a fost adăugată."))
            return redirect("activities:session_attendance", pk=session.pk)
    return render(
        request, "activities/courses/detail.html", _course_context(request, course, session_form=form), status=400
    )


@require_POST
def course_settings_view(request: AuthedRequest, pk: int) -> HttpResponse:
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    form = CourseSettingsForm(request.POST)
    if form.is_valid():
        try:
            course_settings_save(course=course, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Setările cursului au fost salvate."))
            return redirect(course)
    return render(
        request, "activities/courses/detail.html", _course_context(request, course, settings_form=form), status=400
    )


@require_http_methods(["GET", "POST"])
def course_enrol_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enrol participants: parents or teachers of the course's schools, ticked from the lists, or named."""
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    today = timezone.localdate()
    candidates = course_candidates(course=course, on=today)
    schools = sorted({c.detail for c in candidates})
    school_label = request.GET.get("scoala", "")
    form = EnrolForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            count = course_enrol(
                course=course,
                person_ids=form.cleaned_data["people"],
                names=form.cleaned_data["names"],
                on=today,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("A fost înscris %(n)d participant.", "Au fost înscriși %(n)d participanți.", count)
                % {"n": count},
            )
            return redirect(course)
    return render(
        request,
        "activities/courses/enrol.html",
        {
            "course": course,
            "form": form,
            "candidates": [c for c in candidates if not school_label or c.detail == school_label],
            "schools": schools,
            "school_label": school_label,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def course_trainees_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A teacher course's trainee list from a spreadsheet (name and school, no account needed): every row enrolled
    or none, each bad row named with its line."""
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    if course.kind != CourseKind.TEACHERS:
        raise Http404
    form = TraineeListForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload_read(
                upload,
                upload.name,
                max_bytes=TRAINEE_MAX_BYTES,
                too_big=_("Fișierul are peste 2 MB: încărcați doar lista de cursanți."),
            )
            enrolled, already = course_trainees_import(
                course=course, source=data, actor=request.user, on=timezone.localdate()
            )
        except (TraineeImportError, SpreadsheetError) as error:
            errors = [str(e) for e in error.errors]
        else:
            messages.success(
                request,
                _("Lista a fost încărcată: %(new)d cursanți înscriși, %(old)d erau deja înscriși.")
                % {"new": enrolled, "old": already},
            )
            return redirect(course)
    return render(
        request,
        "activities/courses/trainees.html",
        {"course": course, "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def session_attendance_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tick who came to a session."""
    session = session_get_for_user_or_404(user=request.user, pk=pk)
    enrolments = list(session.course.enrolments.order_by("name", "pk"))
    form = AttendanceForm(
        request.POST or None, enrolments=enrolments, initial={"present": session_attendee_ids(session=session)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            present = session_attendance_save(
                session=session, enrolment_ids=form.cleaned_data["present"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Prezența a fost salvată: %(n)d din %(total)d.") % {"n": present, "total": len(enrolments)}
            )
            return redirect(session.course)
    return render(
        request,
        "activities/courses/session_attendance.html",
        {"session": session, "course": session.course, "form": form, "enrolments": enrolments},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def course_scores_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Optional test scores before and after the course (0–100)."""
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    form = ScoresForm(request.POST or None, enrolments=list(course.enrolments.order_by("name", "pk")))
    if request.method == "POST" and form.is_valid():
        try:
            course_scores_save(course=course, scores=form.scores(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scorurile au fost salvate."))
            return redirect(course)
    return render(
        request,
        "activities/courses/scores.html",
        {"course": course, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def certificate_view(request: AuthedRequest, pk: int, enrolment_id: int) -> HttpResponse:
    """One participant's certificate of completion (PDF)."""
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    enrolment = get_object_or_404(course.enrolments, pk=enrolment_id)
    try:
        pdf = course_certificates_issue(
            course=course, enrolment=enrolment, actor=request.user, language=request.GET.get("limba")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course)
    return _pdf(pdf, f"certificat-{course.pk}-{enrolment.pk}.pdf")


@require_GET
def certificates_all_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The certificates of everyone who completed the course, one page each, in one PDF."""
    course = course_get_for_user_or_404(user=request.user, pk=pk)
    try:
        pdf = course_certificates_issue(course=course, actor=request.user, language=request.GET.get("limba"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course)
    return _pdf(pdf, f"certificate-curs-{course.pk}.pdf")
