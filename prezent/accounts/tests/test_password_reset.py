"""'Am uitat parola' and the invitation: a set-password link by e-mail, then the person signs in."""

import re

from django.urls import reverse

from prezent.accounts.services import invitation_send
from prezent.accounts.tests.factories import UserFactory

LINK = re.compile(r"https?://[^/\s]+(/parola/[^/\s]+/[^/\s]+/)")


def _link(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def test_the_login_page_links_to_the_reset(client, db):
    body = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in body and "Am uitat parola" in body


def test_reset_answers_the_same_whether_or_not_the_address_exists(client, db, mailoutbox):
    UserFactory(email="ana@example.ro")
    known = client.post(reverse("password_reset"), {"email": "ana@example.ro"})
    unknown = client.post(reverse("password_reset"), {"email": "nimeni@example.ro"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.ro"]
    assert "parolă nouă" in mailoutbox[0].subject


def test_reset_sets_a_new_password_and_the_person_signs_in(client, db, mailoutbox):
    user = UserFactory(username="ana", email="ana@example.ro")
    client.post(reverse("password_reset"), {"email": "ANA@example.ro"})
    link = _link(mailoutbox[0].body)
    response = client.get(link)
    assert response.status_code == 302  # Django hides the token behind a set-password address
    form_url = response["Location"]
    page = client.get(form_url)
    assert "Alegeți parola" in page.content.decode()
    done = client.post(form_url, {"new_password1": "Condica-2026!", "new_password2": "Condica-2026!"})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Condica-2026!")
    signed_in = client.post(reverse("login"), {"username": "ana", "password": "Condica-2026!"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    # the link served once
    client.post(reverse("logout"))
    assert "nu mai este valabilă" in client.get(link, follow=True).content.decode()


def test_an_invitation_link_sets_the_first_password(client, db, mailoutbox):
    user = UserFactory(username="ion@example.ro", email="ion@example.ro", password=None)
    user.set_unusable_password()
    user.save()
    invitation_send(user=user, actor=None, base_url="http://testserver")
    assert user.invitation_pending
    message = mailoutbox[0]
    assert "Invitație" in message.subject and "ion@example.ro" in message.body and "7 zile" in message.body
    form_url = client.get(_link(message.body))["Location"]
    client.post(form_url, {"new_password1": "Prezenta-la-ore-9", "new_password2": "Prezenta-la-ore-9"})
    user.refresh_from_db()
    assert not user.invitation_pending
    response = client.post(reverse("login"), {"username": "ion@example.ro", "password": "Prezenta-la-ore-9"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_person_who_never_accepted_may_use_the_reset(client, db, mailoutbox):
    user = UserFactory(email="dan@example.ro")
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": "dan@example.ro"})
    assert len(mailoutbox) == 1
