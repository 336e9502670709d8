"""The programme's indicators count group deliveries: a tick on a distribution list or a day in a group is a
service to the child; a service to a family reaches its parents and counts for the household's children."""

import datetime

from prezent.cases.groups.services import delivery_list_save, group_attendance_save, group_create, group_enrol
from prezent.cases.models import InterventionType
from prezent.cases.services import case_open, intervention_record, intervention_types_load_defaults, visit_record
from prezent.children.models import Consent, Guardian, Guardianship
from prezent.results.indicators import evaluate
from prezent.results.selectors import span_for


def _figures(w):
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    return evaluate(span=span, codes=["children_served", "parents"], with_breakdowns=False)


def _parent(child, name: str) -> Guardian:
    guardian = Guardian.objects.create(first_name="Maria", last_name=name, household=child.household)
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    return guardian


def _case(w, child, guardian):
    Consent.objects.create(
        child=child,
        guardian=guardian,
        purpose=Consent.Purpose.PROGRAMME,
        legal_basis=Consent.LegalBasis.CONSENT,
        given_on=w.monday,
        recorded_by=w.users.county,
    )
    return case_open(child=child, opened_on=w.monday, case_worker=None, actor=w.users.county)


def test_list_ticks_and_group_days_count_the_children_served(results_world):
    w = results_world
    intervention_types_load_defaults(county_code="IS")
    kinds = {t.code: t for t in InterventionType.objects.filter(county_code="IS")}
    assert _figures(w)["children_served"].value == 0
    delivery_list_save(
        school=w.school_a, kind=kinds["hot-meal"], day=w.monday, ticks={w.child_a1.pk: 1}, actor=w.users.county
    )
    after_school = group_create(
        school=w.school_b,
        name="After-school",
        kind="after_school",
        kind_type=kinds["after-school"],
        weekdays=[0],
        start=w.monday,
        end=datetime.date(2027, 6, 18),
        actor=w.users.county,
    )
    group_enrol(group=after_school, child_ids=[w.child_b1.pk], actor=w.users.county)
    group_attendance_save(group=after_school, day=w.monday, present=[w.child_b1.pk], actor=w.users.county)
    assert _figures(w)["children_served"].value == 2


def test_a_family_service_reaches_the_parents_and_the_household(results_world):
    w = results_world
    intervention_types_load_defaults(county_code="IS")
    kinds = {t.code: t for t in InterventionType.objects.filter(county_code="IS")}
    mother = _parent(w.child_b1, "Ursu")
    # child_a1 (school a, in the target group) is child_b1's sibling; child_a2's household is another
    w.child_a1.household = w.child_b1.household
    w.child_a1.save(update_fields=["household"])
    _parent(w.child_a2, "Rusu")  # a pupil outside the target group: never counted
    case = _case(w, w.child_b1, mother)
    before = _figures(w)
    assert (before["children_served"].value, before["parents"].value) == (0, 0)
    intervention_record(
        case=case, kind=kinds["family-counselling"], delivered_on=w.monday, recipient="family", actor=w.users.county
    )
    after = _figures(w)
    assert after["parents"].value == 1
    assert after["children_served"].value == 2  # child_b1 and, in the same household, child_a1


def test_a_home_visit_reaches_the_parent_only_when_found_at_home(results_world):
    w = results_world
    intervention_types_load_defaults(county_code="IS")
    case = _case(w, w.child_b1, _parent(w.child_b1, "Ursu"))
    visit_record(
        case=case, visit=None, visited_on=w.monday, outcome="Nimeni acasă.", parent_reached=False, actor=w.users.county
    )
    figures = _figures(w)
    assert figures["parents"].value == 0
    assert figures["children_served"].value == 1  # the visit is a service to the family
    visit_record(
        case=case, visit=None, visited_on=w.monday, outcome="Mama acasă.", parent_reached=True, actor=w.users.county
    )
    assert _figures(w)["parents"].value == 1
