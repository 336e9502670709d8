"""Two-factor sign-in (prezent/accounts/twofactor/): required with PREZENT_2FA of the roles that see children and
of administrators; set up with a QR code and a first code; then a code, or a recovery code once, at each sign-in."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.tests.factories import UserFactory
from prezent.accounts.twofactor.permissions import two_factor_required
from prezent.accounts.twofactor.services import totp_device_confirm, totp_device_start
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_NOW

PASSWORD = "parola-test-123"


@pytest.fixture
def two_factor(settings):
    settings.PREZENT_2FA = True
    return settings


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _device(user) -> TOTPDevice:
    device = totp_device_start(user=user)
    codes = totp_device_confirm(user=user, device=device, token=_code(device))
    assert codes is not None
    return device


def _later(seconds: int):
    """A moment when the next time step's code is valid (a code is accepted once) and any throttle has passed."""
    return time_machine.travel(TEST_NOW + datetime.timedelta(seconds=seconds), tick=False)


def test_required_of_the_roles_that_see_children_and_of_administrators_only(world, two_factor):
    users = world.users
    required = {name for name, user in vars(users).items() if two_factor_required(user)}
    # `admin` holds the administrator role (no child) but is staff: the Django admin reaches every account.
    assert required == {"county", "caseworker", "school_coord", "teacher", "mediator", "admin"}
    superuser = UserFactory(is_superuser=True)
    assert two_factor_required(superuser)


def test_not_required_when_the_setting_is_off(client, world):
    assert not two_factor_required(world.users.teacher)
    response = _sign_in(client, "teacher")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_role_without_children_is_not_asked(client, world, two_factor):
    _sign_in(client, "me_viewer")
    assert client.get(reverse("home")).status_code == 200


def test_first_sign_in_sets_up_the_app_then_shows_the_recovery_codes_once(client, world, two_factor):
    teacher = world.users.teacher
    _sign_in(client, "teacher")
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("children:list")).status_code == 302  # every page waits for the second step
    page = client.get(home["Location"])
    body = page.content.decode()
    assert "<svg" in body and "Configurați verificarea în doi pași" in body
    assert reverse("children:list") not in body and reverse("password_change") not in body  # no menu yet
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body).group(1)
    device = TOTPDevice.objects.get(user=teacher, confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    assert client.get(reverse("two_factor_setup")).content.decode().count(secret) == 1  # the same key on reload

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/copii/"})
    assert "nu este corect" in wrong.content.decode()
    with _later(60):
        done = client.post(reverse("two_factor_setup"), {"token": _code(device), "next": "/copii/"})
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
        assert len(codes) == 10
        assert set(codes) == set(StaticToken.objects.filter(device__user=teacher).values_list("token", flat=True))
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("two_factor_setup"))["Location"] == reverse("two_factor_manage")
    event = AuditEvent.objects.get(action="user.2fa_confirmed")
    assert event.target_id == str(teacher.pk) and set(event.details) == {"device_id"}
    assert device.key not in str(event.details) and not any(code in str(event.details) for code in codes)


def test_later_sign_ins_ask_for_the_code_and_then_open_the_page(client, world, two_factor):
    device = _device(world.users.county)
    _sign_in(client, "county")
    response = client.get(reverse("children:list"))
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fcopii%2F"
    with _later(60):
        done = client.post(reverse("two_factor_verify"), {"token": _code(device), "next": "/copii/"})
        assert done["Location"] == "/copii/"
        assert client.get(reverse("children:list")).status_code == 200


def test_a_wrong_code_is_refused_and_the_device_then_waits(client, world, two_factor):
    device = _device(world.users.county)
    _sign_in(client, "county")
    with _later(60):
        wrong = client.post(reverse("two_factor_verify"), {"token": "123456"})
        assert "nu este corect" in wrong.content.decode()
        # django-otp's throttling: right after a wrong code even the right one is refused
        throttled = client.post(reverse("two_factor_verify"), {"token": _code(device)})
        assert throttled.status_code == 200
        assert "Prea multe coduri greșite: așteptați" in throttled.content.decode()  # told to wait, not "wrong"
        assert client.get(reverse("home")).status_code == 302
    with _later(70):
        assert client.post(reverse("two_factor_verify"), {"token": _code(device)}).status_code == 302
        assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.2fa_failed").count() == 2


def test_a_recovery_code_works_once(client, world, two_factor):
    user = world.users.mediator
    _device(user)
    code = StaticToken.objects.filter(device__user=user).first().token
    _sign_in(client, "mediator")
    assert client.post(reverse("two_factor_verify"), {"token": code.upper()})["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.get(action="user.2fa_recovery_used").details == {"left": 9}
    client.post(reverse("logout"))
    _sign_in(client, "mediator")
    with _later(60):
        again = client.post(reverse("two_factor_verify"), {"token": code})
        assert again.status_code == 200 and "nu este corect" in again.content.decode()
        assert client.get(reverse("home")).status_code == 302


def test_the_open_pages_stay_open_before_the_second_step(client, world, two_factor):
    _sign_in(client, "teacher")
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "ro"}).status_code == 302
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert client.get(reverse("two_factor_manage")).status_code == 302
    assert client.get(reverse("password_change")).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_sent_to_the_second_step(client, world, two_factor):
    _sign_in(client, "teacher")
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("two_factor_setup"))


def test_new_recovery_codes_need_the_password_and_void_the_old_ones(client, world, two_factor):
    user = world.users.school_coord
    device = _device(user)
    old = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    _sign_in(client, "school_coord")
    with _later(60):
        client.post(reverse("two_factor_verify"), {"token": _code(device)})
    page = client.get(reverse("two_factor_manage")).content.decode()
    assert "Vă mai rămân 10 coduri de rezervă" in page
    refused = client.post(reverse("two_factor_manage"), {"password": "greșită"})
    assert "Parola nu este corectă" in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == old
    done = client.post(reverse("two_factor_manage"), {"password": PASSWORD})
    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == new
    assert AuditEvent.objects.get(action="user.2fa_recovery_codes").details == {"count": 10}


def test_the_user_menu_links_the_password_and_the_second_step(client, world, two_factor):
    client.force_login(world.users.me_viewer)
    body = client.get(reverse("home")).content.decode()
    assert reverse("password_change") in body and reverse("two_factor_manage") in body
