import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row

MATRIX = {
    ("risk:rules", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:recompute", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_rules_authorization(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == MATRIX[(name, method, target)][role]
