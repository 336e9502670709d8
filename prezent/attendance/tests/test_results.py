import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.marks.forms import ResultsGridForm
from prezent.attendance.marks.selectors import child_module_results, subjects_for_class
from prezent.attendance.marks.services import ResultsImportError, module_results_import, module_results_save
from prezent.attendance.marks.values import (
    AverageError,
    canonical_subject,
    default_subjects,
    merge_subjects,
    parse_average,
)
from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory, enrol
from prezent.core.models import AuditEvent
from prezent.schools.tests.factories import ClassGroupFactory

MODULE = 2  # 2 Nov – 22 Dec 2026 in Iași; today (28 Nov 2026) is inside it


# Pure rules --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8,50", Decimal("8.50")),
        ("8.5", Decimal("8.50")),
        (" 9 ", Decimal("9.00")),
        ("10", Decimal("10.00")),
        ("1,00", Decimal("1.00")),
        ("", None),
        ("   ", None),
        (None, None),
        (7, Decimal("7.00")),
        (8.666666, Decimal("8.67")),  # a spreadsheet formula's value, rounded as the teacher saw it
        (9.125, Decimal("9.13")),
    ],
)
def test_an_average_is_read_with_a_comma_or_a_dot(typed, expected):
    assert parse_average(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("11", "nu este între 1 și 10"),
        ("0,5", "nu este între 1 și 10"),
        ("10,01", "nu este între 1 și 10"),
        ("abc", "nu este un număr"),
        ("8,5,1", "nu este un număr"),
        ("-3", "nu este un număr"),
        ("8,555", "mai mult de două zecimale"),
        ("1e1", "nu este un număr"),
        ("NaN", "nu este un număr"),
        (True, "nu este un număr"),
        (float("nan"), "nu este un număr"),
        (12.0, "nu este între 1 și 10"),
    ],
)
def test_a_wrong_average_is_refused_with_the_reason_in_romanian(typed, reason):
    with pytest.raises(AverageError, match=reason):
        parse_average(typed)


@given(st.integers(min_value=100, max_value=1000))
def test_every_two_decimal_average_from_1_to_10_reads_back_the_same(cents):
    value = Decimal(cents) / 100
    assert parse_average(f"{value:.2f}".replace(".", ",")) == value
    assert parse_average(f"{value:.2f}") == value
    assert parse_average(float(value)) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2).filter(lambda d: not 1 <= d <= 10))
def test_no_average_outside_1_to_10_gets_through(value):
    with pytest.raises(AverageError):
        parse_average(str(value))


def test_default_subjects_follow_the_grade_and_end_with_conduct():
    grade_1 = default_subjects(level="primary", grade=1)
    grade_3 = default_subjects(level="primary", grade=3)
    grade_5 = default_subjects(level="lower_secondary", grade=5)
    grade_7 = default_subjects(level="lower_secondary", grade=7)
    assert "Matematică și explorarea mediului" in grade_1 and "Matematică" not in grade_1
    assert "Comunicare în limba română" in grade_1
    assert "Matematică" in grade_3 and "Limba și literatura română" in grade_3
    assert "Fizică" not in grade_5 and "Chimie" not in grade_5 and "Limba franceză" in grade_5
    assert {"Fizică", "Chimie", "Biologie", "Istorie", "Geografie", "Religie", "Educație fizică"} <= set(grade_7)
    assert all(subjects[-1] == CONDUCT_SUBJECT for subjects in (grade_1, grade_3, grade_5, grade_7))
    assert default_subjects(level="preschool", grade=-1) == []


def test_a_level_list_can_be_replaced_by_the_setting():
    subjects = default_subjects(
        level="primary", grade=3, overrides={"primary": ["Matematică", "Limba română"], "lower_secondary": []}
    )
    assert subjects == ["Matematică", "Limba română", CONDUCT_SUBJECT]


def test_columns_merge_without_duplicates_and_keep_conduct_last():
    merged = merge_subjects(["Matematică", "Purtare"], ["matematica", "Desen", "PURTARE"])
    assert merged == ["Matematică", "Desen", CONDUCT_SUBJECT]
    assert canonical_subject("educatie fizica", ["Educație fizică"]) == "Educație fizică"
    assert canonical_subject("purtare", []) == CONDUCT_SUBJECT


# Fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture
def teacher(db):
    return UserFactory()


@pytest.fixture
def group(teacher):
    group = ClassGroupFactory(teacher=teacher, level="lower_secondary", grade=6, letter="A")
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    return group


@pytest.fixture
def pupils(group):
    names = [("Popescu", "Ana"), ("Ștefănescu", "Ioana-Maria"), ("Rusu", "Mihai")]
    children = [ChildFactory(last_name=last, first_name=first) for last, first in names]
    for child in children:
        EnrolmentFactory(child=child, class_group=group, start=group.school_year.start)
    return children


def _url(name, group, module=MODULE):
    return reverse(f"attendance:{name}", kwargs={"pk": group.pk, "module": module})


def _cell(child, subject):
    return ResultsGridForm.cell_name(child.pk, subject)


def _averages(group, module=MODULE):
    return {(r.child_id, r.subject): r.average for r in ModuleResult.objects.filter(class_group=group, module=module)}


# Saving the grid ----------------------------------------------------------------------------------------------


def test_saving_the_grid_creates_changes_and_removes_averages(group, pupils, teacher):
    ana, ioana, mihai = pupils
    saved = module_results_save(
        class_group=group,
        module=MODULE,
        grid={
            (ana.pk, "Matematică"): Decimal("8.50"),
            (ioana.pk, CONDUCT_SUBJECT): Decimal(10),
            (mihai.pk, "Matematică"): None,
        },
        actor=teacher,
    )
    assert (saved.created, saved.updated, saved.deleted) == (2, 0, 0)
    saved = module_results_save(
        class_group=group,
        module=MODULE,
        grid={(ana.pk, "Matematică"): Decimal("9.00"), (ioana.pk, CONDUCT_SUBJECT): None},
        actor=teacher,
    )
    assert (saved.created, saved.updated, saved.deleted, saved.unchanged) == (0, 1, 1, 0)
    assert _averages(group) == {(ana.pk, "Matematică"): Decimal("9.00")}
    event = AuditEvent.objects.filter(action="module_results.save").first()
    assert event.details == {"module": MODULE, "created": 0, "updated": 1, "deleted": 1, "unchanged": 0}
    assert "Popescu" not in str(event.details)


def test_the_service_refuses_a_pupil_of_another_class_and_writes_nothing(group, pupils, teacher):
    stranger = enrol(ClassGroupFactory(school=group.school, grade=4), 1)[0]
    with pytest.raises(ValidationError):
        module_results_save(
            class_group=group,
            module=MODULE,
            grid={(pupils[0].pk, "Matematică"): Decimal(8), (stranger.pk, "Matematică"): Decimal(7)},
            actor=teacher,
        )
    with pytest.raises(ValidationError):
        module_results_save(
            class_group=group, module=MODULE, grid={(pupils[0].pk, "Matematică"): Decimal(11)}, actor=teacher
        )
    assert not ModuleResult.objects.exists()


def test_the_grid_lists_pupils_enrolled_during_the_module_only(client, group, pupils, teacher):
    import datetime

    left_in_october = EnrolmentFactory(
        class_group=group, start=group.school_year.start, end=datetime.date(2026, 10, 20)
    ).child
    arrived_in_december = EnrolmentFactory(class_group=group, start=datetime.date(2026, 12, 7)).child
    client.force_login(teacher)
    children = client.get(_url("results", group)).context["form"].children
    assert left_in_october not in children
    assert arrived_in_december in children
    assert set(pupils) <= set(children)


def test_teacher_saves_the_whole_grid_with_commas_and_dots(client, group, pupils, teacher):
    ana, ioana, mihai = pupils
    client.force_login(teacher)
    response = client.post(
        _url("results", group),
        {
            _cell(ana, "Matematică"): "8,50",
            _cell(ioana, "Matematică"): "9.5",
            _cell(mihai, CONDUCT_SUBJECT): "10",
            _cell(mihai, "Matematică"): "",
        },
    )
    assert response.status_code == 302
    assert _averages(group) == {
        (ana.pk, "Matematică"): Decimal("8.50"),
        (ioana.pk, "Matematică"): Decimal("9.50"),
        (mihai.pk, CONDUCT_SUBJECT): Decimal("10.00"),
    }
    page = client.get(response.url)
    assert 'value="8,50"' in page.content.decode()


def test_a_bad_cell_saves_nothing_and_keeps_what_was_typed(client, group, pupils, teacher):
    ana, ioana, _mihai = pupils
    module_results_save(class_group=group, module=MODULE, grid={(ana.pk, "Religie"): Decimal(10)}, actor=teacher)
    client.force_login(teacher)
    response = client.post(
        _url("results", group),
        {
            _cell(ana, "Matematică"): "8,50",
            _cell(ana, "Religie"): "",
            _cell(ioana, "Matematică"): "11",
            _cell(ioana, "Religie"): "zece",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nimic nu a fost salvat" in html
    assert "„11” nu este între 1 și 10." in html
    assert "„zece” nu este un număr între 1 și 10" in html
    assert 'value="8,50"' in html and 'value="11"' in html and 'value="zece"' in html
    assert 'aria-invalid="true"' in html
    assert _averages(group) == {(ana.pk, "Religie"): Decimal("10.00")}


def test_teacher_adds_a_subject_column_and_fills_it(client, group, pupils, teacher):
    ana = pupils[0]
    client.force_login(teacher)
    response = client.post(
        _url("results", group), {"new_subject": "Opțional: Educație rutieră", _cell(ana, "Matematică"): "7"}
    )
    assert response.status_code == 200
    assert "Opțional: Educație rutieră" in response.context["subjects"]
    assert not ModuleResult.objects.exists()
    assert 'value="7"' in response.content.decode()
    subjects = response.context["subjects"]
    assert subjects[-1] == CONDUCT_SUBJECT
    response = client.post(
        _url("results", group),
        {"subject": subjects, _cell(ana, "Opțional: Educație rutieră"): "9,75", _cell(ana, "Matematică"): "7"},
    )
    assert response.status_code == 302
    assert _averages(group)[(ana.pk, "Opțional: Educație rutieră")] == Decimal("9.75")
    assert "Opțional: Educație rutieră" in subjects_for_class(class_group=group)


def test_adding_a_subject_without_a_name_asks_for_one(client, group, pupils, teacher):
    client.force_login(teacher)
    response = client.post(_url("results", group), {"add": "1", _cell(pupils[0], "Matematică"): "7"})
    assert response.status_code == 400
    assert "Scrieți numele disciplinei." in response.content.decode()
    assert not ModuleResult.objects.exists()


def test_teacher_of_another_class_gets_404_and_changes_nothing(client, group, pupils):
    other = UserFactory()
    assign(other, Role.CLASS_TEACHER, schools=[group.school])
    ClassGroupFactory(school=group.school, teacher=other, grade=4)
    client.force_login(other)
    assert client.get(_url("results", group)).status_code == 404
    assert client.post(_url("results", group), {_cell(pupils[0], "Matematică"): "8"}).status_code == 404
    upload = SimpleUploadedFile("medii.csv", b"Nume,Prenume,Matematica\nPopescu,Ana,8\n")
    assert client.post(_url("results_import", group), {"file": upload}).status_code == 404
    assert client.get(_url("results_template", group)).status_code == 404
    assert not ModuleResult.objects.exists()


def test_mediator_reads_the_averages_but_cannot_write(client, group, pupils, teacher):
    module_results_save(
        class_group=group, module=MODULE, grid={(pupils[0].pk, "Matematică"): Decimal("4.5")}, actor=teacher
    )
    mediator = UserFactory()
    assign(mediator, Role.SCHOOL_MEDIATOR, schools=[group.school])
    client.force_login(mediator)
    response = client.get(_url("results", group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "4,50" in html and 'class="num failing"' in html
    assert 'name="new_subject"' not in html and 'type="file"' not in html
    assert client.post(_url("results", group), {_cell(pupils[0], "Matematică"): "8"}).status_code == 404
    assert _averages(group) == {(pupils[0].pk, "Matematică"): Decimal("4.50")}


def test_a_module_the_year_does_not_have_is_404(client, group, teacher):
    client.force_login(teacher)
    assert client.get(_url("results", group, module=6)).status_code == 404


def test_the_current_module_opens_by_default(client, group, teacher):
    client.force_login(teacher)
    response = client.get(reverse("attendance:results_current", kwargs={"pk": group.pk}))
    assert response.status_code == 302
    assert response.url == _url("results", group, module=2)


def test_the_grid_page_runs_a_constant_number_of_queries(client, group, teacher, django_assert_max_num_queries):
    children = enrol(group, 5)
    module_results_save(
        class_group=group, module=MODULE, grid={(c.pk, "Matematică"): Decimal(8) for c in children}, actor=teacher
    )
    client.force_login(teacher)
    url = _url("results", group)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    more = enrol(group, 20)
    module_results_save(
        class_group=group, module=MODULE, grid={(c.pk, "Religie"): Decimal(9) for c in more}, actor=teacher
    )
    with django_assert_max_num_queries(15) as large:
        response = client.get(url)
    assert len(response.context["form"].children) == 25
    assert len(large.captured_queries) == len(small.captured_queries)


def test_saving_the_grid_runs_a_constant_number_of_queries(client, group, teacher, django_assert_max_num_queries):
    def post(children):
        data = {_cell(c, s): "8" for c in children for s in ("Matematică", "Religie", CONDUCT_SUBJECT)}
        return client.post(_url("results", group), data)

    client.force_login(teacher)
    small_class = enrol(group, 5)
    with django_assert_max_num_queries(30) as small:
        assert post(small_class).status_code == 302
    whole_class = small_class + enrol(group, 20)
    with django_assert_max_num_queries(30) as large:
        assert post(whole_class).status_code == 302
    assert ModuleResult.objects.count() == 75
    assert len(large.captured_queries) == len(small.captured_queries)


# Importing ----------------------------------------------------------------------------------------------------


def _csv(rows, delimiter=",", encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(group, teacher, content, name="medii.csv"):
    return module_results_import(
        class_group=group, module=MODULE, file=io.BytesIO(content), filename=name, actor=teacher
    )


def test_import_csv_matches_names_without_case_or_diacritics(group, pupils, teacher):
    ana, ioana, mihai = pupils
    content = _csv(
        [
            ["Nr. crt.", "Nume", "Prenume", "matematica", "Limba și literatura română", "Purtare"],
            [1, "POPESCU", "ana", "8,50", "9", "10"],
            [2, "Stefanescu", "Ioana Maria", "7.25", "", "9"],
            [],
            [3, "Rusu", "Mihai", "", "", ""],
        ],
        delimiter=";",
    )
    report = _import(group, teacher, content)
    assert (report.rows, report.subjects, report.created, report.updated) == (3, 3, 5, 0)
    assert _averages(group) == {
        (ana.pk, "Matematică"): Decimal("8.50"),
        (ana.pk, "Limba și literatura română"): Decimal("9.00"),
        (ana.pk, CONDUCT_SUBJECT): Decimal("10.00"),
        (ioana.pk, "Matematică"): Decimal("7.25"),
        (ioana.pk, CONDUCT_SUBJECT): Decimal("9.00"),
    }
    assert mihai.pk not in {child_id for child_id, _subject in _averages(group)}
    event = AuditEvent.objects.get(action="module_results.import")
    assert event.details["created"] == 5 and "Popescu" not in str(event.details)


def test_import_csv_from_excel_on_romanian_windows(group, pupils, teacher):
    # Windows-1250 has only the cedilla forms (Ş, ţ), which must match the comma forms (Ș, ț) of the database.
    content = _csv([["Elev", "Matematică"], ["\u015etefănescu Ioana-Maria", "6"]], delimiter=";", encoding="cp1250")
    report = _import(group, teacher, content)
    assert report.created == 1
    assert _averages(group) == {(pupils[1].pk, "Matematică"): Decimal("6.00")}


def test_import_xlsx_matches_by_cnp_first_and_adds_new_subjects(group, pupils, teacher):
    ana, ioana, _mihai = pupils
    ana.cnp = "6150101226789"
    ana.save()
    module_results_save(class_group=group, module=MODULE, grid={(ioana.pk, "Matematică"): Decimal(5)}, actor=teacher)
    content = _xlsx(
        [
            ["Medii modulul 2"],
            [],
            ["Nume", "Prenume", "CNP", "Matematică", "Educație rutieră"],
            ["Altă Grafie", "Ana", 6150101226789, 9.5, 10],
            ["Ștefănescu", "Ioana-Maria", None, 8.666666, None],
        ]
    )
    report = _import(group, teacher, content, name="Medii.XLSX")
    assert (report.rows, report.created, report.updated) == (2, 2, 1)
    assert _averages(group) == {
        (ana.pk, "Matematică"): Decimal("9.50"),
        (ana.pk, "Educație rutieră"): Decimal("10.00"),
        (ioana.pk, "Matematică"): Decimal("8.67"),
    }


def test_import_with_bad_rows_writes_nothing_and_reports_each_line(group, pupils, teacher):
    twin = ChildFactory(last_name="Rusu", first_name="Mihai")
    EnrolmentFactory(child=twin, class_group=group, start=group.school_year.start)
    content = _csv(
        [
            ["Nume", "Prenume", "Matematică", "Purtare"],
            ["Popescu", "Ana", "8", "10"],
            ["Ionescu", "Vasile", "7", "10"],
            ["Rusu", "Mihai", "6", "9"],
            ["Ștefănescu", "Ioana-Maria", "11", "zece"],
            ["popescu", "ANA", "9", "10"],
        ]
    )
    with pytest.raises(ResultsImportError) as caught:
        _import(group, teacher, content)
    messages = [str(error) for error in caught.value.errors]
    assert messages == [
        "linia 3: elevul „Ionescu Vasile” nu este în clasă în modulul 2",
        "linia 4: numele „Rusu Mihai” se potrivește cu 2 elevi ai clasei: adăugați coloana CNP",
        "linia 5: „Matematică”: „11” nu este între 1 și 10.",
        "linia 5: „Purtare”: „zece” nu este un număr între 1 și 10 (de exemplu 8,50).",
        "linia 6: elevul apare de mai multe ori în fișier (prima dată pe linia 2)",
    ]
    assert not ModuleResult.objects.exists()
    assert not AuditEvent.objects.filter(action="module_results.import").exists()


def test_import_without_name_columns_is_refused_at_the_header(group, pupils, teacher):
    with pytest.raises(ResultsImportError) as caught:
        _import(group, teacher, _csv([["Nume", "Matematică"], ["Popescu Ana", "8"]]))
    assert [str(e) for e in caught.value.errors] == [
        "linia 1: antetul trebuie să aibă coloanele „Nume” și „Prenume” (sau o coloană „Elev”)"
    ]
    with pytest.raises(ResultsImportError, match="Nu am găsit rândul de antet"):
        _import(group, teacher, _csv([["Matematică"], ["8"]]))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("medii.txt", b"Nume,Prenume,Matematica\n", "Alegeți un fișier .xlsx sau .csv"),
        ("medii.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Alegeți un fișier .xlsx sau .csv"),
        ("medii.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Formatul vechi .xls"),
        ("medii.xlsx", b"PK\x03\x04 not really a zip", "Fișierul XLSX nu poate fi citit"),
        ("medii.csv", b"Nume,Prenume\n" + b"x" * (2 * 1024 * 1024), "peste 2 MB"),
        ("medii.csv", b"", "Fișierul este gol"),
    ],
)
def test_wrong_or_too_large_files_are_refused(group, pupils, teacher, name, content, reason):
    with pytest.raises(ResultsImportError, match=reason):
        _import(group, teacher, content, name=name)
    assert not ModuleResult.objects.exists()


def test_import_page_reports_each_bad_line_and_keeps_nothing(client, group, pupils, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile(
        "medii.csv", _csv([["Nume", "Prenume", "Matematică"], ["Popescu", "Ana", "8"], ["X", "Y", "9"]])
    )
    response = client.post(_url("results_import", group), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "linia 3: elevul „X Y” nu este în clasă în modulul 2" in html
    assert "nimic nu s-a schimbat" in html
    assert not ModuleResult.objects.exists()


def test_import_page_refuses_a_wrong_file_type(client, group, pupils, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile("medii.pdf", b"%PDF-1.4")
    response = client.post(_url("results_import", group), {"file": upload})
    assert response.status_code == 400
    assert "Alegeți un fișier .xlsx sau .csv" in response.content.decode()
    assert client.post(_url("results_import", group), {}).status_code == 400


def test_import_page_imports_and_redirects(client, group, pupils, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile("medii.xlsx", _xlsx([["Elev", "Matematică"], ["Rusu Mihai", "9,25"]]))
    response = client.post(_url("results_import", group), {"file": upload})
    assert response.status_code == 302
    assert _averages(group) == {(pupils[2].pk, "Matematică"): Decimal("9.25")}


def test_the_template_has_the_pupils_and_imports_back_unchanged(client, group, pupils, teacher, tmp_path: Path):
    module_results_save(
        class_group=group, module=MODULE, grid={(pupils[0].pk, "Matematică"): Decimal("8.5")}, actor=teacher
    )
    client.force_login(teacher)
    response = client.get(_url("results_template", group))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="medii-clasa-a-vi-a-a-modulul-2.xlsx')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Nume", "Prenume") and rows[0][-1] == CONDUCT_SUBJECT
    assert [row[:2] for row in rows[1:]] == [("Popescu", "Ana"), ("Rusu", "Mihai"), ("Ștefănescu", "Ioana-Maria")]
    assert rows[1][rows[0].index("Matematică")] == 8.5
    assert AuditEvent.objects.filter(action="module_results.template_export").get().details["children"] == 3
    path = tmp_path / "model.xlsx"
    path.write_bytes(response.content)
    report = module_results_import(class_group=group, module=MODULE, file=path, actor=teacher)
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 0, 0, 1)


# The child's page ---------------------------------------------------------------------------------------------


def test_child_results_come_by_subject_with_a_cell_per_module(group, pupils, teacher):
    ana = pupils[0]
    module_results_save(
        class_group=group,
        module=1,
        grid={
            (ana.pk, CONDUCT_SUBJECT): Decimal(10),
            (ana.pk, "Matematică"): Decimal("4.5"),
            (ana.pk, "Desen"): Decimal(9),
        },
        actor=teacher,
    )
    module_results_save(class_group=group, module=2, grid={(ana.pk, "Matematică"): Decimal(6)}, actor=teacher)
    rows = child_module_results(child=ana, school_year=group.school_year)
    assert [row.subject for row in rows] == ["Matematică", "Desen", CONDUCT_SUBJECT]
    maths = rows[0]
    assert [cell.average for cell in maths.cells] == [Decimal("4.50"), Decimal("6.00"), None, None, None]
    assert [cell.failing for cell in maths.cells] == [True, False, False, False, False]
    assert rows[-1].is_conduct
    assert child_module_results(child=pupils[1], school_year=group.school_year) == []


def test_the_english_template_imports_back_too(client, group, pupils, teacher, tmp_path: Path):
    client.force_login(teacher)
    session = client.session
    session["prezent_language"] = "en"
    session.save()
    response = client.get(_url("results_template", group))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]][:2] == ["Surname", "First name"]
    sheet.cell(row=2, column=[cell.value for cell in sheet[1]].index("Matematică") + 1, value=9)
    path = tmp_path / "template-en.xlsx"
    sheet.parent.save(path)
    report = module_results_import(class_group=group, module=MODULE, file=path, actor=teacher)
    assert (report.rows, report.created) == (3, 1)
