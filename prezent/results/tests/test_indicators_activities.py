"""Indicators and the dashboard section fed by the programme's activities: parents reached, schools with activities
and reached by the campaign, activities by type."""

import datetime

from django.urls import reverse

from prezent.activities.models import ActivityType, CampaignEvent, CampaignEventKind
from prezent.activities.services import ActivityDetails, activity_record, catalogues_load_defaults
from prezent.children.models import Guardian, Guardianship
from prezent.results.indicators import evaluate
from prezent.results.selectors import span_for
from prezent.schools.tests.factories import SchoolFactory


def _figures(w):
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    return evaluate(span=span, with_roma=False)


def _activity(w, school, *, guardian_ids=(), on=None):
    catalogues_load_defaults(county_code=school.county_code)
    kind = ActivityType.objects.filter(county_code=school.county_code, active=True).order_by("pk").first()
    details = ActivityDetails(
        type=kind,
        title="Atelier de lectură",
        date=on or w.monday,
        start_time=None,
        place="Biblioteca școlii",
        facilitator="Ioana Stan",
        audience=kind.audience,
        notes="",
    )
    return activity_record(school=school, details=details, guardian_ids=guardian_ids, actor=w.users.county)


def test_parents_and_schools_come_from_the_activities(results_world):
    w = results_world
    before = _figures(w)
    assert (before["parents"].value, before["schools_with_activities"].value) == (0, 0)
    guardian = Guardian.objects.create(first_name="Maria", last_name="Ursu", household=w.child_a1.household)
    Guardianship.objects.create(child=w.child_a1, guardian=guardian, relationship="mother", is_primary_contact=True)
    other = Guardian.objects.create(first_name="Elena", last_name="Rusu", household=w.child_a2.household)
    Guardianship.objects.create(child=w.child_a2, guardian=other, relationship="mother", is_primary_contact=True)
    # both parents come; only the parent of a child in the target group counts
    _activity(w, w.school_a, guardian_ids=[guardian.pk, other.pk])
    _activity(w, SchoolFactory())  # a school outside the programme does not count
    catalogues_load_defaults(county_code="IS")
    CampaignEvent.objects.create(
        school=w.school_b,
        kind=CampaignEventKind.objects.order_by("pk").first(),
        date=w.monday,
        description="Întâlnire cu părinții",
        created_by=w.users.county,
    )
    after = _figures(w)
    assert after["parents"].value == 1
    assert after["schools_with_activities"].value == 1
    assert after["schools_reached_by_campaign"].value == 1
    assert after["parents"].breakdowns == {}  # parents are not broken down by the children's classes


def test_the_dashboard_shows_the_activities_by_type(client, results_world):
    w = results_world
    client.force_login(w.users.county)
    assert "Nu s-a înregistrat încă nicio activitate." in client.get(reverse("results:dashboard")).content.decode()
    _activity(w, w.school_a)
    content = client.get(reverse("results:dashboard")).content.decode()
    section = content[content.index('data-testid="activities"') :]
    section = section[: section.index("</section>")]
    kind = ActivityType.objects.filter(active=True).order_by("pk").first()
    assert kind.name in section
    assert '<td class="num">1</td><td class="num">0</td>' in section
