"""Malformed requests get a clear 4xx answer and change nothing, never a server error."""

import pytest
from django.urls import reverse

from prezent.accounts.models import Role
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.children.models import Child
from prezent.children.tests.factories import enrol
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_class(client):
    teacher = UserFactory()
    group = ClassGroupFactory(teacher=teacher, hours_per_day=5)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    coordinator = UserFactory()
    assign(coordinator, Role.SCHOOL_COORDINATOR, schools=[group.school])
    enrol(group, 2)
    return teacher, coordinator, group


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026-11-31", "azi", "0000-00-00"])
def test_an_impossible_day_in_the_register_address_is_not_found(client, teacher_class, day):
    teacher, _coordinator, group = teacher_class
    client.force_login(teacher)
    assert client.get(reverse("risk:register", kwargs={"pk": group.pk, "day": day})).status_code == 404


def test_an_impossible_day_in_the_school_register_overview_shows_today(client, teacher_class):
    _teacher, coordinator, group = teacher_class
    client.force_login(coordinator)
    response = client.get(reverse("attendance:school", args=[group.school.pk]), {"d": "2026-02-30"})
    assert response.status_code == 200


def test_a_nul_character_in_a_form_is_refused_and_saves_nothing(client, teacher_class):
    _teacher, coordinator, group = teacher_class
    client.force_login(coordinator)
    child = Child.objects.filter(enrolments__class_group=group).first()
    before = (child.first_name, child.last_name)
    response = client.post(child.get_absolute_url(), {"first_name": "A\x00na"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    child.refresh_from_db()
    assert (child.first_name, child.last_name) == before


def test_a_nul_character_in_a_search_is_refused(client, teacher_class):
    _teacher, coordinator, _group = teacher_class
    client.force_login(coordinator)
    assert client.get(reverse("children:list"), {"q": "Pop\x00"}).status_code == 400
