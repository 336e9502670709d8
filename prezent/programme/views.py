from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.permissions import can_view_children
from prezent.children.selectors import child_get_for_user_or_404
from prezent.core.redirects import local_path_or
from prezent.core.spreadsheets import SpreadsheetError
from prezent.programme.forms import ProgrammeDocumentsForm, ProgrammeForm, SchoolCodesForm, SchoolFilterForm
from prezent.programme.models import MembershipStatus, Programme
from prezent.programme.permissions import (
    can_create_programme,
    can_decide_membership,
    can_manage_programme,
    programme_counties,
)
from prezent.programme.selectors import (
    membership_list_visible_to,
    programme_get_managed_or_404,
    programme_list_managed_by,
    programme_list_visible_to,
    programme_school_counts,
    programme_schools,
    programme_status_counts,
    school_network_filtered,
    targets_current,
    unit_types_in_county,
)
from prezent.programme.services import (
    SchoolCodesError,
    membership_move,
    programme_create,
    programme_documents_set,
    programme_schools_add,
    programme_schools_add_codes,
    programme_schools_remove,
    programme_update,
    school_codes_from_file,
    school_codes_from_text,
)

CHOOSER_PAGE_SIZE = 25
CHOSEN_PAGE_SIZE = 50


def programme_detail_view(request: AuthedRequest) -> HttpResponse:
    """The programme: its targets with revisions, the target group by status, and (for those who may see
    children) the members."""
    programme = programme_list_visible_to(user=request.user).order_by("-start").first()
    if programme is None:
        raise Http404
    status = request.GET.get("stare") or MembershipStatus.PROPOSED
    if status not in MembershipStatus.values:
        status = MembershipStatus.PROPOSED
    members = None
    if can_view_children(user=request.user):
        members = Paginator(
            membership_list_visible_to(user=request.user, programme=programme, status=status).prefetch_related(
                Prefetch("steps", to_attr="step_list")
            ),
            50,
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/detail.html",
        {
            "programme": programme,
            "counts": programme_status_counts(programme=programme),
            "targets": targets_current(programme=programme),
            "members": members,
            "status": status,
            "statuses": MembershipStatus.choices,
            "may_decide": can_decide_membership(user=request.user),
            "may_manage": can_manage_programme(user=request.user, programme=programme),
            "today": timezone.localdate(),
        },
    )


@require_POST
def membership_move_view(request: AuthedRequest, child_id: int) -> HttpResponse:
    """The county coordinator confirms (include), dismisses or ends a child's place in the target group."""
    if not can_decide_membership(user=request.user):
        raise Http404
    programme_id = request.POST.get("programme", "")
    if not programme_id.isdigit():
        raise Http404
    programme = get_object_or_404(programme_list_visible_to(user=request.user), pk=programme_id)
    child = child_get_for_user_or_404(user=request.user, pk=child_id)
    to_status = request.POST.get("to_status", "")
    if to_status not in MembershipStatus.values:
        raise Http404
    try:
        membership_move(
            programme=programme,
            child=child,
            to_status=to_status,
            on=timezone.localdate(),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decizia a fost înregistrată."))
    return redirect(local_path_or(request, request.POST.get("back"), reverse("programme:detail")))


# Setting up a programme (the county coordinator of its county) --------------------------------------------------


def programme_manage_list_view(request: AuthedRequest) -> HttpResponse:
    """The programmes of the coordinator's counties, with a link to create one."""
    if not can_create_programme(user=request.user):
        raise Http404
    return render(request, "programme/setup_list.html", {"programmes": programme_list_managed_by(user=request.user)})


@require_http_methods(["GET", "POST"])
def programme_create_view(request: AuthedRequest) -> HttpResponse:
    counties = programme_counties(user=request.user)
    if not counties:
        raise Http404
    form = ProgrammeForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programul a fost creat. Alegeți-i școlile."))
            return redirect("programme:manage", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/setup_form.html", {"form": form, "programme": None}, status=status)


@require_http_methods(["GET", "POST"])
def programme_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = programme_get_managed_or_404(user=request.user, pk=pk)
    initial = {field: getattr(programme, field) for field in ("code", "name", "funder", "start", "end", "budget_eur")}
    form = ProgrammeForm(
        request.POST or None,
        initial={**initial, "county_code": programme.county_code},
        counties=[programme.county_code],
        fixed_county=True,
    )
    if request.method == "POST" and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key != "county_code"}
        try:
            changed = programme_update(programme=programme, actor=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Programul a fost salvat."))
            else:
                messages.info(request, _("Nimic nu s-a schimbat."))
            return redirect("programme:manage", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/setup_form.html", {"form": form, "programme": programme}, status=status)


def programme_documents_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the programme's certificates carry (issuers, signatories, the funder's mention and logo)."""
    programme = programme_get_managed_or_404(user=request.user, pk=pk)
    initial = {field: getattr(programme, field) for field in ("issuers", "signatories", "funder_mention")}
    form = ProgrammeDocumentsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = programme_documents_set(programme=programme, actor=request.user, **form.cleaned_data)
        if changed:
            messages.success(request, _("Datele documentelor au fost salvate."))
        else:
            messages.info(request, _("Nimic nu s-a schimbat."))
        return redirect("programme:manage", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/setup_documents.html", {"form": form, "programme": programme}, status=status)


def _manage_page(
    request: AuthedRequest,
    programme: Programme,
    *,
    codes_form: SchoolCodesForm | None = None,
    code_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = Paginator(programme_schools(programme=programme), CHOSEN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/setup.html",
        {
            "programme": programme,
            "counts": programme_school_counts(programme=programme),
            "chosen": chosen,
            "codes_form": codes_form or SchoolCodesForm(),
            "code_errors": code_errors or [],
        },
        status=status,
    )


def programme_manage_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A programme's set-up: its details, its schools (with counts) and where its targets are set."""
    return _manage_page(request, programme_get_managed_or_404(user=request.user, pk=pk))


def _filter_query(form: SchoolFilterForm) -> str:
    if not form.is_valid():
        return ""
    return urlencode({key: value for key, value in form.cleaned_data.items() if value})


@require_http_methods(["GET", "POST"])
def programme_schools_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The county's network, filtered and paged, with a checkbox per school: add the ticked ones, or every school
    the filters find."""
    programme = programme_get_managed_or_404(user=request.user, pk=pk)
    unit_types = unit_types_in_county(county_code=programme.county_code)
    data = request.POST if request.method == "POST" else request.GET
    filter_form = SchoolFilterForm(data, unit_types=unit_types)
    filters = filter_form.filters()
    if request.method == "POST":
        if "add_all" in request.POST and not filter_form.is_valid():
            school_ids = []  # never "every school of the county" because a filter was not understood
        elif "add_all" in request.POST:
            school_ids = list(
                school_network_filtered(programme=programme, filters=filters).values_list("pk", flat=True)
            )
        else:
            school_ids = [int(value) for value in request.POST.getlist("school") if value.isdigit()]
        if not school_ids:
            messages.error(request, _("Nu ați ales nicio școală."))
        else:
            try:
                result = programme_schools_add(programme=programme, school_ids=school_ids, actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Școli adăugate: %(added)d; erau deja în program: %(already)d.")
                    % {"added": result.added, "already": result.already},
                )
        query = _filter_query(filter_form)
        return redirect(f"{request.path}?{query}" if query else request.path)
    page = Paginator(school_network_filtered(programme=programme, filters=filters), CHOOSER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programme/setup_schools.html",
        {
            "programme": programme,
            "filter_form": filter_form,
            "filters": filters,
            "page": page,
            "query": _filter_query(filter_form),
            "counts": programme_school_counts(programme=programme),
        },
    )


@require_POST
def programme_school_codes_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add the schools of a list of SIIIR codes (pasted or a one-column spreadsheet): all of them or none."""
    programme = programme_get_managed_or_404(user=request.user, pk=pk)
    form = SchoolCodesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage_page(request, programme, codes_form=form, status=400)
    upload = form.cleaned_data.get("file")
    try:
        codes = (
            school_codes_from_file(upload.read(2 * 1024 * 1024 + 1))
            if upload
            else school_codes_from_text(form.cleaned_data["codes"])
        )
        result = programme_schools_add_codes(programme=programme, codes=codes, actor=request.user)
    except (SchoolCodesError, SpreadsheetError) as exc:
        return _manage_page(request, programme, codes_form=form, code_errors=[str(e) for e in exc.errors], status=400)
    messages.success(
        request,
        _("Școli adăugate: %(added)d; erau deja în program: %(already)d.")
        % {"added": result.added, "already": result.already},
    )
    return redirect("programme:manage", pk=programme.pk)


@require_POST
def programme_schools_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take the ticked schools out of the programme (refused for a school with children in the target group)."""
    programme = programme_get_managed_or_404(user=request.user, pk=pk)
    school_ids = [int(value) for value in request.POST.getlist("school") if value.isdigit()]
    if not school_ids:
        messages.error(request, _("Nu ați ales nicio școală."))
    else:
        try:
            removed = programme_schools_remove(programme=programme, school_ids=school_ids, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Școli scoase din program: %(n)d.") % {"n": removed})
    return redirect("programme:manage", pk=programme.pk)
