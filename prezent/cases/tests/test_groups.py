"""Group deliveries (prezent/cases/groups/): distribution lists and recurring groups — the services, the pages
(permissions, out of scope, query counts, bad input keeps what was typed) and the counts of services they feed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from prezent.cases.groups.selectors import group_meeting_days, programme_children_of_school
from prezent.cases.groups.services import delivery_list_save, group_attendance_save, group_create, group_enrol
from prezent.cases.models import DeliveryList, Intervention, ServiceGroup
from prezent.cases.selectors import children_served, services_by_type
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.programme.services import membership_move

NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def _list_url(w, school=None, kind="hot-meal", day=None):
    school = school or w.school_a
    return reverse(
        "cases:delivery_list", kwargs={"school": school.pk, "kind": kind, "day": (day or w.monday).isoformat()}
    )


def _programme_children(w, n: int) -> list:
    """`n` more of the programme's children in class a1 (school a)."""
    children = enrol(w.class_a1, n)
    for child in children:
        membership_move(
            programme=w.programme,
            child=child,
            to_status="proposed",
            on=w.monday,
            reason="screening",
            actor=w.users.county,
        )
    return children


def _list_interventions(w):
    return Intervention.objects.filter(delivery_list__isnull=False).order_by("child_id")


# -- services --------------------------------------------------------------------------------------------------


def test_the_list_offers_only_the_programme_children_of_the_school(cases_world):
    w = cases_world
    on_list = list(programme_children_of_school(school=w.school_a, day=w.monday))
    # child_a1_other and child_a2 are pupils of school a outside the target group; child_b1 is in school b
    assert on_list == [w.child_a1]


def test_saving_a_list_is_idempotent_untick_removes_and_quantities_change(cases_world):
    w = cases_world
    extra = _programme_children(w, 2)
    cw = w.users.caseworker
    ticks = {w.child_a1.pk: 1, extra[0].pk: 2, extra[1].pk: 1}
    saved = delivery_list_save(school=w.school_a, kind=w.hot_meal, day=w.monday, ticks=ticks, actor=cw)
    assert (saved.added, saved.changed, saved.removed) == (3, 0, 0)
    again = delivery_list_save(school=w.school_a, kind=w.hot_meal, day=w.monday, ticks=ticks, actor=cw)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert _list_interventions(w).count() == 3
    assert DeliveryList.objects.count() == 1
    changed = delivery_list_save(
        school=w.school_a, kind=w.hot_meal, day=w.monday, ticks={w.child_a1.pk: 3, extra[0].pk: 2}, actor=cw
    )
    assert (changed.added, changed.changed, changed.removed) == (0, 1, 1)
    rows = dict(_list_interventions(w).values_list("child_id", "quantity"))
    assert rows == {w.child_a1.pk: 3, extra[0].pk: 2}
    tick = _list_interventions(w).first()
    assert (tick.case_id, tick.type_id, tick.delivered_on, tick.recipient) == (None, w.hot_meal.pk, w.monday, "child")
    events = AuditEvent.objects.filter(action="delivery_list.save").order_by("pk")
    assert events.count() == 2  # the re-save that changed nothing wrote no event
    assert events.last().details["removed"] == 1
    assert "Masă" not in str(events.last().details)


def test_a_list_refuses_a_child_outside_the_programme_a_future_day_and_a_bad_quantity(cases_world):
    w = cases_world
    cw = w.users.caseworker
    for ticks, day, key in (
        ({w.child_a1_other.pk: 1}, w.monday, "children"),
        ({w.child_b1.pk: 1}, w.monday, "children"),
        ({w.child_a1.pk: 1}, datetime.date(2026, 12, 1), "day"),
        ({w.child_a1.pk: 0}, w.monday, "quantity"),
    ):
        with pytest.raises(ValidationError) as raised:
            delivery_list_save(school=w.school_a, kind=w.hot_meal, day=day, ticks=ticks, actor=cw)
        assert key in raised.value.message_dict
    with pytest.raises(ValidationError):  # counselling is not material help handed out on a list
        delivery_list_save(
            school=w.school_a, kind=w.catalogue["counselling"], day=w.monday, ticks={w.child_a1.pk: 1}, actor=cw
        )
    with pytest.raises(ValidationError):  # the case worker of school a has no say at school b
        delivery_list_save(school=w.school_b, kind=w.hot_meal, day=w.monday, ticks={}, actor=cw)
    assert not _list_interventions(w).exists() and not DeliveryList.objects.exists()


def test_group_attendance_is_one_service_per_child_and_day(cases_world):
    w = cases_world
    group = w.group_a
    tuesday = w.monday + datetime.timedelta(days=1)
    saved = group_attendance_save(group=group, day=tuesday, present=[w.child_a1.pk], actor=w.users.mediator)
    assert saved.added == 1
    assert group_attendance_save(group=group, day=tuesday, present=[w.child_a1.pk], actor=w.users.mediator).added == 0
    tick = Intervention.objects.get(group=group)
    assert (tick.case_id, tick.type.code, tick.delivered_on, tick.quantity) == (None, "after-school", tuesday, None)
    assert group_attendance_save(group=group, day=tuesday, present=[], actor=w.users.mediator).removed == 1
    assert not Intervention.objects.filter(group=group).exists()


def test_group_attendance_refuses_a_day_off_schedule_and_a_child_not_enrolled(cases_world):
    w = cases_world
    saturday = w.monday + datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as raised:
        group_attendance_save(group=w.group_a, day=saturday, present=[w.child_a1.pk], actor=w.users.caseworker)
    assert "day" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        group_attendance_save(group=w.group_a, day=w.monday, present=[w.child_a2.pk], actor=w.users.caseworker)
    assert "children" in raised.value.message_dict
    with pytest.raises(ValidationError):  # school b is outside the mediator's schools
        group_attendance_save(group=w.group_b, day=w.monday, present=[w.child_b1.pk], actor=w.users.mediator)
    assert not Intervention.objects.filter(group__isnull=False).exists()


def test_group_create_and_enrol_check_the_schedule_and_the_children(cases_world):
    w = cases_world
    common = {
        "school": w.school_a,
        "name": "Școala de vară",
        "kind": "summer_school",
        "kind_type": w.catalogue["non-formal"],
        "actor": w.users.school_coord,
    }
    with pytest.raises(ValidationError) as raised:
        group_create(weekdays=[], start=w.monday, end=w.monday - datetime.timedelta(days=1), **common)
    assert {"weekdays", "end"} <= set(raised.value.message_dict)
    with pytest.raises(ValidationError):  # the mediator ticks attendance but does not create groups
        group_create(weekdays=[0], start=w.monday, end=w.monday, **{**common, "actor": w.users.mediator})
    group = group_create(weekdays=[4, 0, 0], start=w.monday, end=datetime.date(2027, 8, 20), **common)
    assert group.weekdays == [0, 4]
    assert group_meeting_days(group=group, until=datetime.date(2026, 11, 29)) == [
        w.monday,
        w.monday + datetime.timedelta(days=4),
    ]
    with pytest.raises(ValidationError):
        group_enrol(group=group, child_ids=[w.child_a2.pk], actor=w.users.school_coord)
    assert group_enrol(group=group, child_ids=[w.child_a1.pk], actor=w.users.school_coord).added == 1
    assert list(group.children.all()) == [w.child_a1]


# -- counted wherever services are counted -----------------------------------------------------------------------


def test_ticks_count_as_services_and_children_served_without_double_counting(cases_world):
    w = cases_world
    extra = _programme_children(w, 1)
    before = {row.code: row for row in services_by_type(start=NOV[0], end=NOV[1])}
    assert before["hot-meal"].deliveries == 1  # the case's intervention of the world
    delivery_list_save(
        school=w.school_a,
        kind=w.hot_meal,
        day=w.monday,
        ticks={w.child_a1.pk: 1, extra[0].pk: 2},
        actor=w.users.caseworker,
    )
    group_enrol(group=w.group_a, child_ids=[w.child_a1.pk, extra[0].pk], actor=w.users.caseworker)
    group_attendance_save(group=w.group_a, day=w.monday, present=[extra[0].pk], actor=w.users.caseworker)
    after = {row.code: row for row in services_by_type(start=NOV[0], end=NOV[1])}
    assert (after["hot-meal"].deliveries, after["hot-meal"].children, after["hot-meal"].quantity) == (3, 2, 8)
    assert (after["after-school"].deliveries, after["after-school"].children) == (1, 1)
    assert children_served(start=NOV[0], end=NOV[1]) == {w.child_a1.pk, extra[0].pk}


def test_a_family_service_counts_every_child_of_the_household(cases_world):
    from prezent.cases.services import intervention_record

    w = cases_world
    sibling = enrol(w.class_a2, 1, household=w.child_b1.household)[0]
    intervention_record(
        case=w.case_b1,
        kind=w.catalogue["family-counselling"],
        delivered_on=w.monday,
        recipient="family",
        actor=w.users.county,
    )
    served = children_served(start=NOV[0], end=NOV[1])
    assert {w.child_b1.pk, sibling.pk} <= served
    assert w.child_a2.pk not in served  # another household


# -- pages -------------------------------------------------------------------------------------------------------


def test_the_list_page_shows_ticks_and_saves_in_one_post_with_constant_queries(
    client, cases_world, django_assert_num_queries
):
    w = cases_world
    client.force_login(w.users.mediator)
    small = _programme_children(w, 2)
    data = {f"c{c.pk}": "on" for c in [w.child_a1, *small]} | {f"q{w.child_a1.pk}": "2"}
    client.post(_list_url(w), data)  # warm up the session and the role cache
    Intervention.objects.filter(delivery_list__isnull=False).delete()
    # PostgreSQL writes the ticks with COPY and reads the new ids back in the same statement count less one
    with django_assert_num_queries(QUERIES_POST - (connection.vendor == "postgresql")) as small_post:
        assert client.post(_list_url(w), data).status_code == 302
    big = _programme_children(w, 20)
    data = {f"c{c.pk}": "on" for c in [w.child_a1, *small, *big]}
    Intervention.objects.filter(delivery_list__isnull=False).delete()
    with django_assert_num_queries(len(small_post.captured_queries)):
        assert client.post(_list_url(w), data).status_code == 302
    assert _list_interventions(w).count() == 23
    with django_assert_num_queries(QUERIES_GET) as get:
        response = client.get(_list_url(w))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(" checked") == 23
    assert w.child_a1.last_name in body and w.child_a2.last_name not in body
    assert len(get.captured_queries) == QUERIES_GET


QUERIES_POST = 18
QUERIES_GET = 12


def test_bad_quantity_keeps_what_was_typed_and_saves_nothing(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    extra = _programme_children(w, 1)
    data = {f"c{w.child_a1.pk}": "on", f"q{w.child_a1.pk}": "doi", f"q{extra[0].pk}": "4"}
    response = client.post(_list_url(w), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cantitatea trebuie să fie un număr întreg pozitiv" in body
    assert 'value="doi"' in body and 'value="4"' in body
    assert f'name="c{w.child_a1.pk}" data-tick checked' in body
    assert not _list_interventions(w).exists()


def test_list_pages_are_404_out_of_scope_and_for_unknown_kinds_and_days(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    assert client.get(_list_url(w, school=w.school_b)).status_code == 404
    assert client.get(_list_url(w, kind="counselling")).status_code == 404
    assert client.get(_list_url(w, kind="nu-exista")).status_code == 404
    bad_day = reverse("cases:delivery_list", kwargs={"school": w.school_a.pk, "kind": "hot-meal", "day": "2026-13-01"})
    assert client.get(bad_day).status_code == 404
    assert client.post(_list_url(w, school=w.school_b), {f"c{w.child_b1.pk}": "on"}).status_code == 404
    assert not _list_interventions(w).exists()


def test_the_pick_form_opens_the_list_and_lists_recent_ones(client, cases_world):
    w = cases_world
    client.force_login(w.users.school_coord)
    url = reverse("cases:deliveries")
    response = client.get(url, {"school": w.school_a.pk, "type": w.hot_meal.pk, "day": w.monday.isoformat()})
    assert response.status_code == 302 and response.url == _list_url(w)
    assert client.get(url, {"school": w.school_b.pk, "type": w.hot_meal.pk, "day": "x"}).status_code == 400
    delivery_list_save(
        school=w.school_a, kind=w.hot_meal, day=w.monday, ticks={w.child_a1.pk: 1}, actor=w.users.school_coord
    )
    assert _list_url(w) in client.get(url).content.decode()


def test_groups_pages_list_create_enrol_and_take_attendance(client, cases_world, django_assert_num_queries):
    w = cases_world
    client.force_login(w.users.caseworker)
    with django_assert_num_queries(QUERIES_GROUPS):
        response = client.get(reverse("cases:groups"))
    body = response.content.decode()
    assert w.group_a.get_absolute_url() in body and w.group_b.get_absolute_url() not in body
    bad = {"school": w.school_a.pk, "name": "Remediale", "kind": "remedial", "kind_type": w.catalogue["remedial"].pk}
    response = client.post(reverse("cases:groups"), {**bad, "start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 400 and 'value="Remediale"' in response.content.decode()
    assert ServiceGroup.objects.count() == 2
    response = client.post(
        reverse("cases:groups"), {**bad, "weekdays": ["0", "2"], "start": "2026-11-23", "end": "2027-06-18"}
    )
    group = ServiceGroup.objects.get(name="Remediale")
    assert response.url == group.get_absolute_url()
    assert client.post(group.get_absolute_url(), {"children": [w.child_a1.pk]}).status_code == 302
    assert client.post(group.get_absolute_url(), {"children": [w.child_a2.pk]}).status_code == 400
    day_url = reverse("cases:group_attendance", kwargs={"pk": group.pk, "day": w.monday.isoformat()})
    assert client.post(day_url, {f"c{w.child_a1.pk}": "on"}).status_code == 302
    page = client.get(group.get_absolute_url()).content.decode()
    assert "✓" in page and day_url in page
    off_day = reverse("cases:group_attendance", kwargs={"pk": group.pk, "day": "2026-11-24"})
    response = client.post(off_day, {f"c{w.child_a1.pk}": "on"})
    assert response.status_code == 400 and "Grupa nu are program în această zi." in response.content.decode()
    assert Intervention.objects.filter(group=group).count() == 1
    assert client.get(reverse("cases:group_detail", kwargs={"pk": w.group_b.pk})).status_code == 404


QUERIES_GROUPS = 10


def test_the_group_page_has_constant_queries(client, cases_world, django_assert_num_queries):
    w = cases_world
    client.force_login(w.users.caseworker)
    client.get(w.group_a.get_absolute_url())
    with django_assert_num_queries(QUERIES_GROUP) as first:
        client.get(w.group_a.get_absolute_url())
    extra = _programme_children(w, 5)
    group_enrol(group=w.group_a, child_ids=[w.child_a1.pk, *(c.pk for c in extra)], actor=w.users.caseworker)
    group_attendance_save(group=w.group_a, day=w.monday, present=[c.pk for c in extra], actor=w.users.caseworker)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(w.group_a.get_absolute_url())
    assert response.content.decode().count("✓") == 5


QUERIES_GROUP = 12


def test_the_navigation_links_the_lists_for_who_records_them(client, cases_world):
    w = cases_world
    for role, shown in (("mediator", True), ("caseworker", True), ("teacher", False)):
        client.force_login(getattr(w.users, role))
        body = client.get(reverse("cases:work")).content.decode()
        assert (reverse("cases:deliveries") in body) is shown, role


def test_ticks_are_priced_with_the_programmes_services(cases_world):
    """The budget prices services from `service_units_by_day`: a distribution list's and a group's ticks (no case)
    count for the programme of their school, with their quantity (or 1)."""
    from prezent.cases.models import Intervention
    from prezent.cases.selectors import service_units_by_day

    w = cases_world
    Intervention.objects.all().delete()
    extra = _programme_children(w, 1)
    delivery_list_save(
        school=w.school_a,
        kind=w.hot_meal,
        day=w.monday,
        ticks={w.child_a1.pk: 1, extra[0].pk: 2},
        actor=w.users.caseworker,
    )
    group_enrol(group=w.group_a, child_ids=[extra[0].pk], actor=w.users.caseworker)
    group_attendance_save(group=w.group_a, day=w.monday, present=[extra[0].pk], actor=w.users.caseworker)
    rows = service_units_by_day(programme_id=w.programme.pk, start=NOV[0], end=NOV[1])
    assert sorted(rows) == sorted([(w.hot_meal.pk, w.monday, 3), (w.group_a.type_id, w.monday, 1)])
