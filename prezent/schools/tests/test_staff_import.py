"""The staff file: `import_staff` and the import page. All rows or none, every refusal with its line, a second
run changes nothing and invites nobody again."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.schools.staff.services import StaffImportError, staff_import
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

HEADER = "Nume;Prenume;E-mail;Telefon;Rol;Cod SIIIR unitate;Clasa;Valabil până la"


@pytest.fixture
def county(db):
    coordinator = UserFactory(username="coord")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    school = SchoolFactory(siiir_code="2261100001")
    other = SchoolFactory(siiir_code="2261100002")
    far = SchoolFactory(siiir_code="1261100003", county_code="CJ")
    five_b = ClassGroupFactory(school=school, grade=5, letter="B", level="lower_secondary")
    prep_a = ClassGroupFactory(school=school, grade=0, letter="A")
    return coordinator, school, other, far, five_b, prep_a


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


GOOD = (
    "Popa;Ana;ana.popa@example.ro;0740000000;diriginte;2261100001;a V-a B;",
    "Rusu;Ion;ion.rusu@example.ro;;învățător;2261100001;pregătitoare A;30.06.2027",
    "Stan;Maria;maria.stan@example.ro;;coordonator școală;2261100001;;",
    "Stan;Maria;maria.stan@example.ro;;Mediator scolar;2261100002;;",
    "Dinu;Elena;elena.dinu@example.ro;;asistent social;2261100001;;",
    "Dinu;Elena;elena.dinu@example.ro;;responsabil de caz;2261100002;;",
    "Voicu;Dan;dan.voicu@example.ro;;formator;;;",
)


def _run(data: bytes, coordinator: User, *, dry_run: bool = False):
    return staff_import(source=data, county_code="IS", actor=coordinator, base_url="http://testserver", dry_run=dry_run)


def test_import_creates_people_roles_and_classes_and_invites_once(county, mailoutbox):
    coordinator, school, other, _far, five_b, prep_a = county
    plan = _run(_csv(*GOOD), coordinator)
    assert plan.counts() == {
        "rows": 7,
        "people": 5,
        "new_people": 5,
        "roles_given": 6,
        "roles_changed": 0,
        "classes_set": 2,
    }
    ana = User.objects.get(email="ana.popa@example.ro")
    assert (ana.last_name, ana.first_name, ana.phone, ana.username) == ("Popa", "Ana", "0740000000", ana.email)
    assert not ana.has_usable_password() and ana.invitation_pending
    five_b.refresh_from_db()
    prep_a.refresh_from_db()
    assert five_b.teacher == ana
    assert prep_a.teacher.email == "ion.rusu@example.ro"
    ion_role = RoleAssignment.objects.get(user__email="ion.rusu@example.ro")
    assert ion_role.valid_until == datetime.date(2027, 6, 30)
    elena = RoleAssignment.objects.get(user__email="elena.dinu@example.ro")
    assert elena.role == Role.CASE_WORKER and set(elena.schools.all()) == {school, other}
    trainer = RoleAssignment.objects.get(user__email="dan.voicu@example.ro")
    assert (trainer.role, trainer.scope_kind, trainer.county_code) == (Role.TRAINER, "none", "IS")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [
            "ana.popa@example.ro",
            "ion.rusu@example.ro",
            "maria.stan@example.ro",
            "elena.dinu@example.ro",
            "dan.voicu@example.ro",
        ]
    )
    assert "parola/" in mailoutbox[0].body and "Invitație" in mailoutbox[0].subject
    gives = AuditEvent.objects.filter(action="role.give")
    assert gives.count() == 6
    for event in AuditEvent.objects.all():
        assert "Popa" not in str(event.details) and "ana.popa" not in str(event.details)

    events = AuditEvent.objects.count()
    again = _run(_csv(*GOOD), coordinator)
    assert not again.changes
    assert len(mailoutbox) == 5
    assert AuditEvent.objects.count() == events
    assert User.objects.filter(email__endswith="@example.ro").count() == 5
    assert RoleAssignment.objects.filter(user__email__endswith="@example.ro").count() == 6


def test_an_existing_person_gets_the_new_role_and_no_invitation(county, mailoutbox):
    coordinator, school, other, *_ = county
    known = UserFactory(email="Ana.Popa@Example.ro")
    old = assign(known, Role.SCHOOL_MEDIATOR, schools=[other])
    _run(_csv("Popa;Ana;ana.popa@example.ro;;mediator școlar;2261100001;;"), coordinator)
    assert mailoutbox == []
    old.refresh_from_db()
    assert set(old.schools.all()) == {school, other}
    assert AuditEvent.objects.filter(action="role.schools_add", target_id=str(old.pk)).exists()
    _run(_csv("Popa;Ana;ana.popa@example.ro;;formator;;;"), coordinator)
    assert set(known.role_assignments.values_list("role", flat=True)) == {Role.SCHOOL_MEDIATOR, Role.TRAINER}


def test_xlsx_with_a_title_row_and_headers_without_diacritics(county, mailoutbox):
    coordinator, *_rest, five_b, _prep = county
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Personal ISJ Iași 2026"])
    sheet.append(["NUME", "PRENUME", "EMAIL", "ROL", "COD SIIIR UNITATE", "CLASA", "VALABIL PANA LA"])
    sheet.append(
        ["Popa", "Ana", "ana.popa@example.ro", "Profesor diriginte", 2261100001, "V B", datetime.date(2027, 8, 31)]
    )
    out = io.BytesIO()
    book.save(out)
    _run(out.getvalue(), coordinator)
    five_b.refresh_from_db()
    assert five_b.teacher.email == "ana.popa@example.ro"
    assert five_b.teacher.role_assignments.get().valid_until == datetime.date(2027, 8, 31)


def test_every_bad_row_is_named_with_its_line_and_nothing_is_written(county, mailoutbox):
    coordinator, *_ = county
    data = _csv(
        "Popa;Ana;ana.popa@example.ro;;diriginte;2261100001;a V-a B;",  # line 2: good
        "Rusu;Ion;ion.rusu@example.ro;;portar;2261100001;;",  # 3: unknown role
        "Stan;Maria;maria.stan@example.ro;;mediator școlar;2261199999;;",  # 4: no such school
        "Dinu;Elena;elena.dinu@example.ro;;mediator școlar;1261100003;;",  # 5: another county
        "Voicu;Dan;dan.voicu@;;formator;;;",  # 6: bad e-mail
        "Popescu;Ana;ana.popa@example.ro;;mediator școlar;2261100001;;",  # 7: same e-mail, another name
        "Lazăr;Vlad;vlad.lazar@example.ro;;diriginte;2261100001;a VII-a C;",  # 8: class not found
        "Ene;Paul;paul.ene@example.ro;;formator;;;01.01.2020",  # 9: date in the past
    )
    with pytest.raises(StaffImportError) as refused:
        _run(data, coordinator)
    errors = {error.line: error.message for error in refused.value.errors}
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9}
    assert "portar" in errors[3]
    assert "2261199999" in errors[4]
    assert "alt județ" in errors[5]
    assert "nu este validă" in errors[6]
    assert "linia 2" in errors[7]
    assert "a VII-a C" in errors[8] and "2026-2027" in errors[8]
    assert "în trecut" in errors[9]
    assert str(refused.value.errors[0]).startswith("linia 3:")
    assert not User.objects.filter(email__endswith="@example.ro").exists()
    assert mailoutbox == []


def test_an_importer_outside_the_county_writes_nothing(county):
    stranger = UserFactory()
    assign(stranger, Role.COUNTY_COORDINATOR, county="CJ")
    with pytest.raises(PermissionDenied):
        _run(_csv(GOOD[0]), stranger)
    assert not User.objects.filter(email="ana.popa@example.ro").exists()


def test_the_command_imports_and_reports(county, tmp_path, mailoutbox, capsys):
    path = tmp_path / "personal.csv"
    path.write_bytes(_csv(*GOOD))
    call_command("import_staff", str(path), "--county", "IS", "--dry-run")
    assert not User.objects.filter(email__endswith="@example.ro").exists()
    call_command("import_staff", str(path), "--county", "IS", "--by", "coord")
    assert User.objects.filter(email__endswith="@example.ro").count() == 5
    assert len(mailoutbox) == 5
    bad = tmp_path / "rau.csv"
    bad.write_bytes(_csv("Rusu;Ion;ion@example.ro;;portar;2261100001;;"))
    with pytest.raises(CommandError):
        call_command("import_staff", str(bad), "--county", "IS")
    assert "linia 2" in capsys.readouterr().err


def test_the_import_page_previews_then_writes_on_confirmation(client, county, mailoutbox):
    coordinator, *_ = county
    client.force_login(coordinator)
    url = reverse("schools:staff_import")
    upload = io.BytesIO(_csv(*GOOD))
    upload.name = "personal.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Confirmă importul" in response.content.decode()
    assert not User.objects.filter(email__endswith="@example.ro").exists()
    digest = response.context["digest"]
    response = client.post(url, {"confirm": digest})
    assert response.status_code == 302
    assert User.objects.filter(email__endswith="@example.ro").count() == 5
    assert len(mailoutbox) == 5
    # the confirmation is not replayed: the file left the session
    client.post(url, {"confirm": digest})
    assert len(mailoutbox) == 5


def test_the_import_page_lists_the_bad_rows(client, county):
    coordinator, *_ = county
    client.force_login(coordinator)
    upload = io.BytesIO(_csv("Rusu;Ion;ion@example.ro;;portar;2261100001;;"))
    upload.name = "personal.csv"
    response = client.post(reverse("schools:staff_import"), {"file": upload})
    assert response.status_code == 400
    assert "linia 2" in response.content.decode()


def test_a_name_with_a_control_character_is_a_bad_row_and_nothing_is_written(county, mailoutbox):
    coordinator, *_ = county
    users = User.objects.count()
    data = _csv(
        "Popa;Ana;ana.popa@example.ro;;diriginte;2261100001;a V-a B;",  # line 2: good
        "Ru\x07su;Ion;ion.rusu@example.ro;;formator;;;",  # 3: a bell in the name
        "Stan;Ma\u202eria;maria.stan@example.ro;;formator;;;",  # 4: a direction override
    )
    with pytest.raises(StaffImportError) as refused:
        _run(data, coordinator)
    errors = {error.line: error.message for error in refused.value.errors}
    assert set(errors) == {3, 4}
    assert all("caracter invizibil sau de control" in message for message in errors.values())
    assert User.objects.count() == users and not mailoutbox
