"""A county starting a programme sets up its results framework from the dashboard: baseline year, every built-in
indicator, then targets."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.core.models import AuditEvent
from prezent.results.indicators import REGISTRY
from prezent.results.models import Framework, Indicator
from prezent.results.services import framework_setup
from prezent.schools.models import SchoolYear
from prezent.schools.tests.factories import school_year_2025_2026


@pytest.fixture
def baseline(world):
    return school_year_2025_2026()


def test_the_coordinator_sets_up_the_framework_from_the_dashboard(client, world, baseline):
    client.force_login(world.users.county)
    page = client.get(reverse("results:dashboard")).content.decode()
    assert 'data-testid="framework-setup"' in page and "2025-2026" in page
    response = client.post(reverse("results:framework_setup"), {"baseline_year": baseline.pk})
    assert response.status_code == 302
    framework = Framework.objects.get(programme=world.programme)
    assert framework.baseline_year == baseline
    assert set(Indicator.objects.filter(programme=world.programme).values_list("code", flat=True)) == set(REGISTRY)
    assert AuditEvent.objects.filter(action="results.framework_setup").exists()
    after = client.get(reverse("results:dashboard")).content.decode()
    assert 'data-testid="framework-setup"' not in after
    # every indicator now takes a target
    indicator_page = client.get(reverse("results:indicator", kwargs={"code": "children"})).content.decode()
    assert reverse("results:target_revise", kwargs={"pk": Indicator.objects.get(code="children").pk}) in indicator_page


def test_a_year_from_another_county_or_after_the_programme_is_refused_and_nothing_changes(world, baseline):
    other = SchoolYear.objects.create(
        county_code="VS", name="2025-2026", start=datetime.date(2025, 9, 8), end=datetime.date(2026, 6, 19)
    )
    later = SchoolYear.objects.create(
        county_code="IS", name="2027-2028", start=datetime.date(2027, 9, 13), end=datetime.date(2028, 6, 16)
    )
    for year in (other, later):
        with pytest.raises(ValidationError):
            framework_setup(programme=world.programme, baseline_year=year, actor=world.users.county)
    assert not Framework.objects.exists() and not Indicator.objects.exists()


def test_a_second_setup_is_refused_with_the_reason_and_the_form(client, world, baseline):
    framework_setup(programme=world.programme, baseline_year=baseline, actor=world.users.county)
    client.force_login(world.users.county)
    response = client.post(reverse("results:framework_setup"), {"baseline_year": baseline.pk})
    assert response.status_code == 400
    assert "Programul are deja un cadru de rezultate." in response.content.decode()
    assert Indicator.objects.count() == len(REGISTRY)


def test_only_the_county_coordinator_sees_the_setup_form(client, world, baseline):
    client.force_login(world.users.me_viewer)
    assert 'data-testid="framework-setup"' not in client.get(reverse("results:dashboard")).content.decode()
