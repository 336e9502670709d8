"""An administrator resets a person's second factor (a lost phone, no recovery code left) on Prezent's page,
audited; django-otp's own admin pages are not there to do it unaudited."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prezent.accounts.tests.factories import UserFactory
from prezent.accounts.twofactor.selectors import people_for_two_factor_reset
from prezent.accounts.twofactor.services import totp_device_confirm, totp_device_start, two_factor_reset
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_NOW


def _confirmed(user) -> TOTPDevice:
    device = totp_device_start(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert totp_device_confirm(user=user, device=device, token=code) is not None
    return device


def test_django_otp_admin_pages_are_not_registered():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_the_administrator_finds_the_person_and_resets_with_an_audit(client, world, settings):
    teacher = world.users.teacher
    _confirmed(teacher)
    client.force_login(world.users.admin)
    page = client.get(reverse("two_factor_reset_list"), {"q": teacher.username}).content.decode()
    url = reverse("two_factor_reset", kwargs={"user_id": teacher.pk})
    assert url in page
    assert "Resetează autentificarea în doi pași" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_reset_list")
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticDevice.objects.filter(user=teacher).exists()
    event = AuditEvent.objects.get(action="user.2fa_reset")
    assert event.actor_id == world.users.admin.pk and event.target_id == str(teacher.pk)
    assert event.details == {"app_devices": 1, "recovery_devices": 1}
    assert abs((event.at - TEST_NOW).total_seconds()) < 60
    # the teacher's next sign-in leads to the set-up again
    settings.PREZENT_2FA = True
    client.logout()
    client.post(reverse("login"), {"username": "teacher", "password": "parola-test-123"})
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


def test_a_verified_session_of_the_person_loses_its_verification(client, world, settings):
    settings.PREZENT_2FA = True
    teacher = world.users.teacher
    device = _confirmed(teacher)
    client.force_login(teacher)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(reverse("home")).status_code == 200
    two_factor_reset(actor=world.users.admin, person=teacher)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("who", ["county", "teacher", "me_viewer", "norole"])
def test_only_the_administrator_role_resets(world, who):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        two_factor_reset(actor=getattr(world.users, who), person=person)


def test_an_administrator_does_not_reset_their_own(client, world):
    admin_user = world.users.admin
    with pytest.raises(PermissionDenied):
        two_factor_reset(actor=admin_user, person=admin_user)
    client.force_login(admin_user)
    assert client.get(reverse("two_factor_reset", kwargs={"user_id": admin_user.pk})).status_code == 404
    page = client.get(reverse("two_factor_reset_list"), {"q": "admin"}).content.decode()
    assert reverse("two_factor_reset", kwargs={"user_id": admin_user.pk}) not in page


def test_the_user_name_typed_in_full_comes_first_and_more_than_the_page_is_said(client, world):
    from prezent.accounts.tests.factories import UserFactory

    for n in range(21):
        UserFactory(username=f"teacher.{n:02d}", last_name="Albu")  # sorted before the teacher's own name
    client.force_login(world.users.admin)
    page = client.get(reverse("two_factor_reset_list"), {"q": "teacher"}).content.decode()
    assert "<td>teacher</td>" in page
    assert "Sunt afișate primele 20 de persoane găsite" in page
    assert "nimic de resetat" in page  # the new accounts have no app: nothing to reset, no link


def test_the_search_is_one_query(client, world, django_assert_num_queries):
    for _ in range(5):
        _confirmed(UserFactory(email="cadru@scoala.ro"))
    with django_assert_num_queries(1):
        people = people_for_two_factor_reset(query="cadru@")
        assert len(people) == 5 and all(person.has_app for person in people)
    assert people_for_two_factor_reset(query="ca") == []
