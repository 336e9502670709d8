import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.children.models import OutOfSchool
from prezent.children.outside.forms import (
    OutsideChildForm,
    OutsideCloseForm,
    OutsideFilterForm,
    OutsideRecordForm,
    ReenrolForm,
)
from prezent.children.outside.permissions import (
    can_edit_outside_record,
    can_list_outside_children,
    can_record_outside_child,
)
from prezent.children.outside.selectors import (
    child_last_enrolment,
    child_open_enrolment,
    child_open_outside_record,
    child_outside_story,
    localities_recordable_by,
    locality_pick,
    outside_counts,
    outside_get_for_user_or_404,
    outside_localities,
    outside_records_of,
    outside_search,
    schools_recordable_by,
)
from prezent.children.outside.services import (
    outside_child_create,
    outside_close,
    outside_record,
    outside_reenrol,
)
from prezent.children.selectors import (
    child_get_writable_or_404,
    child_list_visible_to,
    child_search,
    class_list_writable_by,
)
from prezent.children.services import DuplicateChildWarning
from prezent.core.pagination import CappedPaginator
from prezent.core.services import access_log_child_read

PAGE_SIZE = 50


def _add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_GET
def outside_list_view(request: AuthedRequest) -> HttpResponse:
    """ "Copii în afara școlii": the records of the user's area, filtered by status, locality and reason, with the
    count per status."""
    if not can_list_outside_children(user=request.user):
        raise Http404
    form = OutsideFilterForm(request.GET, localities=outside_localities(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    base = outside_search(user=request.user, locality_id=filters.get("locality"), reason=filters.get("reason") or "")
    counts = outside_counts(records=base)
    records = base.filter(status=filters["status"]) if filters.get("status") else base
    page = CappedPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    statuses = [(value, label, counts[value]) for value, label in OutOfSchool.Status.choices]
    return render(
        request,
        "children/outside/list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "statuses": statuses,
            "query": query.urlencode(),
            "may_record": can_record_outside_child(user=request.user),
        },
    )


@require_GET
def outside_pick_view(request: AuthedRequest) -> HttpResponse:
    """The choices for a search box of the forms (htmx): localities the user may record in, or the children they
    see (a sibling whose family the child shares)."""
    if not can_record_outside_child(user=request.user):
        raise Http404
    what = request.GET.get("what", "locality")
    query = request.GET.get("q", "").strip()[:100]
    if what == "sibling":
        options = (
            [
                (child.pk, f"{child} · {child.birth_date:%d.%m.%Y}")
                for child in child_search(user=request.user, query=query)[:15]
            ]
            if query
            else []
        )
        name = "sibling"
    elif what == "locality":
        options = [
            (loc.pk, f"{loc.name} ({loc.uat.name})" if loc.uat else loc.name)
            for loc in locality_pick(user=request.user, query=query)
        ]
        name = "locality"
    else:
        raise Http404
    return render(request, "children/outside/pick.html", {"options": options, "name": name, "query": query})


@require_http_methods(["GET", "POST"])
def outside_create_view(request: AuthedRequest) -> HttpResponse:
    """A child found outside school who is not yet in Prezent."""
    if not can_record_outside_child(user=request.user):
        raise Http404
    today = timezone.localdate()
    form = OutsideChildForm(
        request.POST or None,
        localities=localities_recordable_by(user=request.user),
        schools=schools_recordable_by(user=request.user),
        siblings=child_list_visible_to(user=request.user),
        initial={"recorded_on": today},
    )
    duplicates: list = []
    hidden_duplicates = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = outside_child_create(actor=request.user, **data)
        except DuplicateChildWarning as warning:
            visible = set(child_list_visible_to(user=request.user).values_list("pk", flat=True))
            duplicates = [c for c in warning.duplicates if c.pk in visible]
            hidden_duplicates = len(warning.duplicates) - len(duplicates)
            form.add_error(None, warning.messages[0])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Copilul a fost înregistrat în afara școlii."))
            return redirect(record.get_absolute_url())
    return render(
        request,
        "children/outside/create.html",
        {
            "form": form,
            "locality": form.chosen_locality(),
            "sibling": form.chosen_sibling(),
            "duplicates": duplicates,
            "hidden_duplicates": hidden_duplicates,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def outside_mark_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """From the page of a child who left school (no open enrolment): record them as outside school."""
    child = child_get_writable_or_404(user=request.user, pk=pk)
    if not can_record_outside_child(user=request.user):
        raise Http404
    access_log_child_read(request=request, child_id=child.pk, view="children:outside_mark")
    if child_open_enrolment(child=child) is not None or child_open_outside_record(child=child) is not None:
        messages.info(request, _("Copilul este înscris la școală sau este deja înregistrat în afara școlii."))
        return redirect(child.get_absolute_url())
    last = child_last_enrolment(child=child)
    household = child.household
    locality = (household.locality if household else None) or (last.class_group.school.locality if last else None)
    initial = {"recorded_on": timezone.localdate(), "locality": locality, "never_enrolled": last is None}
    if last is not None and last.end is not None:
        initial["since"] = last.end + datetime.timedelta(days=1)
    form = OutsideRecordForm(
        request.POST or None, localities=localities_recordable_by(user=request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = outside_record(child=child, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Copilul a fost înregistrat în afara școlii."))
            return redirect(record.get_absolute_url())
    return render(
        request,
        "children/outside/mark.html",
        {"child": child, "form": form, "locality": form.chosen_locality(), "last": last},
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: AuthedRequest,
    record: OutOfSchool,
    *,
    reenrol_form: ReenrolForm | None = None,
    close_form: OutsideCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    child = record.child
    records = outside_records_of(user=request.user, child=child)
    context: dict = {
        "record": record,
        "child": child,
        "story": child_outside_story(child=child, records=records),
        "others": [r for r in records if r.pk != record.pk],
    }
    if can_edit_outside_record(user=request.user, record=record):
        today = timezone.localdate()
        classes = class_list_writable_by(user=request.user).filter(
            school_year__start__lte=today, school_year__end__gte=today
        )
        context["reenrol_form"] = reenrol_form or ReenrolForm(classes=classes, initial={"on": today})
        context["close_form"] = close_form or OutsideCloseForm(initial={"on": today})
    return render(request, "children/outside/detail.html", context, status=status)


@require_GET
def outside_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A record of a child outside school with the child's story. Every read is logged."""
    record = outside_get_for_user_or_404(user=request.user, pk=pk)
    access_log_child_read(request=request, child_id=record.child_id, view="children:outside_detail")
    return _detail(request, record)


def _editable_record_or_404(request: AuthedRequest, pk: int) -> OutOfSchool:
    record = outside_get_for_user_or_404(user=request.user, pk=pk)
    if not can_edit_outside_record(user=request.user, record=record):
        raise Http404
    return record


@require_POST
def outside_reenrol_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Back to school: the enrolment is created and the record closed; a refusal keeps what was chosen."""
    record = _editable_record_or_404(request, pk)
    today = timezone.localdate()
    classes = class_list_writable_by(user=request.user).filter(
        school_year__start__lte=today, school_year__end__gte=today
    )
    form = ReenrolForm(request.POST, classes=classes)
    if form.is_valid():
        try:
            outside_reenrol(
                record=record,
                class_group=form.cleaned_data["class_group"],
                on=form.cleaned_data["on"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Copilul a fost reînscris la școală."))
            return redirect(record.get_absolute_url())
    return _detail(request, record, reenrol_form=form, status=400)


@require_POST
def outside_close_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close a record without a return: moved away, or above school age."""
    record = _editable_record_or_404(request, pk)
    form = OutsideCloseForm(request.POST)
    if form.is_valid():
        try:
            outside_close(
                record=record, status=form.cleaned_data["status"], on=form.cleaned_data["on"], actor=request.user
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Înregistrarea a fost încheiată."))
            return redirect(record.get_absolute_url())
    return _detail(request, record, close_form=form, status=400)
