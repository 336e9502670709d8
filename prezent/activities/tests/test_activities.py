"""Recording activities with participants ticked from the school's lists, the calendar and the coverage table."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.activities.models import Activity, Participation
from prezent.activities.selectors import activity_coverage, school_lists
from prezent.activities.services import ActivityDetails, activity_record, activity_update
from prezent.activities.tests.factories import ActivityFactory, activity_type, add_guardian
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.schools.models import School

DAY = datetime.date(2026, 11, 25)


def details(**overrides) -> ActivityDetails:
    values = {
        "type": activity_type(),
        "title": "Club de lectură",
        "date": DAY,
        "start_time": None,
        "place": "Biblioteca școlii",
        "facilitator": "Ioana Munteanu",
        "audience": "mixed",
        "notes": "",
    }
    values.update(overrides)
    return ActivityDetails(**values)


@pytest.fixture
def big_class(activities_world):
    """Ten more children of class a1, each with a guardian."""
    children = enrol(activities_world.class_a1, 10)
    guardians = [add_guardian(child) for child in children]
    return children, guardians


def test_school_lists_hold_the_classes_children_guardians_and_teachers(activities_world):
    w = activities_world
    lists = school_lists(school=w.school_a)
    assert [r.class_group for r in lists.classes] == [w.class_a1, w.class_a2]
    assert lists.child_ids == {w.child_a1.pk, w.child_a1_other.pk, w.child_a2.pk}
    assert lists.guardian_ids == {w.guardian_a1.pk}
    assert lists.teacher_ids == {w.users.teacher.pk}
    assert w.child_b1.pk not in lists.child_ids


def test_school_lists_take_a_constant_number_of_queries(activities_world, big_class, django_assert_num_queries):
    with django_assert_num_queries(6):
        lists = school_lists(school=activities_world.school_a)
    assert len(lists.child_ids) == 13


def test_an_activity_records_children_guardians_teachers_and_outsiders(activities_world, big_class):
    w = activities_world
    children, guardians = big_class
    activity = activity_record(
        school=w.school_a,
        details=details(),
        child_ids=[c.pk for c in children[:6]],
        guardian_ids=[g.pk for g in guardians[:4]],
        teacher_ids=[w.users.teacher.pk],
        others=["Preotul satului", "  Preotul   satului ", ""],
        actor=w.users.school_coord,
    )
    kinds = sorted(activity.participations.values_list("kind", flat=True))
    assert kinds.count("child") == 6 and kinds.count("guardian") == 4 and kinds.count("teacher") == 1
    assert list(activity.participations.filter(kind="other").values_list("name", flat=True)) == ["Preotul satului"]
    event = AuditEvent.objects.get(action="activity.record")
    assert event.details == {
        "school": w.school_a.pk,
        "type": "lectura",
        "children": 6,
        "guardians": 4,
        "teachers": 1,
        "others": 1,
    }
    assert children[0].last_name not in str(event.details)


def test_a_child_of_another_school_is_refused_and_nothing_is_stored(activities_world):
    w = activities_world
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as error:
        activity_record(school=w.school_a, details=details(), child_ids=[w.child_b1.pk], actor=w.users.school_coord)
    assert "children" in error.value.error_dict
    assert Activity.objects.count() == before


def test_update_sets_the_participants_to_exactly_the_ticked_ones(activities_world):
    w = activities_world
    activity = activity_record(
        school=w.school_a, details=details(), child_ids=[w.child_a1.pk, w.child_a2.pk], actor=w.users.school_coord
    )
    activity_update(
        activity=activity,
        details=details(title="Club de lectură (2)"),
        child_ids=[w.child_a2.pk],
        guardian_ids=[w.guardian_a1.pk],
        actor=w.users.school_coord,
    )
    activity.refresh_from_db()
    assert activity.title == "Club de lectură (2)"
    assert set(activity.participations.values_list("kind", "child_id", "guardian_id")) == {
        ("child", w.child_a2.pk, None),
        ("guardian", None, w.guardian_a1.pk),
    }


def _form_data(w, **overrides):
    data = {
        "type": activity_type().pk,
        "title": "Atelier de desen",
        "date": DAY.isoformat(),
        "facilitator": "Ioana Munteanu",
        "audience": "children",
        "children": [w.child_a1.pk, w.child_a2.pk],
        "guardians": [w.guardian_a1.pk],
        "others": "Voluntar Asociația Zâmbet",
    }
    data.update(overrides)
    return data


def test_the_form_records_the_activity_and_shows_it(client, activities_world):
    w = activities_world
    client.force_login(w.users.school_coord)
    response = client.post(reverse("activities:create", kwargs={"school_id": w.school_a.pk}), _form_data(w))
    activity = Activity.objects.get(title="Atelier de desen")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.participations.count() == 4
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Voluntar Asociația Zâmbet" in page and w.child_a1.last_name in page


def test_a_name_with_a_control_character_is_refused_with_its_line_and_nothing_is_stored(client, activities_world):
    w = activities_world
    client.force_login(w.users.school_coord)
    url = reverse("activities:create", kwargs={"school_id": w.school_a.pk})
    typed = "Voluntar Asociația Zâmbet\nIon\x1b Popa"
    response = client.post(url, _form_data(w, others=typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rândul 2: numele conține un caracter invizibil sau de control" in page
    assert "Voluntar Asociația Zâmbet" in page  # what was typed stays
    # Said at the top as well, with a link down to the field (a long way down on a phone).
    summary = page.index('data-testid="error-summary"')
    assert summary < page.index('name="title"') and "Activitatea nu a fost salvată:" in page[summary:]
    assert '<a href="#id_others">Alte persoane (din afara listelor): Rândul 2:' in page
    assert not Activity.objects.filter(title="Atelier de desen").exists()
    # A tab between first and last name is only a space.
    client.post(url, _form_data(w, others="Ion\tPopa"))
    activity = Activity.objects.get(title="Atelier de desen")
    assert list(activity.participations.exclude(name="").values_list("name", flat=True)) == ["Ion Popa"]


def test_bad_input_keeps_what_was_typed_and_ticked_and_stores_nothing(client, activities_world):
    w = activities_world
    client.force_login(w.users.school_coord)
    before = Activity.objects.count()
    url = reverse("activities:create", kwargs={"school_id": w.school_a.pk})
    response = client.post(url, _form_data(w, title="", facilitator="Maria Popescu"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Acest câmp este obligatoriu" in page or "This field is required" in page
    assert 'value="Maria Popescu"' in page
    assert f'name="children" value="{w.child_a1.pk}" checked' in page
    assert f'name="guardians" value="{w.guardian_a1.pk}" checked' in page
    assert Activity.objects.count() == before


def test_a_child_not_on_the_lists_is_refused_by_the_form(client, activities_world):
    w = activities_world
    client.force_login(w.users.county)
    url = reverse("activities:create", kwargs={"school_id": w.school_a.pk})
    response = client.post(url, _form_data(w, children=[w.child_b1.pk]))
    assert response.status_code == 400
    assert "Alegeți doar persoane de pe listele școlii." in response.content.decode()
    assert not Activity.objects.filter(title="Atelier de desen").exists()


def test_no_participant_is_refused(client, activities_world):
    w = activities_world
    client.force_login(w.users.school_coord)
    url = reverse("activities:create", kwargs={"school_id": w.school_a.pk})
    response = client.post(url, _form_data(w, children=[], guardians=[], others=""))
    assert response.status_code == 400
    assert "Bifați cel puțin un participant" in response.content.decode()


def test_calendar_lists_the_months_events_in_constant_queries(client, activities_world, django_assert_num_queries):
    w = activities_world
    for day in range(1, 25):
        ActivityFactory(school=w.school_a, date=datetime.date(2026, 11, day), created_by=w.users.school_coord)
    client.force_login(w.users.school_coord)
    url = reverse("activities:calendar") + "?luna=2026-11"
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("kind-activity") == 25  # 24 + the world's activity of school a; school b's is not shown
    assert page.count("kind-campaign") == 1
    assert w.activity_b.get_absolute_url() not in page


def test_the_school_calendar_shows_only_that_school(client, activities_world):
    w = activities_world
    client.force_login(w.users.county)
    page = client.get(reverse("activities:calendar") + f"?scoala={w.school_b.pk}&luna=2026-11").content.decode()
    assert w.activity_b.get_absolute_url() in page and w.activity_a.get_absolute_url() not in page


def test_coverage_counts_types_per_school_in_the_period(activities_world):
    w = activities_world
    ActivityFactory(school=w.school_a, type=activity_type("sport"), date=datetime.date(2026, 11, 3))
    ActivityFactory(school=w.school_a, type=activity_type("sport"), date=datetime.date(2026, 11, 4))
    ActivityFactory(school=w.school_b, type=activity_type("sport"), date=datetime.date(2027, 1, 20))
    table = activity_coverage(
        schools=School.objects.filter(pk__in=[w.school_a.pk, w.school_b.pk]),
        start=datetime.date(2026, 11, 2),
        end=datetime.date(2026, 12, 22),
    )
    codes = [t.code for t in table.types]
    rows = {row.school.pk: dict(zip(codes, row.counts, strict=True)) for row in table.rows}
    assert rows[w.school_a.pk]["sport"] == 2 and rows[w.school_a.pk]["lectura"] == 1
    assert rows[w.school_b.pk]["sport"] == 0 and rows[w.school_b.pk]["lectura"] == 1
    assert len(codes) == 10 and table.schools_with_any == 2


def test_coverage_page_for_the_me_viewer_shows_counts_only(client, activities_world):
    w = activities_world
    client.force_login(w.users.me_viewer)
    page = client.get(reverse("activities:coverage")).content.decode()
    assert w.school_a.name in page or (w.school_a.short_name and w.school_a.short_name in page)
    assert w.child_a1.last_name not in page


def test_catalogue_adds_a_type_and_refuses_a_duplicate_code(client, activities_world):
    client.force_login(activities_world.users.county)
    data = {
        "which": "type",
        "type-code": "robotica",
        "type-name": "Robotică",
        "type-audience": "children",
        "type-order": 11,
        "type-active": "on",
    }
    assert client.post(reverse("activities:catalogue"), data).status_code == 302
    response = client.post(reverse("activities:catalogue"), {**data, "type-name": "Alt nume"})
    assert response.status_code == 400
    assert "Există deja un tip cu acest cod." in response.content.decode()


def test_a_type_out_of_use_is_not_offered_but_stays_on_old_activities(client, activities_world):
    w = activities_world
    client.force_login(w.users.county)
    lectura = activity_type()
    client.post(reverse("activities:catalogue_toggle", kwargs={"which": "tip", "pk": lectura.pk}))
    lectura.refresh_from_db()
    assert not lectura.active
    page = client.get(reverse("activities:create", kwargs={"school_id": w.school_a.pk})).content.decode()
    assert f'<option value="{lectura.pk}"' not in page
    assert Activity.objects.filter(type=lectura).exists()


def test_a_teacher_holding_the_role_over_the_school_is_on_its_list(activities_world):
    w = activities_world
    other = UserFactory()
    assign(other, Role.CLASS_TEACHER, schools=[w.school_a])
    assert other.pk in school_lists(school=w.school_a).teacher_ids
    assert other.pk not in school_lists(school=w.school_b).teacher_ids


def test_participation_rows_are_unique_per_person(activities_world):
    w = activities_world
    activity_record(
        school=w.school_a, details=details(), child_ids=[w.child_a1.pk, w.child_a1.pk], actor=w.users.school_coord
    )
    assert Participation.objects.filter(child=w.child_a1).count() == 1


def test_coverage_page_does_not_query_per_school(client, activities_world, django_assert_max_num_queries):
    w = activities_world
    for _ in range(10):
        school = type(w.school_a).objects.create(
            siiir_code=f"22619{_:05d}",
            kind="PJ",
            name=f"Școala {_}",
            county_code="IS",
            locality=w.school_a.locality,
            environment="rural",
        )
        w.programme.schools.add(school)
        ActivityFactory(school=school, date=datetime.date(2026, 11, 5))
    client.force_login(w.users.county)
    url = reverse("activities:coverage") + "?modul=2"
    client.get(url)
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.content.decode().count('class="held"') >= 11


def test_a_type_is_renamed_and_keeps_its_code(client, activities_world):
    client.force_login(activities_world.users.county)
    lectura = activity_type()
    url = reverse("activities:catalogue_edit", kwargs={"which": "tip", "pk": lectura.pk})
    data = {"code": "altceva", "name": "Cercul de lectură", "audience": "mixed", "order": 2, "active": "on"}
    assert client.post(url, data).status_code == 302
    lectura.refresh_from_db()
    assert (lectura.code, lectura.name, lectura.audience) == ("lectura", "Cercul de lectură", "mixed")
    response = client.post(url, {**data, "name": ""})
    assert response.status_code == 400
    lectura.refresh_from_db()
    assert lectura.name == "Cercul de lectură"
