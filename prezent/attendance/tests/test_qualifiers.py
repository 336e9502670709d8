"""Primary school (preparatory class to grade IV) is marked with calificative FB / B / S / I, not averages."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.marks.forms import ResultsGridForm
from prezent.attendance.marks.selectors import child_module_results
from prezent.attendance.marks.services import ResultsImportError, module_results_import, module_results_save
from prezent.attendance.marks.values import AverageError, is_failing, parse_mark, uses_qualifiers
from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory
from prezent.schools.tests.factories import ClassGroupFactory

MODULE = 2


@pytest.mark.parametrize(
    ("typed", "code"),
    [("FB", "FB"), ("fb", "FB"), (" Foarte  bine ", "FB"), ("bine", "B"), ("S", "S"), ("Insuficient", "I"), ("", None)],
)
def test_a_calificativ_is_read_as_teachers_write_it(typed, code):
    assert parse_mark(typed, qualitative=True) == code


@pytest.mark.parametrize("typed", ["9", "8,50", "Excelent", "F"])
def test_anything_else_is_refused_in_primary_school(typed):
    with pytest.raises(AverageError, match="nu este un calificativ"):
        parse_mark(typed, qualitative=True)


def test_a_calificativ_in_gimnaziu_is_refused_with_the_reason():
    with pytest.raises(AverageError, match="este un calificativ; în această clasă se scrie media"):
        parse_mark("FB", qualitative=False)
    assert parse_mark("8,50", qualitative=False) == Decimal("8.50")


def test_primary_grades_use_calificative():
    assert [uses_qualifiers(grade) for grade in (-1, 0, 1, 4, 5, 8)] == [False, True, True, True, False, False]
    assert is_failing("I") and not is_failing("S") and is_failing(Decimal("4.99")) and not is_failing(None)


@pytest.fixture
def primary(db):
    teacher = UserFactory()
    group = ClassGroupFactory(teacher=teacher, level="primary", grade=2, letter="B")
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    pupils = [ChildFactory(last_name=last, first_name="Ana") for last in ("Ursu", "Vasile")]
    for child in pupils:
        EnrolmentFactory(child=child, class_group=group, start=group.school_year.start)
    return teacher, group, pupils


def test_the_grid_saves_calificative_and_the_child_page_shows_them(primary):
    teacher, group, (ana, other) = primary
    subject = "Comunicare în limba română"
    grid = {(ana.pk, subject): "FB", (other.pk, subject): "I", (ana.pk, CONDUCT_SUBJECT): "B"}
    saved = module_results_save(class_group=group, module=MODULE, grid=grid, actor=teacher)
    assert saved.created == 3
    stored = ModuleResult.objects.get(child=ana, subject=subject)
    assert (stored.average, stored.qualifier, stored.mark) == (None, "FB", "FB")
    rows = child_module_results(child=other, school_year=group.school_year)
    cell = rows[0].cells[MODULE - 1]
    assert (cell.shown, cell.failing) == ("I", True)
    # changing a calificativ updates it; the same one again is unchanged
    again = module_results_save(
        class_group=group, module=MODULE, grid={(ana.pk, subject): "B", (other.pk, subject): "I"}, actor=teacher
    )
    assert (again.updated, again.unchanged) == (1, 1)


def test_a_number_in_a_primary_grid_is_refused_and_nothing_is_saved(primary):
    teacher, group, (ana, _other) = primary
    with pytest.raises(ValidationError, match="calificative"):
        module_results_save(
            class_group=group, module=MODULE, grid={(ana.pk, "Matematică"): Decimal("9")}, actor=teacher
        )
    assert not ModuleResult.objects.exists()


def test_the_grid_page_asks_for_calificative_and_keeps_a_wrong_cell(client, primary):
    teacher, group, (ana, other) = primary
    client.force_login(teacher)
    url = reverse("attendance:results", kwargs={"pk": group.pk, "module": MODULE})
    page = client.get(url).content.decode()
    assert "FB (foarte bine)" in page and 'inputmode="text"' in page
    subject = "Matematică și explorarea mediului"
    response = client.post(
        url,
        {
            "subject": [subject],
            ResultsGridForm.cell_name(ana.pk, subject): "FB",
            ResultsGridForm.cell_name(other.pk, subject): "9,50",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "„9,50” nu este un calificativ" in content and 'value="9,50"' in content
    assert not ModuleResult.objects.exists()
    response = client.post(
        url,
        {
            "subject": [subject],
            ResultsGridForm.cell_name(ana.pk, subject): "fb",
            ResultsGridForm.cell_name(other.pk, subject): "Suficient",
        },
    )
    assert response.status_code == 302
    assert sorted(ModuleResult.objects.values_list("qualifier", flat=True)) == ["FB", "S"]


def test_import_reads_calificative_and_reports_bad_ones_by_line(primary):
    teacher, group, (ana, other) = primary
    bad = "Nume,Prenume,Matematică și explorarea mediului\nUrsu,Ana,FB\nVasile,Ana,7\n".encode()
    with pytest.raises(ResultsImportError) as refused:
        module_results_import(class_group=group, module=MODULE, file=SimpleUploadedFile("m.csv", bad), actor=teacher)
    assert [error.line for error in refused.value.errors] == [3]
    assert not ModuleResult.objects.exists()
    good = "Nume,Prenume,Matematică și explorarea mediului\nUrsu,Ana,Foarte bine\nVasile,Ana,I\n".encode()
    report = module_results_import(
        class_group=group, module=MODULE, file=SimpleUploadedFile("m.csv", good), actor=teacher
    )
    assert report.created == 2
    assert dict(ModuleResult.objects.values_list("child_id", "qualifier")) == {ana.pk: "FB", other.pk: "I"}


def test_the_primary_template_offers_the_four_calificative(client, primary):
    teacher, group, _pupils = primary
    client.force_login(teacher)
    response = client.get(reverse("attendance:results_template", kwargs={"pk": group.pk, "module": MODULE}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert formulas == ['"FB,B,S,I"']


def test_the_template_writes_a_name_that_looks_like_a_formula_as_text(client, primary):
    teacher, group, (ana, *_rest) = primary
    ana.last_name = '=HYPERLINK("http://x.example","Click")'
    ana.first_name = "Ana\x07"
    ana.save()
    client.force_login(teacher)
    response = client.get(reverse("attendance:results_template", kwargs={"pk": group.pk, "module": MODULE}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ("'" + '=HYPERLINK("http://x.example","Click")', "Ana") in names
