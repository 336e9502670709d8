"""Setting up a programme: details, the schools chooser, SIIIR code lists and removals, the county boundary."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.core.models import AuditEvent
from prezent.programme.models import Programme
from prezent.programme.services import (
    SchoolCodesError,
    programme_create,
    programme_schools_add,
    programme_schools_add_codes,
    programme_schools_remove,
    programme_update,
    school_codes_from_file,
    school_codes_from_text,
)
from prezent.schools.models import Environment, School
from prezent.schools.tests.factories import LocalityFactory, SchoolFactory

START = datetime.date(2026, 9, 1)
END = datetime.date(2028, 7, 31)


def vs_school(n: int, **fields) -> School:
    locality = fields.pop("locality", None) or LocalityFactory(county_code="VS", name=f"BĂCEȘTI {n}")
    return SchoolFactory(siiir_code=f"37611{n:05d}", county_code="VS", locality=locality, **fields)


@pytest.fixture
def vaslui(db):
    user = UserFactory(username="vaslui")
    assign(user, Role.COUNTY_COORDINATOR, county="VS")
    return user


@pytest.fixture
def programme_vs(vaslui) -> Programme:
    return programme_create(
        county_code="VS", code="VS-2026", name="Școala pentru toți", start=START, end=END, actor=vaslui
    )


# Services -------------------------------------------------------------------------------------------------------


def test_create_is_audited_and_keeps_the_budget(vaslui):
    programme = programme_create(
        county_code="VS",
        code="VS-1",
        name="Program",
        funder="Granturile SEE",
        start=START,
        end=END,
        budget_eur=Decimal("591944.00"),
        actor=vaslui,
    )
    programme.refresh_from_db()
    assert programme.budget_eur == Decimal("591944.00") and programme.county_code == "VS"
    event = AuditEvent.objects.get(action="programme.create")
    assert event.details == {"county": "VS"}


def test_create_outside_the_coordinators_county_is_refused(vaslui):
    with pytest.raises(PermissionDenied):
        programme_create(county_code="IS", code="X", name="X", start=START, end=END, actor=vaslui)
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("end", "budget", "field"), [(START, None, "end"), (END, Decimal("-1"), "budget_eur")])
def test_create_refuses_bad_dates_and_budget(vaslui, end, budget, field):
    with pytest.raises(ValidationError) as refused:
        programme_create(county_code="VS", code="X", name="X", start=START, end=end, budget_eur=budget, actor=vaslui)
    assert field in refused.value.message_dict
    assert not Programme.objects.exists()


def test_update_records_the_changed_field_names(vaslui, programme_vs):
    changed = programme_update(
        programme=programme_vs, code="VS-2026", name="Alt nume", start=START, end=END, actor=vaslui
    )
    assert changed == ["name"]
    assert AuditEvent.objects.get(action="programme.update").details == {"fields": ["name"]}
    assert (
        programme_update(programme=programme_vs, code="VS-2026", name="Alt nume", start=START, end=END, actor=vaslui)
        == []
    )


def test_a_coordinator_of_another_county_cannot_update(world, programme_vs):
    with pytest.raises(PermissionDenied):
        programme_update(programme=programme_vs, code="Y", name="Y", start=START, end=END, actor=world.users.county)


def test_adding_schools_is_idempotent_and_county_checked(vaslui, programme_vs, world):
    a, b = vs_school(1), vs_school(2)
    assert programme_schools_add(programme=programme_vs, school_ids=[a.pk, b.pk], actor=vaslui).added == 2
    again = programme_schools_add(programme=programme_vs, school_ids=[a.pk, b.pk], actor=vaslui)
    assert (again.added, again.already) == (0, 2)
    assert AuditEvent.objects.filter(action="programme.schools_add").count() == 1
    with pytest.raises(ValidationError):
        programme_schools_add(programme=programme_vs, school_ids=[world.school_a.pk], actor=vaslui)
    assert set(programme_vs.schools.all()) == {a, b}


def test_a_code_list_names_every_bad_line_and_adds_nothing(vaslui, programme_vs, world):
    good = vs_school(1)
    text = f"{good.siiir_code}\n\n{world.school_a.siiir_code}\n3761199999\nabc\n"
    with pytest.raises(SchoolCodesError) as refused:
        programme_schools_add_codes(programme=programme_vs, codes=school_codes_from_text(text), actor=vaslui)
    messages = [str(error) for error in refused.value.errors]
    assert messages == [
        f"linia 3: școala cu codul SIIIR {world.school_a.siiir_code} este din județul IS, nu din VS",
        "linia 4: codul SIIIR 3761199999 nu este în rețeaua școlară",
        "linia 5: „abc” nu este un cod SIIIR (10 cifre)",
    ]
    assert not programme_vs.schools.exists()


def test_a_code_list_adds_its_schools_once(vaslui, programme_vs):
    a, b = vs_school(1), vs_school(2)
    codes = school_codes_from_text(f"{a.siiir_code}\n {b.siiir_code} \n{a.siiir_code}\n")
    assert programme_schools_add_codes(programme=programme_vs, codes=codes, actor=vaslui).added == 2
    assert programme_schools_add_codes(programme=programme_vs, codes=codes, actor=vaslui).already == 2


def test_codes_of_a_spreadsheet_keep_their_leading_zero_and_line():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Lista școlilor"])
    sheet.append(["Cod SIIIR"])
    sheet.append([161100011])  # Alba: the cell lost its leading zero
    sheet.append(["3761100001"])
    data = io.BytesIO()
    book.save(data)
    assert school_codes_from_file(data.getvalue()) == [(3, "0161100011"), (4, "3761100001")]


def test_a_spreadsheet_without_the_code_column_is_refused():
    with pytest.raises(SchoolCodesError) as refused:
        school_codes_from_file("Denumire\nȘcoala\n".encode())
    assert "Cod SIIIR" in str(refused.value)


def test_removing_a_school_with_target_group_children_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        programme_schools_remove(
            programme=world.programme, school_ids=[world.school_a.pk, world.school_b.pk], actor=world.users.county
        )
    assert world.school_a.name in refused.value.messages[0] and "1 copii" in refused.value.messages[0]
    assert world.programme.schools.count() == 2
    assert (
        programme_schools_remove(programme=world.programme, school_ids=[world.school_b.pk], actor=world.users.county)
        == 1
    )
    assert list(world.programme.schools.all()) == [world.school_a]


# Views ----------------------------------------------------------------------------------------------------------


def test_create_form_keeps_what_was_typed_on_error(client, vaslui):
    client.force_login(vaslui)
    response = client.post(
        reverse("programme:create"),
        {"county_code": "VS", "code": "VS-9", "name": "Împreună în Vaslui", "start": "2027-09-01", "end": "2027-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Împreună în Vaslui" in page and "VS-9" in page
    assert "Sfârșitul programului trebuie să fie după început." in page
    assert not Programme.objects.exists()


def test_create_then_manage(client, vaslui):
    client.force_login(vaslui)
    response = client.post(
        reverse("programme:create"),
        {
            "county_code": "VS",
            "code": "VS-9",
            "name": "Împreună",
            "start": "2026-09-01",
            "end": "2028-06-30",
            "budget_eur": "1000,50",
        },
    )
    programme = Programme.objects.get(code="VS-9")
    assert response.status_code == 302 and response.url == reverse("programme:manage", args=[programme.pk])
    assert programme.county_code == "VS" and programme.budget_eur == Decimal("1000.50")
    page = client.get(response.url).content.decode()
    assert reverse("results:dashboard") in page and reverse("programme:schools", args=[programme.pk]) in page


def test_a_coordinator_of_several_counties_chooses_among_theirs(client, vaslui):
    assign(vaslui, Role.COUNTY_COORDINATOR, county="BT")
    client.force_login(vaslui)
    data = {"code": "X-1", "name": "X", "start": "2026-09-01", "end": "2027-06-30"}
    assert client.post(reverse("programme:create"), {**data, "county_code": "IS"}).status_code == 400
    assert client.post(reverse("programme:create"), {**data, "county_code": "BT"}).status_code == 302
    assert Programme.objects.get().county_code == "BT"


def test_another_countys_programme_is_404(client, world, programme_vs):
    client.force_login(world.users.county)
    for name in ("programme:manage", "programme:edit", "programme:schools"):
        assert client.get(reverse(name, args=[programme_vs.pk])).status_code == 404
    response = client.post(reverse("programme:schools", args=[programme_vs.pk]), {"add_all": "1"})
    assert response.status_code == 404
    assert not programme_vs.schools.exists()


def test_chooser_filters_and_adds_all_filtered(client, vaslui, programme_vs):
    rural_pj = vs_school(1, name="ȘCOALA GIMNAZIALĂ BĂCEȘTI")
    rural_ar = vs_school(2, name="ȘCOALA PRIMARĂ BABUȘA", kind=School.Kind.AR, parent=rural_pj)
    urban = vs_school(3, name="LICEUL TEHNOLOGIC VASLUI", environment=Environment.URBAN)
    client.force_login(vaslui)
    url = reverse("programme:schools", args=[programme_vs.pk])
    response = client.get(url, {"mediu": "rural", "statut": "AR"})
    assert [s.pk for s in response.context["page"]] == [rural_ar.pk]
    assert [s.pk for s in client.get(url, {"q": "vaslui"}).context["page"]] == [urban.pk]
    assert [s.pk for s in client.get(url, {"q": "BĂCEŞTI"}).context["page"]] == [rural_pj.pk]  # ş with a cedilla
    assert [s.pk for s in client.get(url, {"q": "babusa"}).context["page"]] == [rural_ar.pk]
    response = client.post(url, {"mediu": "rural", "add_all": "1"})
    assert response.status_code == 302 and "mediu=rural" in response.url
    assert set(programme_vs.schools.all()) == {rural_pj, rural_ar}
    response = client.post(url, {"school": [urban.pk]})
    assert set(programme_vs.schools.all()) == {rural_pj, rural_ar, urban}
    page = client.get(url).content.decode()
    assert "în program" in page


def test_add_all_with_a_filter_not_understood_adds_nothing(client, vaslui, programme_vs):
    vs_school(1)
    client.force_login(vaslui)
    client.post(reverse("programme:schools", args=[programme_vs.pk]), {"tip": "nu există", "add_all": "1"})
    assert not programme_vs.schools.exists()


def test_chooser_refuses_a_school_of_another_county(client, vaslui, programme_vs, world):
    client.force_login(vaslui)
    client.post(reverse("programme:schools", args=[programme_vs.pk]), {"school": [world.school_a.pk]})
    assert not programme_vs.schools.exists()


@pytest.mark.parametrize("count", [5, 25])
def test_chooser_queries_do_not_grow_with_the_schools(client, vaslui, programme_vs, django_assert_num_queries, count):
    pj = vs_school(0)
    for n in range(1, count):
        vs_school(n, kind=School.Kind.AR, parent=pj)
    programme_schools_add(programme=programme_vs, school_ids=[pj.pk], actor=vaslui)
    client.force_login(vaslui)
    url = reverse("programme:schools", args=[programme_vs.pk])
    client.get(url)
    # The same number of queries whatever the number of schools on the page (none per row).
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"]) == count


def test_codes_view_shows_each_bad_line(client, vaslui, programme_vs):
    good = vs_school(1)
    client.force_login(vaslui)
    url = reverse("programme:school_codes", args=[programme_vs.pk])
    response = client.post(url, {"codes": f"{good.siiir_code}\n9999999999"})
    assert response.status_code == 400
    assert "linia 2: codul SIIIR 9999999999 nu este în rețeaua școlară" in response.content.decode()
    assert not programme_vs.schools.exists()
    csv_file = SimpleUploadedFile("coduri.csv", f"Cod SIIIR\n{good.siiir_code}\n".encode())
    assert client.post(url, {"file": csv_file}).status_code == 302
    assert list(programme_vs.schools.all()) == [good]


def test_remove_view_names_the_school_it_keeps(client, world):
    client.force_login(world.users.county)
    url = reverse("programme:schools_remove", args=[world.programme.pk])
    response = client.post(url, {"school": [world.school_a.pk]}, follow=True)
    assert world.school_a.name in response.content.decode()
    assert world.programme.schools.count() == 2


def test_menu_links_the_set_up_for_the_county_coordinator_only(client, world):
    """The menu's "Configurare" leads to the county's set-up, which links the programmes."""
    client.force_login(world.users.county)
    assert reverse("reports:setup") in client.get(reverse("schools:list")).content.decode()
    assert reverse("programme:manage_list") in client.get(reverse("reports:setup")).content.decode()
    client.force_login(world.users.me_viewer)
    assert reverse("reports:setup") not in client.get(reverse("schools:list")).content.decode()
    assert reverse("programme:manage_list") not in client.get(reverse("schools:list")).content.decode()
