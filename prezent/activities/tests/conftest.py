"""The shared `world` plus what the activities app needs: guardians, activities, courses and campaign events in
school a (the school coordinator's and mediator's) and school b (only the county coordinator's)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.activities.campaign.services import campaign_evidence_add
from prezent.activities.models import CourseEnrolment
from prezent.activities.tests.factories import (
    PNG_BYTES,
    ActivityFactory,
    CampaignEventFactory,
    CourseFactory,
    add_guardian,
    attend,
    course_with_sessions,
)


@pytest.fixture(autouse=True)
def private_evidence(settings, tmp_path):
    settings.PREZENT_EVIDENCE_ROOT = str(tmp_path / "evidence")
    return tmp_path / "evidence"


@pytest.fixture
def activities_world(world):
    w = world
    w.guardian_a1 = add_guardian(w.child_a1, first_name="Ștefania", last_name="Țurcanu")
    w.guardian_b1 = add_guardian(w.child_b1)
    w.activity_a = ActivityFactory(school=w.school_a, created_by=w.users.school_coord)
    w.activity_b = ActivityFactory(school=w.school_b, created_by=w.users.county)
    w.other_trainer = UserFactory(username="trainer2")
    assign(w.other_trainer, Role.TRAINER)
    w.course_t = CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    w.course_other = CourseFactory(trainer=w.other_trainer, schools=[w.school_b])
    w.sessions_t = course_with_sessions(w.course_t, [datetime.date(2026, 10, 5), datetime.date(2026, 10, 12)])
    w.session_t = w.sessions_t[0]
    w.session_other = course_with_sessions(w.course_other, [datetime.date(2026, 10, 6)])[0]
    w.enrolment_t = CourseEnrolment.objects.create(
        course=w.course_t, guardian=w.guardian_a1, name="Țurcanu Ștefania", enrolled_on=datetime.date(2026, 10, 1)
    )
    attend(w.enrolment_t, w.sessions_t)
    w.event_a = CampaignEventFactory(school=w.school_a, created_by=w.users.school_coord)
    w.event_b = CampaignEventFactory(school=w.school_b, created_by=w.users.county)
    upload = SimpleUploadedFile("poza.png", PNG_BYTES, content_type="image/png")
    w.evidence_a = campaign_evidence_add(event=w.event_a, upload=upload, actor=w.users.school_coord)
    upload = SimpleUploadedFile("poza.png", PNG_BYTES, content_type="image/png")
    w.evidence_b = campaign_evidence_add(event=w.event_b, upload=upload, actor=w.users.county)
    return w
