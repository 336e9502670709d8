"""The budget (prezent/results/budget): spending per line and period from services priced with their unit costs
and from the costs recorded, the `spent_eur` indicator, freezing with a locked period, the pages and their bad
input, invoices. The numbers come from `budget_world` (conftest): spent P1 = 88, P2 = 80, planned 450."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from prezent.cases.services import intervention_record
from prezent.core.models import AuditEvent
from prezent.results.budget.models import Budget, Cost, Invoice, PeriodSpent, UnitCost
from prezent.results.budget.selectors import budget_table, spent_total
from prezent.results.budget.services import (
    budget_plan_set,
    budget_rate_set,
    cost_edit,
    cost_record,
    invoice_add,
    unit_cost_set,
)
from prezent.results.indicators import REGISTRY, evaluate
from prezent.results.models import PeriodActual
from prezent.results.selectors import report_for, span_for
from prezent.results.services import period_lock

D = Decimal
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _row(table, code):
    return next(r for r in table.rows if (r.line.code if r.line else None) == code)


def _spent(w, period):
    return spent_total(programme=w.programme, start=period.start, end=period.end)


def test_services_are_priced_by_quantity_or_one_and_costs_add_up_per_line_and_period(budget_world):
    w = budget_world
    table = budget_table(programme=w.programme)
    assert [p.name for p in table.periods] == ["P1", "P2"]
    meal = _row(table, "SRV-MEAL")
    assert [(c.planned, c.spent) for c in meal.cells] == [(D(100), D("50.00")), (D(100), D("25.00"))]
    assert [c.spent for c in _row(table, "SRV-CNS").cells] == [D(0), D("15.00")]  # no quantity: 1 × 15
    assert [c.spent for c in _row(table, "OTH").cells] == [D("30.00"), D(0)]
    assert [c.spent for c in _row(table, "ACT").cells] == [D(0), D("40.00")]
    assert [c.spent for c in _row(table, None).cells] == [D("8.00"), D(0)]  # remedial: priced, no line
    assert [c.spent for c in table.totals] == [D("88.00"), D("80.00")]
    assert (table.planned, table.spent) == (D(450), D("168.00"))
    assert table.ron_per_eur == D("4.9750")
    assert table.unpriced == {}


def test_the_unit_cost_in_force_on_the_delivery_day_prices_it_and_unpriced_deliveries_are_named(budget_world):
    w = budget_world
    unit_cost_set(
        programme=w.programme,
        intervention_type=w.types["hot-meal"],
        amount_eur=D("3.00"),
        valid_from=w.day[2],
        actor=w.users.county,
    )
    intervention_record(
        case=w.case,
        kind=w.types["school-kit"],
        delivered_on=w.day[3],
        recipient="child",
        quantity=2,
        actor=w.users.county,
    )
    table = budget_table(programme=w.programme)
    assert [c.spent for c in _row(table, "SRV-MEAL").cells] == [D("50.00"), D("30.00")]  # 20 × 2.50, 10 × 3.00
    assert table.unpriced == {"Rechizite școlare": 2}
    assert _spent(w, w.p2) == D("85.00")


def test_spent_eur_is_a_built_in_indicator_with_the_planned_budget_as_target(budget_world):
    w = budget_world
    assert REGISTRY["spent_eur"].unit == "eur"
    span = span_for(programme=w.programme, start=w.p2.start, end=w.p2.end)
    assert evaluate(span=span, codes=["spent_eur"])["spent_eur"].value == 168.0  # cumulative from the start
    report = report_for(programme=w.programme, period=w.p1, with_roma=False)
    row = report.row("spent_eur")
    assert row.value == 88.0
    assert row.target is not None and row.target.value == D(450)
    assert row.progress == round(100 * 88 / 450, 1)
    # a programme with no planned amounts is measured against its stated budget
    w.programme.budget_eur = D("591944")
    w.programme.save()
    from prezent.results.budget.models import BudgetPlan

    BudgetPlan.objects.all().delete()
    assert report_for(programme=w.programme, period=w.p1, with_roma=False).row("spent_eur").target.value == D(591944)


def test_spent_eur_is_in_export_indicators(budget_world, tmp_path):
    output = tmp_path / "indicators.json"
    call_command("export_indicators", "--period", "2026-11", "--output", str(output), stdout=io.StringIO())
    rows = {row["code"]: row for row in json.loads(output.read_text(encoding="utf-8"))["indicators"]}
    assert rows["spent_eur"]["value"] == 80.0 + 88.0
    assert rows["spent_eur"]["target"] == 450.0
    assert rows["spent_eur"]["unit"] == "EUR"


def test_a_locked_period_keeps_its_spending_and_refuses_changes_to_its_costs(budget_world):
    w = budget_world
    w.p1 = period_lock(period=w.p1, actor=w.users.county)
    stored = dict(PeriodSpent.objects.filter(period=w.p1).values_list("line__code", "spent_eur"))
    assert stored == {"SRV-MEAL": D("50.00"), "SRV-CNS": D(0), "ACT": D(0), "OTH": D("30.00"), None: D("8.00")}
    assert PeriodActual.objects.get(period=w.p1, code="spent_eur").value == D("88.00")
    # late data: a meal recorded afterwards for Monday does not change the frozen figures
    intervention_record(
        case=w.case,
        kind=w.types["hot-meal"],
        delivered_on=w.day[0],
        recipient="child",
        quantity=4,
        actor=w.users.county,
    )
    assert _spent(w, w.p1) == D("98.00")
    table = budget_table(programme=w.programme)
    assert table.totals[0].spent == D("88.00")
    assert report_for(programme=w.programme, period=w.p1, with_roma=False).row("spent_eur").value == 88.0
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="aprobată și blocată"):
        cost_edit(
            cost=w.cost_p1,
            line=w.line_other,
            date=w.day[1],
            amount_eur=D("99"),
            description="Transport",
            actor=w.users.county,
        )
    with pytest.raises(ValidationError, match="aprobată și blocată"):  # nor moved out of it into an open one
        cost_edit(
            cost=w.cost_p1, line=w.line_other, date=w.day[2], amount_eur=D("30"), description="x", actor=w.users.county
        )
    with pytest.raises(ValidationError, match="aprobată și blocată"):  # nor moved into it
        cost_edit(
            cost=w.cost_p2, line=w.line_other, date=w.day[0], amount_eur=D("40"), description="x", actor=w.users.county
        )
    with pytest.raises(ValidationError, match="aprobată și blocată"):
        cost_record(line=w.line_other, date=w.day[0], amount_eur=D("5"), description="x", actor=w.users.county)
    with pytest.raises(ValidationError, match="aprobată și blocată"):
        budget_plan_set(line=w.line_meal, period=w.p1, amount_eur=D(1), actor=w.users.county)
    with pytest.raises(ValidationError, match=r"după 24\.11\.2026"):
        unit_cost_set(
            programme=w.programme,
            intervention_type=w.types["hot-meal"],
            amount_eur=D(9),
            valid_from=w.day[1],
            actor=w.users.county,
        )
    assert AuditEvent.objects.count() == before
    assert Cost.objects.get(pk=w.cost_p1.pk).amount_eur == D("30.00")
    assert budget_table(programme=w.programme).totals[0].spent == D("88.00")
    # the lei of a locked period stay at the rate it was locked with
    budget_rate_set(programme=w.programme, ron_per_eur=D("5.1"), actor=w.users.county)
    totals = budget_table(programme=w.programme).totals
    assert [(c.rate, c.spent_ron) for c in totals] == [(D("4.9750"), D("437.80")), (D("5.1"), D("408.00"))]
    # an open period's cost is still corrected, audited
    cost_edit(
        cost=w.cost_p2, line=w.line_activities, date=w.day[3], amount_eur=D("45"), description="x", actor=w.users.county
    )
    assert AuditEvent.objects.filter(action="budget.cost_edit").count() == 1
    assert budget_table(programme=w.programme).totals[1].spent == D("85.00")


def test_cost_rules(budget_world):
    w = budget_world
    county = w.users.county
    with pytest.raises(ValidationError) as error:
        cost_record(line=w.line_meal, date=w.day[2], amount_eur=D("0"), description=" ", actor=county)
    assert set(error.value.message_dict) == {"line", "amount_eur", "description"}
    with pytest.raises(ValidationError, match="intervalul programului"):
        cost_record(line=w.line_other, date=datetime.date(2020, 1, 1), amount_eur=D(1), description="x", actor=county)
    assert Cost.objects.count() == 2


def test_budget_page_for_the_coordinator_in_a_fixed_number_of_queries(client, budget_world, django_assert_num_queries):
    w = budget_world
    client.force_login(w.users.county)
    url = reverse("results:budget")
    client.get(url)  # warm the session and scope caches
    with django_assert_num_queries(NUM_QUERIES_BUDGET):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="spent-total">168,00<' in html
    assert 'data-testid="planned-total">450,00<' in html
    assert "1 EUR = 4,9750 lei" in html
    assert "835,80" in html  # 168 EUR in lei
    assert "Servicii fără linie de buget" in html
    # more lines, periods, services and costs: the same number of queries
    for n in range(3):
        cost_record(line=w.line_other, date=w.day[3], amount_eur=D(n + 1), description=f"c{n}", actor=w.users.county)
        intervention_record(
            case=w.case, kind=w.types["remedial"], delivered_on=w.day[3], recipient="child", actor=w.users.county
        )
    with django_assert_num_queries(NUM_QUERIES_BUDGET):
        client.get(url)


NUM_QUERIES_BUDGET = 24  # with the planned amounts of the open periods (to delete one)


def test_cost_list_in_a_fixed_number_of_queries(client, budget_world, django_assert_num_queries):
    w = budget_world
    invoice_add(cost=w.cost_p1, upload=SimpleUploadedFile("f.pdf", PDF), actor=w.users.county)
    client.force_login(w.users.me_viewer)
    url = reverse("results:budget_costs")
    client.get(url)
    with django_assert_num_queries(NUM_QUERIES_COSTS):
        response = client.get(url)
    html = response.content.decode()
    assert "Transport materiale" in html and "f.pdf" in html
    assert reverse("results:budget_cost_edit", args=[w.cost_p1.pk]) not in html  # the viewer does not edit
    cost_record(line=w.line_other, date=w.day[3], amount_eur=D(1), description="c", actor=w.users.county)
    with django_assert_num_queries(NUM_QUERIES_COSTS):
        client.get(url)


NUM_QUERIES_COSTS = 10


def test_bad_input_on_the_budget_page_is_refused_with_the_typed_values_kept(client, budget_world):
    w = budget_world
    client.force_login(w.users.county)
    response = client.post(reverse("results:budget_rate"), {"ron_per_eur": "-4"})
    assert response.status_code == 400
    assert Budget.objects.get().ron_per_eur == D("4.9750")
    response = client.post(
        reverse("results:budget_line_create"), {"code": "SRV-MEAL", "name": "Altă linie", "kind": "other"}
    )
    assert response.status_code == 400
    assert "Programul are deja o linie cu acest cod." in response.content.decode()
    assert 'value="Altă linie"' in response.content.decode()
    response = client.post(
        reverse("results:budget_unit_cost"),
        {"intervention_type": w.types["hot-meal"].pk, "amount_eur": "abc", "valid_from": "2026-12-01"},
    )
    assert response.status_code == 400
    assert UnitCost.objects.count() == 3
    response = client.post(
        reverse("results:budget_plan"), {"line": w.line_meal.pk, "period": w.p2.pk, "amount_eur": "-1"}
    )
    assert response.status_code == 400


def test_cost_form_keeps_what_was_typed_and_a_locked_cost_is_refused_with_the_reason(client, budget_world):
    w = budget_world
    client.force_login(w.users.county)
    data = {"line": w.line_other.pk, "date": "2026-11-26", "amount_eur": "-5", "description": "Tonere imprimantă"}
    response = client.post(reverse("results:budget_cost_create"), data)
    assert response.status_code == 400
    assert 'value="Tonere imprimantă"' in response.content.decode()
    assert Cost.objects.count() == 2
    data["amount_eur"] = "12.5"
    response = client.post(reverse("results:budget_cost_create"), data)
    assert response.status_code == 302
    assert Cost.objects.filter(description="Tonere imprimantă", amount_eur=D("12.50")).exists()
    period_lock(period=w.p1, actor=w.users.county)
    url = reverse("results:budget_cost_edit", args=[w.cost_p1.pk])
    assert "aprobată și blocată: nu se mai modifică" in client.get(url).content.decode()
    response = client.post(
        url, {"line": w.line_other.pk, "date": w.day[1].isoformat(), "amount_eur": "99", "description": "x"}
    )
    assert response.status_code == 400
    assert "O corectură se înregistrează ca o cheltuială nouă" in response.content.decode()
    assert Cost.objects.get(pk=w.cost_p1.pk).amount_eur == D("30.00")


def test_invoices_are_checked_stored_privately_and_served_to_who_reads_the_budget(client, budget_world, settings):
    w = budget_world
    client.force_login(w.users.county)
    url = reverse("results:budget_invoice_upload", args=[w.cost_p2.pk])
    response = client.post(url, {"file": SimpleUploadedFile("factura.pdf.exe", b"MZ\x90\x00not a pdf")})
    assert response.status_code == 400
    assert "nu este un PDF sau o fotografie" in response.content.decode()
    settings.PREZENT_EVIDENCE_MAX_BYTES = 10
    response = client.post(url, {"file": SimpleUploadedFile("mare.pdf", PDF)})
    assert response.status_code == 400 and "prea mare" in response.content.decode()
    assert Invoice.objects.count() == 0
    settings.PREZENT_EVIDENCE_MAX_BYTES = 1024 * 1024
    response = client.post(url, {"file": SimpleUploadedFile("factura 12.pdf", PDF)})
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert (invoice.content_type, invoice.size, invoice.original_name) == (
        "application/pdf",
        len(PDF),
        "factura 12.pdf",
    )
    assert AuditEvent.objects.filter(action="budget.invoice_add").count() == 1
    client.force_login(w.users.me_viewer)
    response = client.get(reverse("results:budget_invoice", args=[invoice.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_writes_are_audited_with_codes_and_amounts(budget_world):
    actions = set(AuditEvent.objects.filter(action__startswith="budget.").values_list("action", flat=True))
    assert actions == {
        "budget.rate_set",
        "budget.line_create",
        "budget.plan_set",
        "budget.unit_cost_set",
        "budget.cost_record",
    }
    # (deletions are audited too: prezent/results/tests/test_budget_delete.py)


def test_a_cost_is_recorded_for_one_activity_or_event_of_the_programme_from_the_form(client, budget_world):
    from prezent.activities.tests.factories import ActivityFactory, CampaignEventFactory

    w = budget_world
    activity = ActivityFactory(school=w.school_a, date=w.day[3], title="Atelier de lectură")
    event = CampaignEventFactory(school=w.school_b, date=w.day[3])
    outside = ActivityFactory(school=w.school_a, date=datetime.date(2026, 1, 5))  # before the programme
    client.force_login(w.users.county)
    url = reverse("results:budget_cost_create")
    page = client.get(url).content.decode()
    assert "Atelier de lectură" in page and str(outside.title) not in page
    data = {"line": w.line_activities.pk, "date": w.day[3].isoformat(), "amount_eur": "35", "description": "Cărți"}
    response = client.post(url, {**data, "activity": activity.pk, "campaign_event": event.pk})
    assert response.status_code == 400
    assert "cel mult o activitate" in response.content.decode()
    response = client.post(url, {**data, "activity": outside.pk})
    assert response.status_code == 400  # not a choice
    response = client.post(url, {**data, "activity": activity.pk})
    assert response.status_code == 302
    assert Cost.objects.get(activity=activity).amount_eur == D(35)
    assert budget_table(programme=w.programme).totals[1].spent == D("115.00")
