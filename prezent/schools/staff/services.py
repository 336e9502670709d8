"""Writes for staff: the staff file import and the county coordinator's role changes (give, end, extend).

Staff file: `staff_import_read` then `staff_import_apply` (or `staff_import`, both at once)
    One row per role of a person, columns found by name (case and diacritics do not matter): Nume, Prenume,
    E-mail, Telefon (optional), Rol, Cod SIIIR unitate, Clasa (for class teachers), Valabil până la (optional).
    - Rol in Romanian words (`labels.ROLE_WORDS`): "diriginte", "învățător", "profesor diriginte" → class teacher;
      "coordonator școală"; "mediator școlar"; "asistent social", "responsabil de caz" → case worker; "formator".
    - The unit must be a school of the importer's county; a trainer may leave it empty.
    - A class teacher names their class ("a V-a B", "V B", "pregătitoare A"), which must exist at the unit in the
      county's current school year; the import makes them its teacher.
    - A person is known by their e-mail: a new address makes an account (user name = the address, no password)
      and sends an invitation; a known address adds the roles it does not have yet. Rows of one address must
      agree on the name and the phone.
    - All rows or none: every bad row is named with its line and reason (`StaffImportError`). A second run of the
      same file changes nothing and invites nobody again.

A person is also added one at a time (`person_add`: the account, a role and, for a class teacher, a class, then
the invitation), and a class teacher is given a class of this school year (`class_teacher_set`).

Every role change writes an `AuditEvent` with ids and codes only: `user.create`, `role.give`, `role.schools_add`,
`role.end`, `role.extend`, `class.teacher_set`; the import also one `staff.import` with its counts.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.services import invitation_send
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError, Sheet, SpreadsheetError, cell_text, code_text, sheet_open
from prezent.core.validators import CONTROL_CHARACTERS, refuse_control_characters
from prezent.schools.defaults import COUNTIES
from prezent.schools.models import ClassGroup, School
from prezent.schools.selectors import school_year_current
from prezent.schools.staff.labels import class_from_text, role_from_text
from prezent.schools.staff.permissions import (
    GIVABLE_SCOPES,
    can_decide_role_grant,
    can_edit_role,
    can_give_role,
    can_manage_staff,
    role_grant_needs_confirmation,
)
from prezent.schools.staff.selectors import assignment_county

SIIIR_DIGITS = 10
MAX_FILE_BYTES = 2 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    "last_name": ("Nume", "Nume de familie"),
    "first_name": ("Prenume",),
    "email": ("E-mail", "Email", "Adresa de e-mail", "Adresă e-mail"),
    "phone": ("Telefon", "Nr. telefon", "Număr de telefon"),
    "role": ("Rol", "Funcția", "Funcție"),
    "siiir": ("Cod SIIIR unitate", "Cod SIIIR", "SIIIR"),
    "class": ("Clasa", "Clasă"),
    "valid_until": ("Valabil până la", "Valabil pana la", "Până la"),
}
REQUIRED = ("last_name", "first_name", "email", "role")


class StaffImportError(SpreadsheetError):
    """The staff file was refused and nothing was written; `errors` holds every bad row, in file order."""


# Role changes ---------------------------------------------------------------------------------------------------


def _role_details(assignment: RoleAssignment, county_code: str, school_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "role": assignment.role,
        "user_id": assignment.user_id,
        "county": county_code,
        "school_ids": sorted(school_ids),
        "valid_until": assignment.valid_until.isoformat() if assignment.valid_until else None,
    }


@transaction.atomic
def role_give(
    *,
    actor: User,
    person: User,
    role: str,
    county_code: str,
    schools: Sequence[School] = (),
    valid_until: datetime.date | None = None,
    class_group: ClassGroup | None = None,
) -> RoleAssignment:
    """Give `person` a role from today, in the actor's county: over `schools` (all of that county) for a school
    role, the whole county for the county coordinator, no school for a trainer. A class teacher may be given
    `class_group` (a class of one of `schools`, this school year) at once (`class_teacher_set`)."""
    if not can_give_role(user=actor, role=role, county_code=county_code):
        raise PermissionDenied
    if class_group is not None and role != Role.CLASS_TEACHER:
        raise ValidationError(_("Doar dirigintele sau învățătorul primește o clasă."))
    today = timezone.localdate()
    scope_kind = GIVABLE_SCOPES[role]
    if scope_kind == RoleAssignment.ScopeKind.SCHOOLS:
        if not schools:
            raise ValidationError(_("Alegeți cel puțin o școală."))
        if any(school.county_code != county_code for school in schools):
            raise ValidationError(_("Toate școlile trebuie să fie din județul dumneavoastră."))
    else:
        schools = ()
    if valid_until is not None and valid_until < today:
        raise ValidationError(_("Data de sfârșit nu poate fi în trecut."))
    if class_group is not None and class_group.school_id not in {school.pk for school in schools}:
        raise ValidationError(_("Alegeți o clasă a uneia dintre școlile rolului."))
    pending = role_grant_needs_confirmation(actor=actor, role=role)
    if pending and class_group is not None:
        raise ValidationError(_("Rolul așteaptă confirmarea: clasa se dă după ce rolul este confirmat."))
    assignment = RoleAssignment.objects.create(
        user=person,
        role=role,
        scope_kind=scope_kind,
        county_code=county_code,
        valid_from=today,
        valid_until=valid_until,
        pending=pending,
        requested_by=actor if pending else None,
    )
    assignment.schools.set(schools)
    audit_record(
        actor=actor,
        action="role.request" if pending else "role.give",
        target=assignment,
        details=_role_details(assignment, county_code, (s.pk for s in schools)),
    )
    if class_group is not None:
        class_teacher_set(actor=actor, person=person, class_group=class_group)
    return assignment


@transaction.atomic
def class_teacher_set(*, actor: User, person: User, class_group: ClassGroup) -> User | None:
    """Make `person` the teacher of `class_group` (a class has one teacher: the previous one loses it) and return
    the previous teacher (None if the class had none; `person` if nothing changed). The class must be of the
    actor's county and its current school year, and `person` must hold the class-teacher role at its school."""
    group = (
        ClassGroup.objects.select_for_update(of=("self",)).select_related("school", "teacher").get(pk=class_group.pk)
    )
    county_code = group.school.county_code
    if not can_manage_staff(user=actor, county_code=county_code):
        raise PermissionDenied
    year = school_year_current(county_code=county_code)
    if year is None or group.school_year_id != year.pk:
        raise ValidationError(_("Clasa nu este din anul școlar în curs."))
    holds = RoleAssignment.objects.active().filter(user=person, role=Role.CLASS_TEACHER, schools=group.school).exists()
    if not holds:
        raise ValidationError(_("Persoana nu are rolul de diriginte / învățător la școala clasei."))
    previous = group.teacher
    if previous is not None and previous.pk == person.pk:
        return previous
    group.teacher = person
    group.save(update_fields=["teacher"])
    class_group.teacher = person
    audit_record(
        actor=actor,
        action="class.teacher_set",
        target=group,
        details={
            "teacher_id": person.pk,
            "previous_teacher_id": previous.pk if previous is not None else None,
            "school_id": group.school_id,
            "county": county_code,
        },
    )
    return previous


class PersonExistsError(ValidationError):
    """The e-mail address of a new person already belongs to an account (`person`)."""

    def __init__(self, person: User) -> None:
        super().__init__(_("Adresa %(email)s este deja folosită de un cont.") % {"email": person.email})
        self.person = person


def person_add(
    *,
    actor: User,
    county_code: str,
    last_name: str,
    first_name: str,
    email: str,
    role: str,
    phone: str = "",
    schools: Sequence[School] = (),
    class_group: ClassGroup | None = None,
    valid_until: datetime.date | None = None,
    base_url: str,
) -> User:
    """A new person with a role in the actor's county: the account (user name = the address, no usable password),
    the role (`role_give`, same rules and audit) and, for a class teacher, their class, all in one transaction;
    after the commit, the invitation. An address that already has an account is refused (`PersonExistsError`)."""
    if not can_give_role(user=actor, role=role, county_code=county_code):
        raise PermissionDenied
    person = _person_add_writes(
        actor=actor,
        county_code=county_code,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        email="".join(email.split()).lower(),
        role=role,
        phone=phone.strip(),
        schools=schools,
        class_group=class_group,
        valid_until=valid_until,
    )
    invitation_send(user=person, actor=actor, base_url=base_url)
    return person


@transaction.atomic
def _person_add_writes(
    *,
    actor: User,
    county_code: str,
    last_name: str,
    first_name: str,
    email: str,
    role: str,
    phone: str,
    schools: Sequence[School],
    class_group: ClassGroup | None,
    valid_until: datetime.date | None,
) -> User:
    if not last_name or not first_name:
        raise ValidationError(_("Numele și prenumele sunt obligatorii."))
    refuse_control_characters(last_name)
    refuse_control_characters(first_name)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Adresa de e-mail „%(email)s” nu este validă.") % {"email": email}) from None
    if len(phone) > 20:
        raise ValidationError(_("Numărul de telefon are peste 20 de caractere."))
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        raise PersonExistsError(existing)
    names = User.objects.filter(username__istartswith=email[:150]).values_list("username", flat=True)
    taken = {name.lower() for name in names}
    person = User.objects.create(
        username=_username_for(email, taken),
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        password=make_password(None),
    )
    audit_record(actor=actor, action="user.create", target=person, details={"county": county_code})
    role_give(
        actor=actor,
        person=person,
        role=role,
        county_code=county_code,
        schools=schools,
        valid_until=valid_until,
        class_group=class_group,
    )
    return person


def _is_last_coordinator_role(actor: User, assignment: RoleAssignment, county_code: str) -> bool:
    if assignment.user_id != actor.pk or assignment.role != Role.COUNTY_COORDINATOR:
        return False
    others = (
        RoleAssignment.objects.active()
        .filter(user=actor, role=Role.COUNTY_COORDINATOR, county_code=county_code)
        .exclude(pk=assignment.pk)
    )
    return not others.exists()


@transaction.atomic
def role_end(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    """End a role today (it holds until the end of the day). A county coordinator cannot end their own last
    coordinator role in the county: someone else must."""
    county_code = assignment_county(assignment)
    if not can_edit_role(user=actor, assignment=assignment, county_code=county_code):
        raise PermissionDenied
    today = timezone.localdate()
    if assignment.valid_until is not None and assignment.valid_until < today:
        raise ValidationError(_("Rolul s-a încheiat deja."))
    if _is_last_coordinator_role(actor, assignment, county_code):
        raise ValidationError(
            _("Nu vă puteți încheia singur ultimul rol de coordonator județean: cereți altui coordonator.")
        )
    assignment.valid_until = today
    assignment.valid_from = min(assignment.valid_from, today)
    assignment.save(update_fields=["valid_until", "valid_from"])
    audit_record(
        actor=actor,
        action="role.end",
        target=assignment,
        details=_role_details(assignment, county_code, (s.pk for s in assignment.schools.all())),
    )
    return assignment


@transaction.atomic
def role_extend(*, actor: User, assignment: RoleAssignment, valid_until: datetime.date | None) -> RoleAssignment:
    """Set a role's last day (None: no end), from today on; an ended role is given back until then."""
    county_code = assignment_county(assignment)
    if not can_edit_role(user=actor, assignment=assignment, county_code=county_code):
        raise PermissionDenied
    today = timezone.localdate()
    if valid_until is not None and valid_until < max(today, assignment.valid_from):
        raise ValidationError(_("Noua dată de sfârșit trebuie să fie de azi încolo."))
    previous = assignment.valid_until
    if previous == valid_until:
        return assignment
    assignment.valid_until = valid_until
    assignment.save(update_fields=["valid_until"])
    details = _role_details(assignment, county_code, (s.pk for s in assignment.schools.all()))
    details["previous_valid_until"] = previous.isoformat() if previous else None
    audit_record(actor=actor, action="role.extend", target=assignment, details=details)
    return assignment


@transaction.atomic
def role_grant_decide(*, actor: User, assignment: RoleAssignment, confirm: bool) -> RoleAssignment | None:
    """Confirm a waiting grant (it takes effect from today) or refuse it (it is removed; the audit keeps what it
    was). Only a second administrator or the county's coordinator decides (`can_decide_role_grant`)."""
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not can_decide_role_grant(user=actor, assignment=locked):
        raise PermissionDenied
    details = _role_details(locked, locked.county_code, locked.schools.values_list("pk", flat=True))
    details["requested_by"] = locked.requested_by_id
    if not confirm:
        audit_record(actor=actor, action="role.refuse", target=locked, details=details)
        locked.delete()
        return None
    today = timezone.localdate()
    if locked.valid_until is not None and locked.valid_until < today:
        raise ValidationError(_("Rolul cerut s-a încheiat deja: refuzați-l și dați-l din nou."))
    locked.pending = False
    locked.valid_from = max(locked.valid_from, today)
    locked.save(update_fields=["pending", "valid_from"])
    audit_record(actor=actor, action="role.confirm", target=locked, details=details)
    return locked


# The staff file -------------------------------------------------------------------------------------------------


@dataclass
class StaffRow:
    line: int
    last_name: str
    first_name: str
    email: str
    phone: str
    role: str
    school: School | None
    class_group: ClassGroup | None
    valid_until: datetime.date | None


@dataclass
class PersonPlan:
    """What the file does for one person (one e-mail address)."""

    email: str
    last_name: str
    first_name: str
    phone: str
    user: User | None  # None: a new account
    roles: dict[str, "RolePlan"] = field(default_factory=dict)
    classes: list[ClassGroup] = field(default_factory=list)  # classes they become the teacher of
    is_new: bool = False  # no account had the address when the file was read

    @property
    def changes(self) -> bool:
        return self.is_new or bool(self.classes) or any(plan.changes for plan in self.roles.values())


@dataclass
class RolePlan:
    role: str
    schools: list[School]  # all the role's schools named in the file
    valid_until: datetime.date | None
    existing: RoleAssignment | None
    schools_added: list[School] = field(default_factory=list)
    valid_until_changes: bool = False

    @property
    def changes(self) -> bool:
        return self.existing is None or bool(self.schools_added) or self.valid_until_changes

    @property
    def label(self) -> str:
        return str(Role(self.role).label)


@dataclass
class StaffImportPlan:
    county_code: str
    rows: int
    people: list[PersonPlan]

    @property
    def new_people(self) -> int:
        return sum(1 for p in self.people if p.is_new)

    @property
    def roles_given(self) -> int:
        return sum(1 for p in self.people for r in p.roles.values() if r.existing is None)

    @property
    def roles_changed(self) -> int:
        return sum(1 for p in self.people for r in p.roles.values() if r.existing is not None and r.changes)

    @property
    def classes_set(self) -> int:
        return sum(len(p.classes) for p in self.people)

    @property
    def changes(self) -> bool:
        return any(p.changes for p in self.people)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "people": len(self.people),
            "new_people": self.new_people,
            "roles_given": self.roles_given,
            "roles_changed": self.roles_changed,
            "classes_set": self.classes_set,
        }


def _date_cell(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class _RawRow:
    line: int
    cells: dict[str, Any]


def _read_rows(source: bytes | Path) -> list[_RawRow]:
    with sheet_open(source, header_names=set(COLUMNS["email"]), header_label="„E-mail”") as sheet:
        indexes = {key: sheet.column(*names) for key, names in COLUMNS.items()}
        missing = [COLUMNS[key][0] for key in (*REQUIRED, "siiir") if indexes[key] is None]
        if missing:
            names = ", ".join(f"„{name}”" for name in missing)
            raise StaffImportError(
                [
                    RowError(
                        sheet.header_line, _("antetul nu are coloanele obligatorii %(columns)s") % {"columns": names}
                    )
                ]
            )
        return [
            _RawRow(line, {key: Sheet.cell(row, index) for key, index in indexes.items()})
            for line, row in sheet.data_rows()
        ]


def _parse_rows(raw_rows: list[_RawRow], county_code: str, errors: list[RowError]) -> list[StaffRow]:
    today = timezone.localdate()
    codes = {code_text(r.cells["siiir"], width=SIIIR_DIGITS) for r in raw_rows} - {""}
    schools = {s.siiir_code: s for s in School.objects.filter(siiir_code__in=codes)}
    year = school_year_current(county_code=county_code)
    classes: dict[tuple[int, int, str], ClassGroup] = {}
    if year is not None:
        for group in ClassGroup.objects.filter(school_year=year, school__siiir_code__in=codes).select_related(
            "school", "teacher"
        ):
            classes[(group.school_id, group.grade, group.letter.upper())] = group
    rows: list[StaffRow] = []
    for raw in raw_rows:
        line, cells = raw.line, raw.cells
        problems: list[str] = []
        last_name, first_name = cell_text(cells["last_name"]), cell_text(cells["first_name"])
        if not last_name or not first_name:
            problems.append(_("numele și prenumele sunt obligatorii"))
        elif CONTROL_CHARACTERS.search(last_name) or CONTROL_CHARACTERS.search(first_name):
            problems.append(_("numele sau prenumele conține un caracter invizibil sau de control"))
        email = "".join(cell_text(cells["email"]).split()).lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("adresa de e-mail „%(email)s” nu este validă") % {"email": email}
                if email
                else _("adresa de e-mail lipsește")
            )
        phone = cell_text(cells["phone"])
        if len(phone) > 20:
            problems.append(_("numărul de telefon are peste 20 de caractere"))
        role_text = cell_text(cells["role"])
        role = role_from_text(role_text) if role_text else None
        if role is None:
            problems.append(
                _(
                    "rolul „%(role)s” nu este cunoscut (diriginte, învățător, coordonator școală, mediator școlar, "
                    "asistent social, responsabil de caz, formator)"
                )
                % {"role": role_text}
                if role_text
                else _("rolul lipsește")
            )
        code = code_text(cells["siiir"], width=SIIIR_DIGITS)
        school = schools.get(code)
        if not code:
            if role is not None and role != Role.TRAINER:
                problems.append(_("codul SIIIR al unității lipsește"))
        elif school is None:
            problems.append(_("nu există o unitate cu codul SIIIR %(code)s") % {"code": code})
        elif school.county_code != county_code:
            problems.append(
                _("unitatea %(code)s este în alt județ (%(county)s)") % {"code": code, "county": school.county_code}
            )
            school = None
        class_group = None
        class_text = cell_text(cells["class"])
        if role == Role.CLASS_TEACHER:
            parsed = class_from_text(class_text) if class_text else None
            if not class_text:
                problems.append(_("clasa lipsește (pentru diriginte sau învățător)"))
            elif parsed is None:
                problems.append(_("clasa „%(text)s” nu poate fi citită (ex. „a V-a B”)") % {"text": class_text})
            elif year is None:
                problems.append(_("județul nu are un an școlar în curs"))
            elif school is not None:
                class_group = classes.get((school.pk, parsed[0], parsed[1]))
                if class_group is None:
                    problems.append(
                        _("clasa „%(text)s” nu există la unitatea %(code)s în anul școlar %(year)s")
                        % {"text": class_text, "code": code, "year": year.name}
                    )
        valid_until = None
        if cell_text(cells["valid_until"]):
            try:
                valid_until = _date_cell(cells["valid_until"])
            except ValueError:
                problems.append(
                    _("data „%(text)s” nu poate fi citită (ex. 30.06.2027)") % {"text": cell_text(cells["valid_until"])}
                )
            else:
                if valid_until is not None and valid_until < today:
                    problems.append(_("data de sfârșit %(date)s este în trecut") % {"date": f"{valid_until:%d.%m.%Y}"})
        errors.extend(RowError(line, problem) for problem in problems)
        if not problems and role is not None:
            rows.append(StaffRow(line, last_name, first_name, email, phone, role, school, class_group, valid_until))
    return rows


def _existing_users(emails: set[str]) -> dict[str, list[User]]:
    found: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails).order_by("pk"):
        found[user.email.lower()].append(user)
    return found


def _plan(rows: list[StaffRow], county_code: str, errors: list[RowError]) -> list[PersonPlan]:
    by_email: dict[str, list[StaffRow]] = defaultdict(list)
    for row in rows:
        by_email[row.email].append(row)
    existing_users = _existing_users(set(by_email))
    users = [u for found in existing_users.values() if len(found) == 1 for u in found]
    active = (
        RoleAssignment.objects.active()
        .filter(user__in=users, role__in=list(GIVABLE_SCOPES))
        .prefetch_related("schools")
        .order_by("pk")
    )
    assignments: dict[tuple[int, str], RoleAssignment] = {}
    for assignment in active:
        if assignment_county(assignment) == county_code:
            assignments.setdefault((assignment.user_id, assignment.role), assignment)
    class_lines: dict[int, tuple[int, str]] = {}
    people: list[PersonPlan] = []
    for email, person_rows in by_email.items():
        first = person_rows[0]
        found = existing_users.get(email, [])
        if len(found) > 1:
            errors.append(RowError(first.line, _("mai multe conturi au adresa %(email)s") % {"email": email}))
            continue
        person = PersonPlan(
            email, first.last_name, first.first_name, first.phone, found[0] if found else None, is_new=not found
        )
        bad = False
        for row in person_rows[1:]:
            if (row.last_name, row.first_name, row.phone) != (first.last_name, first.first_name, first.phone):
                errors.append(
                    RowError(
                        row.line,
                        _("adresa %(email)s apare și la linia %(line)d, cu alt nume sau alt telefon")
                        % {"email": email, "line": first.line},
                    )
                )
                bad = True
        by_role: dict[str, list[StaffRow]] = defaultdict(list)
        for row in person_rows:
            by_role[row.role].append(row)
        for role, role_rows in by_role.items():
            dates = {row.valid_until for row in role_rows}
            if len(dates) > 1:
                errors.append(
                    RowError(
                        role_rows[-1].line,
                        _("același rol apare și la linia %(line)d, cu altă dată de sfârșit")
                        % {"line": role_rows[0].line},
                    )
                )
                bad = True
                continue
            schools = list({row.school.pk: row.school for row in role_rows if row.school is not None}.values())
            if GIVABLE_SCOPES[role] != RoleAssignment.ScopeKind.SCHOOLS:
                schools = []
            existing = assignments.get((person.user.pk, role)) if person.user is not None else None
            plan = RolePlan(role, schools, dates.pop(), existing)
            if existing is not None and existing.scope_kind == RoleAssignment.ScopeKind.SCHOOLS:
                current = {s.pk for s in existing.schools.all()}
                plan.schools_added = [s for s in schools if s.pk not in current]
            if existing is not None:
                plan.valid_until_changes = plan.valid_until is not None and plan.valid_until != existing.valid_until
            person.roles[role] = plan
            for row in role_rows:
                group = row.class_group
                if group is None:
                    continue
                if group.pk in class_lines and class_lines[group.pk][1] != email:
                    errors.append(
                        RowError(
                            row.line,
                            _("clasa este dată și altei persoane, la linia %(line)d")
                            % {"line": class_lines[group.pk][0]},
                        )
                    )
                    bad = True
                    continue
                class_lines[group.pk] = (row.line, email)
                if (person.user is None or group.teacher_id != person.user.pk) and group not in person.classes:
                    person.classes.append(group)
        if not bad:
            people.append(person)
    return people


def staff_import_read(*, source: bytes | Path, county_code: str) -> StaffImportPlan:
    """Read and check the whole file and say what it would change in `county_code`; raise StaffImportError with
    every bad row. Writes nothing."""
    try:
        raw_rows = _read_rows(source)
    except StaffImportError:
        raise
    except SpreadsheetError as refused:
        raise StaffImportError(refused.errors) from refused
    if not raw_rows:
        raise StaffImportError([RowError(0, _("Fișierul nu are niciun rând cu persoane."))])
    errors: list[RowError] = []
    rows = _parse_rows(raw_rows, county_code, errors)
    people = _plan(rows, county_code, errors)
    if errors:
        raise StaffImportError(errors)
    return StaffImportPlan(county_code=county_code, rows=len(raw_rows), people=people)


def _username_for(email: str, taken: set[str]) -> str:
    base = email[:150]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f".{n}"
        name = base[: 150 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


@transaction.atomic
def _apply_writes(plan: StaffImportPlan, actor: User | None) -> list[User]:
    today = timezone.localdate()
    county = plan.county_code
    new_people = [p for p in plan.people if p.is_new]
    taken = {
        name.lower()
        for name in User.objects.filter(username__in=[p.email for p in new_people]).values_list("username", flat=True)
    }
    created: list[User] = []
    for person in new_people:
        user = User.objects.create(
            username=_username_for(person.email, taken),
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            phone=person.phone,
            password=make_password(None),
        )
        audit_record(actor=actor, action="user.create", target=user, details={"county": county})
        person.user = user
        created.append(user)
    for person in plan.people:
        assert person.user is not None
        for role_plan in person.roles.values():
            assignment = role_plan.existing
            if assignment is None:
                pending = role_grant_needs_confirmation(actor=actor, role=role_plan.role)
                assignment = RoleAssignment.objects.create(
                    user=person.user,
                    role=role_plan.role,
                    scope_kind=GIVABLE_SCOPES[role_plan.role],
                    county_code=county,
                    valid_from=today,
                    valid_until=role_plan.valid_until,
                    pending=pending,
                    requested_by=actor if pending else None,
                )
                assignment.schools.set(role_plan.schools)
                audit_record(
                    actor=actor,
                    action="role.request" if pending else "role.give",
                    target=assignment,
                    details=_role_details(assignment, county, (s.pk for s in role_plan.schools)),
                )
                continue
            if role_plan.schools_added:
                assignment.schools.add(*role_plan.schools_added)
                audit_record(
                    actor=actor,
                    action="role.schools_add",
                    target=assignment,
                    details=_role_details(assignment, county, (s.pk for s in role_plan.schools_added)),
                )
            if role_plan.valid_until_changes:
                previous = assignment.valid_until
                assignment.valid_until = role_plan.valid_until
                assignment.save(update_fields=["valid_until"])
                details = _role_details(assignment, county, (s.pk for s in assignment.schools.all()))
                details["previous_valid_until"] = previous.isoformat() if previous else None
                audit_record(actor=actor, action="role.extend", target=assignment, details=details)
        for group in person.classes:
            previous_teacher = group.teacher_id
            group.teacher = person.user
            group.save(update_fields=["teacher"])
            audit_record(
                actor=actor,
                action="class.teacher_set",
                target=group,
                details={"teacher_id": person.user.pk, "previous_teacher_id": previous_teacher},
            )
    audit_record(actor=actor, action="staff.import", target_type="county", target_id=county, details=plan.counts())
    return created


def staff_import_apply(*, plan: StaffImportPlan, actor: User | None, base_url: str) -> StaffImportPlan:
    """Write what `plan` says (one transaction), then invite the new people by e-mail."""
    if actor is not None and not can_manage_staff(user=actor, county_code=plan.county_code):
        raise PermissionDenied
    if not plan.changes:
        return plan
    created = _apply_writes(plan, actor)
    for user in created:
        invitation_send(user=user, actor=actor, base_url=base_url)
    return plan


def staff_import(
    *, source: bytes | Path, county_code: str, actor: User | None, base_url: str, dry_run: bool = False
) -> StaffImportPlan:
    """Read, check and (unless `dry_run`) write a staff file for `county_code`."""
    if actor is not None and not can_manage_staff(user=actor, county_code=county_code):
        raise PermissionDenied
    plan = staff_import_read(source=source, county_code=county_code)
    if dry_run:
        return plan
    return staff_import_apply(plan=plan, actor=actor, base_url=base_url)


def staff_invite(*, actor: User, person: User, county_code: str, base_url: str) -> None:
    """Send (again) the invitation of a person who has not yet set a password."""
    if not can_manage_staff(user=actor, county_code=county_code):
        raise PermissionDenied
    invitation_send(user=person, actor=actor, base_url=base_url)


class CoordinatorOutcome(StrEnum):
    """What `county_coordinator_add` did with the role."""

    BOOTSTRAP = "bootstrap"  # the county had no active coordinator: given at once
    PENDING = "pending"  # the county has one: stored pending, until a coordinator or administrator confirms it
    HELD = "held"  # the person already holds it: nothing to do
    WAITING = "waiting"  # a request for it already waits: nothing to do


@transaction.atomic
def county_coordinator_add(
    *, county_code: str, email: str, first_name: str, last_name: str, base_url: str
) -> tuple[User, CoordinatorOutcome]:
    """A county coordinator set up by the inspectorate's IT person on the server (`manage.py
    add_county_coordinator`): nobody in the browser can give a county its first coordinator, and the Django admin
    gives no roles. The person is found by e-mail or created without a password and gets an invitation.

    The role is given at once only to a county's first coordinator (the county has no active one: nobody could
    confirm it). Where the county already has one, the command is a request like an administrator's grant
    (decision 45): the role is stored pending and takes effect when a county coordinator of the county or an
    administrator confirms it on the confirmation page. Audited with no actor and `via: command` (`role.give` with
    `bootstrap: true`, or `role.request`)."""
    county_code = county_code.strip().upper()
    if county_code not in COUNTIES:
        raise ValidationError(_("„%(code)s” nu este codul unui județ (ex. IS, VS, BT, B).") % {"code": county_code})
    email = "".join(email.split()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Adresa de e-mail „%(email)s” nu este validă.") % {"email": email}) from None
    if not first_name.strip() or not last_name.strip():
        raise ValidationError(_("Numele și prenumele sunt obligatorii."))
    refuse_control_characters(last_name)
    refuse_control_characters(first_name)
    matches: list[User] = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise ValidationError(_("Mai multe conturi au adresa %(email)s.") % {"email": email})
    if matches:
        person = matches[0]
    else:
        taken = set(User.objects.filter(username__iexact=email).values_list("username", flat=True))
        person = User.objects.create(
            username=_username_for(email, {name.lower() for name in taken}),
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            password=make_password(None),
        )
        audit_record(actor=None, action="user.create", target=person, details={"county": county_code, "via": "command"})
    coordinators = RoleAssignment.objects.active().filter(  # type: ignore[attr-defined]
        role=Role.COUNTY_COORDINATOR, county_code=county_code
    )
    waiting = RoleAssignment.objects.filter(
        user=person, role=Role.COUNTY_COORDINATOR, county_code=county_code, pending=True
    )
    if coordinators.filter(user=person).exists():
        outcome = CoordinatorOutcome.HELD
    elif waiting.exists():
        outcome = CoordinatorOutcome.WAITING
    else:
        # Two commands at once for a county without a coordinator must not both bootstrap it.
        list(RoleAssignment.objects.select_for_update().filter(role=Role.COUNTY_COORDINATOR, county_code=county_code))
        bootstrap = not coordinators.exists()
        assignment = RoleAssignment.objects.create(
            user=person,
            role=Role.COUNTY_COORDINATOR,
            scope_kind=RoleAssignment.ScopeKind.COUNTY,
            county_code=county_code,
            valid_from=timezone.localdate(),
            pending=not bootstrap,
        )
        details = {**_role_details(assignment, county_code, ()), "via": "command"}
        if bootstrap:
            audit_record(actor=None, action="role.give", target=assignment, details={**details, "bootstrap": True})
            outcome = CoordinatorOutcome.BOOTSTRAP
        else:
            audit_record(actor=None, action="role.request", target=assignment, details=details)
            outcome = CoordinatorOutcome.PENDING
    if not person.has_usable_password():
        invitation_send(user=person, actor=None, base_url=base_url)
    return person, outcome
