"""The selectors the results dashboard calls: children served, services by type, first intervention dates."""

import datetime

from prezent.cases.selectors import ServiceCount, children_served, first_intervention_dates, services_by_type
from prezent.cases.services import intervention_record

NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def test_children_served_counts_child_and_family_interventions_in_the_period(cases_world):
    w = cases_world
    assert children_served(start=NOV[0], end=NOV[1]) == {w.child_a1.pk}
    intervention_record(
        case=w.case_b1,
        kind=w.catalogue["family-counselling"],
        delivered_on=w.monday,
        recipient="family",
        actor=w.users.county,
    )
    assert children_served(start=NOV[0], end=NOV[1]) == {w.child_a1.pk, w.child_b1.pk}
    assert children_served(start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 31)) == set()
    assert children_served(start=w.monday, end=w.monday) == {w.child_a1.pk, w.child_b1.pk}


def test_services_by_type(cases_world):
    w = cases_world
    intervention_record(
        case=w.case_a1, kind=w.hot_meal, delivered_on=w.monday, recipient="child", quantity=20, actor=w.users.county
    )
    intervention_record(
        case=w.case_b1, kind=w.hot_meal, delivered_on=w.monday, recipient="child", quantity=10, actor=w.users.county
    )
    intervention_record(
        case=w.case_b1, kind=w.catalogue["counselling"], delivered_on=w.monday, recipient="child", actor=w.users.county
    )
    rows = services_by_type(start=NOV[0], end=NOV[1])
    assert rows == [
        ServiceCount(code="hot-meal", label="Masă caldă", deliveries=3, children=2, quantity=35),
        ServiceCount(code="counselling", label="Consiliere individuală", deliveries=1, children=1, quantity=0),
    ]
    assert services_by_type(start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 31)) == []


def test_first_intervention_dates(cases_world):
    w = cases_world
    later = w.monday + datetime.timedelta(days=3)
    intervention_record(
        case=w.case_b1, kind=w.hot_meal, delivered_on=later, recipient="child", quantity=1, actor=w.users.county
    )
    assert first_intervention_dates(child_ids=[w.child_a1.pk, w.child_b1.pk, w.child_a2.pk]) == {
        w.child_a1.pk: w.monday,
        w.child_b1.pk: later,
    }
    assert first_intervention_dates(child_ids=[]) == {}


def test_service_units_by_day_counts_quantity_or_one_for_the_programmes_cases(cases_world):
    from prezent.cases.models import Intervention
    from prezent.cases.selectors import service_units_by_day
    from prezent.programme.models import Programme

    w = cases_world
    Intervention.objects.all().delete()
    for case, kind, quantity in (
        (w.case_a1, w.hot_meal, 20),
        (w.case_b1, w.hot_meal, 10),
        (w.case_b1, w.catalogue["counselling"], None),
        (w.case_b1, w.catalogue["counselling"], None),
    ):
        intervention_record(
            case=case, kind=kind, delivered_on=w.monday, recipient="child", quantity=quantity, actor=w.users.county
        )
    rows = service_units_by_day(programme_id=w.programme.pk, start=NOV[0], end=NOV[1])
    assert sorted(rows) == sorted([(w.hot_meal.pk, w.monday, 30), (w.catalogue["counselling"].pk, w.monday, 2)])
    other = Programme.objects.create(
        code="X", name="Alt program", county_code="IS", start=w.monday, end=datetime.date(2027, 6, 30)
    )
    assert service_units_by_day(programme_id=other.pk, start=NOV[0], end=NOV[1]) == []
    assert service_units_by_day(programme_id=w.programme.pk, start=NOV[0], end=w.monday - datetime.timedelta(1)) == []


def test_children_and_places_served_are_read_once_each_not_once_per_delivery(db):
    """The model's ordering (date, id) must not reach the DISTINCT: SQL would then return a row per delivery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from prezent.cases.selectors import localities_served

    with CaptureQueriesContext(connection) as ctx:
        children_served(start=NOV[0], end=NOV[1])
        localities_served(start=NOV[0], end=NOV[1])
    distinct = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT DISTINCT")]
    assert len(distinct) == 2
    for sql in distinct:
        selected = sql.split(" FROM ")[0]
        assert "delivered_on" not in selected and '"id"' not in selected, selected
