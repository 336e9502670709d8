"""Children outside school: recording, the school-age check, who sees them, re-enrolment that keeps the story, and
the list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.children.models import Child, Enrolment, OutOfSchool
from prezent.children.outside.services import outside_child_create, outside_close, outside_record, outside_reenrol
from prezent.children.selectors import child_list_visible_to
from prezent.children.tests.outside_fixtures import outside_record as make_record
from prezent.children.tests.outside_fixtures import outside_world
from prezent.core.models import AccessLog, AuditEvent
from prezent.schools.tests.factories import LocalityFactory

TODAY = datetime.date(2026, 11, 29)


def _new_child(world, **kwargs):
    data = {
        "first_name": "Ana",
        "last_name": "Nouă",
        "sex": "F",
        "birth_date": datetime.date(2015, 3, 1),
        "locality": world.school_a.locality,
        "reason": OutOfSchool.Reason.WORK,
        "recorded_on": TODAY,
        "never_enrolled": True,
        "actor": world.users.mediator,
    } | kwargs
    return outside_child_create(**data)


def test_a_new_child_is_recorded_with_a_new_household_and_an_audit_without_names(world):
    record = _new_child(world)
    assert record.child.household.locality == world.school_a.locality
    assert record.county_code == "IS" and record.status == OutOfSchool.Status.OUTSIDE
    events = AuditEvent.objects.filter(action__in=["child.create", "outside.record"])
    assert events.count() == 2
    for event in events:
        assert "Ana" not in str(event.details) and "Nouă" not in str(event.details)


def test_a_sibling_shares_the_household(world):
    record = _new_child(world, sibling=world.child_a1)
    assert record.child.household_id == world.child_a1.household_id


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        (datetime.date(2020, 11, 29), True),  # 6 today
        (datetime.date(2020, 11, 30), False),  # 6 tomorrow
        (datetime.date(2007, 11, 30), True),  # still 18
        (datetime.date(2007, 11, 29), False),  # 19 today
    ],
)
def test_the_child_must_be_of_school_age_on_the_day_recorded(world, birth, ok):
    if ok:
        assert _new_child(world, birth_date=birth).pk
    else:
        with pytest.raises(ValidationError) as exc:
            _new_child(world, birth_date=birth)
        assert "între 6 și 18 ani" in exc.value.message_dict["birth_date"][0]
        assert not Child.objects.filter(last_name="Nouă").exists()


def test_a_mediator_records_only_in_the_communes_of_their_schools(world):
    village_of_a = LocalityFactory(uat=world.school_a.locality)
    assert _new_child(world, locality=village_of_a).pk
    with pytest.raises(ValidationError) as exc:
        _new_child(world, locality=world.school_b.locality, last_name="Alta")
    assert "locality" in exc.value.message_dict
    assert _new_child(world, locality=world.school_b.locality, last_name="Alta", actor=world.users.county).pk
    with pytest.raises(ValidationError):
        _new_child(world, last_name="Alta2", actor=world.users.caseworker)


def test_visibility_per_role(world):
    extra = outside_world(world)
    a, b = extra.outside_a.child, extra.outside_b.child
    seen = {role: set(child_list_visible_to(user=getattr(world.users, role))) for role in vars(world.users)}
    assert {a, b} <= seen["county"]
    for role in ("mediator", "school_coord", "caseworker"):
        assert a in seen[role] and b not in seen[role], role
    for role in ("teacher", "trainer", "me_viewer", "admin", "norole"):
        assert not {a, b} & seen[role], role


def test_the_last_school_makes_a_record_visible_outside_the_commune(world):
    record = make_record(world, LocalityFactory(), never_enrolled=False, since=TODAY, last_school=world.school_a)
    assert record.child in child_list_visible_to(user=world.users.mediator)


def test_a_child_who_dropped_out_is_marked_from_their_page(client, world):
    extra = outside_world(world)
    child = extra.child_left_a
    client.force_login(world.users.mediator)
    page = client.get(child.get_absolute_url())
    assert reverse("children:outside_mark", args=[child.pk]) in page.content.decode()
    url = reverse("children:outside_mark", args=[child.pk])
    form = client.get(url)
    assert form.context["form"].initial["since"] == datetime.date(2026, 10, 31)
    data = {
        "locality": world.school_a.locality.pk,
        "since": "2026-10-31",
        "reason": "poverty",
        "recorded_on": "2026-11-28",
    }
    response = client.post(url, data)
    record = OutOfSchool.objects.get(child=child)
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.last_school == world.school_a and not record.never_enrolled


def test_an_error_keeps_what_was_typed_with_a_romanian_message(client, world):
    client.force_login(world.users.mediator)
    data = {
        "last_name": "Tânăr",
        "first_name": "Ion",
        "sex": "M",
        "birth_date": "2023-01-01",
        "locality": world.school_a.locality.pk,
        "never_enrolled": "on",
        "reason": "work",
        "found_by": "vecina",
        "recorded_on": "2026-11-29",
    }
    response = client.post(reverse("children:outside_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "între 6 și 18 ani" in html
    assert 'value="Tânăr"' in html and 'value="vecina"' in html
    assert f'value="{world.school_a.locality.pk}" checked' in html
    assert not Child.objects.filter(last_name="Tânăr").exists()


def test_a_child_with_an_open_enrolment_cannot_be_recorded(world):
    with pytest.raises(ValidationError):
        outside_record(
            child=world.child_a1,
            locality=world.school_a.locality,
            reason="poverty",
            since=TODAY,
            recorded_on=TODAY,
            actor=world.users.mediator,
        )


def test_reenrolment_creates_the_enrolment_and_keeps_the_story(client, world):
    extra = outside_world(world)
    child = extra.child_left_a
    record = outside_record(
        child=child,
        locality=world.school_a.locality,
        reason="work",
        since=datetime.date(2026, 10, 31),
        recorded_on=datetime.date(2026, 11, 20),
        actor=world.users.mediator,
    )
    enrolment = outside_reenrol(
        record=record, class_group=world.class_a1, on=datetime.date(2026, 11, 25), actor=world.users.mediator
    )
    record.refresh_from_db()
    assert record.status == OutOfSchool.Status.BACK and record.closed_on == datetime.date(2026, 11, 25)
    assert record.enrolment == enrolment and enrolment.end is None
    assert child.enrolments.count() == 2  # the dropped-out enrolment stays
    assert AuditEvent.objects.filter(action="outside.reenrol", target_id=str(record.pk)).exists()
    client.force_login(world.users.school_coord)
    response = client.get(record.get_absolute_url())
    story = response.context["story"]
    texts = [e.text for e in response.context["story"]]
    assert [e.day for e in response.context["story"]] == sorted(e.day for e in response.context["story"])
    assert any("abandon școlar" in t for t in texts)
    assert any(t.startswith("Înregistrat în afara școlii") for t in texts)
    assert any("Înapoi la școală" in t for t in texts)
    assert len(story) == 5  # enrolled, left, recorded, back (closed), enrolled again
    assert AccessLog.objects.filter(child_id=child.pk, view="children:outside_detail").exists()
    child_page = client.get(child.get_absolute_url()).content.decode()
    assert "Înapoi la școală" in child_page
    with pytest.raises(PermissionDenied):  # a closed record is not re-enrolled twice
        outside_reenrol(record=record, class_group=world.class_a2, on=TODAY, actor=world.users.county)


def test_reenrolment_refuses_a_date_before_the_record_and_changes_nothing(world):
    extra = outside_world(world)
    with pytest.raises(ValidationError):
        outside_reenrol(
            record=extra.outside_a,
            class_group=world.class_a1,
            on=datetime.date(2026, 11, 2),
            actor=world.users.mediator,
        )
    extra.outside_a.refresh_from_db()
    assert extra.outside_a.status == OutOfSchool.Status.OUTSIDE
    assert not Enrolment.objects.filter(child=extra.outside_a.child).exists()


def test_the_case_worker_cannot_reenrol_or_close(world):
    extra = outside_world(world)
    with pytest.raises(PermissionDenied):
        outside_close(record=extra.outside_a, status="moved_away", on=TODAY, actor=world.users.caseworker)


def test_a_child_outside_school_is_not_moved_into_a_class(client, world):
    extra = outside_world(world)
    client.force_login(world.users.mediator)
    response = client.get(extra.outside_a.child.get_absolute_url())
    assert response.status_code == 200 and "move_form" not in response.context
    assert "may_edit" in response.context  # details, parents and household are written for them too


def test_list_filters_and_counts(client, world):
    extra = outside_world(world)
    other = make_record(world, world.school_a.locality, reason=OutOfSchool.Reason.MARRIAGE)
    outside_close(record=other, status="moved_away", on=TODAY, actor=world.users.mediator)
    client.force_login(world.users.mediator)
    url = reverse("children:outside_list")
    response = client.get(url)
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["outside"] == 1 and response.context["counts"]["moved_away"] == 1
    assert str(extra.outside_b.child) not in response.content.decode()
    assert list(client.get(url, {"status": "outside"}).context["page"]) == [extra.outside_a]
    assert list(client.get(url, {"reason": "marriage"}).context["page"]) == [other]
    assert extra.outside_b not in list(client.get(url, {"locality": world.school_b.locality.pk}).context["page"])
    village = LocalityFactory(uat=world.school_a.locality)
    there = make_record(world, village)
    assert list(client.get(url, {"locality": village.pk}).context["page"]) == [there]


def test_list_query_count_is_constant(client, world, django_assert_num_queries):
    for _ in range(3):
        make_record(world, world.school_a.locality)
    client.force_login(world.users.mediator)
    url = reverse("children:outside_list")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(10):
        make_record(world, LocalityFactory(uat=world.school_a.locality), last_school=world.school_a)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.context["counts"]["total"] == 13


def test_locality_search_folds_diacritics_and_stays_in_reach(client, world):
    LocalityFactory(name="ȚIBĂNEȘTI", uat=world.school_a.locality)
    LocalityFactory(name="ȚIBANA", uat=world.school_b.locality)
    client.force_login(world.users.mediator)
    html = client.get(reverse("children:outside_pick"), {"what": "locality", "q": "tib"}).content.decode()
    assert "ȚIBĂNEȘTI" in html and "ȚIBANA" not in html
