"""The authorization matrix of the programme set-up pages: every URL × every role. Only the county coordinator of
the programme's county sets it up; out of scope is 404."""

import datetime

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row
from prezent.programme.models import Programme

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                       anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("programme:manage_list", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:create", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:create", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:manage", "GET", "programme"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:manage", "GET", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:edit", "GET", "programme"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:edit", "POST", "programme"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:edit", "POST", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:documents", "GET", "programme"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:documents", "POST", "programme"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:documents", "POST", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:schools", "GET", "programme"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:schools", "POST", "programme"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:schools", "POST", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:school_codes", "POST", "programme"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:school_codes", "POST", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:schools_remove", "POST", "programme"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:schools_remove", "POST", "programme_vs"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.fixture
def setup_world(world):
    world.programme_vs = Programme.objects.create(
        code="VS-1", name="Vaslui", county_code="VS", start=world.monday, end=datetime.date(2028, 6, 30)
    )
    return world


def _post_data(w, name: str) -> dict:
    details = {"county_code": "IS", "name": "Program", "start": "2026-09-01", "end": "2028-06-30"}
    return {
        "programme:create": {**details, "code": "IS-NOU"},
        "programme:edit": {**details, "code": "RO10-0070"},
        "programme:schools": {"school": [w.school_b.pk]},
        "programme:school_codes": {"codes": w.school_b.siiir_code},
        "programme:schools_remove": {"school": [w.school_b.pk]},
        "programme:documents": {"issuers": "ISJ", "signatories": "", "funder_mention": ""},
    }.get(name, {})


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_programme_setup_authorization_matrix(client, setup_world, name, method, target, role):
    w = setup_world
    if role != "anon":
        client.force_login(getattr(w.users, role))
    url = reverse(name, kwargs={"pk": getattr(w, target).pk} if target else {})
    response = client.get(url) if method == "GET" else client.post(url, _post_data(w, name))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def test_refused_writes_change_nothing(client, setup_world):
    w = setup_world
    client.force_login(w.users.school_coord)
    client.post(reverse("programme:create"), _post_data(w, "programme:create"))
    client.post(reverse("programme:schools_remove", args=[w.programme.pk]), {"school": [w.school_b.pk]})
    assert not Programme.objects.filter(code="IS-NOU").exists()
    assert w.programme.schools.count() == 2
