"""Accepting an invitation where two-factor sign-in is required: the new password leads straight into setting up
the authenticator, in the same browser, before any page with children; the link serves once and not after it
expired."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.models import Role
from prezent.accounts.services import invitation_send
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_NOW

LINK = re.compile(r"https?://[^/\s]+(/parola/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "Prezenta-la-ore-9"


@pytest.fixture
def two_factor(settings):
    settings.PREZENT_2FA = True
    return settings


def _invited(mailoutbox, role: str = Role.CASE_WORKER):
    user = UserFactory(username="ion@example.ro", email="ion@example.ro")
    user.set_unusable_password()
    user.save()
    assign(user, role, county="IS")
    invitation_send(user=user, actor=None, base_url="http://testserver")
    return user, LINK.search(mailoutbox[-1].body).group(1)


def _accept(client, link: str):
    form_url = client.get(link)["Location"]
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_new_password_leads_straight_into_the_set_up(client, db, mailoutbox, two_factor):
    user, link = _invited(mailoutbox)
    done = _accept(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("two_factor_setup")
    # signed in with the password alone: every page with children waits for the device
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("children:list"))["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(done["Location"]).content.decode()
    assert "<svg" in page and reverse("children:list") not in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    codes = client.post(reverse("two_factor_setup"), {"token": code, "next": "/"})
    assert codes.status_code == 200 and codes.content.decode().count("<li><code>") == 10
    assert client.get(reverse("children:list")).status_code == 200
    actions = list(AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", flat=True))
    assert "user.password_changed" in actions and "user.2fa_confirmed" in actions


def test_the_used_link_cannot_set_up_a_second_device(client, db, mailoutbox, two_factor):
    _user, link = _invited(mailoutbox)
    _accept(client, link)
    client.post(reverse("logout"))
    again = client.get(link, follow=True)
    assert "nu mai este valabilă" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("login"))


def test_an_expired_link_never_reaches_the_set_up(client, db, mailoutbox, two_factor, settings):
    user, link = _invited(mailoutbox)
    later = TEST_NOW + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        page = client.get(link, follow=True)
        assert "nu mai este valabilă" in page.content.decode()
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("login"))
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_who_is_not_asked_for_a_second_factor_signs_in_as_before(client, db, mailoutbox, two_factor):
    _user, link = _invited(mailoutbox, role=Role.ME_VIEWER)
    done = _accept(client, link)
    assert done["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session


def test_a_reset_of_someone_with_a_device_does_not_open_a_session(client, db, mailoutbox, two_factor):
    user = UserFactory(email="ana@example.ro")
    assign(user, Role.CASE_WORKER, county="IS")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("password_reset"), {"email": "ana@example.ro"})
    done = _accept(client, LINK.search(mailoutbox[-1].body).group(1))
    assert done["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session
