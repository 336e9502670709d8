"""Exports: the funder's PDF, the indicator XLSX, the evaluator's CSV, the HG 691 lists and the command."""

import csv
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from prezent.children.models import Guardianship, Household
from prezent.children.tests.factories import GuardianFactory
from prezent.core.models import AuditEvent
from prezent.core.testing import pdf_streams
from prezent.results.anonymity import K, smallest_class
from prezent.results.exports import EVALUATOR_QUASI_IDENTIFIERS, pseudonym


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (WeasyPrint packs objects, font names included)."""
    return b"".join([pdf, *pdf_streams(pdf)])


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def test_funder_report_is_a_pdf_and_is_logged(client, results_world):
    client.force_login(results_world.users.county)
    response = client.get(reverse("results:report_pdf") + f"?perioada={results_world.p2.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVu" in _pdf_objects(response.content)  # the embedded font carries ă â î ș ț
    assert 'filename="raport-2026-11.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="results.export_report_pdf")
    assert event.actor == results_world.users.county and event.target_id == str(results_world.p2.pk)


def test_report_html_has_every_indicator_and_the_baseline(results_world):
    from django.template.loader import render_to_string

    from prezent.results.selectors import report_for

    report = report_for(programme=results_world.programme, period=results_world.p2, with_roma=False)
    html = render_to_string("results/report_pdf.html", {"report": report, "trend": [], "generated_by": "x"})
    for row in report.rows:
        assert row.name in html
    assert "2025-2026" in html  # the baseline year is named
    assert results_world.child_a1.last_name not in html


def test_indicator_xlsx_has_the_table_and_suppressed_breakdowns(client, results_world):
    client.force_login(results_world.users.me_viewer)
    response = client.get(reverse("results:indicators_xlsx") + f"?perioada={results_world.p2.pk}")
    book = _xlsx(response)
    rows = list(book["Indicatori"].iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[3:]}
    assert by_code["children"][6] == 8 and by_code["children"][5] == 12
    assert by_code["children_roma"][6] == "<5"  # the Roma aggregate, suppressed below five children
    details = list(book["Dezagregare"].iter_rows(values_only=True))
    school_b = [r for r in details if r[0] == "children" and r[3] == results_world.school_b.name]
    assert school_b and school_b[0][4] == "<5" and school_b[0][5] == "<5"
    assert AuditEvent.objects.filter(
        action="results.export_indicators_xlsx", actor=results_world.users.me_viewer
    ).exists()


def test_evaluator_csv_is_pseudonymised_k_anonymous_and_stable(client, results_world):
    client.force_login(results_world.users.me_viewer)
    url = reverse("results:evaluator_csv") + f"?perioada={results_world.p2.pk}"
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert first == second
    rows = list(csv.DictReader(io.StringIO(first)))
    group = [*results_world.group, results_world.child_b1]
    release = f"{results_world.programme.pk}:period:{results_world.p2.pk}"
    # child_b1 is alone in school b (another commune): class, commune and sex are blanked until 8 rows share
    # (level, environment); nobody is suppressed
    assert len(rows) == 8
    assert {r["pseudonim"] for r in rows} == {pseudonym(c.pk, release=release) for c in group}
    assert {(r["sex"], r["clasa"], r["comuna_siruta"]) for r in rows} == {("", "", "")}
    assert smallest_class(rows, EVALUATOR_QUASI_IDENTIFIERS) >= K
    for child in group:
        assert child.last_name not in first and child.first_name not in first
    assert "etnie" not in first and "roma" not in first
    assert results_world.school_b.locality.siruta not in {r["comuna_siruta"] for r in rows}
    events = AuditEvent.objects.filter(action="results.export_evaluator_csv")
    assert events.count() == 2
    details = events.first().details
    assert details["k"] == K and details["rows"] == len(rows)
    assert details["suppressed"] == 0 and details["generalised_comuna_siruta"] == 8


def test_the_dashboard_states_k_next_to_the_evaluators_download(client, results_world):
    client.force_login(results_world.users.me_viewer)
    page = client.get(reverse("results:dashboard") + f"?perioada={results_world.p2.pk}").content.decode()
    assert "k=5" in page and "suprimate" in page


def test_pseudonyms_differ_between_two_periods_files(client, results_world):
    client.force_login(results_world.users.me_viewer)
    files = [
        client.get(reverse("results:evaluator_csv") + f"?perioada={period.pk}").content.decode()
        for period in (results_world.p1, results_world.p2)
    ]
    names = [{r["pseudonim"] for r in csv.DictReader(io.StringIO(f))} for f in files]
    assert names[0] and names[1]
    assert not names[0] & names[1]


def test_pseudonyms_change_with_the_key_and_the_release(settings):
    before = pseudonym(42, release="P1")
    assert pseudonym(42, release="P1") == before
    assert pseudonym(42, release="P2") != before
    settings.PREZENT_PSEUDONYM_KEY = "another-key"
    assert pseudonym(42, release="P1") != before
    assert len(before) == 16


def test_production_has_no_default_pseudonym_key(client, results_world, settings):
    settings.PREZENT_PSEUDONYM_KEY = ""
    settings.PREZENT_PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        pseudonym(42, release="P1")
    client.force_login(results_world.users.me_viewer)
    response = client.get(reverse("results:evaluator_csv") + f"?perioada={results_world.p2.pk}")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="results.export_evaluator_csv").exists()


def test_hg691_lists_come_from_the_households_and_neutralise_formulas(client, results_world):
    w = results_world
    both = Household.objects.create(parents_abroad="both")
    returned = Household.objects.create(parents_abroad="returned")
    w.child_a1.household = both
    w.child_a1.last_name = '=HYPERLINK("http://x")'
    w.child_a1.save()
    w.child_a2.household = returned
    w.child_a2.save()
    w.child_b1.household = Household.objects.create(parents_abroad="both")
    w.child_b1.save()
    client.force_login(w.users.school_coord)
    response = client.get(reverse("results:hg691_xlsx", args=[w.school_a.pk]) + "?data=2026-11-25")
    assert response.status_code == 200
    book = _xlsx(response)
    assert book.sheetnames == [
        "Ambii părinți plecați",
        "Părintele unic plecat",
        "Un părinte plecat",
        "Întorși după 12 luni",
    ]
    both_rows = list(book["Ambii părinți plecați"].iter_rows(min_row=5, values_only=True))
    assert len(both_rows) == 1  # child_b1 is in school b
    assert both_rows[0][1] == '\'=HYPERLINK("http://x")'
    returned_rows = list(book["Întorși după 12 luni"].iter_rows(min_row=5, values_only=True))
    assert [r[2] for r in returned_rows] == [w.child_a2.first_name]
    assert list(book["Un părinte plecat"].iter_rows(min_row=5, values_only=True)) == []
    event = AuditEvent.objects.get(action="results.export_hg691_xlsx")
    assert event.details == {"rows": 2, "school": w.school_a.pk}


def test_hg691_lists_name_the_parents_gone_and_the_carer_in_romanian_whatever_the_interface_language(
    client, results_world, django_assert_max_num_queries
):
    w = results_world
    home = Household.objects.create(parents_abroad="both", address="Str. Morii 4")
    w.child_a1.household = home
    w.child_a1.save()
    mother = GuardianFactory(last_name="Plecata", first_name="Maria", works_abroad=True, household=home)
    father = GuardianFactory(last_name="Plecatu", first_name="Ion", works_abroad=True, household=home)
    grandma = GuardianFactory(last_name="Bunica", first_name="Elena", phone="0722000111", household=home)
    Guardianship.objects.create(child=w.child_a1, guardian=mother, relationship="mother")
    Guardianship.objects.create(child=w.child_a1, guardian=father, relationship="father")
    Guardianship.objects.create(child=w.child_a1, guardian=grandma, relationship="grandparent", is_primary_contact=True)
    client.force_login(w.users.school_coord)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("results:hg691_xlsx", args=[w.school_a.pk]) + "?data=2026-11-25")
    book = _xlsx(response)
    assert book.sheetnames[0] == "Ambii părinți plecați"  # Romanian, though the interface is in English
    sheet = book["Ambii părinți plecați"]
    header = [cell.value for cell in sheet[4]]
    assert header[6:] == [
        "Adresa",
        "Din data",
        "Părintele / părinții plecați",
        "Persoana în grija căreia a rămas copilul",
        "Telefonul persoanei",
    ]
    (row,) = sheet.iter_rows(min_row=5, values_only=True)
    assert row[6] == "Str. Morii 4"
    assert row[8] == "Plecata Maria (mamă); Plecatu Ion (tată)"
    assert row[9] == "Bunica Elena (bunic / bunică)"
    assert row[10] == "0722000111"
    chosen = client.get(reverse("results:hg691_xlsx", args=[w.school_a.pk]) + "?data=2026-11-25&limba=en")
    assert _xlsx(chosen).sheetnames[0] == "Both parents abroad"  # another language only when chosen
    with django_assert_max_num_queries(3):
        from prezent.results.exports import hg691_rows

        lists = hg691_rows(school=w.school_a, on=w.child_a1.enrolments.first().start)
        [list(e.child.guardianship_set.all()) for rows in lists.values() for e in rows]


def test_hg691_bad_date_is_refused_with_a_message(client, results_world):
    client.force_login(results_world.users.county)
    response = client.get(reverse("results:hg691_xlsx", args=[results_world.school_a.pk]) + "?data=ieri", follow=True)
    assert "AAAA-LL-ZZ" in response.content.decode()
    assert not AuditEvent.objects.filter(action="results.export_hg691_xlsx").exists()


def test_export_indicators_command_json(results_world, tmp_path):
    out = tmp_path / "p.json"
    call_command("export_indicators", "--period", "2026-11", "--format", "json", "--output", str(out))
    data = json.loads(out.read_text())
    assert data["period"]["name"] == "P2"
    values = {i["code"]: i for i in data["indicators"]}
    assert values["children"]["value"] == 8 and values["children"]["target"] == 12
    assert values["children_roma"]["suppressed"] is True and values["children_roma"]["value"] is None
    assert values["volunteers"]["computed"] is False and values["volunteers"]["value"] is None
    school_cells = values["children"]["breakdowns"]["school"]
    assert any(c["suppressed"] and c["value"] is None for c in school_cells)
    assert results_world.child_a1.last_name not in out.read_text()


def test_export_indicators_command_xlsx_and_unknown_period(results_world, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "p.xlsx"
    call_command("export_indicators", "--period", "2026-11", "--format", "xlsx", "--output", str(out))
    book = load_workbook(out)
    assert book["Indicatori"]["B4"].value
    with pytest.raises(CommandError):
        call_command("export_indicators", "--period", "2030-01", "--format", "json")
    with pytest.raises(CommandError):
        call_command("export_indicators", "--period", "noiembrie", "--format", "json")
