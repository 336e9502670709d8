"""The case page's summary of the services received through distribution lists and groups (decision 48): the
child's ticks and the family services ticked for a brother or sister, per kind, with links for who may open the
lists, nothing of another child, and a constant number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.cases.groups.selectors import RECENT_TICKS, case_ticks_received
from prezent.cases.groups.services import delivery_list_save, group_attendance_save
from prezent.cases.models import DeliveryList, Intervention, Recipient
from prezent.children.tests.factories import enrol
from prezent.core.models import AccessLog


def _day(w, n: int) -> datetime.date:
    return w.monday + datetime.timedelta(days=n)


def _ticks_world(w):
    """child_a1: hot meals on 3 lists (1 + 2 + 1), a school kit, 2 after-school days; a sister in the same household
    gets a family service on a list and a meal of her own; another child gets a kit."""
    actor = w.users.caseworker
    for n, quantity in ((0, 1), (1, 2), (2, 1)):
        delivery_list_save(
            school=w.school_a, kind=w.hot_meal, day=_day(w, n), ticks={w.child_a1.pk: quantity}, actor=actor
        )
    kit = w.catalogue["school-kit"]
    delivery_list_save(school=w.school_a, kind=kit, day=_day(w, 3), ticks={w.child_a1.pk: 1}, actor=actor)
    for n in (0, 1):
        group_attendance_save(group=w.group_a, day=_day(w, n), present=[w.child_a1.pk], actor=actor)
    sister = enrol(w.class_a2, 1, household=w.child_a1.household)[0]
    clothing = w.catalogue["clothing"]
    clothes = DeliveryList.objects.create(school=w.school_a, type=clothing, day=_day(w, 4), created_by=actor)
    Intervention.objects.create(
        delivery_list=clothes,
        child=sister,
        type=clothing,
        delivered_on=_day(w, 4),
        delivered_by=actor,
        recipient=Recipient.FAMILY,
        quantity=3,
    )
    # the sister's own meal and another child's kit are theirs, not the case's child's
    sister_meal = DeliveryList.objects.get(school=w.school_a, type=w.hot_meal, day=_day(w, 0))
    Intervention.objects.create(
        delivery_list=sister_meal,
        child=sister,
        type=w.hot_meal,
        delivered_on=_day(w, 0),
        delivered_by=actor,
        quantity=7,
    )
    kits = DeliveryList.objects.get(school=w.school_a, type=kit, day=_day(w, 3))
    Intervention.objects.create(
        delivery_list=kits, child=w.child_a2, type=kit, delivered_on=_day(w, 3), delivered_by=actor, quantity=9
    )
    return sister


def _page(client, w):
    return client.get(reverse("cases:detail", args=[w.case_a1.pk]))


def test_the_summary_counts_the_childs_ticks_and_the_households_family_services(cases_world):
    w = cases_world
    _ticks_world(w)
    got = {k.label: k for k in case_ticks_received(user=w.users.caseworker, case=w.case_a1)}
    assert list(got) == [
        "Masă caldă",
        "Rechizite școlare",
        "Îmbrăcăminte / încălțăminte",
        "After-school / sprijin la teme",
    ]
    meals = got["Masă caldă"]
    # the case's own intervention (5 meals) is in the case's table, not here; the sister's meal (7) is hers
    assert (meals.ticks, meals.quantity, meals.first, meals.last, meals.family) == (3, 4, _day(w, 0), _day(w, 2), 0)
    assert [t.day for t in meals.recent] == [_day(w, 2), _day(w, 1), _day(w, 0)]
    kit = got["Rechizite școlare"]
    assert (kit.ticks, kit.quantity) == (1, 1)  # another child's kit (9) is left out
    clothes = got["Îmbrăcăminte / încălțăminte"]
    assert (clothes.ticks, clothes.quantity, clothes.family, clothes.recent[0].family) == (1, 3, 1, True)
    after = got["After-school / sprijin la teme"]
    assert (after.ticks, after.quantity, after.first, after.last) == (2, 0, _day(w, 0), _day(w, 1))
    assert after.recent[0].group_name == w.group_a.name
    assert after.recent[0].url == reverse("cases:group_detail", args=[w.group_a.pk])
    assert meals.recent[0].url == reverse(
        "cases:delivery_list", kwargs={"school": w.school_a.pk, "kind": "hot-meal", "day": _day(w, 2).isoformat()}
    )


def test_the_sisters_case_does_not_see_the_brothers_own_ticks(cases_world):
    """A child's own (not family) ticks stay on that child's summary; a child outside the household sees none."""
    w = cases_world
    _ticks_world(w)
    assert case_ticks_received(user=w.users.county, case=w.case_b1) == []


def test_a_family_service_at_a_school_the_child_never_attended_is_left_out(cases_world):
    w = cases_world
    sister = enrol(w.class_b1, 1, household=w.child_a1.household)[0]
    clothing = w.catalogue["clothing"]
    elsewhere = DeliveryList.objects.create(school=w.school_b, type=clothing, day=_day(w, 1), created_by=w.users.county)
    Intervention.objects.create(
        delivery_list=elsewhere,
        child=sister,
        type=clothing,
        delivered_on=_day(w, 1),
        delivered_by=w.users.county,
        recipient=Recipient.FAMILY,
        quantity=2,
    )
    assert case_ticks_received(user=w.users.county, case=w.case_a1) == []


def test_the_case_page_shows_the_summary_links_for_who_may_open_lists_and_logs_the_read(client, cases_world):
    w = cases_world
    sister = _ticks_world(w)
    client.force_login(w.users.caseworker)
    response = _page(client, w)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Servicii primite prin liste și grupe" in body
    assert body.count('data-testid="ticks-kind"') == 4
    assert f"ultimele {RECENT_TICKS} date" in body and "din care 1 pentru familie" in body
    assert reverse("cases:group_detail", args=[w.group_a.pk]) in body
    assert (
        reverse(
            "cases:delivery_list", kwargs={"school": w.school_a.pk, "kind": "hot-meal", "day": _day(w, 2).isoformat()}
        )
        in body
    )
    assert sister.last_name not in body and w.child_a2.last_name not in body
    assert AccessLog.objects.filter(user=w.users.caseworker, child_id=w.child_a1.pk, view="cases:detail").count() == 1
    # the class teacher sees the case and the summary, but no link to lists or groups they may not open
    client.force_login(w.users.teacher)
    body = _page(client, w).content.decode()
    assert body.count('data-testid="ticks-kind"') == 4
    assert reverse("cases:group_detail", args=[w.group_a.pk]) not in body
    assert f"/livrari/{w.school_a.pk}/" not in body


def test_the_summary_is_absent_without_ticks(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    assert 'data-testid="ticks-received"' not in _page(client, w).content.decode()


def _meal_lists(w, days: range) -> None:
    """A meal list per day before the world's Monday, each ticking child_a1 with 2 meals."""
    for n in days:
        day = w.monday - datetime.timedelta(days=n + 1)
        meals = DeliveryList.objects.create(school=w.school_a, type=w.hot_meal, day=day, created_by=w.users.mediator)
        Intervention.objects.create(
            delivery_list=meals,
            child=w.child_a1,
            type=w.hot_meal,
            delivered_on=day,
            delivered_by=w.users.mediator,
            quantity=2,
        )


def test_the_case_page_runs_the_same_queries_for_1_and_30_ticks(client, cases_world, django_assert_num_queries):
    w = cases_world
    client.force_login(w.users.caseworker)
    _meal_lists(w, range(1))
    _page(client, w)  # warm up the session and the role cache
    with CaptureQueriesContext(connection) as one:
        assert _page(client, w).status_code == 200
    _meal_lists(w, range(1, 30))
    with django_assert_num_queries(len(one)):
        response = _page(client, w)
    (meals,) = response.context["received"]
    assert (meals.ticks, meals.quantity, len(meals.recent)) == (30, 60, RECENT_TICKS)
    assert meals.last == w.monday - datetime.timedelta(days=1)
    assert meals.first == w.monday - datetime.timedelta(days=30)
    assert response.content.decode().count(f"/livrari/{w.school_a.pk}/hot-meal/") == RECENT_TICKS
