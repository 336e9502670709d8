"""Indicators and dashboard sections fed by case management: children who received a service, services by type."""

import datetime

from django.urls import reverse

from prezent.cases.models import InterventionType
from prezent.cases.services import case_open, intervention_record, intervention_types_load_defaults
from prezent.cases.tests.conftest import programme_consent
from prezent.results.indicators import REGISTRY, evaluate
from prezent.results.selectors import span_for


def _served(w):
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    return evaluate(span=span, with_roma=False)["children_served"]


def _meal(w, child, *, on, quantity=20):
    intervention_types_load_defaults(county_code="IS")
    programme_consent(child, by=w.users.county, on=w.monday)
    case = case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.county)
    intervention_record(
        case=case,
        kind=InterventionType.objects.get(code="hot-meal"),
        delivered_on=on,
        recipient="child",
        quantity=quantity,
        actor=w.users.county,
    )
    return case


def test_children_served_is_wired_and_counts_the_target_group_children_with_a_service(results_world):
    w = results_world
    assert "children_served" in REGISTRY
    assert _served(w).value == 0
    _meal(w, w.group[1], on=w.monday)
    assert _served(w).value == 1


def test_a_service_after_the_period_does_not_count(results_world):
    w = results_world
    _meal(w, w.group[1], on=w.monday + datetime.timedelta(days=5))  # the day after the period (and not future)
    assert _served(w).value == 0


def test_the_dashboard_lists_services_by_type_with_small_counts_hidden(client, results_world):
    w = results_world
    client.force_login(w.users.county)
    empty = client.get(reverse("results:dashboard")).content.decode()
    assert "Nu s-a înregistrat încă niciun serviciu" in empty
    _meal(w, w.group[1], on=w.monday, quantity=20)
    content = client.get(reverse("results:dashboard")).content.decode()
    section = content[content.index('data-testid="services"') :]
    section = section[: section.index("</section>")]
    assert "Masă caldă" in section
    assert '<td class="num">1</td><td class="num">&lt;5</td><td class="num">20</td>' in section
