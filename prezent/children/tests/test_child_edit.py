"""Changing a child's details through its page: who may, what a refusal keeps, what the audit holds, and the CNP
only for the roles that may see it."""

import datetime

import pytest
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.children.cnp import cnp_make
from prezent.children.models import Child
from prezent.core.models import AccessLog, AuditEvent


def _url(child: Child) -> str:
    return reverse("children:edit", kwargs={"pk": child.pk})


def _data(child: Child, **changes: str) -> dict[str, str]:
    data = {
        "last_name": child.last_name,
        "first_name": child.first_name,
        "sex": child.sex,
        "reason": "documents",
        "birth_date": child.birth_date.isoformat(),
    }
    data.update(changes)
    return data


def _snapshot(child: Child) -> tuple:
    child.refresh_from_db()
    return (child.last_name, child.first_name, child.sex, child.birth_date, child.cnp, child.works, child.updated_at)


@pytest.mark.django_db
def test_mediator_corrects_a_name_and_the_audit_lists_fields_without_values(client, world):
    child = world.child_a1
    client.force_login(world.users.mediator)
    page = client.get(_url(child))
    assert page.status_code == 200
    assert child.last_name in page.content.decode()
    response = client.post(_url(child), _data(child, last_name="Ștefănescu", works="on"))
    assert response.status_code == 302 and response["Location"] == child.get_absolute_url()
    child.refresh_from_db()
    assert (child.last_name, child.works) == ("Ștefănescu", True)
    event = AuditEvent.objects.get(action="child.update")
    assert event.details == {"fields": ["last_name", "works"], "reason": "documents"}
    assert "Ștefănescu" not in str(event.details)
    record = client.get(child.get_absolute_url()).content.decode()
    assert "Datele copilului au fost salvate." in record
    assert _url(child) in record  # the record links to this page for those who may use it
    assert AccessLog.objects.filter(child_id=child.pk, view="children:edit").exists()


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed_shows_romanian_messages_and_changes_nothing(client, world):
    child = world.child_a1
    before = _snapshot(child)
    client.force_login(world.users.school_coord)
    response = client.post(_url(child), _data(child, last_name="", first_name="Mărioara", birth_date="2031-02-03"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Acest câmp este obligatoriu." in page
    assert 'value="Mărioara"' in page
    assert _snapshot(child) == before
    response = client.post(_url(child), _data(child, first_name="Mărioara", birth_date="2031-02-03"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Data nașterii nu poate fi în viitor." in page and 'value="2031-02-03"' in page
    assert _snapshot(child) == before
    assert not AuditEvent.objects.filter(action="child.update").exists()


@pytest.mark.django_db
def test_saving_without_a_change_writes_no_audit(client, world):
    client.force_login(world.users.school_coord)
    response = client.post(_url(world.child_a1), _data(world.child_a1), follow=True)
    assert "Nu ați schimbat nimic." in response.content.decode()
    assert not AuditEvent.objects.filter(action="child.update").exists()


@pytest.mark.django_db
def test_coordinator_sets_a_new_cnp_the_old_one_never_appears_in_the_page(client, world):
    child = world.child_a1
    old = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=5)
    Child.objects.filter(pk=child.pk).update(cnp=old)
    client.force_login(world.users.school_coord)
    page = client.get(_url(child)).content.decode()
    assert old not in page and "•••••••••" + old[-4:] in page
    new = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=6)
    response = client.post(_url(child), _data(child, cnp=f"{new[:7]} {new[7:]}"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.cnp == new
    event = AuditEvent.objects.get(action="child.update")
    assert event.details == {"fields": ["cnp"], "reason": "documents"} and new not in str(event.details)


@pytest.mark.django_db
def test_a_wrong_or_taken_cnp_is_refused_and_the_typed_value_is_kept(client, world):
    child, other = world.child_a1, world.child_a1_other
    taken = cnp_make(sex=other.sex, birth_date=child.birth_date, county=22, serial=9)
    Child.objects.filter(pk=other.pk).update(cnp=taken, birth_date=child.birth_date)
    before = _snapshot(child)
    client.force_login(world.users.county)
    response = client.post(_url(child), _data(child, last_name="Popa", cnp="1234567890123"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "CNP-ul nu este valid" in page and 'value="1234567890123"' in page and 'value="Popa"' in page
    response = client.post(_url(child), _data(child, cnp=taken))
    assert response.status_code == 400
    assert "Un copil cu acest CNP există deja." in response.content.decode()
    assert _snapshot(child) == before


@pytest.mark.django_db
def test_coordinator_may_remove_a_cnp_but_not_type_one_and_remove_it_at_once(client, world):
    child = world.child_a1
    cnp = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=5)
    Child.objects.filter(pk=child.pk).update(cnp=cnp)
    client.force_login(world.users.school_coord)
    other = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=6)
    response = client.post(_url(child), _data(child, cnp=other, cnp_remove="on"))
    assert response.status_code == 400
    assert "Scrieți un CNP nou sau bifați ștergerea, nu amândouă." in response.content.decode()
    child.refresh_from_db()
    assert child.cnp == cnp
    assert client.post(_url(child), _data(child, cnp_remove="on")).status_code == 302
    child.refresh_from_db()
    assert child.cnp == ""


@pytest.mark.django_db
def test_mediator_never_gets_the_cnp_field_and_a_posted_cnp_is_ignored(client, world):
    child = world.child_a1
    cnp = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=5)
    Child.objects.filter(pk=child.pk).update(cnp=cnp)
    client.force_login(world.users.mediator)
    page = client.get(_url(child)).content.decode()
    assert 'name="cnp"' not in page and 'name="cnp_remove"' not in page
    other = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=6)
    assert client.post(_url(child), _data(child, cnp=other, cnp_remove="on")).status_code == 302
    child.refresh_from_db()
    assert child.cnp == cnp


@pytest.mark.django_db
def test_a_birth_date_that_contradicts_the_stored_cnp_is_refused(client, world):
    child = world.child_a1
    cnp = cnp_make(sex=child.sex, birth_date=child.birth_date, county=22, serial=5)
    Child.objects.filter(pk=child.pk).update(cnp=cnp)
    before = _snapshot(child)
    client.force_login(world.users.mediator)
    response = client.post(_url(child), _data(child, birth_date="2016-06-01"))
    assert response.status_code == 400
    assert "Data nașterii nu corespunde CNP-ului înregistrat al copilului." in response.content.decode()
    assert _snapshot(child) == before


@pytest.mark.django_db
def test_rights_are_decided_per_school_for_each_role(client, world):
    """A teacher of a class in school A who is also the mediator of school B writes only for school B."""
    both = UserFactory()
    assign(both, Role.CLASS_TEACHER, schools=[world.school_a])
    assign(both, Role.SCHOOL_MEDIATOR, schools=[world.school_b])
    world.class_a1.teacher = both
    world.class_a1.save()
    client.force_login(both)
    child = world.child_a1
    before = _snapshot(child)
    assert client.get(child.get_absolute_url()).status_code == 200  # sees the record as the class teacher
    assert client.get(_url(child)).status_code == 404
    assert client.post(_url(child), _data(child, last_name="Altul")).status_code == 404
    assert _snapshot(child) == before
    record = client.get(child.get_absolute_url()).content.decode()
    assert _url(child) not in record
    assert client.get(_url(world.child_b1)).status_code == 200
    options = client.get(reverse("children:create")).context["form"].fields["class_group"].queryset
    assert list(options) == [world.class_b1]


@pytest.mark.django_db
def test_the_cnp_field_needs_a_cnp_role_in_the_childs_school(client, world):
    """The mediator of school A who is the school coordinator of school B changes CNPs only in school B."""
    both = UserFactory()
    assign(both, Role.SCHOOL_MEDIATOR, schools=[world.school_a])
    assign(both, Role.SCHOOL_COORDINATOR, schools=[world.school_b])
    client.force_login(both)
    assert 'name="cnp"' not in client.get(_url(world.child_a1)).content.decode()
    assert 'name="cnp"' in client.get(_url(world.child_b1)).content.decode()


@pytest.mark.django_db
def test_a_school_that_the_child_left_over_a_year_ago_may_no_longer_write(client, world):
    enrolment = world.child_a2.enrolments.get()
    enrolment.start = datetime.date(2024, 9, 9)
    enrolment.end = datetime.date(2025, 6, 20)
    enrolment.save()
    client.force_login(world.users.school_coord)
    assert client.get(_url(world.child_a2)).status_code == 404


@pytest.mark.django_db
def test_a_corrected_name_with_a_control_character_is_refused_and_changes_nothing(client, world):
    child = world.child_a1
    before = _snapshot(child)
    client.force_login(world.users.school_coord)
    response = client.post(_url(child), _data(child, last_name="Ștefă\x1bnescu"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Textul conține un caracter invizibil sau de control (poziția 6)" in page
    assert "Ștefă\x1bnescu" in page
    assert _snapshot(child) == before
    assert not AuditEvent.objects.filter(action="child.update").exists()
