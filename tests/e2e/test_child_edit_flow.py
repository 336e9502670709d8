"""A school coordinator, in a browser, corrects a child's details (a wrong CNP is refused and what was typed stays)
and withdraws a parent's consent to be contacted, after the page has said what stops; the record then shows the
consent withdrawn, with the date and who recorded it."""

import datetime
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from prezent.accounts.models import User
from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.children.cnp import cnp_make
from prezent.children.models import Child, Consent, Guardianship
from prezent.children.tests.factories import GuardianFactory, enrol
from prezent.schools.tests.factories import ClassGroupFactory

from .conftest import DESKTOP, PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"
BIRTH = datetime.date(2016, 5, 17)


@dataclass
class Family:
    coordinator: User
    child: Child
    consent: Consent


@pytest.fixture
def family(transactional_db) -> Family:
    coordinator = UserFactory(username="coordonator", first_name="Ioana", last_name="Manole")
    group = ClassGroupFactory(grade=3, letter="B")
    assign(coordinator, Role.SCHOOL_COORDINATOR, schools=[group.school])
    cnp = cnp_make(sex="M", birth_date=BIRTH, county=22, serial=41)
    child = enrol(group, 1, first_name="Ionuț", last_name="Rusu", sex="M", birth_date=BIRTH, cnp=cnp)[0]
    mother = GuardianFactory(household=child.household, first_name="Elena", last_name="Rusu", phone="0722000111")
    Guardianship.objects.create(child=child, guardian=mother, relationship="mother", is_primary_contact=True)
    consents = [
        Consent.objects.create(
            child=child,
            guardian=mother,
            purpose=purpose,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=datetime.date(2026, 9, 14),
            recorded_by=coordinator,
        )
        for purpose in (Consent.Purpose.PROGRAMME, Consent.Purpose.CONTACT)
    ]
    return Family(coordinator=coordinator, child=child, consent=consents[1])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_coordinator_corrects_a_childs_details_and_withdraws_a_consent(page, live_server, family, screenshot):
    child = family.child
    login(page, live_server, "coordonator", PASSWORD)
    page.goto(f"{live_server.url}{child.get_absolute_url()}")

    # The record links to the details page; the CNP is shown masked there too, never in clear.
    page.get_by_role("link", name="Modifică datele copilului").click()
    expect(page.get_by_role("heading", name="Datele copilului")).to_be_visible()
    expect(page.get_by_text(child.masked_cnp)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(child.cnp)
    screenshot("1-edit")

    # A wrong CNP is refused with a Romanian message; what was typed stays, nothing changes.
    page.get_by_label("Prenume").fill("Ionuț-Andrei")
    page.get_by_label("CNP nou").fill("1234567890123")
    page.get_by_label("Motivul corectării").select_option("documents")  # every correction says why
    page.get_by_role("button", name="Salvează").click()
    expect(page.get_by_text("CNP-ul nu este valid (13 cifre, cu cifra de control corectă).")).to_be_visible()
    expect(page.get_by_label("Prenume")).to_have_value("Ionuț-Andrei")
    expect(page.get_by_label("CNP nou")).to_have_value("1234567890123")
    expect(page.get_by_label("Motivul corectării")).to_have_value("documents")
    screenshot("2-edit-refused")
    child.refresh_from_db()
    assert child.first_name == "Ionuț"

    # Without the CNP the correction is saved and the record shows the new name.
    page.get_by_label("CNP nou").fill("")
    page.get_by_role("button", name="Salvează").click()
    expect(page.get_by_text("Datele copilului au fost salvate.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rusu Ionuț-Andrei")

    # Withdrawing the contact consent: the page says what stops before anything is confirmed.
    consents = page.get_by_test_id("consents")
    consents.get_by_role("link", name="Retrage consimțământul: contact prin SMS / e-mail").click()
    expect(page.get_by_role("heading", name="Retragerea consimțământului")).to_be_visible()
    expect(page.get_by_test_id("withdrawal-stops")).to_contain_text(
        "SMS-urile și e-mailurile despre absențe către Rusu Elena nu se mai trimit"
    )
    expect(page.get_by_test_id("withdrawal-stays")).to_contain_text("scrisoarea tipărită")
    expect(page.get_by_label("Data retragerii")).to_have_value("2026-11-29")
    screenshot("3-withdraw")
    page.get_by_role("button", name="Confirm retragerea").click()

    expect(page.get_by_text("Consimțământul a fost retras.")).to_be_visible()
    withdrawn = page.get_by_test_id("consents").get_by_role("listitem").filter(has_text="contact prin SMS / e-mail")
    expect(withdrawn).to_contain_text("retras la 29.11.2026")
    expect(withdrawn).to_contain_text("înregistrat de Ioana Manole")
    expect(withdrawn.get_by_role("link", name="Retrage")).to_have_count(0)
    screenshot("4-record")
    family.consent.refresh_from_db()
    assert (family.consent.withdrawn_on, family.consent.withdrawn_by) == (
        datetime.date(2026, 11, 29),
        family.coordinator,
    )
