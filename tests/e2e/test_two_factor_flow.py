"""Two-factor sign-in in a real browser, as in production (PREZENT_2FA on): a county coordinator signs in, sets up
the authenticator app from the key on the page, keeps the recovery codes and reaches the home page; the next
sign-in asks for a code; a recovery code also opens the session, once. A new member of staff who accepts their
invitation goes from the new password straight to the set-up, and the link then no longer works."""

import datetime
import shutil
from base64 import b32decode

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from prezent.accounts.services import invitation_link
from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.core.testing import TEST_NOW

from .conftest import PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "Coordonare-Iasi-2026"


def _code(secret: str) -> str:
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


@pytest.fixture
def coordinator(settings, transactional_db):
    settings.PREZENT_2FA = True
    user = UserFactory(username="coordonator", first_name="Elena", last_name="Vasilescu", password=PASSWORD)
    assign(user, Role.COUNTY_COORDINATOR, county="IS")
    return user


def _keep(path, name: str) -> None:
    shutil.copy(path, f"/tmp/otp-{name}.png")  # noqa: S108 - for a person to look at


def _sign_out(page) -> None:
    page.get_by_role("button", name="Ieșire").click()
    page.wait_for_url("**/autentificare/")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_coordinator_sets_up_the_app_and_reaches_home(page, live_server, coordinator, screenshot):
    login(page, live_server, "coordonator", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurați verificarea în doi pași")
    expect(page.locator(".qr svg")).to_be_visible()
    _keep(screenshot("1-setup"), "setup")

    page.goto(f"{live_server.url}/copii/")  # nothing else opens before the second step
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurați verificarea în doi pași")

    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_token", "000000")
    page.get_by_role("button", name="Confirmă").click()
    expect(page.get_by_role("alert")).to_contain_text("nu este corect")
    page.wait_for_timeout(2_100)  # after a wrong code the device waits a second before it checks another
    page.fill("#id_token", _code(secret))
    page.get_by_role("button", name="Confirmă").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codurile de rezervă")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    _keep(screenshot("2-codes"), "codes")
    page.get_by_role("link", name="Am notat codurile, continuă").click()
    page.wait_for_url(f"{live_server.url}/copii/")
    page.get_by_role("link", name="Acasă").first.click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Doi pași")).to_be_visible()
    _keep(screenshot("3-home"), "home")

    # the next sign-in, a minute later (a code serves once): the app's code
    _sign_out(page)
    with time_machine.travel(TEST_NOW + datetime.timedelta(minutes=1), tick=True):
        login(page, live_server, "coordonator", PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Verificare în doi pași")
        _keep(screenshot("4-verify"), "verify")
        page.fill("#id_token", _code(secret))
        page.get_by_role("button", name="Verifică").click()
        page.wait_for_url(f"{live_server.url}/")

    # and once with a recovery code, which then no longer works
    _sign_out(page)
    login(page, live_server, "coordonator", PASSWORD)
    page.fill("#id_token", codes[0])
    page.get_by_role("button", name="Verifică").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Doi pași").click()
    expect(page.get_by_text("Vă mai rămân 9 coduri de rezervă.")).to_be_visible()
    _keep(screenshot("5-manage"), "manage")


def test_an_invitation_leads_from_the_new_password_to_the_set_up(page, live_server, settings, transactional_db):
    settings.PREZENT_2FA = True
    person = UserFactory(username="asistent@example.ro", email="asistent@example.ro")
    person.set_unusable_password()
    person.save()
    assign(person, Role.CASE_WORKER, county="IS")
    link = invitation_link(user=person, base_url=live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alegeți parola")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Salvează parola").click()
    # no second sign-in: the set-up at once, and nothing else opens before it is done
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurați verificarea în doi pași")
    page.goto(f"{live_server.url}/copii/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurați verificarea în doi pași")
    page.fill("#id_token", _code(page.locator("#otp-secret").inner_text()))
    page.get_by_role("button", name="Confirmă").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codurile de rezervă")
    page.get_by_role("link", name="Am notat codurile, continuă").click()
    expect(page.get_by_role("link", name="Doi pași")).to_be_visible()
    # the link served once
    _sign_out(page)
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("nu mai este valabilă")
