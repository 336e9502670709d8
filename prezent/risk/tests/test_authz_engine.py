"""Authorization of the engine's pages (the register and excuse workflows, which start in `risk`): every URL ×
every role, in the style of prezent/reports/tests/test_authorization.py. Out of scope is 404; a refused write
changes nothing."""

import pytest
from django.urls import reverse

from prezent.attendance.models import Absence, RegisterEntry
from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                    anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("risk:register", "GET", "class_a1"): _row(302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    ("risk:register", "GET", "class_a2"): _row(302, 404, 404, 200, 404, 200, 404, 404, 404, 404),
    ("risk:register", "GET", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:register", "POST", "class_a1"): _row(302, 404, 404, 302, 302, 302, 404, 404, 404, 404),
    ("risk:register", "POST", "class_a2"): _row(302, 404, 404, 302, 404, 302, 404, 404, 404, 404),
    ("risk:register", "POST", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:excuse", "POST", "child_a1"): _row(302, 404, 404, 302, 302, 404, 404, 404, 404, 404),
    ("risk:excuse", "POST", "child_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

REGISTER_DAY = "2026-11-24"  # a Tuesday with no register yet in the world


def _url(world, name: str, target: str) -> str:
    obj = getattr(world, target)
    if name == "risk:register":
        return reverse(name, kwargs={"pk": obj.pk, "day": REGISTER_DAY})
    return reverse(name, kwargs={"child_id": obj.pk})


def _post_data(world, name: str, target: str) -> dict:
    if name == "risk:excuse":
        absence_ids = list(getattr(world, target).absences.values_list("pk", flat=True))
        return {"absence_ids": absence_ids, "reason": "medical", "document_date": world.monday.isoformat()}
    return {"day_hours": 4}


def _state() -> tuple:
    return (
        RegisterEntry.objects.count(),
        Absence.objects.filter(excused=True).count(),
    )


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_engine_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = _url(world, name, target)
    before = _state()
    response = client.get(url) if method == "GET" else client.post(url, _post_data(world, name, target))
    expected = MATRIX[(name, method, target)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if method == "POST" and (expected == 404 or role == "anon"):
        assert _state() == before, f"{role} changed something through {url}"


def test_excuse_is_post_only(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("risk:excuse", kwargs={"child_id": world.child_a1.pk})
    assert client.get(url).status_code == 405
    assert not world.child_a1.absences.filter(excused=True).exists()


def test_register_refuses_other_methods(client, world):
    client.force_login(world.users.teacher)
    url = reverse("risk:register", kwargs={"pk": world.class_a1.pk, "day": REGISTER_DAY})
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


def test_a_bad_date_is_404(client, world):
    client.force_login(world.users.teacher)
    assert client.get(reverse("risk:register", kwargs={"pk": world.class_a1.pk, "day": "ieri"})).status_code == 404
