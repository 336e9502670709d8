"""Withdrawing a consent through its page: what the page shows before confirming, what is recorded, and refusals
that change nothing."""

import datetime

import pytest
from django.urls import reverse

from prezent.children.models import Child, Consent, Guardian, Guardianship
from prezent.children.selectors import consent_withdrawal_effects
from prezent.children.tests.factories import GuardianFactory
from prezent.core.models import AccessLog, AuditEvent

GIVEN = datetime.date(2026, 9, 10)


def _guardian(child: Child) -> Guardian:
    guardian = GuardianFactory(household=child.household, first_name="Elena", last_name="Căpraru")
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    return guardian


def _consent(child: Child, by, purpose: str, guardian: Guardian | None = None, **fields) -> Consent:
    return Consent.objects.create(
        child=child,
        guardian=guardian,
        purpose=purpose,
        legal_basis=fields.pop("legal_basis", Consent.LegalBasis.CONSENT),
        given_on=fields.pop("given_on", GIVEN),
        recorded_by=by,
        **fields,
    )


def _url(consent: Consent) -> str:
    return reverse("children:consent_withdraw", kwargs={"pk": consent.child_id, "consent_id": consent.pk})


@pytest.mark.django_db
def test_the_page_shows_what_stops_before_the_withdrawal_is_confirmed(client, world):
    child = world.child_a1
    consent = _consent(child, world.users.county, Consent.Purpose.PROGRAMME, _guardian(child))
    client.force_login(world.users.mediator)
    page = client.get(_url(consent)).content.decode()
    assert "Ce se oprește după retragere" in page
    assert "Un caz nou pentru copil nu se mai poate deschide pe baza consimțământului" in page
    assert "Un caz deschis deja nu se închide automat" in page
    assert "Confirm retragerea" in page
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert AccessLog.objects.filter(child_id=child.pk, view="children:consent_withdraw").exists()


@pytest.mark.django_db
def test_withdrawal_records_the_date_and_who_and_the_list_shows_both(client, world):
    child = world.child_a1
    consent = _consent(child, world.users.county, Consent.Purpose.CONTACT, _guardian(child))
    mediator = world.users.mediator
    client.force_login(mediator)
    response = client.post(_url(consent), {"on": "2026-11-25"})
    assert response.status_code == 302
    assert response["Location"] == f"{child.get_absolute_url()}#consimtaminte"
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (datetime.date(2026, 11, 25), mediator)
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.details == {"child": child.pk, "purpose": "contact"}
    record = client.get(child.get_absolute_url()).content.decode()
    assert "Consimțământul a fost retras." in record
    assert "retras la 25.11.2026" in record
    assert f"înregistrat de {mediator.get_full_name()}" in record
    assert _url(consent) not in record  # no second withdrawal link


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2026-12-05", "Data retragerii nu poate fi în viitor."),
        ("2026-09-01", "Retragerea nu poate fi înainte de data consimțământului."),
        ("", "Acest câmp este obligatoriu."),
    ],
)
def test_a_wrong_date_is_refused_with_a_message_and_nothing_changes(client, world, on, message):
    consent = _consent(world.child_a1, world.users.county, Consent.Purpose.PROGRAMME)
    client.force_login(world.users.school_coord)
    response = client.post(_url(consent), {"on": on})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if on:
        assert f'value="{on}"' in page
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (None, None)
    assert not AuditEvent.objects.filter(action="consent.withdraw").exists()


@pytest.mark.django_db
def test_a_consent_already_withdrawn_cannot_be_withdrawn_again(client, world):
    consent = _consent(
        world.child_a1,
        world.users.county,
        Consent.Purpose.PHOTOS,
        withdrawn_on=datetime.date(2026, 10, 1),
        withdrawn_by=world.users.county,
    )
    client.force_login(world.users.school_coord)
    page = client.get(_url(consent)).content.decode()
    assert "Consimțământul a fost deja retras." in page and "Confirm retragerea" not in page
    response = client.post(_url(consent), {"on": "2026-11-25"})
    assert response.status_code == 400
    assert "Consimțământul a fost deja retras." in response.content.decode()
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (datetime.date(2026, 10, 1), world.users.county)


@pytest.mark.django_db
def test_another_active_consent_for_the_same_check_is_named_instead_of_a_stop(world):
    child = world.child_a1
    mother, father = _guardian(child), GuardianFactory(household=child.household)
    first = _consent(child, world.users.county, Consent.Purpose.PROGRAMME, mother)
    assert consent_withdrawal_effects(consent=first).stops
    _consent(child, world.users.county, Consent.Purpose.PROGRAMME, father, given_on=datetime.date(2026, 10, 2))
    effects = consent_withdrawal_effects(consent=first)
    assert effects.stops == []
    assert any("alt consimțământ activ pentru participarea în program (din 02.10.2026)" in t for t in effects.stays)


@pytest.mark.django_db
def test_contact_consent_names_the_parent_whose_messages_stop(world):
    child = world.child_a1
    consent = _consent(child, world.users.county, Consent.Purpose.CONTACT, _guardian(child))
    effects = consent_withdrawal_effects(consent=consent)
    assert effects.stops == [
        "SMS-urile și e-mailurile despre absențe către Căpraru Elena nu se mai trimit: o încercare se înregistrează "
        "ca „netrimisă”, cu motivul."
    ]
    assert any("scrisoarea tipărită" in text for text in effects.stays)


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [Consent.Purpose.DATA, Consent.Purpose.ETHNICITY, Consent.Purpose.PHOTOS])
def test_consents_that_no_check_reads_say_that_nothing_stops_by_itself(world, purpose):
    effects = consent_withdrawal_effects(consent=_consent(world.child_a1, world.users.county, purpose))
    assert effects.stops == []
    assert "Prezent nu verifică automat acest consimțământ: nicio funcție nu se oprește singură." in effects.stays


@pytest.mark.django_db
def test_a_programme_record_on_another_legal_basis_stops_nothing(world):
    consent = _consent(
        world.child_a1, world.users.county, Consent.Purpose.PROGRAMME, legal_basis=Consent.LegalBasis.PUBLIC_TASK
    )
    assert consent_withdrawal_effects(consent=consent).stops == []
