"""The migration that gives each county its own catalogue (activities 0003): the rows that existed go to the first
county, every other county gets a copy, and each county's activities point to their own copy."""

import importlib

import pytest
from django.apps import apps

from prezent.activities.models import Activity, ActivityType
from prezent.activities.tests.factories import ActivityFactory
from prezent.schools.tests.factories import SchoolFactory

migration = importlib.import_module("prezent.activities.migrations.0003_catalogues_per_county")

pytestmark = pytest.mark.django_db


def test_existing_rows_are_split_per_county_and_records_follow_their_county():
    shared = ActivityType.objects.create(county_code="", code="lectura-veche", name="Lectură", order=1)
    in_iasi = ActivityFactory(type=shared, school=SchoolFactory(county_code="IS"))
    in_cluj = ActivityFactory(type=shared, school=SchoolFactory(county_code="CJ"))
    migration.per_county(apps, None)
    copies = {t.county_code: t for t in ActivityType.objects.filter(code="lectura-veche")}
    assert set(copies) == {"CJ", "IS"}
    assert copies["CJ"].pk == shared.pk  # the first county (by code) keeps the row
    assert Activity.objects.get(pk=in_cluj.pk).type_id == copies["CJ"].pk
    assert Activity.objects.get(pk=in_iasi.pk).type_id == copies["IS"].pk
    assert copies["IS"].name == "Lectură"
    assert not ActivityType.objects.filter(county_code="").exists()
