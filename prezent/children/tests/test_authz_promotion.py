"""The authorization matrix of opening a school year and marking repeaters (found on disk by
prezent/reports/tests/test_authorization.py).

Opening a year is the county coordinator's (their county only); marking who repeats is the school coordinator's
(their school) and the county coordinator's. Anyone else gets 404 and a refused write changes nothing.
"""

import pytest
from django.urls import reverse

from prezent.children.models import Enrolment
from prezent.core.testing import ROLES, _row
from prezent.schools.models import SchoolYear

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                             anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("children:year_open", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:year_open", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:repeaters", "GET", "class_a1"): _row(302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    ("children:repeaters", "GET", "class_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:repeaters", "POST", "class_a1"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("children:repeaters", "POST", "class_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


def _written(world, name: str, target: str) -> bool:
    if name == "children:year_open":
        return SchoolYear.objects.filter(county_code="IS", name="2027-2028").exists()
    return Enrolment.objects.filter(class_group=getattr(world, target), repeats_next_year=True).exists()


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_promotion_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    group = getattr(world, target) if target else None
    url = reverse(name, kwargs={"pk": group.pk} if group else {})
    if name == "children:year_open":
        data = {"county_code": "IS", "name": "2027-2028", "february_monday": "", "confirm": "1"}
    else:
        assert group is not None
        data = {"repeaters": list(Enrolment.objects.filter(class_group=group).values_list("child_id", flat=True))}
    response = client.get(url) if method == "GET" else client.post(url, data)
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST":
        assert _written(world, name, target) == (expected == 302 and role != "anon"), f"{role} {method} {url}"
