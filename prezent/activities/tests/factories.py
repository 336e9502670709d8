"""Factories and small builders for activities, courses and the campaign."""

import datetime

import factory

from prezent.activities.models import (
    Activity,
    ActivityType,
    CampaignEvent,
    CampaignEventKind,
    Course,
    CourseEnrolment,
    CourseSession,
    SessionAttendance,
)
from prezent.activities.services import catalogues_load_defaults
from prezent.children.models import Child, Guardian, Guardianship
from prezent.children.tests.factories import GuardianFactory

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def activity_type(code: str = "lectura", county_code: str = "IS") -> ActivityType:
    """A default type of the county's catalogue (its defaults copied in if it has none yet)."""
    catalogues_load_defaults(county_code=county_code)
    return ActivityType.objects.get(county_code=county_code, code=code)


def campaign_kind(code: str = "intalnire", county_code: str = "IS") -> CampaignEventKind:
    catalogues_load_defaults(county_code=county_code)
    return CampaignEventKind.objects.get(county_code=county_code, code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    type = factory.LazyFunction(activity_type)
    title = factory.Sequence(lambda n: f"Activitatea {n}")
    date = datetime.date(2026, 11, 20)
    facilitator = "Ioana Munteanu"
    audience = "children"
    created_by = factory.SubFactory("prezent.accounts.tests.factories.UserFactory")


class CampaignEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignEvent

    kind = factory.LazyFunction(campaign_kind)
    date = datetime.date(2026, 11, 10)
    reached_parents = 25
    created_by = factory.SubFactory("prezent.accounts.tests.factories.UserFactory")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    kind = "parents"
    title = factory.Sequence(lambda n: f"Educație parentală {n}")
    county_code = "IS"
    start = datetime.date(2026, 10, 1)
    end = datetime.date(2026, 12, 15)
    trainer = factory.SubFactory("prezent.accounts.tests.factories.UserFactory")

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.schools.set(extracted)


def add_guardian(child: Child, **kwargs: object) -> Guardian:
    guardian = GuardianFactory(**kwargs)
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    return guardian


def course_with_sessions(course: Course, dates: list[datetime.date]) -> list[CourseSession]:
    return [CourseSession.objects.create(course=course, date=d, topic=f"Tema {i}") for i, d in enumerate(dates, 1)]


def attend(enrolment: CourseEnrolment, sessions: list[CourseSession]) -> None:
    SessionAttendance.objects.bulk_create([SessionAttendance(session=s, enrolment=enrolment) for s in sessions])
