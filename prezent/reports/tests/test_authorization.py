"""The authorization matrix: every URL pattern × every role, with the status each must get.

A new URL without a row here fails `test_every_url_pattern_is_in_the_matrix`, so nothing ships unchecked.
Out of scope is 404, never 403 (a stranger cannot even learn that a record exists).
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                    anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("healthz", "GET", ""): _row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("home", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("login", "GET", ""): _row(200, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("logout", "POST", ""): _row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("set_language", "POST", ""): _row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("reports:setup", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("reports:child_detail", "GET", "child_a1"): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("reports:child_detail", "GET", "child_a1_other"): _row(302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    ("reports:child_detail", "GET", "child_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("reports:child_detail", "GET", "child_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:list", "GET", ""): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("children:create", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:cnp", "POST", "child_a1"): _row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    ("children:cnp", "POST", "child_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:guardian_add", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:consent_record", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:move", "POST", "child_a1"): _row(302, 302, 404, 302, 404, 302, 404, 404, 404, 404),
    ("children:move", "POST", "child_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("children:household", "GET", "child_a1"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("children:ethnicity", "POST", "child_a1"): _row(302, 302, 302, 404, 404, 302, 404, 404, 404, 404),
    ("schools:list", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("schools:detail", "GET", "school_a"): _row(302, 200, 200, 200, 200, 200, 404, 404, 404, 404),
    ("schools:years", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:year_edit", "GET", "school_year"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("schools:detail", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:class", "GET", "class_a1"): _row(302, 200, 404, 200, 200, 200, 404, 404, 404, 404),
    ("attendance:class", "GET", "class_a2"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("attendance:class", "GET", "class_b1"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:register_today", "GET", "class_a1"): _row(302, 302, 404, 302, 302, 302, 404, 404, 404, 404),
    ("risk:register", "GET", "class_a1"): _row(302, 404, 404, 200, 200, 200, 404, 404, 404, 404),
    ("risk:register", "GET", "class_a2"): _row(302, 404, 404, 200, 404, 200, 404, 404, 404, 404),
    ("risk:register", "GET", "class_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("risk:excuse", "POST", "child_a1"): _row(302, 404, 404, 302, 302, 404, 404, 404, 404, 404),
    ("risk:excuse", "POST", "child_b1"): _row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("attendance:school", "GET", "school_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("attendance:school", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:detail", "GET", ""): _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 404),
    ("programme:move", "POST", "child_a1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}


def _kwargs(world, name: str, target: str) -> dict:
    if not target:
        return {}
    obj = getattr(world, target)
    if name == "risk:register":
        return {"pk": obj.pk, "day": world.monday.isoformat()}
    if name in ("risk:excuse", "programme:move"):
        return {"child_id": obj.pk}
    return {"pk": obj.pk}


def _post_data(world, name: str, target: str) -> dict:
    if name == "risk:excuse":
        absence_ids = list(getattr(world, target).absences.values_list("pk", flat=True))
        return {"absence_ids": absence_ids, "reason": "medical", "document_date": world.monday.isoformat()}
    if name == "programme:move":
        return {"programme": world.programme.pk, "to_status": "included", "reason": "confirmat"}
    if name == "set_language":
        return {"language": "ro", "next": "/"}
    return {}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(client, world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(world.users, role))
    url = reverse(name, kwargs=_kwargs(world, name, target))
    response = client.get(url) if method == "GET" else client.post(url, _post_data(world, name, target))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def _all_url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _all_matrices() -> list[dict]:
    """This module's MATRIX and the MATRIX of every `prezent/<app>/tests/test_authz_*.py`, found on disk so that a
    new app's matrix counts without editing this file."""
    root = Path(__file__).resolve().parents[2]
    matrices = [MATRIX]
    for path in sorted(root.glob("*/tests/test_authz_*.py")):
        module = importlib.import_module(f"prezent.{path.parent.parent.name}.tests.{path.stem}")
        matrices.append(module.MATRIX)
    return matrices


def test_every_url_pattern_is_in_the_matrix():
    covered = {name for matrix in _all_matrices() for name, _m, _t in matrix}
    assert _all_url_names() - covered == set()


def test_get_on_post_only_urls_changes_nothing(client, world):
    client.force_login(world.users.school_coord)
    url = reverse("risk:excuse", kwargs={"child_id": world.child_a1.pk})
    assert client.get(url).status_code == 405
    assert not world.child_a1.absences.filter(excused=True).exists()


@pytest.mark.parametrize("back", ["https://phish.example/", "//phish.example/", "/copii/\r\nX: y"])
def test_a_target_group_decision_returns_only_to_a_page_of_this_site(client, world, back):
    client.force_login(world.users.county)
    url = reverse("programme:move", kwargs={"child_id": world.child_a1.pk})
    data = {**_post_data(world, "programme:move", ""), "back": back}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:detail")


@pytest.mark.parametrize("programme", ["abc", "1 OR 1=1", ""])
def test_a_target_group_decision_with_a_malformed_programme_is_not_found(client, world, programme):
    client.force_login(world.users.county)
    url = reverse("programme:move", kwargs={"child_id": world.child_a1.pk})
    response = client.post(url, {"programme": programme, "to_status": "included", "reason": "x"})
    assert response.status_code == 404
