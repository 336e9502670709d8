"""The school list's search ignores case and diacritics (ş and ș alike) through the stored `search_name`; the
migration that fills it also writes cedilla letters of stored names with the comma below."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.schools.models import Locality, School
from prezent.schools.tests.factories import LocalityFactory, SchoolFactory

GARBESTI = "ŞCOALA GIMNAZIALĂ, GÂRBEŞTI"  # as the Ministry's export writes it: s with a cedilla
migration = importlib.import_module("prezent.schools.migrations.0003_school_search_name_romanian_commas")


@pytest.fixture
def coordinator(db, client):
    user = UserFactory()
    assign(user, Role.COUNTY_COORDINATOR, county="IS")
    client.force_login(user)
    return user


def listed(client, query: str) -> list[str]:
    response = client.get(reverse("schools:list"), {"q": query})
    assert response.status_code == 200
    return [school.name for school in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query", ["GÂRBEȘTI", "GÂRBEŞTI", "garbesti", "Gârbești", "gârbeşti", "  Gimnazială   gârbești ", "SC GIM GARB"]
)
def test_search_ignores_case_and_diacritics(client, coordinator, query):
    SchoolFactory(name=GARBESTI, short_name="SC GIM GARBESTI", siiir_code="2261105206")
    SchoolFactory(name="ȘCOALA GIMNAZIALĂ, GROZEȘTI")
    assert listed(client, query) == [GARBESTI]


def test_search_finds_words_in_any_order_and_still_by_siiir_code(client, coordinator):
    SchoolFactory(name=GARBESTI, siiir_code="2261105206")
    SchoolFactory(name="ȘCOALA GIMNAZIALĂ, GROZEȘTI", siiir_code="2261104684")
    assert listed(client, "garbesti scoala") == [GARBESTI]
    assert listed(client, "grozesti garbesti") == []
    assert listed(client, "22611052") == [GARBESTI]
    assert sorted(listed(client, "")) == sorted([GARBESTI, "ȘCOALA GIMNAZIALĂ, GROZEȘTI"])


def test_search_stays_within_the_county(client, coordinator):
    SchoolFactory(name="ȘCOALA GIMNAZIALĂ, BĂCEȘTI", county_code="VS")
    assert listed(client, "bacesti") == []


def test_search_runs_the_same_queries_for_one_school_or_many(client, coordinator):
    SchoolFactory(name=GARBESTI)
    with CaptureQueriesContext(connection) as one:
        assert len(listed(client, "gârbești")) == 1
    for number in range(5):
        SchoolFactory(name=f"GRĂDINIȚA CU PROGRAM NORMAL NR. {number}, GÂRBEŞTI")
    with CaptureQueriesContext(connection) as six:
        assert len(listed(client, "gârbești")) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_saving_a_school_refreshes_its_search_name(db):
    school = SchoolFactory(name=GARBESTI, short_name="SC GIM")
    assert school.search_name == "scoala gimnaziala, garbesti sc gim"
    school.name = "Liceul Tehnologic, Târgu Frumos"
    school.save(update_fields=["name"])
    school.refresh_from_db()
    assert school.search_name == "liceul tehnologic, targu frumos sc gim"


def test_migration_writes_comma_below_letters_and_fills_the_search_names(db):
    village = LocalityFactory()
    school = SchoolFactory(locality=village, siiir_code="2261105206")
    other = SchoolFactory(name="ȘCOALA PRIMARĂ, VALEA", short_name="SC PRI VALEA")
    Locality.objects.filter(pk=village.pk).update(name="GÂRBEŞTI")
    School.objects.filter(pk=school.pk).update(
        name=GARBESTI, short_name="ŞC GIM GÂRBEŞTI", unit_type="Unitate de învăţământ", street="ŞTEFAN CEL MARE"
    )
    School.objects.update(search_name="")  # as the new column is right after the schema step

    migration.commas_and_search_names(apps, None)

    school.refresh_from_db()
    assert (school.name, school.short_name) == ("ȘCOALA GIMNAZIALĂ, GÂRBEȘTI", "ȘC GIM GÂRBEȘTI")
    assert (school.unit_type, school.street) == ("Unitate de învățământ", "ȘTEFAN CEL MARE")
    assert school.search_name == "scoala gimnaziala, garbesti sc gim garbesti"
    assert Locality.objects.get(pk=village.pk).name == "GÂRBEȘTI"
    other.refresh_from_db()
    assert (other.name, other.search_name) == ("ȘCOALA PRIMARĂ, VALEA", "scoala primara, valea sc pri valea")

    before = list(School.objects.order_by("pk").values())
    migration.commas_and_search_names(apps, None)
    assert list(School.objects.order_by("pk").values()) == before
