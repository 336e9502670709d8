"""The authorization matrix of the screening pages: every URL × every role (same style and roles as
prezent/reports/tests/test_authorization.py). Out of scope is 404, never 403."""

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row
from prezent.programme.models import Screening, ScreeningDecision, TargetGroupMembership

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                         anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("programme:screening_list", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("programme:screening_run", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:screening_run", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:screening_detail", "GET", "screening"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("programme:screening_detail", "GET", "screening_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:screening_decide", "POST", "result_a1"): _row(302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("programme:screening_decide", "POST", "result_b1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:screening_decide", "POST", "result_kept_a1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("programme:screening_compare", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
}


def _url(w, name: str, target: str) -> str:
    if not target:
        return reverse(name)
    return reverse(name, kwargs={"pk": getattr(w, target).pk})


def _post_data(w, name: str) -> dict:
    if name == "programme:screening_run":
        return {
            "program": w.programme.pk,
            "all_schools": "on",
            "run_on": w.monday.isoformat(),
            "threshold_level": "medium",
            "delegate_to_schools": "on",
        }
    return {"decision": ScreeningDecision.DISMISSED, "reason": "Absențe motivate medical"}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_screening_authorization_matrix(client, screening_world, engine, name, method, target, role):
    w = screening_world
    if role != "anon":
        client.force_login(getattr(w.users, role))
    url = _url(w, name, target)
    response = client.get(url) if method == "GET" else client.post(url, _post_data(w, name))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


def test_every_screening_url_is_in_the_matrix():
    from prezent.programme.screening import urls as screening_urls

    names = {f"programme:{pattern.name}" for pattern in screening_urls.urlpatterns}
    assert names == {name for name, _method, _target in MATRIX}


def test_refused_decision_changes_nothing(client, screening_world):
    w = screening_world
    client.force_login(w.users.school_coord)
    url = reverse("programme:screening_decide", kwargs={"pk": w.result_kept_a1.pk})
    assert client.post(url, {"decision": "confirmed", "reason": "da"}).status_code == 404
    w.result_kept_a1.refresh_from_db()
    assert w.result_kept_a1.decision == ScreeningDecision.PROPOSED
    assert TargetGroupMembership.objects.get(child=w.child_a1).status == "proposed"


def test_refused_run_creates_nothing(client, screening_world, engine):
    w = screening_world
    before = Screening.objects.count()
    client.force_login(w.users.school_coord)
    assert client.post(reverse("programme:screening_run"), _post_data(w, "programme:screening_run")).status_code == 404
    assert Screening.objects.count() == before
    assert engine.calls == []


def test_get_on_decide_is_refused(client, screening_world):
    client.force_login(screening_world.users.county)
    url = reverse("programme:screening_decide", kwargs={"pk": screening_world.result_a1.pk})
    assert client.get(url).status_code == 405
