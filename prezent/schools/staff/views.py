"""The county coordinator's staff pages: the people with roles in the county, adding a person, a person's roles
(give, end, extend, invite again) and classes, the school search box, the class choice and the staff file import.
Anyone else gets 404."""

import base64
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.models import RoleAssignment, User
from prezent.schools.models import ClassGroup
from prezent.schools.staff.forms import ClassTeacherForm, PersonAddForm, RoleExtendForm, RoleGiveForm, StaffImportForm
from prezent.schools.staff.labels import class_label
from prezent.schools.staff.permissions import (
    can_decide_role_grant,
    can_edit_role,
    can_list_role_grants,
    staff_counties,
)
from prezent.schools.staff.selectors import (
    assignment_get_for_manager_or_404,
    class_teacher_schools,
    current_years,
    person_classes_for,
    person_roles_for,
    role_grants_waiting_for,
    school_search_for,
    staff_list_for,
    staff_person_get_or_404,
    staff_person_in_counties,
)
from prezent.schools.staff.services import (
    MAX_FILE_BYTES,
    PersonExistsError,
    StaffImportError,
    class_teacher_set,
    person_add,
    role_end,
    role_extend,
    role_give,
    role_grant_decide,
    staff_import_apply,
    staff_import_read,
    staff_invite,
)

SESSION_KEY = "prezent_staff_import"
PAGE_SIZE = 50


def _counties_or_404(request: AuthedRequest) -> frozenset[str]:
    counties = staff_counties(user=request.user)
    if not counties:
        raise Http404
    return counties


def _base_url(request: AuthedRequest) -> str:
    return request.build_absolute_uri("/")


@require_GET
def staff_list_view(request: AuthedRequest) -> HttpResponse:
    _counties_or_404(request)
    query = request.GET.get("q", "").strip()
    page = Paginator(staff_list_for(user=request.user, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/staff/list.html", {"page": page, "query": query, "today": timezone.localdate()})


def _person_page(
    request: AuthedRequest,
    person: User,
    *,
    give_form: RoleGiveForm | None = None,
    class_form: ClassTeacherForm | None = None,
    status: int = 200,
) -> HttpResponse:
    counties = _counties_or_404(request)
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    if give_form is None:
        give_form = RoleGiveForm(counties=counties)
    assignments = person_roles_for(user=request.user, person=person)
    for assignment in assignments:
        assignment.editable = can_edit_role(  # type: ignore[attr-defined]
            user=request.user,
            assignment=assignment,
            county_code=assignment.county,  # type: ignore[attr-defined]
        )
    chosen = {school.pk for school in give_form.chosen_schools}
    found = [s for s in school_search_for(user=request.user, query=query) if s.pk not in chosen] if query else []
    today = timezone.localdate()
    years = current_years(counties=counties)
    teacher_schools = class_teacher_schools(assignments, today=today)
    if class_form is None and teacher_schools:
        class_form = ClassTeacherForm(schools=teacher_schools, years=years)
    return render(
        request,
        "schools/staff/person.html",
        {
            "person": person,
            "assignments": assignments,
            "classes": person_classes_for(user=request.user, person=person, years=years),
            "class_form": class_form,
            "give_form": give_form,
            "chosen": give_form.chosen_schools,
            "found": found,
            "query": query,
            "extend_form": RoleExtendForm(),
            "today": today,
        },
        status=status,
    )


@require_GET
def staff_person_view(request: AuthedRequest, pk: int) -> HttpResponse:
    _counties_or_404(request)
    person = staff_person_get_or_404(user=request.user, pk=pk)
    return _person_page(request, person)


@require_GET
def staff_school_search_view(request: AuthedRequest) -> HttpResponse:
    """The htmx search box of the give-role form: the schools already ticked, still ticked, then at most 20
    schools of the user's counties that match the words."""
    counties = _counties_or_404(request)
    form = RoleGiveForm(request.GET, counties=counties)
    chosen = form.chosen_schools
    ids = {school.pk for school in chosen}
    found = [s for s in school_search_for(user=request.user, query=request.GET.get("q", "")) if s.pk not in ids]
    return render(
        request, "schools/staff/school_choices.html", {"chosen": chosen, "found": found, "query": request.GET.get("q")}
    )


@require_POST
def staff_role_give_view(request: AuthedRequest, pk: int) -> HttpResponse:
    counties = _counties_or_404(request)
    person = staff_person_get_or_404(user=request.user, pk=pk)
    if "search" in request.POST:  # the search button of a browser without JavaScript: the form again, with matches
        return _person_page(request, person, give_form=RoleGiveForm(initial=request.POST, counties=counties))
    form = RoleGiveForm(request.POST, counties=counties)
    if form.is_valid():
        group = form.cleaned_data["class_group"]
        previous = group.teacher if group is not None else None
        try:
            assignment = role_give(
                actor=request.user,
                person=person,
                role=form.cleaned_data["role"],
                county_code=form.cleaned_data["county"],
                schools=form.cleaned_data["schools"],
                valid_until=form.cleaned_data["valid_until"],
                class_group=group,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            if assignment.pending:
                messages.success(
                    request,
                    _(
                        "Rolul așteaptă confirmarea unui alt administrator sau a coordonatorului județean: "
                        "nu are efect până atunci."
                    ),
                )
            else:
                messages.success(request, _("Rolul a fost dat."))
            if group is not None:
                messages.success(request, _class_message(group, person, previous))
            return redirect("schools:staff_person", pk=person.pk)
    return _person_page(request, person, give_form=form, status=400)


def _class_message(group: ClassGroup, person: User, previous: User | None) -> str:
    """Who teaches the class now, and whose place they took."""
    names = {
        "class": class_label(group.grade, group.letter),
        "school": group.school.name,
        "person": f"{person.last_name} {person.first_name}",
    }
    if previous is not None and previous.pk == person.pk:
        return _("%(person)s era deja dirigintele clasei %(class)s (%(school)s).") % names
    if previous is not None:
        return _("Clasa %(class)s (%(school)s) o are acum pe %(person)s ca diriginte, în locul lui %(previous)s.") % {
            **names,
            "previous": f"{previous.last_name} {previous.first_name}",
        }
    return _("Clasa %(class)s (%(school)s) o are acum pe %(person)s ca diriginte.") % names


@require_POST
def staff_class_set_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give a person who holds the class-teacher role a class of their role's schools, this school year."""
    counties = _counties_or_404(request)
    person = staff_person_get_or_404(user=request.user, pk=pk)
    assignments = person_roles_for(user=request.user, person=person)
    schools = class_teacher_schools(assignments, today=timezone.localdate())
    form = ClassTeacherForm(request.POST, schools=schools, years=current_years(counties=counties))
    if form.is_valid():
        group = form.cleaned_data["class_group"]
        previous = group.teacher
        try:
            class_teacher_set(actor=request.user, person=person, class_group=group)
        except ValidationError as exc:
            form.add_error("class_group", exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _class_message(group, person, previous))
            return redirect("schools:staff_person", pk=person.pk)
    return _person_page(request, person, class_form=form, status=400)


@require_GET
def staff_class_choices_view(request: AuthedRequest) -> HttpResponse:
    """The htmx class select of the give-role and add-person forms: the classes of the schools ticked, this school
    year, the class chosen still chosen."""
    counties = _counties_or_404(request)
    form = RoleGiveForm(request.GET, counties=counties)
    return render(request, "schools/staff/class_choice.html", {"field": form["class_group"]})


def _add_page(
    request: AuthedRequest, form: PersonAddForm, *, existing: User | None = None, status: int = 200
) -> HttpResponse:
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    chosen = {school.pk for school in form.chosen_schools}
    found = [s for s in school_search_for(user=request.user, query=query) if s.pk not in chosen] if query else []
    return render(
        request,
        "schools/staff/add.html",
        {
            "form": form,
            "chosen": form.chosen_schools,
            "found": found,
            "query": query,
            "existing": existing,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def staff_person_add_view(request: AuthedRequest) -> HttpResponse:
    """A new person: name, e-mail, phone, their role (schools, class) and its end; they are invited by e-mail."""
    counties = _counties_or_404(request)
    if request.method == "GET":
        return _add_page(request, PersonAddForm(counties=counties))
    if "search" in request.POST:  # the search button of a browser without JavaScript: the form again, with matches
        return _add_page(request, PersonAddForm(initial=request.POST, counties=counties))
    form = PersonAddForm(request.POST, counties=counties)
    if not form.is_valid():
        return _add_page(request, form, status=400)
    data = form.cleaned_data
    group = data["class_group"]
    previous = group.teacher if group is not None else None
    try:
        person = person_add(
            actor=request.user,
            county_code=data["county"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            email=data["email"],
            phone=data["phone"],
            role=data["role"],
            schools=data["schools"],
            class_group=group,
            valid_until=data["valid_until"],
            base_url=_base_url(request),
        )
    except PersonExistsError as exc:
        form.add_error("email", exc.messages)
        known = exc.person if staff_person_in_counties(user=request.user, person=exc.person) else None
        return _add_page(request, form, existing=known, status=400)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _add_page(request, form, status=400)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Persoana %(person)s a fost adăugată; invitația a plecat la %(email)s.")
        % {
            "person": f"{person.last_name} {person.first_name}",
            "email": person.email,
        },
    )
    if group is not None:
        messages.success(request, _class_message(group, person, previous))
    return redirect("schools:staff_person", pk=person.pk)


def _assignment_or_404(request: AuthedRequest, pk: int) -> RoleAssignment:
    _counties_or_404(request)
    assignment = assignment_get_for_manager_or_404(user=request.user, pk=pk)
    if not can_edit_role(user=request.user, assignment=assignment, county_code=assignment.county):  # type: ignore[attr-defined]
        raise Http404
    return assignment


@require_POST
def staff_role_end_view(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk)
    try:
        role_end(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rolul a fost încheiat azi."))
    return redirect("schools:staff_person", pk=assignment.user_id)


@require_POST
def staff_role_extend_view(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk)
    form = RoleExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Data nu este validă."))
        return redirect("schools:staff_person", pk=assignment.user_id)
    try:
        role_extend(actor=request.user, assignment=assignment, valid_until=form.cleaned_data["valid_until"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Data de sfârșit a rolului a fost schimbată."))
    return redirect("schools:staff_person", pk=assignment.user_id)


@require_POST
def staff_invite_view(request: AuthedRequest, pk: int) -> HttpResponse:
    counties = _counties_or_404(request)
    person = staff_person_get_or_404(user=request.user, pk=pk)
    try:
        staff_invite(actor=request.user, person=person, county_code=min(counties), base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitația a fost trimisă la %(email)s.") % {"email": person.email})
    return redirect("schools:staff_person", pk=person.pk)


def _import_page(
    request: AuthedRequest, *, form: StaffImportForm, errors: list[str] | None = None, **context: object
) -> HttpResponse:
    status = 400 if errors or form.errors else 200
    return render(
        request, "schools/staff/import.html", {"form": form, "errors": errors or [], **context}, status=status
    )


@require_http_methods(["GET", "POST"])
def staff_import_view(request: AuthedRequest) -> HttpResponse:
    """Upload a staff file: every row is checked and a preview says what would change; nothing is written until
    the confirmation, which imports the same file (kept in the session meanwhile)."""
    counties = _counties_or_404(request)
    county = min(counties)
    if request.method == "GET":
        request.session.pop(SESSION_KEY, None)
        return _import_page(request, form=StaffImportForm())
    if "confirm" in request.POST:
        return _import_confirm(request, county)
    form = StaffImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_FILE_BYTES:
        return _import_page(request, form=form, errors=[_("Fișierul are peste 2 MB: nu pare o listă de personal.")])
    data = upload.read()
    try:
        plan = staff_import_read(source=data, county_code=county)
    except StaffImportError as exc:
        return _import_page(request, form=form, errors=[str(error) for error in exc.errors])
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {"digest": digest, "data": base64.b64encode(data).decode("ascii")}
    return _import_page(request, form=StaffImportForm(), plan=plan, digest=digest, filename=upload.name)


def _import_confirm(request: AuthedRequest, county: str) -> HttpResponse:
    kept = request.session.get(SESSION_KEY) or {}
    if not kept or kept.get("digest") != request.POST.get("confirm"):
        messages.error(request, _("Fișierul nu mai este în sesiune: încărcați-l din nou."))
        return redirect("schools:staff_import")
    data = base64.b64decode(kept["data"])
    try:
        plan = staff_import_read(source=data, county_code=county)
    except StaffImportError as exc:
        return _import_page(request, form=StaffImportForm(), errors=[str(error) for error in exc.errors])
    staff_import_apply(plan=plan, actor=request.user, base_url=_base_url(request))
    request.session.pop(SESSION_KEY, None)
    if plan.changes:
        messages.success(
            request,
            _(
                "Import reușit — persoane noi (invitate): %(new)s; roluri date: %(given)s; roluri schimbate: "
                "%(changed)s; clase cu diriginte nou: %(classes)s."
            )
            % {
                "new": plan.new_people,
                "given": plan.roles_given,
                "changed": plan.roles_changed,
                "classes": plan.classes_set,
            },
        )
    else:
        messages.info(request, _("Nimic nou în fișier: totul era deja înregistrat."))
    return redirect("schools:staff_list")


@require_GET
def role_grants_view(request: AuthedRequest) -> HttpResponse:
    """The roles that see children given by an administrator, waiting for a second administrator or the county's
    coordinator to confirm or refuse them."""
    if not can_list_role_grants(user=request.user):
        raise Http404
    waiting = role_grants_waiting_for(user=request.user)
    return render(request, "schools/staff/role_grants.html", {"waiting": waiting})


@require_POST
def role_grant_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = role_grants_waiting_for(user=request.user).filter(pk=pk).first()
    if assignment is None or not can_decide_role_grant(user=request.user, assignment=assignment):
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    try:
        role_grant_decide(actor=request.user, assignment=assignment, confirm=confirm)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rolul a fost confirmat.") if confirm else _("Rolul a fost refuzat."))
    return redirect("schools:role_grants")
