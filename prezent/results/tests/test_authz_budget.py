"""The authorization matrix of the budget URLs: every URL × every role (format of
prezent/reports/tests/test_authorization.py). Out of scope is 404, never 403.

The budget page, the costs and the invoices are read by who reads the results (the county coordinator and the
evaluator / funder viewer); only the county coordinator changes the budget."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.core.testing import ROLES, _row
from prezent.programme.models import Programme
from prezent.results.budget.models import BudgetLine, BudgetPlan, Cost, Invoice, UnitCost
from prezent.results.budget.services import invoice_add

PDF = b"%PDF-1.4\n%%EOF\n"

# (url name, GET or POST, target) → statuses in ROLES order.
#                                                            anon county cw  sc  tch med trn  me adm none
MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    ("results:budget", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:budget_rate", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_line_create", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_plan", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_unit_cost", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_costs", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:budget_cost_create", "GET", ""): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_cost_create", "POST", ""): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_cost_edit", "GET", "cost_p2"): _row(302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_cost_edit", "POST", "cost_p2"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_invoice_upload", "POST", "cost_p2"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_invoice", "GET", "invoice"): _row(302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    ("results:budget_line_delete", "POST", "line_counselling"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_plan_delete", "POST", "plan"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_unit_cost_delete", "POST", "unit_cost"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_cost_delete", "POST", "cost_p2"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("results:budget_invoice_delete", "POST", "invoice"): _row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}

DELETIONS = [name for (name, _method, _target) in MATRIX if name.endswith("_delete")]


def _post_data(world, name: str) -> dict:
    if name == "results:budget_rate":
        return {"ron_per_eur": "5.0"}
    if name == "results:budget_line_create":
        return {"code": "NEW", "name": "Linie nouă", "kind": "other"}
    if name == "results:budget_plan":
        return {"line": world.line_other.pk, "period": world.p2.pk, "amount_eur": "10"}
    if name == "results:budget_unit_cost":
        return {"intervention_type": world.types["clothing"].pk, "amount_eur": "4", "valid_from": "2026-11-26"}
    if name in ("results:budget_cost_create", "results:budget_cost_edit"):
        return {"line": world.line_other.pk, "date": "2026-11-26", "amount_eur": "7", "description": "Plic"}
    if name == "results:budget_invoice_upload":
        return {"file": SimpleUploadedFile("f.pdf", PDF)}
    return {}


def _targets(w) -> None:
    w.invoice = invoice_add(cost=w.cost_p2, upload=SimpleUploadedFile("f.pdf", PDF), actor=w.users.county)
    w.plan = BudgetPlan.objects.get(line=w.line_other, period=w.p2)
    w.unit_cost = UnitCost.objects.filter(programme=w.programme).order_by("pk").first()


@pytest.mark.parametrize(("name", "method", "target"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_budget_authorization_matrix(client, budget_world, name, method, target, role):
    w = budget_world
    _targets(w)
    if role != "anon":
        client.force_login(getattr(w.users, role))
    url = reverse(name, kwargs={"pk": getattr(w, target).pk} if target else {})
    response = client.get(url) if method == "GET" else client.post(url, _post_data(w, name))
    assert response.status_code == MATRIX[(name, method, target)][role], f"{role} {method} {url}"


@pytest.mark.parametrize(("name", "method", "target"), [key for key in MATRIX if key[0] in DELETIONS])
def test_a_coordinator_of_another_county_deletes_nothing_of_this_budget(client, budget_world, name, method, target):
    w = budget_world
    _targets(w)
    Programme.objects.create(
        code="RO10-0099", name="Alt program", county_code="VS", start=w.programme.start, end=w.programme.end
    )
    other = UserFactory(username="county_vs")
    assign(other, Role.COUNTY_COORDINATOR, county="VS")
    client.force_login(other)
    assert client.get(reverse("results:budget")).status_code == 200  # their own programme's budget
    counts = [m.objects.count() for m in (BudgetLine, BudgetPlan, UnitCost, Cost, Invoice)]
    response = client.post(reverse(name, kwargs={"pk": getattr(w, target).pk}))
    assert response.status_code == 404
    assert [m.objects.count() for m in (BudgetLine, BudgetPlan, UnitCost, Cost, Invoice)] == counts
