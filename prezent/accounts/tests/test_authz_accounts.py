"""The authorization matrix of the forgotten-password pages (found on disk by
prezent/reports/tests/test_authorization.py): pages for anyone, signed in or not, like the login page."""

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
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_accounts_authorization_matrix(client, world, name, method, target, role, mailoutbox):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    kwargs = {"uidb64": "MQ", "token": "nu-e-bun"} if target == "bad_token" else {}
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if method == "GET" else client.post(url, {"email": "nimeni@example.ro"})
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
    assert mailoutbox == []
