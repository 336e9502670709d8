"""A small world with one user per role, used by the authorization matrix and the scope tests."""

import datetime
from types import SimpleNamespace

import pytest

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.programme.models import Programme
from prezent.programme.services import membership_move
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def world(db):
    school_a, school_b = SchoolFactory(), SchoolFactory()
    users = SimpleNamespace(
        county=UserFactory(username="county"),
        caseworker=UserFactory(username="caseworker"),
        school_coord=UserFactory(username="school_coord"),
        teacher=UserFactory(username="teacher"),
        mediator=UserFactory(username="mediator"),
        trainer=UserFactory(username="trainer"),
        me_viewer=UserFactory(username="me_viewer"),
        admin=UserFactory(username="admin", is_staff=True),
        norole=UserFactory(username="norole"),
    )
    assign(users.county, Role.COUNTY_COORDINATOR, county="IS")
    assign(users.caseworker, Role.CASE_WORKER, schools=[school_a])
    assign(users.school_coord, Role.SCHOOL_COORDINATOR, schools=[school_a])
    assign(users.teacher, Role.CLASS_TEACHER, schools=[school_a])
    assign(users.mediator, Role.SCHOOL_MEDIATOR, schools=[school_a])
    assign(users.trainer, Role.TRAINER)
    assign(users.me_viewer, Role.ME_VIEWER)
    assign(users.admin, Role.ADMINISTRATOR)
    class_a1 = ClassGroupFactory(school=school_a, teacher=users.teacher, grade=3, letter="A")
    class_a2 = ClassGroupFactory(school=school_a, grade=4, letter="A")
    class_b1 = ClassGroupFactory(school=school_b, grade=3, letter="A")
    child_a1, child_a1_other = enrol(class_a1, 2)
    child_a2 = enrol(class_a2, 1)[0]
    child_b1 = enrol(class_b1, 1)[0]
    register_save(class_group=class_a1, day=MONDAY, absences={child_a1.pk: 2}, actor=users.teacher)
    programme = Programme.objects.create(
        code="RO10-0070", name="Împreună pentru copii!", county_code="IS", start=MONDAY, end=datetime.date(2027, 7, 31)
    )
    programme.schools.set([school_a, school_b])
    membership_move(
        programme=programme, child=child_a1, to_status="proposed", on=MONDAY, reason="screening", actor=users.county
    )
    return SimpleNamespace(
        users=users,
        school_a=school_a,
        school_b=school_b,
        class_a1=class_a1,
        class_a2=class_a2,
        class_b1=class_b1,
        child_a1=child_a1,
        child_a1_other=child_a1_other,
        child_a2=child_a2,
        child_b1=child_b1,
        programme=programme,
        monday=MONDAY,
        school_year=class_a1.school_year,
    )
