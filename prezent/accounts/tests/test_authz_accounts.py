"""The authorization matrix of the password and two-factor pages (found on disk by
prezent/reports/tests/test_authorization.py): the forgotten-password pages for anyone, signed in or not, like the
login page; changing one's password and the second factor for anyone signed in (the test settings have
PREZENT_2FA off: without a device the code page leads to the set-up page)."""

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                           anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("password_reset", "GET", ""): _row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_reset", "POST", ""): _row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("password_reset_done", "GET", ""): _row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_reset_confirm", "GET", "bad_token"): _row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_reset_complete", "GET", ""): _row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_change", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_change_done", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("two_factor_verify", "GET", ""): _row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("two_factor_setup", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("two_factor_manage", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A new phone: anyone signed in who has an authenticator (nobody here: each is sent to the set-up).
    ("two_factor_replace", "GET", ""): _row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # Resetting another person's second factor: the administrator role alone (the person here: the teacher).
    ("two_factor_reset_list", "GET", ""): _row(302, 404, 404, 404, 404, 404, 404, 404, 200, 404),
    ("two_factor_reset", "GET", "person"): _row(302, 404, 404, 404, 404, 404, 404, 404, 200, 404),
    ("two_factor_reset", "POST", "person"): _row(302, 404, 404, 404, 404, 404, 404, 404, 302, 404),
}
# With PREZENT_2FA on, before the second step: the roles that see children and the administrator (staff) are sent
# to the set-up page; the trainer, the M&E viewer and a person without a role are not asked.
HOME_BEFORE_THE_SECOND_STEP = _row(302, 302, 302, 302, 302, 302, 200, 200, 302, 200)


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_accounts_authorization_matrix(client, world, name, method, target, role, mailoutbox):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    kwargs: dict = {"uidb64": "MQ", "token": "nu-e-bun"} if target == "bad_token" else {}
    if target == "person":
        kwargs = {"user_id": world.users.teacher.pk}
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if method == "GET" else client.post(url, {"email": "nimeni@example.ro"})
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
    assert mailoutbox == []


@pytest.mark.parametrize("role", ROLES)
def test_with_two_factor_on_who_is_stopped_before_the_home_page(client, world, role, settings):
    settings.PREZENT_2FA = True
    if role != "anon":
        client.force_login(getattr(world.users, role))
    response = client.get(reverse("home"))
    assert response.status_code == HOME_BEFORE_THE_SECOND_STEP[role], role
    if response.status_code == 302 and role != "anon":
        assert response["Location"].startswith(reverse("two_factor_setup"))
