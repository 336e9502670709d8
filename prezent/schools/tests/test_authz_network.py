"""The authorization matrix of the school-network upload: only a county coordinator loads their county's file."""

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                      anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("schools:network_upload", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:network_upload", "POST", ""): _row(302, 400, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:network_confirm", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_network_upload_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name)
    response = client.get(url) if method == "GET" else client.post(url, {"county": "IS"})
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
