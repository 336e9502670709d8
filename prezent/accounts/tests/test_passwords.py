"""Passwords: the production validators (12 characters, not common, never the demo's), "Schimbă parola", and the
audit of every new password. The demo and development keep the demo's password."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.accounts.passwords import DEMO_PASSWORD
from prezent.accounts.tests.factories import UserFactory
from prezent.core.models import AuditEvent

PASSWORD = "parola-test-123"
PRODUCTION = Path(django_settings.BASE_DIR) / "config" / "settings" / "production.py"


@pytest.fixture
def production_settings(monkeypatch) -> dict:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "production-key-for-the-test")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "prezent.example.ro")
    monkeypatch.setenv("PREZENT_PSEUDONYM_KEY", "pseudonym-key-for-the-test")
    monkeypatch.delenv("PREZENT_2FA", raising=False)
    return runpy.run_path(str(PRODUCTION))


@pytest.fixture
def production_validators(production_settings, settings):
    settings.AUTH_PASSWORD_VALIDATORS = production_settings["AUTH_PASSWORD_VALIDATORS"]
    password_validation.get_default_password_validators.cache_clear()
    yield
    password_validation.get_default_password_validators.cache_clear()


def test_production_requires_two_factor_sign_in_and_keeps_the_throttling(production_settings):
    assert production_settings["PREZENT_2FA"] is True
    assert production_settings["OTP_TOTP_THROTTLE_FACTOR"] >= 1
    assert production_settings["OTP_STATIC_THROTTLE_FACTOR"] >= 1


def test_the_demo_and_the_tests_do_not_require_it(settings):
    assert settings.PREZENT_2FA is False


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, "Prezent-Demo", "PREZENT_DEMO_2026", "noua-prezentdemo!", "Scurta-1", "password1234"],
)
def test_production_refuses_the_demo_password_short_and_common_ones(production_validators, db, password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, UserFactory.build(username="ana"))


def test_production_accepts_a_long_uncommon_password(production_validators, db):
    password_validation.validate_password("Condica-de-la-Bacesti-9", UserFactory.build(username="ana"))


def test_the_demo_password_is_named_in_the_refusal(production_validators, db):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(DEMO_PASSWORD)
    assert "demonstrației" in " ".join(refused.value.messages)


def test_development_and_the_demo_keep_the_demo_password(db):
    password_validation.validate_password(DEMO_PASSWORD)


def test_change_password_keeps_the_session_and_is_audited(client, db):
    user = UserFactory(username="ana")
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert "Schimbă parola" in page and "Parola actuală" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Condica-2026-noua", "new_password2": "Condica-2026-noua"},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Condica-2026-noua")
    assert client.get(reverse("home")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.details == {"how": "change"} and event.actor_id == user.pk


def test_change_password_refuses_a_wrong_old_password(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "greșită", "new_password1": "Condica-2026-noua", "new_password2": "Condica-2026-noua"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_in_production_the_demo_password_cannot_be_chosen(client, db, production_validators):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD},
    )
    assert response.status_code == 200 and "demonstrației" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_by_e_mail_is_audited_and_leads_to_the_second_step(client, db, mailoutbox, settings):
    settings.PREZENT_2FA = True
    user = UserFactory(username="ana", email="ana@example.ro", is_staff=True)
    client.post(reverse("password_reset"), {"email": "ana@example.ro"})
    link = re.search(r"https?://[^/\s]+(/parola/[^/\s]+/[^/\s]+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(form_url, {"new_password1": "Condica-2026-noua", "new_password2": "Condica-2026-noua"})
    # no authenticator yet: signed in with the new password and led straight to the set-up
    assert done["Location"] == reverse("two_factor_setup")
    assert AuditEvent.objects.get(action="user.password_changed").details == {"how": "reset"}
    user.refresh_from_db()
    assert user.check_password("Condica-2026-noua")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "ana", "password": "Condica-2026-noua"})
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
