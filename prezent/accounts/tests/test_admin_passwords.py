"""The Django admin never sets a person's password, not even a superuser's own: the person chooses it on Prezent's
pages, and the admin sends the invitation instead."""

import pytest
from django.contrib.auth import get_user_model

from prezent.accounts.tests.factories import UserFactory
from prezent.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ROOT_PASSWORD = "o-parola-lunga-2026!"


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@example.ro", ROOT_PASSWORD)
    client.force_login(user)
    return user


def test_the_admin_password_page_is_refused_for_another_person_and_for_oneself(client, root):
    person = UserFactory()
    old_hash = person.password
    for target in (person, root):
        url = f"/admin/accounts/user/{target.pk}/password/"
        assert client.get(url).status_code == 403
        data = {"password1": "Alta-parola-lunga-1", "password2": "Alta-parola-lunga-1", "usable_password": "true"}
        assert client.post(url, data).status_code == 403
    person.refresh_from_db()
    root.refresh_from_db()
    assert person.password == old_hash and root.check_password(ROOT_PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_the_change_form_shows_no_password_link_and_cannot_write_the_hash(client, root):
    person = UserFactory(username="ana")
    old_hash = person.password
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200 and "../password/" not in body and 'name="password"' not in body
    data = {
        "username": "ana",
        "password": "pbkdf2_sha256$1$x$y",
        "first_name": "Ana",
        "last_name": "Pop",
        "email": "ana@example.ro",
        "is_active": "on",
        "language": "ro",
        "date_joined_0": "2026-11-01",
        "date_joined_1": "10:00:00",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
    }
    saved = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    person.refresh_from_db()
    assert person.password == old_hash and person.email == "ana@example.ro"


def test_a_new_account_in_the_admin_has_no_password(client, root):
    page = client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="password1"' not in page
    data = {
        "username": "ion",
        "email": "ion@example.ro",
        "password1": "Parola-a-ion-2026",
        "password2": "Parola-a-ion-2026",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 302
    ion = get_user_model().objects.get(username="ion")
    assert not ion.has_usable_password()


def test_the_admin_sends_the_invitation_instead(client, root, mailoutbox):
    invited = UserFactory(email="nou@example.ro")
    invited.set_unusable_password()
    invited.save()
    has_password = UserFactory(email="vechi@example.ro")
    data = {"action": "send_invitation", "_selected_action": [invited.pk, has_password.pk]}
    response = client.post("/admin/accounts/user/", data)
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["nou@example.ro"]]
    event = AuditEvent.objects.get(action="user.invite")
    assert event.actor_id == root.pk and event.target_id == str(invited.pk)
