"""The school-network (SIIIR) and localities (SIRUTA) imports: shipped files, CSV and XLSX layouts, refusals."""

import csv
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from prezent.core.models import AuditEvent
from prezent.schools.models import Locality, School, SchoolYear
from prezent.schools.network_import import (
    IASI_LOCALITIES_FILE,
    IASI_SCHOOL_NETWORK_FILE,
    NetworkImportError,
    localities_import,
    school_network_import,
)
from prezent.schools.tests.factories import SchoolFactory

ANDRIESENI_PJ = "2261105527"
BUHAENI_AR = "2262100386"
CODE = "Cod SIIIR unitate"


def shipped_rows() -> tuple[list[str], list[dict[str, str]]]:
    with IASI_SCHOOL_NETWORK_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(
    path: Path,
    header: list[str],
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    title: Sequence[str] = (),
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        for line in title:
            handle.write(line + "\r\n")
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def unit(changes: dict[str, str] | None = None) -> dict[str, str]:
    """The Andrieșeni PJ row of the shipped file, with some columns changed."""
    _, rows = shipped_rows()
    return {**next(r for r in rows if r["Cod SIIIR unitate"] == ANDRIESENI_PJ), **(changes or {})}


def alba_row(code: str, *, kind: str = "PJ", parent: str = "0161100011") -> dict[str, str]:
    return unit(
        {
            "Judet PJ": "AB",
            "Localitate PJ": "ALBA IULIA",
            "Cod SIIIR PJ": parent if kind == "AR" else code,
            "Localitate unitate": "ALBA IULIA",
            "Cod SIRUTA unitate": "1026",
            "Mediu loc. unitate": "URBAN",
            "Cod SIIIR unitate": code,
            "Denumire lunga unitate": f"ȘCOALA GIMNAZIALĂ {code}, ALBA IULIA",
            "Statut unitate": kind,
        }
    )


@pytest.fixture
def iasi_localities(db):
    localities_import(path=IASI_LOCALITIES_FILE)


@pytest.fixture
def iasi_network(iasi_localities):
    return school_network_import(path=IASI_SCHOOL_NETWORK_FILE)


def database_counts() -> tuple[int, int, int]:
    return School.objects.count(), Locality.objects.count(), AuditEvent.objects.count()


# The shipped Iași files ------------------------------------------------------------------------------------------


def test_shipped_localities_give_the_county_its_uats_and_villages(iasi_localities):
    assert Locality.objects.count() == 528
    county = Locality.objects.get(siruta="225")
    assert (county.name, county.level, county.county_code) == ("JUDEȚUL IAȘI", Locality.Level.COUNTY, "IS")
    assert Locality.objects.filter(level=Locality.Level.UAT).count() == 98
    buhaeni = Locality.objects.get(siruta="95685")
    assert buhaeni.level == Locality.Level.VILLAGE
    assert buhaeni.uat is not None and buhaeni.uat.siruta == "95667"
    assert buhaeni.commune.name == "ANDRIEȘENI"
    assert (buhaeni.environment, buhaeni.postal_code, buhaeni.population) == ("rural", "707011", 526)
    assert (buhaeni.latitude, buhaeni.longitude) == (47.5079945, 27.2757975)
    assert Locality.objects.get(siruta="95060").uat is None


def test_second_localities_import_changes_nothing(iasi_localities):
    report = localities_import(path=IASI_LOCALITIES_FILE)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 528)


def test_shipped_iasi_network_imports_672_units(iasi_network, django_assert_max_num_queries):
    assert (iasi_network.rows, iasi_network.created, iasi_network.localities_created) == (672, 672, 0)
    assert School.objects.count() == 672
    assert School.objects.filter(environment="rural").count() == 446
    assert School.objects.filter(environment="rural", kind=School.Kind.PJ).count() == 125
    assert School.objects.filter(kind=School.Kind.AR).count() == 395
    assert not School.objects.filter(kind=School.Kind.AR, parent__isnull=True).exists()
    assert not School.objects.filter(kind=School.Kind.PJ, parent__isnull=False).exists()

    pj = School.objects.get(siiir_code=ANDRIESENI_PJ)
    assert pj.name == 'ȘCOALA GIMNAZIALĂ "GHEORGHE CIOBANU", ANDRIEȘENI'
    assert (pj.kind, pj.county_code, pj.environment, pj.school_year_label) == ("PJ", "IS", "rural", "2024-2025")
    assert (pj.fiscal_code, pj.sirues_code, pj.street_number, pj.postal_code) == ("17207451", "547046", "567", "707010")

    ar = School.objects.get(siiir_code=BUHAENI_AR)
    assert (ar.kind, ar.parent, ar.short_name) == ("AR", pj, "SC PRI BUHAENI")
    assert ar.locality.siruta == "95685"
    assert (ar.locality.latitude, ar.locality.longitude) == (47.5079945, 27.2757975)

    negruzzi = School.objects.get(siiir_code="2261104535")
    assert (negruzzi.environment, negruzzi.locality.name) == ("urban", "IAȘI")


def test_fiscal_code_keeps_the_number_without_the_legal_form(iasi_network):
    codes = School.objects.exclude(fiscal_code="").values_list("fiscal_code", flat=True)
    assert all(code.isdigit() for code in codes)


def test_second_network_import_changes_nothing_in_few_queries(iasi_network, django_assert_max_num_queries):
    before = list(School.objects.order_by("pk").values())
    with django_assert_max_num_queries(12):
        report = school_network_import(path=IASI_SCHOOL_NETWORK_FILE)
    assert (report.created, report.updated, report.unchanged, report.localities_created) == (0, 0, 672, 0)
    assert list(School.objects.order_by("pk").values()) == before


def test_a_changed_school_is_updated_and_only_it(iasi_network):
    School.objects.filter(siiir_code=BUHAENI_AR).update(name="ALT NUME", street="")
    report = school_network_import(path=IASI_SCHOOL_NETWORK_FILE)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 671)
    ar = School.objects.get(siiir_code=BUHAENI_AR)
    assert (ar.name, ar.street) == ("ȘCOALA PRIMARĂ, BUHĂENI", "PRINCIPALA")


def test_one_audit_event_per_run_with_counts_only(iasi_network):
    event = AuditEvent.objects.get(action="school_network.import")
    assert event.target_type == "schools.school"
    assert event.details["created"] == 672
    assert event.details["county"] == ""
    assert not any("ȘCOALA" in str(value) for value in event.details.values())


def test_dry_run_counts_without_writing(iasi_localities):
    counts = database_counts()
    report = school_network_import(path=IASI_SCHOOL_NETWORK_FILE, dry_run=True)
    assert (report.created, report.dry_run) == (672, True)
    out = StringIO()
    call_command("import_school_network", str(IASI_SCHOOL_NETWORK_FILE), "--dry-run", stdout=out, stderr=StringIO())
    assert "672 create" in out.getvalue() and "nu s-a scris nimic" in out.getvalue()
    assert database_counts() == counts


def test_load_registry_command_is_idempotent(db):
    call_command("load_registry", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("load_registry", stdout=out, stderr=StringIO())
    assert (School.objects.count(), Locality.objects.count(), SchoolYear.objects.count()) == (672, 528, 2)
    assert "0 create, 0 actualizate, 672 neschimbate" in out.getvalue()


# Layouts: county filter, CSV variants, XLSX -----------------------------------------------------------------------


def test_county_option_keeps_only_that_county(tmp_path, iasi_localities):
    header, rows = shipped_rows()
    path = write_csv(
        tmp_path / "tara.csv", header, [*rows[:4], alba_row("0161100011"), alba_row("0161100012", kind="AR")]
    )
    out, err = StringIO(), StringIO()
    call_command("import_school_network", str(path), "--county", "is", stdout=out, stderr=err)
    assert set(School.objects.values_list("county_code", flat=True)) == {"IS"}
    assert School.objects.count() == 4
    assert "4 create" in out.getvalue() and "2 rânduri din alte județe omise" in out.getvalue()
    assert "6 / 6 rânduri citite" in err.getvalue()


def test_national_file_without_localities_creates_minimal_localities(tmp_path, db):
    header, _ = shipped_rows()
    path = write_csv(tmp_path / "alba.csv", header, [alba_row("0161100012", kind="AR"), alba_row("0161100011")])
    report = school_network_import(path=path)
    assert (report.created, report.localities_created) == (2, 1)
    alba_iulia = Locality.objects.get(siruta="1026")
    assert (alba_iulia.name, alba_iulia.county_code, alba_iulia.environment) == ("ALBA IULIA", "AB", "urban")
    assert alba_iulia.level == Locality.Level.VILLAGE
    assert School.objects.get(siiir_code="0161100012").parent == School.objects.get(siiir_code="0161100011")


def test_semicolon_csv_with_bom_and_title_block(tmp_path, iasi_localities):
    header, rows = shipped_rows()
    title = ["MINISTERUL EDUCAȚIEI;;", "Export complet rețea școlară;;", ""]
    path = write_csv(tmp_path / "excel.csv", header, rows[:10], delimiter=";", encoding="utf-8-sig", title=title)
    report = school_network_import(path=path)
    assert report.created == 10
    assert School.objects.get(siiir_code=ANDRIESENI_PJ).name.startswith("ȘCOALA GIMNAZIALĂ")


def test_windows_1250_csv_saved_by_a_romanian_excel(tmp_path, iasi_localities):
    header, rows = shipped_rows()
    cedilla = str.maketrans("șțȘȚ", "şţŞŢ")  # Windows-1250 has only the cedilla forms
    legacy = [{key: value.translate(cedilla) for key, value in row.items()} for row in rows[:3]]
    path = write_csv(tmp_path / "excel.csv", header, legacy, delimiter=";", encoding="cp1250")
    assert school_network_import(path=path).created == 3
    assert School.objects.get(siiir_code=ANDRIESENI_PJ).name == 'ȘCOALA GIMNAZIALĂ "GHEORGHE CIOBANU", ANDRIEȘENI'


def test_ar_may_point_at_a_pj_already_in_the_database(tmp_path, iasi_localities):
    header, rows = shipped_rows()
    pj = SchoolFactory(siiir_code=ANDRIESENI_PJ)
    ar_row = next(r for r in rows if r["Cod SIIIR unitate"] == BUHAENI_AR)
    report = school_network_import(path=write_csv(tmp_path / "ar.csv", header, [ar_row]))
    assert report.created == 1
    assert School.objects.get(siiir_code=BUHAENI_AR).parent == pj


def ministry_workbook(path: Path, data: list[list[object]]) -> Path:
    """An XLSX as the Ministry publishes it: a title block, the header on row 5, phone/fax/e-mail columns."""
    header, _ = shipped_rows()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["MINISTERUL EDUCAȚIEI"])
    sheet.append(["Export complet rețea școlară"])
    sheet.append(["An școlar 2024-2025", None, "generat la 01.09.2024"])
    sheet.append([])
    sheet.append([*header[:12], "Telefon", *header[12:], "Fax", "Email"])
    for values in data:
        sheet.append([*values[:12], "0232 000 000", *values[12:], "0232 000 001", "scoala@example.ro"])
    workbook.save(path)
    return path


def xlsx_values(row: dict[str, str], numeric: dict[str, int] | None = None) -> list[object]:
    """A row's cells in header order; the columns in `numeric` hold numbers, as a spreadsheet may store them."""
    header, _ = shipped_rows()
    return [(numeric or {}).get(name, row[name]) for name in header]


def test_ministry_xlsx_with_title_block_extra_columns_and_numeric_codes(tmp_path, iasi_localities):
    _, rows = shipped_rows()
    pj_row = next(r for r in rows if r["Cod SIIIR unitate"] == ANDRIESENI_PJ)
    ar_row = next(r for r in rows if r["Cod SIIIR unitate"] == BUHAENI_AR)
    path = ministry_workbook(
        tmp_path / "retea.xlsx",
        [
            xlsx_values(ar_row, {"Cod SIIIR PJ": 2261105527}),
            xlsx_values(pj_row, {"Cod SIIIR unitate": 2261105527, "Cod SIRUTA unitate": 95676, "Cod postal": 707010}),
            xlsx_values(alba_row("0161100011")),
            xlsx_values(
                alba_row("0161100012", kind="AR"),
                {"Cod SIIIR unitate": 161100012, "Cod SIIIR PJ": 161100011, "Cod SIRUTA unitate": 1026},
            ),
        ],
    )
    report = school_network_import(path=path)
    assert (report.rows, report.created, report.localities_created) == (4, 4, 1)
    pj = School.objects.get(siiir_code=ANDRIESENI_PJ)
    assert (pj.postal_code, pj.locality.siruta) == ("707010", "95676")
    assert School.objects.get(siiir_code=BUHAENI_AR).parent == pj
    alba_ar = School.objects.get(siiir_code="0161100012")
    assert alba_ar.parent is not None and alba_ar.parent.siiir_code == "0161100011"
    assert alba_ar.locality.siruta == "1026"
    assert (alba_ar.county_code, alba_ar.environment) == ("AB", "urban")
    assert school_network_import(path=path).unchanged == 4


def test_xlsx_errors_give_the_spreadsheet_row_number(tmp_path, iasi_localities):
    _, rows = shipped_rows()
    path = ministry_workbook(
        tmp_path / "retea.xlsx", [xlsx_values(rows[0]), xlsx_values(unit({CODE: "2261100001", "Statut unitate": "XY"}))]
    )
    with pytest.raises(NetworkImportError) as refused:
        school_network_import(path=path)
    assert [str(error) for error in refused.value.errors] == ["linia 7: statutul unității „XY” nu este PJ sau AR"]
    assert School.objects.count() == 0


# Refusals: nothing is written -----------------------------------------------------------------------------------


def test_bad_rows_are_each_reported_with_their_line_and_nothing_is_written(tmp_path, iasi_network):
    header, rows = shipped_rows()
    School.objects.filter(siiir_code=BUHAENI_AR).update(name="DE VERIFICAT")
    counts = database_counts()
    bad = [
        rows[1],  # line 2: fine (the Buhăeni AR, whose name would be restored)
        unit({CODE: "22611X0011"}),  # line 3
        unit({CODE: "2261100001", "Statut unitate": "XX"}),  # line 4
        unit({CODE: "2262100002", "Statut unitate": "AR", "Cod SIIIR PJ": "2261199999"}),  # line 5
        rows[1],  # line 6: the same code as line 2
        unit({CODE: "2261100003", "Denumire lunga unitate": "  "}),  # line 7
        unit({CODE: "2261100004", "Cod SIRUTA unitate": "95A76"}),  # line 8
        unit({CODE: "2261100005", "Mediu loc. unitate": "SUBURBAN"}),  # line 9
    ]
    path = write_csv(tmp_path / "gresit.csv", header, bad)
    with pytest.raises(NetworkImportError) as refused:
        school_network_import(path=path)
    assert [str(error) for error in refused.value.errors] == [
        "linia 3: codul SIIIR „22611X0011” nu este numeric („Cod SIIIR unitate”)",
        "linia 4: statutul unității „XX” nu este PJ sau AR",
        "linia 5: PJ-ul „2261199999” al structurii arondate nu este nici în fișier, nici în baza de date",
        "linia 6: codul SIIIR „2262100386” apare de mai multe ori în fișier (prima dată pe linia 2)",
        "linia 7: denumirea unității lipsește („Denumire lunga unitate”)",
        "linia 8: codul SIRUTA „95A76” nu este valid („Cod SIRUTA unitate”)",
        "linia 9: mediul „SUBURBAN” nu este URBAN sau RURAL",
    ]
    assert database_counts() == counts
    assert School.objects.get(siiir_code=BUHAENI_AR).name == "DE VERIFICAT"


def test_command_prints_each_bad_line_and_fails(tmp_path, db):
    header, _ = shipped_rows()
    path = write_csv(tmp_path / "gresit.csv", header, [unit(), unit({CODE: "22611X0011"})])
    err = StringIO()
    with pytest.raises(CommandError, match="nu s-a scris nimic"):
        call_command("import_school_network", str(path), stdout=StringIO(), stderr=err)
    assert "linia 3: codul SIIIR „22611X0011” nu este numeric" in err.getvalue()
    assert School.objects.count() == 0 and Locality.objects.count() == 0


def test_missing_header_columns_are_named_in_one_error(tmp_path, db):
    header, rows = shipped_rows()
    kept = [name for name in header if name not in {"Statut unitate", "Cod SIRUTA unitate"}]
    path = write_csv(tmp_path / "fara.csv", kept, [{name: rows[0][name] for name in kept}])
    with pytest.raises(NetworkImportError) as refused:
        school_network_import(path=path)
    assert [str(error) for error in refused.value.errors] == [
        "linia 1: antetul nu are coloanele obligatorii „Cod SIRUTA unitate”, „Statut unitate”"
    ]


def test_a_file_without_the_header_row_is_refused(tmp_path, db):
    path = tmp_path / "altceva.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(NetworkImportError, match="Cod SIIIR unitate"):
        school_network_import(path=path)


def test_bad_localities_rows_are_refused(tmp_path, db):
    with IASI_LOCALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    village = next(r for r in rows if r["siruta"] == "95685")
    broken = [dict(village, lat="nord"), dict(village, siruta="95686", level="cartier")]
    with pytest.raises(NetworkImportError) as refused:
        localities_import(path=write_csv(tmp_path / "loc.csv", header, broken))
    assert [str(error) for error in refused.value.errors] == [
        "linia 2: „lat” nu este un număr: „nord”",
        "linia 3: nivelul „cartier” nu este county, uat sau village",
    ]
    assert Locality.objects.count() == 0


@pytest.mark.parametrize(
    ("grade", "letter", "label"),
    [(0, "A", "Clasa pregătitoare A"), (1, "A", "Clasa I A"), (2, "B", "Clasa a II-a B"), (5, "B", "Clasa a V-a B"),
     (8, "", "Clasa a VIII-a"), (-1, "A", "Grupa A")],
)  # fmt: skip
def test_a_class_is_named_as_romanian_writes_it(grade, letter, label):
    from prezent.schools.models import ClassGroup

    assert str(ClassGroup(grade=grade, letter=letter)) == label


def test_cedilla_letters_of_the_ministry_are_written_with_the_comma_below(iasi_network):
    miroslovesti = School.objects.get(siiir_code="2261105685")  # "ŞCOALA GIMNAZIALĂ, MIROSLOVEŞTI" in the file
    assert miroslovesti.name == "ȘCOALA GIMNAZIALĂ, MIROSLOVEȘTI"
    assert miroslovesti.search_name == "scoala gimnaziala, miroslovesti sc gim miroslovesti"
    garbesti = School.objects.get(siiir_code="2261105206")
    assert (garbesti.name, garbesti.locality.name) == ("ȘCOALA GIMNAZIALĂ, GÂRBEȘTI", "GÂRBEȘTI")
    cedilla = "şţŞŢ"
    for field in ("name", "short_name", "unit_type", "street"):
        for letter in cedilla:
            assert not School.objects.filter(**{f"{field}__contains": letter}).exists(), (field, letter)
    for letter in cedilla:
        assert not Locality.objects.filter(name__contains=letter).exists(), letter
    names = list(School.objects.order_by("name").values_list("name", flat=True))
    assert names.index(garbesti.name) < names.index(miroslovesti.name)  # with the other "ȘCOALA" rows, not first


def test_localities_with_cedilla_letters_are_written_with_the_comma_below(tmp_path, db):
    path = tmp_path / "siruta.csv"
    path.write_text(
        "siruta,name,level,mediu,postal_code,uat_siruta,lat,lon,population_2011\n"
        "95060,COMUNA ŢIBĂNEŞTI,uat,rural,,95060,,,\n"
        "95079,Ţibăneşti,village,rural,,95060,,,\n",
        encoding="utf-8",
    )
    assert localities_import(path=path).created == 2
    assert sorted(Locality.objects.values_list("name", flat=True)) == ["COMUNA ȚIBĂNEȘTI", "Țibănești"]
    assert localities_import(path=path).unchanged == 2
