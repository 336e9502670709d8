"""Deleting a mistake from the budget (prezent/results/budget/services.py): a line with nothing depending on it, a
planned amount or a cost of an open period, a unit cost that priced nothing frozen, an invoice of a cost in an open
period (its file once the transaction commits). Every refusal says why and changes nothing; every deletion is
audited with codes and amounts. The numbers come from `budget_world` (conftest): P1 23–24.11.2026, P2 25–27.11."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.core.models import AuditEvent
from prezent.results.budget.models import BudgetLine, BudgetPlan, Cost, Invoice, UnitCost
from prezent.results.budget.selectors import budget_table
from prezent.results.budget.services import (
    budget_line_create,
    budget_line_delete,
    budget_plan_delete,
    budget_plan_set,
    cost_delete,
    invoice_add,
    invoice_delete,
    invoice_storage,
    unit_cost_delete,
    unit_cost_set,
)
from prezent.results.services import period_lock

D = Decimal
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _invoice(w, cost, name="factura.pdf"):
    return invoice_add(cost=cost, upload=SimpleUploadedFile(name, PDF), actor=w.users.county)


def _audit(action):
    return AuditEvent.objects.get(action=action)


def test_a_line_with_costs_is_refused_and_one_without_goes_with_its_plans(budget_world):
    w = budget_world
    county = w.users.county
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Linia are cheltuieli înregistrate: mutați sau ștergeți întâi"):
        budget_line_delete(line=w.line_other, actor=county)
    assert BudgetLine.objects.filter(pk=w.line_other.pk).exists()
    assert BudgetPlan.objects.filter(line=w.line_other).count() == 1
    assert AuditEvent.objects.count() == before
    # meals: planned in P1 and P2, no costs (services are priced, not recorded): it goes, with its plans
    budget_line_delete(line=w.line_meal, actor=county)
    assert not BudgetLine.objects.filter(code="SRV-MEAL").exists()
    assert not BudgetPlan.objects.filter(line_id=w.line_meal.pk).exists()
    event = _audit("budget.line_delete")
    assert (event.target_type, event.target_id) == ("results.budgetline", str(w.line_meal.pk))
    assert event.details == {
        "code": "SRV-MEAL",
        "kind": "service",
        "plans": [{"period": w.p1.pk, "amount_eur": "100.00"}, {"period": w.p2.pk, "amount_eur": "100.00"}],
    }
    # the meals it priced are now spending on "services without a line"; the total is the same
    table = budget_table(programme=w.programme)
    assert (table.planned, table.spent) == (D(250), D("168.00"))
    assert [c.spent for c in next(r for r in table.rows if r.line is None).cells] == [D("58.00"), D("25.00")]


def test_a_line_held_by_a_locked_period_is_refused_and_one_added_after_goes(budget_world):
    w = budget_world
    county = w.users.county
    period_lock(period=w.p1, actor=county)
    # counselling: no plan, no cost, but its spending (0) is stored with P1
    with pytest.raises(ValidationError, match="perioada „P1”, aprobată și blocată"):
        budget_line_delete(line=w.line_counselling, actor=county)
    assert BudgetLine.objects.filter(pk=w.line_counselling.pk).exists()
    new = budget_line_create(programme=w.programme, code="NEW", name="Linie greșită", kind="other", actor=county)
    budget_plan_set(line=new, period=w.p2, amount_eur=D(70), actor=county)
    budget_line_delete(line=new, actor=county)
    assert not BudgetLine.objects.filter(code="NEW").exists()
    assert not BudgetPlan.objects.filter(line_id=new.pk).exists()


def test_a_planned_amount_goes_only_in_an_open_period(budget_world):
    w = budget_world
    county = w.users.county
    period_lock(period=w.p1, actor=county)
    frozen = BudgetPlan.objects.get(line=w.line_meal, period=w.p1)
    with pytest.raises(ValidationError, match="aprobată și blocată"):
        budget_plan_delete(plan=frozen, actor=county)
    assert BudgetPlan.objects.filter(pk=frozen.pk).exists()
    assert not AuditEvent.objects.filter(action="budget.plan_delete").exists()
    plan = BudgetPlan.objects.get(line=w.line_other, period=w.p2)
    budget_plan_delete(plan=plan, actor=county)
    assert not BudgetPlan.objects.filter(pk=plan.pk).exists()
    assert _audit("budget.plan_delete").details == {"line": "OTH", "period": w.p2.pk, "amount_eur": "200.00"}
    assert budget_table(programme=w.programme).planned == D(250)


def test_a_unit_cost_goes_only_if_it_starts_after_the_last_locked_period(budget_world):
    w = budget_world
    county = w.users.county
    period_lock(period=w.p1, actor=county)  # ends 24.11.2026
    meal = UnitCost.objects.get(intervention_type=w.types["hot-meal"])
    with pytest.raises(ValidationError, match=r"„P1”, aprobată și blocată.*după 24\.11\.2026"):
        unit_cost_delete(unit_cost=meal, actor=county)
    assert UnitCost.objects.filter(pk=meal.pk).exists()
    wrong = unit_cost_set(
        programme=w.programme,
        intervention_type=w.types["hot-meal"],
        amount_eur=D(30),
        valid_from=w.day[2],
        actor=county,
    )
    assert budget_table(programme=w.programme).totals[1].spent == D("355.00")  # 10 meals at 30
    unit_cost_delete(unit_cost=wrong, actor=county)
    assert not UnitCost.objects.filter(pk=wrong.pk).exists()
    assert budget_table(programme=w.programme).totals[1].spent == D("80.00")
    assert _audit("budget.unit_cost_delete").details == {
        "type": "hot-meal",
        "amount_eur": "30.00",
        "valid_from": w.day[2].isoformat(),
    }


def test_an_invoice_goes_with_its_file_after_the_commit_only_for_a_cost_in_an_open_period(
    budget_world, django_capture_on_commit_callbacks
):
    w = budget_world
    county = w.users.county
    storage = invoice_storage()
    old = _invoice(w, w.cost_p1)
    invoice = _invoice(w, w.cost_p2)
    period_lock(period=w.p1, actor=county)
    with pytest.raises(ValidationError, match="Factura este a unei cheltuieli din perioada „P1”"):
        invoice_delete(invoice=old, actor=county)
    assert Invoice.objects.filter(pk=old.pk).exists() and storage.exists(old.storage_name)
    with django_capture_on_commit_callbacks() as callbacks:
        invoice_delete(invoice=invoice, actor=county)
    assert not Invoice.objects.filter(pk=invoice.pk).exists()
    assert storage.exists(invoice.storage_name)  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert not storage.exists(invoice.storage_name)
    event = _audit("budget.invoice_delete")
    assert (event.target_id, event.details) == (
        str(invoice.pk),
        {"cost": w.cost_p2.pk, "type": "application/pdf", "size": len(PDF)},
    )
    assert "factura" not in str(event.details)


def test_a_cost_goes_with_its_invoices_and_their_files_only_in_an_open_period(
    budget_world, django_capture_on_commit_callbacks
):
    w = budget_world
    county = w.users.county
    storage = invoice_storage()
    kept = _invoice(w, w.cost_p1)
    first, second = _invoice(w, w.cost_p2, "a.pdf"), _invoice(w, w.cost_p2, "b.pdf")
    period_lock(period=w.p1, actor=county)
    with pytest.raises(ValidationError, match="O corectură se înregistrează ca o cheltuială nouă"):
        cost_delete(cost=w.cost_p1, actor=county)
    assert Cost.objects.filter(pk=w.cost_p1.pk).exists() and storage.exists(kept.storage_name)
    with django_capture_on_commit_callbacks(execute=True):
        cost_delete(cost=w.cost_p2, actor=county)
    assert not Cost.objects.filter(pk=w.cost_p2.pk).exists()
    assert list(Invoice.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not storage.exists(first.storage_name) and not storage.exists(second.storage_name)
    assert storage.exists(kept.storage_name)
    assert _audit("budget.cost_delete").details == {
        "line": "ACT",
        "date": w.day[2].isoformat(),
        "amount_eur": "40.00",
        "invoices": [first.pk, second.pk],
    }
    assert budget_table(programme=w.programme).totals[1].spent == D("40.00")


def test_the_pages_offer_deletion_to_the_coordinator_and_say_why_when_refused(
    client, budget_world, django_capture_on_commit_callbacks
):
    w = budget_world
    county = w.users.county
    invoice = _invoice(w, w.cost_p2)
    period_lock(period=w.p1, actor=county)
    client.force_login(county)
    html = client.get(reverse("results:budget")).content.decode()
    assert reverse("results:budget_line_delete", args=[w.line_other.pk]) in html
    p2_plan = BudgetPlan.objects.get(line=w.line_other, period=w.p2)
    assert reverse("results:budget_plan_delete", args=[p2_plan.pk]) in html
    p1_plan = BudgetPlan.objects.get(line=w.line_meal, period=w.p1)
    assert reverse("results:budget_plan_delete", args=[p1_plan.pk]) not in html  # locked: not offered
    assert 'data-testid="unit-cost-delete"' not in html  # every unit cost priced P1
    # refused: back to the page with the reason
    response = client.post(reverse("results:budget_line_delete", args=[w.line_other.pk]), follow=True)
    assert "Linia are cheltuieli înregistrate: mutați sau ștergeți întâi cheltuielile." in response.content.decode()
    assert BudgetLine.objects.filter(pk=w.line_other.pk).exists()
    response = client.post(reverse("results:budget_plan_delete", args=[p2_plan.pk]), follow=True)
    assert "Suma planificată a fost ștearsă." in response.content.decode()
    # the cost page: a locked cost offers nothing, an open one its deletion and its invoices'
    html = client.get(reverse("results:budget_cost_edit", args=[w.cost_p1.pk])).content.decode()
    assert reverse("results:budget_cost_delete", args=[w.cost_p1.pk]) not in html
    html = client.get(reverse("results:budget_cost_edit", args=[w.cost_p2.pk])).content.decode()
    assert reverse("results:budget_cost_delete", args=[w.cost_p2.pk]) in html
    assert reverse("results:budget_invoice_delete", args=[invoice.pk]) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("results:budget_invoice_delete", args=[invoice.pk]), follow=True)
    assert "Factura a fost ștearsă." in response.content.decode()
    assert not invoice_storage().exists(invoice.storage_name)
    response = client.post(reverse("results:budget_cost_delete", args=[w.cost_p1.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("results:budget_cost_edit", args=[w.cost_p1.pk])
    assert "nu se mai șterge" in response.content.decode()
    response = client.post(reverse("results:budget_cost_delete", args=[w.cost_p2.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("results:budget_costs")
    assert "Cheltuiala a fost ștearsă." in response.content.decode()
    # the evaluator reads the budget and is offered no deletion
    client.force_login(w.users.me_viewer)
    html = client.get(reverse("results:budget")).content.decode()
    assert "stergere" not in html and "Șterge" not in html


def test_a_deletion_is_never_done_by_a_get(client, budget_world):
    w = budget_world
    client.force_login(w.users.county)
    for name, pk in (
        ("results:budget_line_delete", w.line_counselling.pk),
        ("results:budget_cost_delete", w.cost_p2.pk),
        ("results:budget_plan_delete", BudgetPlan.objects.get(line=w.line_other, period=w.p2).pk),
        ("results:budget_unit_cost_delete", UnitCost.objects.order_by("pk").first().pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 405
    assert (BudgetLine.objects.count(), Cost.objects.count(), BudgetPlan.objects.count()) == (4, 2, 4)
    assert UnitCost.objects.count() == 3
    assert not AuditEvent.objects.filter(action__endswith="_delete").exists()
