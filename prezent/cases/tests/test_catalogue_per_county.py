"""Each county keeps its own catalogue of interventions (decision 45): the shared defaults are copied into a county,
a coordinator's switch-off or new type changes their county only, and a case is offered its school's county's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.cases.models import InterventionType
from prezent.cases.services import intervention_record, intervention_types_load_defaults
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY


@pytest.fixture
def vaslui(cases_world):
    coordinator = UserFactory(username="coordonator-vs")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="VS")
    return coordinator


def test_a_coordinator_switches_off_and_adds_types_in_their_county_only(client, cases_world, vaslui):
    w = cases_world
    client.force_login(vaslui)
    client.post(reverse("cases:catalogue"), {"defaults": "1"})
    meal_is = InterventionType.objects.get(county_code="IS", code="hot-meal")
    meal_vs = InterventionType.objects.get(county_code="VS", code="hot-meal")
    assert client.post(reverse("cases:catalogue_toggle", kwargs={"pk": meal_vs.pk})).status_code == 302
    assert client.post(reverse("cases:catalogue_toggle", kwargs={"pk": meal_is.pk})).status_code == 404
    meal_is.refresh_from_db()
    meal_vs.refresh_from_db()
    assert meal_is.is_active and not meal_vs.is_active
    data = {"code": "bike", "label": "Bicicletă", "recipient": "child", "is_material": "on", "unit": "buc."}
    assert client.post(reverse("cases:catalogue"), data).status_code == 302
    assert InterventionType.objects.get(code="bike").county_code == "VS"
    event = AuditEvent.objects.filter(action="intervention_type.set_active").get()
    assert event.actor == vaslui and event.details["county"] == "VS"
    page = client.get(reverse("cases:catalogue")).content.decode()
    assert "Bicicletă" in page
    # Iași's case page still offers Iași's meal, never Vaslui's copy
    client.force_login(w.users.county)
    case_page = client.get(w.case_a1.get_absolute_url()).content.decode()
    assert f'value="{meal_is.pk}"' in case_page
    assert f'value="{meal_vs.pk}"' not in case_page
    assert "Bicicletă" not in client.get(reverse("cases:catalogue")).content.decode()


def test_loading_the_defaults_copies_them_into_one_county_and_keeps_its_changes(cases_world):
    kind = InterventionType.objects.get(county_code="IS", code="hot-meal")
    kind.label = "Masă caldă la școală"
    kind.save()
    assert intervention_types_load_defaults(county_code="IS") == 0
    kind.refresh_from_db()
    assert kind.label == "Masă caldă la școală"
    created = intervention_types_load_defaults(county_code="VS")
    assert created == InterventionType.objects.filter(county_code="IS").count()


def test_an_intervention_of_another_countys_type_is_refused(cases_world):
    w = cases_world
    intervention_types_load_defaults(county_code="VS")
    foreign = InterventionType.objects.get(county_code="VS", code="hot-meal")
    before = w.case_a1.interventions.count()
    with pytest.raises(ValidationError) as refused:
        intervention_record(
            case=w.case_a1, kind=foreign, delivered_on=TEST_TODAY, recipient="child", quantity=1, actor=w.users.county
        )
    assert "type" in refused.value.message_dict
    assert w.case_a1.interventions.count() == before
