"""The authorization matrix of the pages of children outside school (found on disk by
prezent/reports/tests/test_authorization.py).

The county coordinator, the school coordinator, the mediator and the case worker see the records of their area (the
county, or the communes of their schools); the first three record, re-enrol and close; the case worker only reads;
the teacher and the roles without children see nothing (404).
"""

import pytest
from django.urls import reverse

from prezent.children.models import OutOfSchool
from prezent.children.tests.outside_fixtures import outside_world
from prezent.core.testing import ROLES, _row

#                                                                         anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("children:outside_list", "GET", ""): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("children:outside_create", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:outside_pick", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:outside_detail", "GET", "outside_a"): _row(302, 200, 200, 200, 404, 200, 404, 404, 404, 404),
    ("children:outside_detail", "GET", "outside_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:outside_reenrol", "POST", "outside_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:outside_reenrol", "POST", "outside_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:outside_close", "POST", "outside_a"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:outside_close", "POST", "outside_b"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:outside_mark", "GET", "child_left_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:outside_mark", "GET", "child_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_outside_authorization_matrix(client, world, name, method, target, role):
    extra = outside_world(world)
    if role != "anon":
        client.force_login(getattr(world.users, role))
    obj = getattr(extra, target, None) or getattr(world, target, None) if target else None
    url = reverse(name, kwargs={"pk": obj.pk}) if obj is not None else reverse(name)
    if method == "GET":
        response = client.get(url, {"q": "sat"} if name == "children:outside_pick" else {})
    else:
        school = world.school_a if target == "outside_a" else world.school_b
        klass = world.class_a2 if school == world.school_a else world.class_b1
        data = {"class_group": klass.pk, "on": "2026-11-27", "status": OutOfSchool.Status.MOVED_AWAY}
        response = client.post(url, data)
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST":
        obj.refresh_from_db()
        assert (obj.status != OutOfSchool.Status.OUTSIDE) == (expected == 302 and role != "anon"), f"{role} {url}"
