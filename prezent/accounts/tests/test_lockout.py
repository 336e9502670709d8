"""The login lock-out (django-axes, settings AXES_*): a name from one address after the limit of failures, for the
cool-off; never a name from everywhere (a stranger could lock a teacher out) nor an address alone (one proxy or one
school's shared address would lock everyone out). The test settings' limit is 3."""

import datetime

import time_machine
from django.urls import reverse

from prezent.accounts.tests.factories import UserFactory
from prezent.core.testing import TEST_NOW

PASSWORD = "parola-test-123"


def _login(client, username, password, *, ip, agent="Firefox"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent
    )


def _signed_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_a_name_is_locked_from_the_address_the_guesses_came_from_not_from_elsewhere(client, db):
    UserFactory(username="ana")
    for _ in range(3):
        _login(client, "ana", "greșită", ip="203.0.113.1")
    response = _login(client, "ana", PASSWORD, ip="203.0.113.1")
    assert "blocat" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _signed_in(_login(client, "ana", PASSWORD, ip="198.51.100.7"), client)  # the real Ana, at school


def test_the_name_opens_again_after_the_cool_off(client, db, settings):
    UserFactory(username="ana")
    for _ in range(3):
        _login(client, "ana", "greșită", ip="203.0.113.1")
    assert "blocat" in _login(client, "ana", PASSWORD, ip="203.0.113.1").content.decode()
    later = TEST_NOW + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        assert _signed_in(_login(client, "ana", PASSWORD, ip="203.0.113.1"), client)


def test_one_shared_address_does_not_lock_out_everyone(client, db, settings):
    """Behind a proxy left out of PREZENT_TRUSTED_PROXIES every request has its address: one person's failures lock
    their own name, not their colleagues'."""
    UserFactory(username="ana")
    UserFactory(username="dan")
    for _ in range(4):
        _login(client, "ana", "greșită", ip="10.0.0.1", agent="Firefox")
    assert _signed_in(_login(client, "dan", PASSWORD, ip="10.0.0.1", agent="Chrome"), client)


def test_one_address_trying_many_names_locks_each_name_there_not_the_others(client, db):
    UserFactory(username="dan")
    for name in ("ana", "bogdan", "carmen"):
        _login(client, name, "greșită", ip="203.0.113.9", agent="curl/8")
    assert _signed_in(_login(client, "dan", PASSWORD, ip="203.0.113.9", agent="curl/8"), client)


def test_a_successful_login_clears_the_failures(client, db):
    UserFactory(username="ana")
    for _ in range(2):
        _login(client, "ana", "greșită", ip="203.0.113.1")
    assert _signed_in(_login(client, "ana", PASSWORD, ip="203.0.113.1"), client)
    client.post(reverse("logout"))
    for _ in range(2):
        _login(client, "ana", "greșită", ip="203.0.113.1")
    assert _signed_in(_login(client, "ana", PASSWORD, ip="203.0.113.1"), client)
