"""What the withdrawal page says stops does stop: the checks in cases and risk that read consents stop counting a
consent withdrawn through the page (and the page said so before the confirmation)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.cases.services import case_open, consent_for_case
from prezent.children.models import Consent, Guardianship
from prezent.children.tests.factories import GuardianFactory
from prezent.risk.alerts.notices import consent_for_contact, refusal_reason
from prezent.risk.models import Notice


def _consent(world, purpose: str) -> Consent:
    child = world.child_a1
    guardian = GuardianFactory(household=child.household, phone="0722000111", phone_verified=True)
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    return Consent.objects.create(
        child=child,
        guardian=guardian,
        purpose=purpose,
        legal_basis=Consent.LegalBasis.CONSENT,
        given_on=datetime.date(2026, 9, 10),
        recorded_by=world.users.county,
    )


def _withdraw_through_the_page(client, world, consent: Consent, expected: str) -> None:
    client.force_login(world.users.school_coord)
    url = reverse("children:consent_withdraw", kwargs={"pk": consent.child_id, "consent_id": consent.pk})
    assert expected in client.get(url).content.decode()
    assert client.post(url, {"on": "2026-11-27"}).status_code == 302


@pytest.mark.django_db
def test_withdrawn_programme_consent_no_longer_opens_a_case(client, world):
    consent = _consent(world, Consent.Purpose.PROGRAMME)
    today = datetime.date(2026, 11, 29)
    assert consent_for_case(child=world.child_a1, on=today) == consent
    _withdraw_through_the_page(client, world, consent, "Un caz nou pentru copil nu se mai poate deschide")
    assert consent_for_case(child=world.child_a1, on=today) is None
    with pytest.raises(ValidationError, match="consimțământul înregistrat"):
        case_open(child=world.child_a1, opened_on=today, case_worker=None, actor=world.users.caseworker)
    case = case_open(
        child=world.child_a1,
        opened_on=today,
        case_worker=None,
        legal_basis=Consent.LegalBasis.PUBLIC_TASK,
        legal_basis_note="Sesizare a școlii.",
        actor=world.users.caseworker,
    )
    assert case.consent is None


@pytest.mark.django_db
def test_withdrawn_contact_consent_stops_sms_and_email_to_that_parent(client, world):
    consent = _consent(world, Consent.Purpose.CONTACT)
    guardian = consent.guardian
    today = datetime.date(2026, 11, 29)
    assert consent_for_contact(child=world.child_a1, guardian=guardian, on=today)
    assert refusal_reason(child=world.child_a1, guardian=guardian, channel=Notice.Channel.SMS, on=today) == ""
    _withdraw_through_the_page(client, world, consent, "SMS-urile și e-mailurile despre absențe către")
    assert not consent_for_contact(child=world.child_a1, guardian=guardian, on=today)
    reason = refusal_reason(child=world.child_a1, guardian=guardian, channel=Notice.Channel.SMS, on=today)
    assert "consimțământul pentru contact" in reason
