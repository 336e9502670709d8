"""Rectification (GDPR art. 16): a child's identity and a guardian's name, phone and relation are corrected with a
reason; the audit keeps the fields and the reason's code, never a value; bad input keeps what was typed."""

import pytest
from django.urls import reverse

from prezent.children.models import Guardianship
from prezent.children.tests.factories import GuardianFactory
from prezent.core.models import AccessLog, AuditEvent


@pytest.fixture
def guardianship(world) -> Guardianship:
    guardian = GuardianFactory(household=world.child_a1.household, phone="0740111222", phone_verified=True)
    return Guardianship.objects.create(child=world.child_a1, guardian=guardian, relationship="mother")


def _url(link: Guardianship) -> str:
    return reverse("children:guardian_edit", kwargs={"pk": link.child_id, "guardianship_id": link.pk})


def _data(link: Guardianship, **changes: str) -> dict[str, str]:
    data = {
        "last_name": link.guardian.last_name,
        "first_name": link.guardian.first_name,
        "relationship": link.relationship,
        "phone": link.guardian.phone,
        "reason": "subject_request",
    }
    data.update(changes)
    return data


def test_a_child_is_not_corrected_without_a_reason(client, world):
    child = world.child_a1
    client.force_login(world.users.mediator)
    data = {
        "last_name": "Ștefănescu",
        "first_name": child.first_name,
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat(),
    }
    response = client.post(reverse("children:edit", kwargs={"pk": child.pk}), data)
    assert response.status_code == 400
    assert 'value="Ștefănescu"' in response.content.decode()
    child.refresh_from_db()
    assert child.last_name != "Ștefănescu"
    assert not AuditEvent.objects.filter(action="child.update").exists()


def test_the_mediator_corrects_a_guardian_and_the_audit_holds_fields_and_reason(client, world, guardianship):
    client.force_login(world.users.mediator)
    page = client.get(_url(guardianship))
    assert page.status_code == 200 and 'value="0740111222"' in page.content.decode()
    response = client.post(
        _url(guardianship), _data(guardianship, last_name="Țăranu", phone="0740 333 444", relationship="grandparent")
    )
    assert response.status_code == 302
    guardianship.refresh_from_db()
    guardian = guardianship.guardian
    guardian.refresh_from_db()
    assert (guardian.last_name, guardian.phone, guardianship.relationship) == ("Țăranu", "0740333444", "grandparent")
    assert guardian.phone_verified is False  # a new number is checked again before an SMS
    event = AuditEvent.objects.get(action="guardian.update")
    assert event.details == {
        "child": world.child_a1.pk,
        "fields": ["last_name", "phone", "phone_verified", "relationship"],
        "reason": "subject_request",
    }
    assert "Țăranu" not in str(event.details) and "0740333444" not in str(event.details)
    assert AccessLog.objects.filter(child_id=world.child_a1.pk, view="children:guardian_edit").count() == 2


def test_bad_input_keeps_what_was_typed_and_changes_nothing(client, world, guardianship):
    client.force_login(world.users.school_coord)
    before = (guardianship.guardian.last_name, guardianship.guardian.phone)
    response = client.post(_url(guardianship), _data(guardianship, last_name="Ionescu-Nou", phone="07-ab", reason=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Ionescu-Nou"' in page and 'value="07-ab"' in page
    assert "Acest câmp este obligatoriu." in page
    response = client.post(_url(guardianship), _data(guardianship, last_name="Ionescu-Nou", phone="07-ab"))
    assert response.status_code == 400
    assert "Numărul de telefon nu este valid" in response.content.decode()
    guardianship.guardian.refresh_from_db()
    assert (guardianship.guardian.last_name, guardianship.guardian.phone) == before
    assert not AuditEvent.objects.filter(action="guardian.update").exists()


def test_saving_without_a_change_writes_no_audit(client, world, guardianship):
    client.force_login(world.users.county)
    assert client.post(_url(guardianship), _data(guardianship)).status_code == 302
    assert not AuditEvent.objects.filter(action="guardian.update").exists()


def test_the_guardian_of_another_child_is_not_found_through_this_child(client, world, guardianship):
    client.force_login(world.users.county)
    url = reverse("children:guardian_edit", kwargs={"pk": world.child_a2.pk, "guardianship_id": guardianship.pk})
    assert client.get(url).status_code == 404
