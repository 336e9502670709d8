"""The authorization matrix of the pages that change a child's record, in the style of
prezent/reports/tests/test_authorization.py (which finds this MATRIX on disk).

Writers: the county coordinator, the school coordinator and the mediator, for the children of the schools their
role reaches. Anyone else, and anyone outside the child's school, gets 404; a refused write changes nothing.
"""

import pytest
from django.urls import reverse

from prezent.children.models import Child
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                                 anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("children:edit", "GET", "child_a1"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:edit", "GET", "child_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:edit", "GET", "child_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:edit", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:edit", "POST", "child_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}

NEW_LAST_NAME = "Nume-Corectat"


def _post_data(child: Child) -> dict:
    return {
        "last_name": NEW_LAST_NAME,
        "first_name": child.first_name,
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat(),
    }


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_children_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    child = getattr(world, target)
    url = reverse(name, kwargs={"pk": child.pk})
    response = client.get(url) if method == "GET" else client.post(url, _post_data(child))
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST":
        child.refresh_from_db()
        assert (child.last_name == NEW_LAST_NAME) == (expected == 302 and role != "anon"), f"{role} {method} {url}"
