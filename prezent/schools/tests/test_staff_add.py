"""Adding a person from the staff page (`person_add`) and giving a class teacher their class
(`class_teacher_set`): one transaction, the invitation after it, inside the county only, audited with ids."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.accounts.models import Role, User
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.schools.staff.labels import class_label
from prezent.schools.staff.services import PersonExistsError, class_teacher_set, person_add
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory, school_year_2025_2026

ADD = "schools:staff_person_add"


@pytest.fixture
def county(db):
    coordinator = UserFactory(username="coord")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    school = SchoolFactory(name="ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI", siiir_code="2261100001")
    other = SchoolFactory(name="ȘCOALA GIMNAZIALĂ MOGOȘEȘTI", siiir_code="2261100002")
    far = SchoolFactory(name="ȘCOALA GIMNAZIALĂ CLUJ", siiir_code="1261100003", county_code="CJ")
    five_b = ClassGroupFactory(school=school, grade=5, letter="B", level="lower_secondary")
    far_class = ClassGroupFactory(school=far, grade=5, letter="A", level="lower_secondary")
    return coordinator, school, other, far, five_b, far_class


def _form(school, **extra):
    data = {
        "last_name": "Popa",
        "first_name": "Ana",
        "email": " Ana.Popa@Example.ro ",
        "phone": "0740000000",
        "role": Role.CLASS_TEACHER,
        "county": "IS",
        "schools": [school.pk],
        "valid_until": "2027-08-31",
    }
    data.update(extra)
    return data


def test_class_label():
    assert class_label(5, "B") == "a V-a B"
    assert class_label(1, "A") == "I A"
    assert class_label(0, "A") == "pregătitoare A"
    assert class_label(-1, "") == "grupa"


def test_add_a_class_teacher_with_their_class(client, county, mailoutbox):
    coordinator, school, _other, _far, five_b, _far_class = county
    before = UserFactory()
    assign(before, Role.CLASS_TEACHER, schools=[school])
    five_b.teacher = before
    five_b.save()
    client.force_login(coordinator)
    response = client.post(reverse(ADD), _form(school, class_group=five_b.pk))
    person = User.objects.get(email="ana.popa@example.ro")
    assert response.status_code == 302 and response["Location"] == reverse("schools:staff_person", args=[person.pk])
    assert (person.username, person.last_name, person.first_name, person.phone) == (
        "ana.popa@example.ro",
        "Popa",
        "Ana",
        "0740000000",
    )
    assert not person.has_usable_password()
    role = person.role_assignments.get()
    assert (role.role, role.county_code, list(role.schools.all())) == (Role.CLASS_TEACHER, "IS", [school])
    assert role.valid_until.isoformat() == "2027-08-31"
    five_b.refresh_from_db()
    assert five_b.teacher == person
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana.popa@example.ro"]
    person.refresh_from_db()
    assert person.invitation_pending
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == ["user.create", "role.give", "class.teacher_set", "user.invite"]
    assert AuditEvent.objects.get(action="class.teacher_set").details == {
        "teacher_id": person.pk,
        "previous_teacher_id": before.pk,
        "school_id": school.pk,
        "county": "IS",
    }
    for event in AuditEvent.objects.all():
        assert "Popa" not in str(event.details) and "ana.popa" not in str(event.details)
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "a V-a B" in body and "în locul lui" in body and before.last_name in body


def test_add_a_mediator_without_class(client, county, mailoutbox):
    coordinator, school, other, *_ = county
    client.force_login(coordinator)
    data = _form(school, role=Role.SCHOOL_MEDIATOR, schools=[school.pk, other.pk], valid_until="")
    assert client.post(reverse(ADD), data).status_code == 302
    person = User.objects.get(email="ana.popa@example.ro")
    role = person.role_assignments.get()
    assert role.role == Role.SCHOOL_MEDIATOR and set(role.schools.all()) == {school, other}
    assert role.valid_until is None
    assert not AuditEvent.objects.filter(action="class.teacher_set").exists()
    assert len(mailoutbox) == 1


def test_an_address_already_used_is_refused_with_a_link_when_in_my_county(client, county, mailoutbox):
    coordinator, school, *_ = county
    known = UserFactory(email="ana.popa@example.ro")
    assign(known, Role.SCHOOL_MEDIATOR, schools=[school])
    client.force_login(coordinator)
    response = client.post(reverse(ADD), _form(school))
    body = response.content.decode()
    assert response.status_code == 400
    assert "este deja folosită de un cont" in body
    assert reverse("schools:staff_person", args=[known.pk]) in body
    assert User.objects.filter(email__iexact="ana.popa@example.ro").count() == 1
    assert not known.role_assignments.filter(role=Role.CLASS_TEACHER).exists()
    assert not mailoutbox


def test_an_address_of_someone_outside_my_county_is_refused_without_a_link(client, county, mailoutbox):
    coordinator, school, _other, far, *_ = county
    stranger = UserFactory(email="ANA.POPA@example.ro")
    assign(stranger, Role.SCHOOL_MEDIATOR, schools=[far])
    client.force_login(coordinator)
    response = client.post(reverse(ADD), _form(school))
    body = response.content.decode()
    assert response.status_code == 400 and "este deja folosită de un cont" in body
    assert reverse("schools:staff_person", args=[stranger.pk]) not in body
    assert 'data-testid="existing-person"' not in body
    assert not mailoutbox


def test_the_form_keeps_what_was_typed_on_error(client, county, mailoutbox):
    coordinator, school, *_ = county
    client.force_login(coordinator)
    response = client.post(reverse(ADD), _form(school, first_name="", class_group=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Popa"' in body and 'value="0740000000"' in body and "Ana.Popa@Example.ro" in body
    assert 'value="class_teacher" selected' in body and 'value="2027-08-31"' in body
    assert f'value="{school.pk}" checked' in body
    assert "Acest câmp este obligatoriu" in body
    assert not User.objects.filter(email__iexact="ana.popa@example.ro").exists() and not mailoutbox
    response = client.post(reverse(ADD), _form(school, schools=[]))
    assert response.status_code == 400
    assert "Căutați și bifați cel puțin o școală" in response.content.decode()


def test_another_countys_school_or_class_is_refused(client, county, mailoutbox):
    coordinator, school, _other, far, five_b, far_class = county
    client.force_login(coordinator)
    assert client.post(reverse(ADD), _form(far, class_group=far_class.pk)).status_code == 400
    assert client.post(reverse(ADD), _form(school, class_group=far_class.pk)).status_code == 400
    assert client.post(reverse(ADD), _form(school, county="CJ")).status_code == 400
    assert not User.objects.filter(email__iexact="ana.popa@example.ro").exists()
    with pytest.raises(PermissionDenied):
        person_add(
            actor=coordinator,
            county_code="CJ",
            last_name="Popa",
            first_name="Ana",
            email="ana.popa@example.ro",
            role=Role.SCHOOL_MEDIATOR,
            schools=[far],
            base_url="http://testserver",
        )
    with pytest.raises(ValidationError):
        person_add(
            actor=coordinator,
            county_code="IS",
            last_name="Popa",
            first_name="Ana",
            email="ana.popa@example.ro",
            role=Role.CLASS_TEACHER,
            schools=[school],
            class_group=far_class,
            base_url="http://testserver",
        )
    # all or nothing: the refused class undoes the account and the role
    assert not User.objects.filter(email__iexact="ana.popa@example.ro").exists()
    assert not AuditEvent.objects.filter(action__in=["user.create", "role.give"]).exists()
    five_b.refresh_from_db()
    assert five_b.teacher is None and not mailoutbox


def test_person_add_service_refuses_a_used_address(county, mailoutbox):
    coordinator, *_ = county
    known = UserFactory(email="ana.popa@example.ro")
    with pytest.raises(PersonExistsError) as refused:
        person_add(
            actor=coordinator,
            county_code="IS",
            last_name="Popa",
            first_name="Ana",
            email="Ana.Popa@example.ro",
            role=Role.TRAINER,
            base_url="http://testserver",
        )
    assert refused.value.person == known and not mailoutbox


def test_the_add_page_searches_schools_without_javascript_and_lists_their_classes(client, county):
    coordinator, school, *_ = county
    client.force_login(coordinator)
    response = client.post(reverse(ADD), {**_form(school), "q": "tibanesti", "search": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI" in body and "CLUJ" not in body
    assert ">a V-a B</option>" in body and 'value="Popa"' in body


def test_class_choices_are_the_ticked_schools_classes_this_year(client, county):
    coordinator, school, other, far, five_b, far_class = county
    old = ClassGroupFactory(school=school, school_year=school_year_2025_2026(), grade=4, letter="B")
    ClassGroupFactory(school=other, grade=2, letter="C")
    client.force_login(coordinator)
    url = reverse("schools:staff_class_choices")
    body = client.get(url, {"schools": [school.pk, far.pk], "class_group": five_b.pk}).content.decode()
    assert f'<option value="{five_b.pk}" selected>a V-a B</option>' in body
    assert f'value="{far_class.pk}"' not in body
    assert far.name not in body and "a II-a C" not in body and f'value="{old.pk}"' not in body
    assert "Bifați întâi școala" in client.get(url).content.decode()


@pytest.fixture
def teacher(county):
    _coordinator, school, other, *_ = county
    person = UserFactory()
    assign(person, Role.CLASS_TEACHER, schools=[school, other])
    return person


def test_give_the_class_of_a_class_teacher_on_their_page(client, county, teacher):
    coordinator, _school, _other, _far, five_b, _far_class = county
    client.force_login(coordinator)
    page = client.get(reverse("schools:staff_person", args=[teacher.pk])).content.decode()
    assert ">a V-a B</option>" in page and "Nu este dirigintele niciunei clase" in page
    response = client.post(reverse("schools:staff_class_set", args=[teacher.pk]), {"class_group": five_b.pk})
    assert response.status_code == 302
    five_b.refresh_from_db()
    assert five_b.teacher == teacher
    event = AuditEvent.objects.get(action="class.teacher_set")
    assert event.details["previous_teacher_id"] is None and event.actor == coordinator
    body = client.get(response["Location"]).content.decode()
    assert "o are acum pe" in body and "a V-a B — ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI" in body


def test_the_class_replaces_its_teacher_and_says_whose_place(client, county, teacher):
    coordinator, school, _other, _far, five_b, _far_class = county
    first = UserFactory()
    assign(first, Role.CLASS_TEACHER, schools=[school])
    client.force_login(coordinator)
    client.post(reverse("schools:staff_class_set", args=[first.pk]), {"class_group": five_b.pk})
    response = client.post(
        reverse("schools:staff_class_set", args=[teacher.pk]), {"class_group": five_b.pk}, follow=True
    )
    body = response.content.decode()
    five_b.refresh_from_db()
    assert five_b.teacher == teacher
    assert f"în locul lui {first.last_name} {first.first_name}" in body
    events = AuditEvent.objects.filter(action="class.teacher_set").order_by("pk")
    assert [e.details["previous_teacher_id"] for e in events] == [None, first.pk]
    # the same again changes nothing
    client.post(reverse("schools:staff_class_set", args=[teacher.pk]), {"class_group": five_b.pk})
    assert AuditEvent.objects.filter(action="class.teacher_set").count() == 2


def test_class_set_refuses_another_county_a_school_outside_the_role_and_a_past_year(client, county, teacher):
    coordinator, school, _other, _far, five_b, far_class = county
    elsewhere = ClassGroupFactory(school=SchoolFactory(), grade=6, letter="A")
    old = ClassGroupFactory(school=school, school_year=school_year_2025_2026(), grade=4, letter="B")
    client.force_login(coordinator)
    url = reverse("schools:staff_class_set", args=[teacher.pk])
    for group in (far_class, elsewhere, old):
        assert client.post(url, {"class_group": group.pk}).status_code == 400
        group.refresh_from_db()
        assert group.teacher is None
    with pytest.raises(PermissionDenied):
        class_teacher_set(actor=coordinator, person=teacher, class_group=far_class)
    with pytest.raises(ValidationError):
        class_teacher_set(actor=coordinator, person=teacher, class_group=elsewhere)
    with pytest.raises(ValidationError):
        class_teacher_set(actor=coordinator, person=teacher, class_group=old)
    assert not AuditEvent.objects.filter(action="class.teacher_set").exists()
    far_coordinator = UserFactory()
    assign(far_coordinator, Role.COUNTY_COORDINATOR, county="CJ")
    with pytest.raises(PermissionDenied):
        class_teacher_set(actor=far_coordinator, person=teacher, class_group=five_b)


def test_give_the_class_teacher_role_with_a_class(client, county):
    coordinator, school, _other, _far, five_b, _far_class = county
    person = UserFactory(email="p@example.ro")
    assign(person, Role.SCHOOL_MEDIATOR, schools=[school])
    client.force_login(coordinator)
    url = reverse("schools:staff_role_give", args=[person.pk])
    data = {"role": Role.CLASS_TEACHER, "county": "IS", "schools": [school.pk], "class_group": five_b.pk}
    assert client.post(url, data).status_code == 302
    five_b.refresh_from_db()
    assert five_b.teacher == person and person.role_assignments.filter(role=Role.CLASS_TEACHER).exists()
    # another role ignores a class left chosen in the form
    data = {"role": Role.CASE_WORKER, "county": "IS", "schools": [school.pk], "class_group": five_b.pk}
    assert client.post(url, data).status_code == 302
    assert AuditEvent.objects.filter(action="class.teacher_set").count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_person_page_reads_a_constant_number_of_queries(client, county, teacher):
    coordinator, _school, other, _far, five_b, _far_class = county
    five_b.teacher = teacher
    five_b.save()
    client.force_login(coordinator)
    url = reverse("schools:staff_person", args=[teacher.pk])
    client.get(url)
    few = _queries(client, url)
    for n in range(4):
        extra = SchoolFactory()
        assign(teacher, Role.CLASS_TEACHER, schools=[extra, other])
        assign(teacher, Role.SCHOOL_MEDIATOR, schools=[extra])
        ClassGroupFactory(school=extra, grade=n + 1, letter="A", teacher=teacher)
        ClassGroupFactory(school=other, grade=n + 1, letter="D")
    many = _queries(client, url)
    body = client.get(url).content.decode()
    assert body.count("<li>") >= 5 and body.count("<option") >= 9
    assert many == few
