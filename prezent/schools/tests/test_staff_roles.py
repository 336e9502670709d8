"""The county coordinator's role pages: give, end and extend a role (with audit), inside the county only; the
school search box; the list of people."""

import datetime

import pytest
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY
from prezent.schools.tests.factories import LocalityFactory, SchoolFactory


@pytest.fixture
def staff(db):
    coordinator = UserFactory(username="coord")
    own = assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    school = SchoolFactory(name="ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI")
    far = SchoolFactory(name="ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI CLUJ", county_code="CJ")
    person = UserFactory(email="p@example.ro")
    role = assign(person, Role.SCHOOL_MEDIATOR, schools=[school])
    stranger = UserFactory()
    far_role = assign(stranger, Role.SCHOOL_MEDIATOR, schools=[far])
    return coordinator, own, school, far, person, role, stranger, far_role


def test_give_a_school_role(client, staff):
    coordinator, _own, school, _far, person, *_ = staff
    client.force_login(coordinator)
    response = client.post(
        reverse("schools:staff_role_give", args=[person.pk]),
        {"role": Role.CASE_WORKER, "county": "IS", "schools": [school.pk], "valid_until": "2027-06-30"},
    )
    assert response.status_code == 302
    given = person.role_assignments.get(role=Role.CASE_WORKER)
    assert list(given.schools.all()) == [school]
    assert (given.valid_from, given.valid_until, given.county_code) == (TEST_TODAY, datetime.date(2027, 6, 30), "IS")
    event = AuditEvent.objects.get(action="role.give")
    assert event.details == {
        "role": Role.CASE_WORKER,
        "user_id": person.pk,
        "county": "IS",
        "school_ids": [school.pk],
        "valid_until": "2027-06-30",
    }


def test_give_refuses_a_school_of_another_county_and_the_admin_role(client, staff):
    coordinator, _own, _school, far, person, *_ = staff
    client.force_login(coordinator)
    url = reverse("schools:staff_role_give", args=[person.pk])
    response = client.post(url, {"role": Role.CASE_WORKER, "county": "IS", "schools": [far.pk]})
    assert response.status_code == 400
    response = client.post(url, {"role": Role.ADMINISTRATOR, "county": "IS"})
    assert response.status_code == 400
    response = client.post(url, {"role": Role.COUNTY_COORDINATOR, "county": "CJ"})
    assert response.status_code == 400
    assert not person.role_assignments.exclude(role=Role.SCHOOL_MEDIATOR).exists()
    assert not AuditEvent.objects.filter(action="role.give").exists()


def test_give_a_county_wide_role(client, staff):
    coordinator, _own, _school, _far, person, *_ = staff
    client.force_login(coordinator)
    client.post(reverse("schools:staff_role_give", args=[person.pk]), {"role": Role.COUNTY_COORDINATOR, "county": "IS"})
    given = person.role_assignments.get(role=Role.COUNTY_COORDINATOR)
    assert (given.scope_kind, given.county_code) == ("county", "IS")


def test_end_and_extend_a_role(client, staff):
    coordinator, _own, _school, _far, _person, role, *_ = staff
    client.force_login(coordinator)
    assert client.post(reverse("schools:staff_role_end", args=[role.pk])).status_code == 302
    role.refresh_from_db()
    assert role.valid_until == TEST_TODAY
    assert AuditEvent.objects.filter(action="role.end", target_id=str(role.pk)).exists()
    client.post(reverse("schools:staff_role_extend", args=[role.pk]), {"valid_until": "2027-08-31"})
    role.refresh_from_db()
    assert role.valid_until == datetime.date(2027, 8, 31)
    event = AuditEvent.objects.get(action="role.extend")
    assert event.details["previous_valid_until"] == TEST_TODAY.isoformat()
    client.post(reverse("schools:staff_role_extend", args=[role.pk]), {"valid_until": "2020-01-01"})
    role.refresh_from_db()
    assert role.valid_until == datetime.date(2027, 8, 31)
    client.post(reverse("schools:staff_role_extend", args=[role.pk]), {"valid_until": ""})
    role.refresh_from_db()
    assert role.valid_until is None


def test_roles_of_another_county_are_404(client, staff):
    coordinator, *_rest, stranger, far_role = staff
    client.force_login(coordinator)
    assert client.post(reverse("schools:staff_role_end", args=[far_role.pk])).status_code == 404
    assert client.get(reverse("schools:staff_person", args=[stranger.pk])).status_code == 404
    far_role.refresh_from_db()
    assert far_role.valid_until is None


def test_a_coordinator_cannot_end_their_own_last_coordinator_role(client, staff):
    coordinator, own, *_ = staff
    client.force_login(coordinator)
    client.post(reverse("schools:staff_role_end", args=[own.pk]))
    own.refresh_from_db()
    assert own.valid_until is None
    second = UserFactory()
    assign(second, Role.COUNTY_COORDINATOR, county="IS")
    client.force_login(second)
    client.post(reverse("schools:staff_role_end", args=[own.pk]))
    own.refresh_from_db()
    assert own.valid_until == TEST_TODAY


def test_school_search_returns_only_my_county_and_at_most_twenty(client, staff):
    coordinator, *_ = staff
    village = LocalityFactory(name="Bălțați")
    for n in range(25):
        SchoolFactory(name=f"ȘCOALA PRIMARĂ {n}", locality=village)
    client.force_login(coordinator)
    url = reverse("schools:staff_school_search")
    body = client.get(url, {"q": "tibanesti"}).content.decode()
    assert "ȚIBĂNEȘTI" in body and "CLUJ" not in body
    response = client.get(url, {"q": "baltati"})
    assert response.content.decode().count('name="schools"') == 20
    kept = SchoolFactory(name="LICEUL X")
    body = client.get(url, {"q": "baltati", "schools": [kept.pk]}).content.decode()
    assert body.count('name="schools"') == 21 and "checked" in body


def test_the_person_page_searches_without_javascript(client, staff):
    coordinator, _own, _school, _far, person, *_ = staff
    client.force_login(coordinator)
    url = reverse("schools:staff_role_give", args=[person.pk])
    response = client.post(url, {"q": "țibănești", "role": Role.CASE_WORKER, "county": "IS", "search": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "ȘCOALA GIMNAZIALĂ ȚIBĂNEȘTI" in body and "CLUJ" not in body
    assert 'value="țibănești"' in body and 'value="case_worker" selected' in body
    assert not person.role_assignments.filter(role=Role.CASE_WORKER).exists()


def test_the_list_shows_my_county_with_few_queries(client, staff, django_assert_num_queries):
    coordinator, _own, _school, _far, person, *_ = staff
    for _n in range(5):
        trainer = assign(UserFactory(), Role.TRAINER)
        RoleAssignment.objects.filter(pk=trainer.pk).update(county_code="IS")
    client.force_login(coordinator)
    url = reverse("schools:staff_list")
    client.get(url)
    # the session, the user and their scope (2), the count, the page, the roles of the page, the session saved (3):
    # the same for seven people as for one
    with django_assert_num_queries(10):
        response = client.get(url)
    body = response.content.decode()
    assert person.last_name in body
    assert response.context["page"].paginator.count == 7
    assert client.get(url, {"q": "p@example"}).context["page"].paginator.count == 1


def test_resend_invitation(client, staff, mailoutbox):
    coordinator, _own, _school, _far, person, *_ = staff
    person.set_unusable_password()
    person.save()
    client.force_login(coordinator)
    assert client.post(reverse("schools:staff_invite", args=[person.pk])).status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["p@example.ro"]
    person.refresh_from_db()
    assert person.invitation_pending
    assert "invitație neacceptată" in client.get(reverse("schools:staff_list")).content.decode()
