"""Indicators and dashboard sections fed by case management: children who received a service, services by type."""

import datetime

from django.urls import reverse

from prezent.cases.models import InterventionType
from prezent.cases.services import case_open, intervention_record, intervention_types_load_defaults
from prezent.cases.tests.conftest import programme_consent
from prezent.children.models import Guardianship
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


def _figures(w, *, with_roma=True):
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    return evaluate(span=span, with_roma=with_roma)


def test_parents_reached_by_casework_count_once_with_their_roma_share(results_world):
    """A service to the family and a home visit where the parent was found reach the child's parents; a visit
    where nobody was home does not; a parent reached twice counts once; the Roma parents are the parents of the
    children who declared Roma ethnicity, only with the Roma split."""
    from prezent.activities.tests.factories import add_guardian
    from prezent.cases.services import visit_record

    w = results_world
    roma_child, other_child, unreached_child = w.group[1], w.group[3], w.group[4]  # group[1:3] declared Roma
    roma_parent, other_parent, unreached_parent = (add_guardian(c) for c in (roma_child, other_child, unreached_child))
    assert _figures(w)["parents"].value == 0
    case = _meal(w, roma_child, on=w.monday)
    intervention_record(
        case=case,
        kind=InterventionType.objects.get(code="hot-meal"),
        delivered_on=w.monday,
        recipient="family",
        quantity=1,
        actor=w.users.county,
    )
    visit_record(
        case=case, visited_on=w.monday, outcome="Am vorbit cu mama.", parent_reached=True, actor=w.users.county
    )
    for child, reached in ((other_child, True), (unreached_child, False)):
        programme_consent(child, by=w.users.county, on=w.monday)
        other = case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.county)
        visit_record(case=other, visited_on=w.monday, outcome="Vizită.", parent_reached=reached, actor=w.users.county)
    figures = _figures(w)

    def parents_of(*children):
        return set(Guardianship.objects.filter(child__in=children).values_list("guardian_id", flat=True))

    assert {roma_parent.pk, other_parent.pk, unreached_parent.pk} <= parents_of(
        roma_child, other_child, unreached_child
    )
    assert figures["parents"].measure.child_ids == parents_of(roma_child, other_child)
    assert unreached_parent.pk not in figures["parents"].measure.child_ids
    assert figures["roma_parents"].measure.child_ids == parents_of(roma_child)
    assert "roma_parents" not in _figures(w, with_roma=False)


def test_communities_reached_are_the_served_childrens_and_the_activities_localities(results_world):
    from prezent.children.tests.factories import HouseholdFactory
    from prezent.schools.models import Locality

    w = results_world
    assert _figures(w)["communities_reached"].value == 0
    _meal(w, w.group[1], on=w.monday)  # no household: the school's locality
    assert _figures(w)["communities_reached"].measure.child_ids == {w.school_a.locality_id}
    village = Locality.objects.create(siruta="95079", name="SAT NOU", level="village", county_code="IS")
    w.group[2].household = HouseholdFactory(locality=village)
    w.group[2].save()
    _meal(w, w.group[2], on=w.monday)
    assert _figures(w)["communities_reached"].measure.child_ids == {w.school_a.locality_id, village.pk}
