"""Importing pupils, classes and enrolments from a SIIIR export (prezent/children/imports/services.py)."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from prezent.children.cnp import cnp_make
from prezent.children.imports.services import (
    PupilImportError,
    class_parse,
    date_parse,
    mapping_guess,
    pupils_file_header,
    pupils_import,
)
from prezent.children.models import Child, Enrolment
from prezent.core.models import AuditEvent, ImportMapping
from prezent.core.testing import TEST_TODAY
from prezent.schools.models import ClassGroup
from prezent.schools.tests.factories import SchoolFactory, school_year_2025_2026, school_year_2026_2027

YEAR = "2026-2027"


def cnp(serial: int, *, sex: str = "F", birth: datetime.date = datetime.date(2015, 5, 4)) -> str:
    return cnp_make(sex=sex, birth_date=birth, county=22, serial=serial)


@pytest.fixture
def year(db):
    return school_year_2026_2027()


@pytest.fixture
def school(db):
    # A code that starts with 0: a numeric cell loses it.
    return SchoolFactory(siiir_code="0226110001", unit_type="Școală gimnazială")


@pytest.fixture
def school2(db):
    return SchoolFactory(siiir_code="2261100002", unit_type="Școală gimnazială")


HEADER = (
    "CNP;Nume;Inițiala tatălui;Prenume;Data nașterii;Sex;Cod SIIIR unitate;Unitate de învățământ;Nivel;"
    "An de studiu;Formațiune"
)


def csv_file(*rows: str, header: str = HEADER, title: bool = True) -> bytes:
    lines = ["MINISTERUL EDUCAȚIEI;;;", "Lista elevilor — județul Iași;;;", ""] if title else []
    return "\n".join([*lines, header, *rows]).encode()


def row(
    serial: int = 1,
    *,
    cnp_text: str | None = None,
    last: str = "Ștefănescu",
    first: str = "Ana",
    birth: str = "04.05.2015",
    sex: str = "F",
    code: str = "0226110001",
    level: str = "Gimnazial",
    grade: str = "V",
    formation: str = "a V-a B",
) -> str:
    if cnp_text is None:
        try:
            day, month, year_ = (int(part) for part in birth.split("."))
            cnp_text = cnp(serial, birth=datetime.date(year_, month, day))
        except ValueError:
            cnp_text = cnp(serial)
    value = cnp_text
    return f"{value};{last};I;{first};{birth};{sex};{code};Școala;{level};{grade};{formation}"


def run(data: bytes, **kwargs):
    return pupils_import(source=data, county_code="IS", year_name=YEAR, actor=None, **kwargs)


def errors_of(data: bytes, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(PupilImportError) as caught:
        run(data, **kwargs)
    return [(error.line, error.message) for error in caught.value.errors]


# Reading the cells ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a V-a B", (5, "B")),
        ("V B", (5, "B")),
        ("Clasa a V-a B", (5, "B")),
        ("a V a B", (5, "B")),
        ("5B", (5, "B")),
        ("Clasa pregătitoare A", (0, "A")),
        ("clasa pregatitoare", (0, "")),
        ("I A", (1, "A")),
        ("a VIII-a", (8, "")),
        ("V A", (5, "A")),
        ("Grupa mare B", (-1, "B")),
        ("B", (None, "B")),
        ("a V-a B C D", None),
    ],
)
def test_class_parse(text, expected):
    assert class_parse(text) == expected


def test_date_parse():
    assert date_parse("04.05.2015") == datetime.date(2015, 5, 4)
    assert date_parse("2015-05-04") == datetime.date(2015, 5, 4)
    assert date_parse(datetime.datetime(2015, 5, 4)) == datetime.date(2015, 5, 4)
    assert date_parse(42128) == datetime.date(2015, 5, 4)  # a spreadsheet serial
    assert "nu există" in str(date_parse("31.02.2015"))
    assert "zz.ll.aaaa" in str(date_parse("mai 2015"))


@pytest.mark.parametrize(
    "header",
    [
        HEADER,
        "CNP;Nume;Initiala tatalui;Prenume;Data nasterii;Sex;Cod unitate;Unitate de invatamant;Nivel;Clasa;"
        "Formatiune de studiu",
        "CNP;Nume de familie;Iniţiala tatălui;Prenume;Data naşterii;SEX;Cod SIIIR unitate;Unitate;Nivel;"
        "An studiu;Formaţiune de studiu",
    ],
)
def test_header_variants_are_recognised(header):
    line, cells = pupils_file_header(source=csv_file(header=header))
    mapping = mapping_guess(cells)
    assert line == 4
    assert {key: index for key, index in mapping.items() if index is not None} == {
        "cnp": 0,
        "last_name": 1,
        "first_name": 3,
        "birth_date": 4,
        "sex": 5,
        "school_code": 6,
        "level": 8,
        "grade": 9,
        "formation": 10,
    }


def test_a_clasa_column_holding_the_formation_is_the_formation():
    _line, cells = pupils_file_header(source=csv_file(header="CNP;Nume;Prenume;Cod unitate;Clasa"))
    mapping = mapping_guess(cells)
    assert mapping["formation"] == 4 and mapping["grade"] is None


# A first import and a second one ----------------------------------------------------------------------------------


def test_first_import_creates_pupils_classes_and_enrolments(year, school, school2):
    data = csv_file(
        row(1, formation="a V-a B"),
        row(2, last="Şerban", formation="V B", code="226110001"),  # ş with a cedilla; the code lost its 0
        row(3, last="Ţurcanu", grade="", formation="Clasa a V-a B"),
        row(4, grade="pregătitoare", level="Primar", formation="Clasa pregătitoare A", birth="02.01.2020"),
        row(5, code="2261100002", grade="VI", formation="a VI-a A", birth="02.03.2014"),
    )
    report = run(data)
    assert (report.rows, report.new, report.changed, report.classes_created) == (5, 5, 0, 3)
    assert Child.objects.count() == 5
    v_b = ClassGroup.objects.get(school=school, grade=5, letter="B")
    assert (v_b.school_year, v_b.level, v_b.hours_per_day) == (year, "lower_secondary", 6)
    prep = ClassGroup.objects.get(school=school, grade=0, letter="A")
    assert (prep.level, prep.hours_per_day) == ("primary", 4)
    assert Enrolment.objects.filter(class_group=v_b, end__isnull=True).count() == 3
    # A county's first import: the classes had no pupils, so the pupils are there from the year's first day.
    assert set(Enrolment.objects.values_list("start", flat=True)) == {year.start}
    assert report.schools["0226110001"].rows == 4 and report.schools["2261100002"].new == 1
    event = AuditEvent.objects.get(action="pupils.import")
    assert event.details["new"] == 5 and "Ștefănescu" not in str(event.details)


def test_second_run_changes_nothing(year, school):
    data = csv_file(row(1), row(2, formation="a V-a A"), row(3, cnp_text="", last="Ali", birth="01.02.2015"))
    run(data)
    before = list(Enrolment.objects.order_by("pk").values_list("pk", "class_group_id", "start", "end"))
    report = run(data)
    assert (report.new, report.changed, report.moved, report.unchanged, report.classes_created) == (0, 0, 0, 3, 0)
    assert list(Enrolment.objects.order_by("pk").values_list("pk", "class_group_id", "start", "end")) == before
    assert Child.objects.count() == 3


def test_dry_run_writes_nothing(year, school):
    report = run(csv_file(row(1)), dry_run=True)
    assert report.new == 1 and report.dry_run
    assert not Child.objects.exists() and not ClassGroup.objects.exists()


def test_xlsx_with_spreadsheet_dates_and_numeric_codes(year, school):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Export SIIIR — elevi"])
    sheet.append([])
    sheet.append(["CNP", "Nume", "Prenume", "Data nașterii", "Sex", "Cod unitate", "Clasa", "Formațiune de studiu"])
    sheet.append([int(cnp(1)), "Popa", "Ion", datetime.datetime(2015, 5, 4), "F", 226110001, "V", "V B"])
    sheet.append([cnp(2), "Popa", "Maria", "04.05.2015", "F", "0226110001", "a V-a", "a V-a B"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue())
    assert report.new == 2
    assert ClassGroup.objects.get().grade == 5


# Moves ------------------------------------------------------------------------------------------------------------


def test_a_pupil_who_moved_class_or_school_gets_a_new_enrolment(year, school, school2):
    run(csv_file(row(1), row(2)))
    report = run(csv_file(row(1, formation="a V-a C"), row(2, code="2261100002")), today=TEST_TODAY)
    assert (report.new, report.moved, report.changed, report.classes_created) == (0, 2, 2, 2)
    first = Child.objects.get(cnp=cnp(1))
    old, new = first.enrolments.order_by("start")
    assert (old.end, old.end_reason) == (TEST_TODAY - datetime.timedelta(days=1), "moved_class")
    assert (new.start, new.end, new.class_group.letter) == (TEST_TODAY, None, "C")
    second = Child.objects.get(cnp=cnp(2))
    assert second.enrolments.get(end__isnull=False).end_reason == "moved_school"
    assert second.enrolments.get(end__isnull=True).class_group.school == school2


def test_a_pupil_of_last_year_moves_to_this_years_class(school):
    last_year = school_year_2025_2026()
    year = school_year_2026_2027()
    pupils_import(
        source=csv_file(row(1, grade="IV", level="Primar", formation="a IV-a A")),
        county_code="IS",
        year_name="2025-2026",
        actor=None,
    )
    run(csv_file(row(1)))
    old, new = Child.objects.get().enrolments.order_by("start")
    assert old.class_group.school_year == last_year and old.end == year.start - datetime.timedelta(days=1)
    assert old.end_reason == "year_end"
    assert new.class_group.school_year == year and new.start == year.start


# Pupils without a CNP ---------------------------------------------------------------------------------------------


def test_a_pupil_without_cnp_is_flagged_and_found_again_by_name(year, school):
    data = csv_file(row(cnp_text="", last="Ahmadi", first="Sara", birth="03.03.2015"))
    assert run(data).without_cnp == 1
    child = Child.objects.get()
    assert child.cnp == "" and child.household is not None and child.household.no_identity_papers
    # Written another way (no diacritics, other case) in the next file: the same child.
    report = run(csv_file(row(cnp_text="", last="AHMADI", first="sara", birth="03.03.2015")))
    assert Child.objects.count() == 1 and report.new == 0 and report.moved == 0
    # The CNP found later is added to the record.
    run(csv_file(row(7, last="Ahmadi", first="Sara", birth="04.05.2015", sex="F")))
    assert Child.objects.count() == 2  # another birth date: another child
    report = run(
        csv_file(row(cnp_text=cnp(9, birth=datetime.date(2015, 3, 3)), last="Ahmadi", first="Sara", birth="03.03.2015"))
    )
    assert report.new == 0
    assert Child.objects.get(pk=child.pk).cnp == cnp(9, birth=datetime.date(2015, 3, 3))


# Refusals ---------------------------------------------------------------------------------------------------------


def test_every_bad_line_is_named_and_nothing_is_written(year, school, school2):
    other = SchoolFactory(siiir_code="0112345678", county_code="AB")
    bad_checksum = cnp(1)[:-1] + str((int(cnp(1)[-1]) + 1) % 10)
    data = csv_file(
        row(1),  # line 5: fine
        row(2, cnp_text=bad_checksum),  # 6
        row(3, code="2269999999"),  # 7: unknown school
        row(1),  # 8: the same CNP as line 5
        row(4, cnp_text="", birth="31.02.2015"),  # 9: impossible date
        row(5, grade="V", formation="a VI-a B"),  # 10: class does not fit the grade
        row(6, level="Primar", grade="V", formation="a V-a B"),  # 11: grade out of the level
        row(7, code=other.siiir_code),  # 12: another county
        row(8, cnp_text="", birth=""),  # 13: no CNP and no birth date
        row(9, cnp_text=cnp(9), birth="05.05.2015"),  # 14: the CNP does not match the birth date
    )
    errors = errors_of(data)
    lines = [line for line, _message in errors]
    assert lines == [6, 7, 8, 9, 10, 11, 12, 13, 14]
    messages = dict(errors)
    assert "CNP" in messages[6]
    assert "2269999999" in messages[7] and "rețeaua școlară" in messages[7]
    assert "linia 5" in messages[8]
    assert "nu există" in messages[9]
    assert "a VI-a B" in messages[10]
    assert "nivelul" in messages[11]
    assert "alt județ" in messages[12]
    assert "data nașterii" in messages[13]
    assert "nu corespunde" in messages[14]
    assert not Child.objects.exists() and not ClassGroup.objects.exists()
    for _line, message in errors:
        assert "Ștefănescu" not in message and cnp(2) not in message


def test_preschool_groups_of_two_kinds_with_one_letter_are_refused(year, school):
    # Prezent keeps a preschool group as "grupa" and a letter: "grupa mică A" and "grupa mare A" of one school
    # would become one group, so the file is refused; groups of one kind, or with different letters, are fine.
    group = {"level": "Preșcolar", "grade": "", "birth": "04.05.2021"}
    errors = errors_of(
        csv_file(
            row(1, formation="Grupa mică A", cnp_text=cnp(1, birth=datetime.date(2021, 5, 4)), **group),
            row(2, formation="grupa mica A", cnp_text=cnp(2, birth=datetime.date(2021, 5, 4)), **group),
            row(3, formation="Grupa mare A", cnp_text=cnp(3, birth=datetime.date(2021, 5, 4)), **group),
            row(4, formation="A", cnp_text=cnp(4, birth=datetime.date(2021, 5, 4)), **{**group, "grade": "Grupa mare"}),
        )
    )
    assert [line for line, _message in errors] == [7, 8]
    assert "grupa mare A" in errors[0][1] and "grupa mică A" in errors[0][1] and "linia 5" in errors[0][1]
    report = run(
        csv_file(
            row(1, formation="Grupa mică A", cnp_text=cnp(1, birth=datetime.date(2021, 5, 4)), **group),
            row(3, formation="Grupa mare B", cnp_text=cnp(3, birth=datetime.date(2021, 5, 4)), **group),
        )
    )
    assert report.new == 2
    assert set(ClassGroup.objects.values_list("grade", "letter")) == {(-1, "A"), (-1, "B")}


def test_a_class_out_of_the_kind_of_unit_is_refused(year):
    SchoolFactory(siiir_code="2261100009", unit_type="Școală primară")
    errors = errors_of(csv_file(row(1, code="2261100009")))
    assert errors[0][0] == 5 and "tip" in errors[0][1]


def test_the_school_year_must_be_open(school):
    errors = errors_of(csv_file(row(1)))
    assert errors[0][0] == 0 and "nu este deschis" in errors[0][1]


def test_a_school_coordinator_imports_only_their_schools(year, school, school2):
    errors = errors_of(csv_file(row(1), row(2, code="2261100002")), school_ids={school.pk})
    assert [line for line, _m in errors] == [6] and "școlile dumneavoastră" in errors[0][1]
    assert run(csv_file(row(1)), school_ids={school.pk}).new == 1


def test_high_school_rows_are_skipped(year, school):
    report = run(csv_file(row(1), row(2, level="Liceal", grade="IX", formation="a IX-a A")))
    assert (report.new, report.skipped_high_school) == (1, 1)


def test_a_missing_column_is_named(year, school):
    errors = errors_of(csv_file("x;Pop;x;Ana", header="CNP;Nume;Inițiala tatălui;Prenume"))
    assert errors[0][0] == 4 and any("Cod SIIIR unitate" in m for _l, m in errors)


# The mapping --------------------------------------------------------------------------------------------------


def test_a_changed_mapping_is_used_and_remembered(year, school):
    from prezent.children.imports.services import mapping_remember, mapping_remembered

    header = "Cod numeric;Nume;Prenume;Născut;Sex;Cod unitate;Grupa clasei"
    data = csv_file(f"{cnp(1)};Pop;Ana;04.05.2015;F;0226110001;a V-a B", header=header)
    _line, cells = pupils_file_header(source=data)
    guessed = mapping_guess(cells)
    assert guessed["cnp"] is None and guessed["formation"] is None
    mapping = {**guessed, "cnp": 0, "birth_date": 3, "formation": 6}
    mapping_remember(county_code="IS", header=cells, mapping=mapping, actor=None)
    assert ImportMapping.objects.get(county_code="IS", kind="pupils").columns["formation"] == "grupa clasei"
    assert mapping_guess(cells, mapping_remembered(county_code="IS")) == mapping
    assert run(data).new == 1  # the command and the page use the remembered columns


# The command ------------------------------------------------------------------------------------------------------


def test_command_prints_counts_and_bad_lines_without_names(year, school, tmp_path, capsys):
    path = tmp_path / "elevi.csv"
    path.write_bytes(csv_file(row(1), row(2)))
    call_command("import_pupils", str(path), "--county", "IS", "--year", YEAR)
    out = capsys.readouterr().out
    assert "2 noi" in out and "0226110001" in out and "Ștefănescu" not in out and cnp(1) not in out
    call_command("import_pupils", str(path), "--county", "IS", "--year", YEAR)
    assert "0 noi, 0 modificați" in capsys.readouterr().out
    path.write_bytes(csv_file(row(1), row(2, cnp_text=cnp(1)[:-1] + "0" if cnp(1)[-1] != "0" else cnp(1)[:-1] + "1")))
    with pytest.raises(CommandError):
        call_command("import_pupils", str(path), "--county", "IS", "--year", YEAR)
    err = capsys.readouterr().err
    assert "linia 6" in err and "Ștefănescu" not in err and cnp(1) not in err


# The pages --------------------------------------------------------------------------------------------------------


@pytest.fixture
def coordinator(db, school):
    from prezent.accounts.tests.factories import Role, UserFactory, assign

    user = UserFactory()
    assign(user, Role.COUNTY_COORDINATOR, county="IS")
    return user


def test_page_flow_upload_preview_change_mapping_confirm(client, coordinator, year, school, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.PREZENT_IMPORT_DIR = str(tmp_path)
    client.force_login(coordinator)
    header = "CNP;Nume;Prenume;Născut;Sex;Cod unitate;Grupa clasei"
    data = csv_file(f"{cnp(1)};Ștefănescu;Ana;04.05.2015;F;0226110001;a V-a B", header=header)
    response = client.post(reverse("children:import"), {"year": year.pk, "file": SimpleUploadedFile("elevi.csv", data)})
    assert response.status_code == 302 and response.url == reverse("children:import_preview")
    token = client.session["prezent_pupil_import"]["token"]
    assert (tmp_path / f"{token}.upload").is_file()

    page = client.get(reverse("children:import_preview"))
    assert page.status_code == 400  # "Grupa clasei" is not recognised: the formation must be chosen
    assert "Formațiune" in page.content.decode() and "G: Grupa clasei" in page.content.decode()
    assert not Child.objects.exists()

    mapping = {
        "cnp": "0",
        "last_name": "1",
        "first_name": "2",
        "birth_date": "3",
        "sex": "4",
        "school_code": "5",
        "formation": "6",
        "level": "",
        "grade": "",
    }
    page = client.post(reverse("children:import_preview"), {**mapping, "check": "1"})
    assert page.status_code == 200 and "1 noi" in page.content.decode().replace("\xa0", " ")
    assert "Confirmă importul" in page.content.decode() and not Child.objects.exists()

    done = client.post(reverse("children:import_preview"), {**mapping, "confirm": "1"}, follow=True)
    assert "Import făcut: 1 elevi noi" in done.content.decode()
    assert Child.objects.get().cnp == cnp(1)
    assert not (tmp_path / f"{token}.upload").exists() and "prezent_pupil_import" not in client.session
    assert ImportMapping.objects.get(county_code="IS").columns["formation"] == "grupa clasei"

    # The next upload offers the remembered columns: the preview is clean at once.
    client.post(reverse("children:import"), {"year": year.pk, "file": SimpleUploadedFile("elevi.csv", data)})
    page = client.get(reverse("children:import_preview"))
    assert page.status_code == 200 and "Confirmă importul" in page.content.decode()


def test_page_shows_bad_lines_and_a_school_coordinator_imports_only_their_school(
    client, year, school, school2, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from prezent.accounts.tests.factories import Role, UserFactory, assign

    settings.PREZENT_IMPORT_DIR = str(tmp_path)
    user = UserFactory()
    assign(user, Role.SCHOOL_COORDINATOR, schools=[school])
    client.force_login(user)
    data = csv_file(row(1), row(2, code="2261100002"))
    client.post(reverse("children:import"), {"year": year.pk, "file": SimpleUploadedFile("elevi.xlsx", data)})
    page = client.get(reverse("children:import_preview"))
    text = page.content.decode()
    assert page.status_code == 400 and "linia 6" in text and "școlile dumneavoastră" in text
    assert "Confirmă importul" not in text
    page = client.post(
        reverse("children:import_preview"),
        {"confirm": "1", "cnp": "0", "last_name": "1", "first_name": "3", "school_code": "6", "formation": "10"},
    )
    assert page.status_code == 400 and not Child.objects.exists()
    client.post(reverse("children:import_preview"), {"cancel": "1"})
    assert not list(tmp_path.glob("*.upload"))


def test_a_client_cannot_name_the_kept_file(client, coordinator, year, settings, tmp_path):
    from django.urls import reverse

    settings.PREZENT_IMPORT_DIR = str(tmp_path)
    client.force_login(coordinator)
    session = client.session
    session["prezent_pupil_import"] = {"token": "../../etc/passwd", "year": year.pk}
    session.save()
    response = client.get(reverse("children:import_preview"))
    assert response.status_code == 302 and response.url == reverse("children:import")


def test_the_children_list_links_to_the_import_for_those_who_import(client, coordinator, school):
    """The import page is reached from the children list (it was linked from nowhere): for the county and school
    coordinators, not for a teacher."""
    from django.urls import reverse

    from prezent.accounts.tests.factories import Role, UserFactory, assign

    link = f'href="{reverse("children:import")}"'
    client.force_login(coordinator)
    assert link in client.get(reverse("children:list")).content.decode()
    teacher = UserFactory()
    assign(teacher, Role.CLASS_TEACHER, schools=[school])
    client.force_login(teacher)
    assert link not in client.get(reverse("children:list")).content.decode()


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\u202e", "\u2066"])
def test_a_name_with_a_control_character_is_a_bad_row_and_nothing_is_written(year, school, character):
    errors = errors_of(csv_file(row(1), row(2, first=f"Ma{character}ria"), row(3, last="Popa")))
    assert [line for line, _m in errors] == [6]
    assert "caracter invizibil sau de control" in errors[0][1]
    assert character not in errors[0][1]  # the line is named, never the name
    assert not Child.objects.exists()
