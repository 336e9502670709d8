"""The authorization matrix of the results URLs: every URL × every role (format of
prezent/reports/tests/test_authorization.py). Out of scope is 404, never 403.

The dashboards and exports of aggregates are for the county coordinator and the evaluator / funder viewer; only the
county coordinator changes periods and targets; the HG 691 lists (which name children) are for the county
coordinator and the school's own coordinator and mediator, for their schools."""

import pytest
from django.urls import reverse

from prezent.core.testing import ROLES, _row

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                         anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("results:dashboard", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:indicator", "GET", "children"): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    # the Roma split is an aggregate for the evaluator too (decision 44)
    ("results:indicator", "GET", "children_roma"): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:target_revise", "POST", "indicator_children"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:schools", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:school", "GET", "school_a"): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:communes", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:commune", "GET", "commune_a"): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:map", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:period_create", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    # the world's programme has its framework already: the coordinator is refused with the reason (400)
    ("results:framework_setup", "POST", ""): _row(302, 400, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:period_lock", "POST", "p1"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:report_pdf", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:indicators_xlsx", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:evaluator_csv", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:hg691_list", "GET", ""): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("results:hg691_xlsx", "GET", "school_a"): _row(302, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    ("results:hg691_xlsx", "GET", "school_b"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
}


def _kwargs(world, name: str, target: str) -> dict:
    if not target:
        return {}
    if name == "results:indicator":
        return {"code": target}
    if target == "commune_a":
        return {"pk": world.school_a.locality.commune.pk}
    return {"pk": getattr(world, target).pk}


def _post_data(world, name: str) -> dict:
    if name == "results:target_revise":
        return {"value": "14", "set_on": world.monday.isoformat(), "reason": "revizuită la cererea finanțatorului"}
    if name == "results:period_create":
        return {"name": "P3", "start": "2026-12-01", "end": "2026-12-31"}
    if name == "results:framework_setup":
        from prezent.schools.models import SchoolYear

        return {"baseline_year": SchoolYear.objects.get(name="2025-2026", county_code="IS").pk}
    return {}


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_results_authorization_matrix(client, results_world, name, method, target, role):
    if role != "anon":
        client.force_login(getattr(results_world.users, role))
    url = reverse(name, kwargs=_kwargs(results_world, name, target))
    response = client.get(url) if method == "GET" else client.post(url, _post_data(results_world, name))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"
