from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.permissions import can_view_children
from prezent.children.forms import (
    ChildCreateForm,
    ChildEditForm,
    ChildSearchForm,
    ConsentForm,
    ConsentWithdrawForm,
    EnrolmentMoveForm,
    EthnicityForm,
    GuardianAddForm,
    GuardianEditForm,
    HouseholdForm,
)
from prezent.children.imports.permissions import can_create_pupil_imports
from prezent.children.models import Child
from prezent.children.permissions import (
    can_create_children,
    can_edit_child_cnp,
    can_edit_child_ethnicity,
    can_reveal_child_cnp,
)
from prezent.children.selectors import (
    child_get_for_user_or_404,
    child_get_writable_or_404,
    child_list_visible_to,
    child_search,
    class_list_writable_by,
    consent_get_for_child_or_404,
    consent_withdrawal_effects,
    guardianship_get_for_child_or_404,
    household_county,
)
from prezent.children.services import (
    DuplicateChildWarning,
    child_create,
    child_update,
    consent_record,
    consent_withdraw,
    enrolment_move,
    ethnicity_declare,
    guardian_add,
    guardian_update,
    household_update,
)
from prezent.core.pagination import CappedPaginator
from prezent.core.services import access_log_child_read, audit_record
from prezent.schools.models import Locality

PAGE_SIZE = 50


def child_list_view(request: AuthedRequest) -> HttpResponse:
    """The children the user may see, searchable by name; htmx swaps only the results."""
    if not can_view_children(user=request.user):
        raise Http404
    form = ChildSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    children = child_search(user=request.user, query=query)
    page = CappedPaginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "children/list.html#results" if request.htmx else "children/list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "may_create": can_create_children(user=request.user),
            "may_import": can_create_pupil_imports(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def child_create_view(request: AuthedRequest) -> HttpResponse:
    """Add a child to a class. Likely duplicates (same CNP, or same name and birth date) are shown first."""
    if not can_create_children(user=request.user):
        raise Http404
    today = timezone.localdate()
    classes = class_list_writable_by(user=request.user).filter(
        school_year__start__lte=today, school_year__end__gte=today
    )
    form = ChildCreateForm(request.POST or None, classes=classes, initial={"start": today})
    duplicates: list = []
    hidden_duplicates = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = child_create(
                first_name=data["first_name"],
                last_name=data["last_name"],
                sex=data["sex"],
                birth_date=data["birth_date"],
                cnp=data["cnp"],
                class_group=data["class_group"],
                start=data["start"],
                confirm_not_duplicate=data["confirm_not_duplicate"],
                actor=request.user,
            )
        except DuplicateChildWarning as warning:
            visible = set(child_list_visible_to(user=request.user).values_list("pk", flat=True))
            duplicates = [c for c in warning.duplicates if c.pk in visible]
            hidden_duplicates = len(warning.duplicates) - len(duplicates)
            form.add_error(None, warning.messages[0])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Copilul a fost adăugat."))
            return redirect(child.get_absolute_url())
    return render(
        request,
        "children/create.html",
        {"form": form, "duplicates": duplicates, "hidden_duplicates": hidden_duplicates},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def child_cnp_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reveal a child's CNP to a role that may see it, held at the child's school; the reveal is logged and
    audited."""
    child = child_get_for_user_or_404(user=request.user, pk=pk)
    if not can_reveal_child_cnp(user=request.user, child=child):
        raise Http404
    access_log_child_read(request=request, child_id=child.pk, view="child_cnp")
    audit_record(actor=request.user, action="child.reveal_cnp", target=child)
    return render(request, "children/cnp.html", {"child": child})


def _editable_child_or_404(request: AuthedRequest, pk: int) -> Child:
    return child_get_writable_or_404(user=request.user, pk=pk)


def _report_errors(request: AuthedRequest, form) -> None:  # type: ignore[no-untyped-def]
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def child_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct a child's name, sex, birth date, "works" and (for roles that may see it) CNP. A refusal keeps what
    was typed and changes nothing; the audit lists the fields changed, never their values."""
    child = _editable_child_or_404(request, pk)
    access_log_child_read(request=request, child_id=child.pk, view="children:edit")
    with_cnp = can_edit_child_cnp(user=request.user, child=child)
    form = ChildEditForm(request.POST or None, child=child, with_cnp=with_cnp)
    if request.method == "POST" and form.is_valid():
        try:
            child_update(child=child, actor=request.user, reason=form.cleaned_data["reason"], **form.changes())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if form.changed_details:
                messages.success(request, _("Datele copilului au fost salvate."))
            else:
                messages.info(request, _("Nu ați schimbat nimic."))
            return redirect(child.get_absolute_url())
    return render(
        request,
        "children/edit.html",
        {"child": child, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def guardian_edit_view(request: AuthedRequest, pk: int, guardianship_id: int) -> HttpResponse:
    """Correct a guardian's name, phone and relation to the child, with a reason. A refusal keeps what was typed and
    changes nothing; the audit lists the fields changed and the reason, never the values."""
    child = _editable_child_or_404(request, pk)
    guardianship = guardianship_get_for_child_or_404(child=child, pk=guardianship_id)
    access_log_child_read(request=request, child_id=child.pk, view="children:guardian_edit")
    form = GuardianEditForm(request.POST or None, guardianship=guardianship)
    if request.method == "POST" and form.is_valid():
        try:
            guardian_update(guardianship=guardianship, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if any(name != "reason" for name in form.changed_data):
                messages.success(request, _("Datele părintelui au fost corectate."))
            else:
                messages.info(request, _("Nu ați schimbat nimic."))
            return redirect(f"{child.get_absolute_url()}#familie")
    return render(
        request,
        "children/guardian_edit.html",
        {"child": child, "guardianship": guardianship, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: AuthedRequest, pk: int, consent_id: int) -> HttpResponse:
    """Withdraw a consent, after showing what stops when it is withdrawn. The consent stays in the list, marked
    withdrawn with the date and who recorded it."""
    child = _editable_child_or_404(request, pk)
    consent = consent_get_for_child_or_404(user=request.user, child=child, pk=consent_id)
    access_log_child_read(request=request, child_id=child.pk, view="children:consent_withdraw")
    form = ConsentWithdrawForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(consent=consent, on=form.cleaned_data["on"], actor=request.user)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Consimțământul a fost retras."))
            return redirect(f"{child.get_absolute_url()}#consimtaminte")
    return render(
        request,
        "children/consent_withdraw.html",
        {"child": child, "consent": consent, "form": form, "effects": consent_withdrawal_effects(consent=consent)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def guardian_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child_or_404(request, pk)
    form = GuardianAddForm(request.POST)
    if form.is_valid():
        guardian_add(child=child, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Părintele a fost adăugat."))
    else:
        _report_errors(request, form)
    return redirect(child.get_absolute_url())


@require_POST
def consent_record_view(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child_or_404(request, pk)
    form = ConsentForm(
        request.POST, child=child, with_ethnicity=can_edit_child_ethnicity(user=request.user, child=child)
    )
    if form.is_valid():
        try:
            consent_record(child=child, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Consimțământul a fost înregistrat."))
    else:
        _report_errors(request, form)
    return redirect(child.get_absolute_url())


@require_POST
def enrolment_move_view(request: AuthedRequest, pk: int) -> HttpResponse:
    child = _editable_child_or_404(request, pk)
    form = EnrolmentMoveForm(request.POST, classes=class_list_writable_by(user=request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            enrolment_move(
                child=child, to_class=data["class_group"], on=data["on"], reason=data["reason"], actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Copilul a fost mutat în noua clasă."))
    else:
        _report_errors(request, form)
    return redirect(child.get_absolute_url())


@require_http_methods(["GET", "POST"])
def household_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The family's circumstances (the early-warning rules read them): one page, keeps what was typed."""
    child = _editable_child_or_404(request, pk)
    household = child.household
    if household is None:
        raise Http404
    localities = Locality.objects.filter(county_code=household_county(child)).order_by("name")
    form = HouseholdForm(request.POST or None, instance=household, localities=localities)
    if request.method == "POST" and form.is_valid():
        household_update(household=household, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Datele familiei au fost salvate."))
        return redirect(child.get_absolute_url())
    return render(
        request,
        "children/household.html",
        {"child": child, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def ethnicity_declare_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a self-declared ethnicity; only a role that may see ethnicity, held at the child's school, may."""
    child = child_get_for_user_or_404(user=request.user, pk=pk)
    if not can_edit_child_ethnicity(user=request.user, child=child):
        raise Http404
    form = EthnicityForm(request.POST)
    if form.is_valid():
        ethnicity_declare(child=child, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Etnia declarată a fost înregistrată."))
    else:
        _report_errors(request, form)
    return redirect(child.get_absolute_url())
