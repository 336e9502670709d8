"""Each county keeps its own activity types and campaign event kinds (decision 45): a coordinator's edit or
switch-off changes their county's catalogue only, another county's type is 404 to them, and a school is offered its
county's types."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.activities.models import ActivityType, CampaignEventKind
from prezent.activities.services import activity_record
from prezent.activities.tests.factories import activity_type, campaign_kind
from prezent.activities.tests.test_activities import details
from prezent.schools.tests.factories import SchoolFactory


@pytest.fixture
def vaslui(activities_world):
    coordinator = UserFactory(username="coordonator-vs")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="VS")
    return coordinator


def test_switching_a_type_off_changes_only_the_coordinators_county(client, activities_world, vaslui):
    w = activities_world
    lectura_is, lectura_vs = activity_type(), activity_type(county_code="VS")
    assert lectura_is.pk != lectura_vs.pk
    client.force_login(vaslui)
    client.post(reverse("activities:catalogue_toggle", kwargs={"which": "tip", "pk": lectura_vs.pk}))
    lectura_vs.refresh_from_db()
    lectura_is.refresh_from_db()
    assert not lectura_vs.active and lectura_is.active
    # Iași's type (and campaign kind) cannot be reached from Vaslui: not found, nothing changes
    kind_is = campaign_kind()
    for which, pk in (("tip", lectura_is.pk), ("actiune", kind_is.pk)):
        assert client.post(reverse("activities:catalogue_toggle", kwargs={"which": which, "pk": pk})).status_code == 404
        edit = reverse("activities:catalogue_edit", kwargs={"which": which, "pk": pk})
        assert client.get(edit).status_code == 404
    lectura_is.refresh_from_db()
    kind_is.refresh_from_db()
    assert lectura_is.active and kind_is.active
    # Iași's school is still offered its own type
    client.force_login(w.users.county)
    page = client.get(reverse("activities:create", kwargs={"school_id": w.school_a.pk})).content.decode()
    assert f'<option value="{lectura_is.pk}"' in page
    assert f'<option value="{lectura_vs.pk}"' not in page


def test_a_new_county_gets_the_shared_defaults_and_adds_its_own_types(client, activities_world, vaslui):
    client.force_login(vaslui)
    assert not ActivityType.objects.filter(county_code="VS").exists()
    assert client.get(reverse("activities:catalogue")).status_code == 200
    assert (
        ActivityType.objects.filter(county_code="VS").count() == ActivityType.objects.filter(county_code="IS").count()
    )
    assert CampaignEventKind.objects.filter(county_code="VS").exists()
    data = {"which": "type", "type-code": "robotica", "type-name": "Robotică", "type-audience": "children"}
    data |= {"type-order": 11, "type-active": "on"}
    assert client.post(reverse("activities:catalogue"), data).status_code == 302
    assert ActivityType.objects.get(code="robotica").county_code == "VS"  # Iași has no such type
    page = client.get(reverse("activities:catalogue")).content.decode()
    assert "Robotică" in page


def test_an_activity_with_another_countys_type_is_refused(activities_world):
    w = activities_world
    vs_type = activity_type(county_code="VS")
    with pytest.raises(ValidationError) as refused:
        activity_record(school=w.school_a, details=details(type=vs_type), actor=w.users.school_coord)
    assert "type" in refused.value.message_dict
    vs_school = SchoolFactory(county_code="VS")
    with pytest.raises(ValidationError):
        activity_record(school=vs_school, details=details(type=activity_type()), actor=w.users.county)
