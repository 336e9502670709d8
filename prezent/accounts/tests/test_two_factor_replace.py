"""A new phone: the current code (or a recovery code) first, then the new key; the old device goes only when the
new one is confirmed, new recovery codes are shown once, and it is audited."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.twofactor.services import totp_device_confirm, totp_device_start
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_NOW

URL = "two_factor_replace"


@pytest.fixture
def signed_in(client, world, settings):
    """The county coordinator, signed in and verified with their current phone."""
    settings.PREZENT_2FA = True
    user = world.users.county
    device = totp_device_start(user=user)
    assert totp_device_confirm(user=user, device=device, token=_code(device)) is not None
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return user, device


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _at(seconds: int):
    return time_machine.travel(TEST_NOW + datetime.timedelta(seconds=seconds), tick=False)


def test_a_new_phone_replaces_the_old_once_confirmed(client, signed_in):
    user, old = signed_in
    old_codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert reverse(URL) in client.get(reverse("two_factor_manage")).content.decode()
    with _at(60):
        page = client.get(reverse(URL)).content.decode()
        assert "<svg" not in page and "telefonul de acum" in page
        wrong = client.post(reverse(URL), {"token": "000000"})
        assert "nu este corect" in wrong.content.decode()
    with _at(120):
        assert client.post(reverse(URL), {"token": _code(old)})["Location"] == reverse(URL)
        scan = client.get(reverse(URL)).content.decode()
        assert "<svg" in scan and 'id="otp-secret"' in scan
        new = TOTPDevice.objects.get(user=user, confirmed=False)
        # until the new phone's first code, the old device is the one that signs in
        assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]
        refused = client.post(reverse(URL), {"token": "111111"})
        assert refused.status_code == 200 and TOTPDevice.objects.filter(pk=old.pk).exists()
    with _at(150):
        done = client.post(reverse(URL), {"token": _code(new)})
        body = done.content.decode()
        codes = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body))
        assert len(codes) == 10 and not codes & old_codes
        assert list(TOTPDevice.objects.filter(user=user)) == [new]
        new.refresh_from_db()
        assert new.confirmed
        # this session stays verified, now by the new device
        assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="user.2fa_replaced")
    assert event.actor_id == user.pk and event.target_id == str(user.pk)
    assert event.details == {"device_id": new.pk, "removed_device_ids": [old.pk], "recovery_codes": 10}
    assert new.key not in str(event.details)
    assert AuditEvent.objects.filter(action="user.2fa_failed").count() == 1  # the wrong current code


def test_a_recovery_code_opens_the_step_too(client, signed_in):
    user, _old = signed_in
    code = StaticToken.objects.filter(device__user=user).first().token
    assert client.post(reverse(URL), {"token": code})["Location"] == reverse(URL)
    assert "<svg" in client.get(reverse(URL)).content.decode()
    assert AuditEvent.objects.get(action="user.2fa_recovery_used").details == {"left": 9}


def test_without_the_current_code_no_new_key_is_shown(client, signed_in):
    user, old = signed_in
    with _at(60):
        # a code of another device posted straight away is checked against the current phone, and refused
        stranger = TOTPDevice(user=user, key="3132333435363738393031323334353637383930")
        response = client.post(reverse(URL), {"token": _code(stranger)})
        assert "<svg" not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert list(TOTPDevice.objects.filter(user=user)) == [old]


def test_the_step_lapses_after_ten_minutes(client, signed_in):
    _user, old = signed_in
    with _at(60):
        client.post(reverse(URL), {"token": _code(old)})
    with _at(60 + 11 * 60):
        page = client.get(reverse(URL)).content.decode()
        assert "<svg" not in page and "telefonul de acum" in page
