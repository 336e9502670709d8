"""Records of children outside school in the `world` of prezent/conftest.py: one in school A's locality, one in
school B's, and a child of school A who dropped out and is not yet recorded."""

import datetime
from types import SimpleNamespace

from prezent.children.models import Enrolment, OutOfSchool
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory

RECORDED = datetime.date(2026, 11, 20)


def outside_record(world, locality, **kwargs) -> OutOfSchool:
    fields = {
        "child": ChildFactory(),
        "county_code": locality.county_code,
        "locality": locality,
        "never_enrolled": True,
        "reason": OutOfSchool.Reason.POVERTY,
        "recorded_on": RECORDED,
        "recorded_by": world.users.mediator,
    } | kwargs
    return OutOfSchool.objects.create(**fields)


def outside_world(world) -> SimpleNamespace:
    left = EnrolmentFactory(
        class_group=world.class_a2,
        start=world.school_year.start,
        end=datetime.date(2026, 10, 30),
        end_reason=Enrolment.EndReason.DROPPED_OUT,
    )
    return SimpleNamespace(
        outside_a=outside_record(world, world.school_a.locality),
        outside_b=outside_record(world, world.school_b.locality),
        child_left_a=left.child,
    )
