"""The import of a previous year's absence totals (prezent/attendance/totals): reading files, refusals with their
lines, idempotence and corrections, scope, the upload page, the child's history and the results' baseline."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from prezent.attendance.models import AbsenceTotal
from prezent.attendance.totals.periods import CellError, hours_of, module_of, month_of
from prezent.attendance.totals.selectors import (
    attendance_by_child_or_imported,
    child_absence_history,
    imported_attendance_by_child,
)
from prezent.attendance.totals.services import AbsenceTotalsImportError, absence_totals_import
from prezent.core.models import AuditEvent
from prezent.schools.selectors import calendar_for
from prezent.schools.tests.factories import school_year_2025_2026

START, END = datetime.date(2025, 9, 8), datetime.date(2026, 6, 19)


@pytest.fixture
def year(db):
    return school_year_2025_2026()


def _cnp(child) -> str:
    child.cnp = f"5160517{child.pk:06d}"
    child.save(update_fields=["cnp"])
    return child.cnp


def _csv(rows, sep=",") -> bytes:
    return "\n".join(sep.join(str(c) for c in row) for row in rows).encode()


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(data: bytes, year, name="absente.csv", **kwargs):
    return absence_totals_import(file=io.BytesIO(data), filename=name, school_year=year, actor=None, **kwargs)


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("septembrie", datetime.date(2025, 9, 1)),
        ("Sept.", datetime.date(2025, 9, 1)),
        ("NOIEMBRIE", datetime.date(2025, 11, 1)),
        ("ianuarie", datetime.date(2026, 1, 1)),
        ("febr.", datetime.date(2026, 2, 1)),
        (9, datetime.date(2025, 9, 1)),
        ("3", datetime.date(2026, 3, 1)),
        ("2026-02", datetime.date(2026, 2, 1)),
        ("10.2025", datetime.date(2025, 10, 1)),
        ("01.04.2026", datetime.date(2026, 4, 1)),
        (datetime.datetime(2026, 5, 1), datetime.date(2026, 5, 1)),
        ("iunie 2026", datetime.date(2026, 6, 1)),
    ],
)
def test_month_names_numbers_and_dates(value, month):
    assert month_of(value, start=START, end=END) == month


@pytest.mark.parametrize("value", ["iulie", "august", "septembrie 2026", "13", "lunea", "", "2024-10"])
def test_a_month_outside_the_year_or_unreadable_is_refused(value):
    with pytest.raises(CellError):
        month_of(value, start=START, end=END)


def test_modules_and_hours():
    numbers = frozenset(range(1, 6))
    assert [module_of(v, numbers=numbers) for v in (1, "2", "M3", "Modulul 4", "V")] == [1, 2, 3, 4, 5]
    with pytest.raises(CellError):
        module_of(6, numbers=numbers)
    assert hours_of("12", label="x") == 12 and hours_of(3.0, label="x") == 3 and hours_of("", label="x") is None
    for bad in ("-1", "2,5", "multe"):
        with pytest.raises(CellError):
            hours_of(bad, label="x")


def test_headers_without_diacritics_semicolons_and_cnp(world, year):
    cnp = _cnp(world.child_a1)
    data = _csv([["cnp", "luna", "absente motivate", "absente nemotivate"], [cnp, "oct.", 4, 6]], sep=";")
    report = _import(data, year)
    assert (report.rows, report.created) == (1, 1)
    total = AbsenceTotal.objects.get()
    assert (total.child, total.month, total.excused_hours, total.unexcused_hours) == (
        world.child_a1,
        datetime.date(2025, 10, 1),
        4,
        6,
    )
    assert total.source == "absente.csv"


def test_xlsx_with_title_rows_names_birth_date_modules_total_and_siiir(world, year):
    child = world.child_a2
    rows = [
        ["Situația absențelor 2025-2026"],
        [],
        [
            "Nr. crt.",
            "Nume",
            "Prenume",
            "Data nașterii",
            "Cod SIIIR unitate",
            "Modul",
            "Absențe motivate",
            "Absențe nemotivate",
            "Total",
            "Ore programate",
        ],
        [
            1,
            child.last_name.upper(),
            child.first_name,
            datetime.datetime(2016, 5, 17),
            world.school_a.siiir_code,
            "M1",
            2,
            8,
            10,
            140,
        ],
        [2, child.last_name, child.first_name, "17.05.2016", None, 2, None, 5, None, None],
    ]
    report = _import(_xlsx(rows), year, name="Absente.XLSX")
    assert (report.rows, report.pupils, report.created) == (2, 1, 2)
    first, second = AbsenceTotal.objects.order_by("module")
    assert (first.module, first.excused_hours, first.unexcused_hours, first.scheduled_hours) == (1, 2, 8, 140)
    assert (second.module, second.excused_hours, second.unexcused_hours, second.scheduled_hours) == (2, 0, 5, None)


def test_every_refusal_names_its_line_and_nothing_is_written(world, year):
    a1, a2 = _cnp(world.child_a1), _cnp(world.child_a2)
    data = _csv(
        [
            ["CNP", "Cod SIIIR unitate", "Luna", "Absențe motivate", "Absențe nemotivate", "Total"],
            ["1990101000000", "", "septembrie", 1, 1, ""],  # 2: unknown pupil
            [a1, "", "iulie", 1, 1, ""],  # 3: outside the year
            [a1, "", "octombrie", -2, 1, ""],  # 4: negative
            [a1, "", "noiembrie", "multe", 1, ""],  # 5: not a number
            [a2, "", "decembrie", 1, 2, ""],  # 6
            [a2, "", "dec.", 1, 2, ""],  # 7: the same pupil and month as line 6
            [a2, "", "ianuarie", 1, 2, 5],  # 8: total is not the sum
            [a2, world.school_b.siiir_code, "martie", 1, 2, ""],  # 9: another school
        ]
    )
    with pytest.raises(AbsenceTotalsImportError) as refused:
        _import(data, year)
    lines = {error.line: error.message for error in refused.value.errors}
    assert set(lines) == {2, 3, 4, 5, 7, 8, 9}
    assert "CNP" in lines[2]
    assert "nu este în anul școlar" in lines[3]
    assert "negativ" in lines[4]
    assert "nu este un număr" in lines[5]
    assert "linia 6" in lines[7]
    assert "suma" in lines[8]
    assert world.school_b.siiir_code in lines[9]
    assert str(refused.value.errors[0]).startswith("linia 2:")
    assert not AbsenceTotal.objects.exists()


def test_a_header_without_the_needed_columns_is_refused(world, year):
    with pytest.raises(AbsenceTotalsImportError) as refused:
        _import(_csv([["Nume", "Absențe motivate", "Absențe nemotivate"], ["x", 1, 1]]), year)
    messages = " ".join(e.message for e in refused.value.errors)
    assert "Luna" in messages and "CNP" in messages


def test_a_second_run_changes_nothing_and_a_corrected_file_updates(world, year):
    a1, a2 = _cnp(world.child_a1), _cnp(world.child_a2)
    header = ["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"]
    first = _csv([header, [a1, "septembrie", 1, 2], [a2, "septembrie", 0, 0]])
    assert _import(first, year).created == 2
    stamp = AbsenceTotal.objects.values_list("imported_at", flat=True).first()
    again = _import(first, year)
    assert (again.created, again.updated, again.unchanged, again.changed) == (0, 0, 2, 0)
    assert AbsenceTotal.objects.values_list("imported_at", flat=True).first() == stamp
    corrected = _csv([header, [a1, "septembrie", 1, 5], [a2, "septembrie", 0, 0], [a2, "octombrie", 3, 0]])
    preview = _import(corrected, year, dry_run=True)
    assert (preview.created, preview.updated, preview.unchanged, preview.dry_run) == (1, 1, 1, True)
    assert AbsenceTotal.objects.count() == 2
    report = _import(corrected, year)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert AbsenceTotal.objects.get(child=world.child_a1).unexcused_hours == 5
    # A file by modules replaces the same pupils' monthly totals, so no period counts twice.
    by_module = _import(_csv([["CNP", "Modul", "Absențe motivate", "Absențe nemotivate"], [a2, 1, 3, 0]]), year)
    assert (by_module.created, by_module.replaced) == (1, 2)
    assert list(AbsenceTotal.objects.filter(child=world.child_a2).values_list("module", flat=True)) == [1]
    assert AbsenceTotal.objects.filter(child=world.child_a1).count() == 1


def test_the_import_writes_a_fixed_number_of_queries(world, year, django_assert_max_num_queries):
    from prezent.children.tests.factories import enrol

    children = enrol(world.class_a1, 30)
    rows = [["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"]]
    rows += [[_cnp(c), month, 1, 1] for c in children for month in ("septembrie", "octombrie")]
    with django_assert_max_num_queries(12):
        report = _import(_csv(rows), year)
    assert report.created == 60


def test_a_school_coordinator_names_only_the_pupils_of_their_schools(client, world, year):
    b1 = _cnp(world.child_b1)
    a1 = _cnp(world.child_a1)
    data = _csv(
        [["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], [a1, "septembrie", 1, 1], [b1, "septembrie", 1, 1]]
    )
    client.force_login(world.users.school_coord)
    response = client.post(
        reverse("attendance:totals_import"),
        {"school_year": year.pk, "file": SimpleUploadedFile("a.csv", data)},
    )
    assert response.status_code == 400
    assert "linia 3:" in response.content.decode()
    assert "linia 2:" not in response.content.decode()
    assert not AbsenceTotal.objects.exists()


def test_the_page_previews_then_confirms_and_audits_counts_only(client, world, year):
    a1 = _cnp(world.child_a1)
    client.force_login(world.users.county)
    page = client.get(reverse("attendance:totals_import"))
    assert year.name in page.content.decode()
    data = _csv([["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], [a1, "septembrie", 1, 4]])
    preview = client.post(
        reverse("attendance:totals_import"),
        {"school_year": year.pk, "file": SimpleUploadedFile("a.csv", data)},
    )
    assert preview.status_code == 200
    assert 'id="preview"' in preview.content.decode()
    assert not AbsenceTotal.objects.exists()
    done = client.post(reverse("attendance:totals_import_confirm"), follow=True)
    assert "Absențele au fost importate" in done.content.decode()
    assert AbsenceTotal.objects.get().unexcused_hours == 4
    event = AuditEvent.objects.get(action="absence_totals.import")
    assert event.details["created"] == 1 and event.details["schools"] == "county"
    assert world.child_a1.last_name not in str(event.details)
    # The plan is used once: a second confirmation has nothing to write.
    again = client.post(reverse("attendance:totals_import_confirm"))
    assert again.status_code == 302
    assert AbsenceTotal.objects.count() == 1


def test_a_wrong_file_keeps_the_chosen_year_and_lists_the_lines(client, world, year):
    client.force_login(world.users.county)
    data = _csv([["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], ["1990101000000", "septembrie", 1, 1]])
    response = client.post(
        reverse("attendance:totals_import"), {"school_year": year.pk, "file": SimpleUploadedFile("a.csv", data)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "linia 2:" in body and f'value="{year.pk}" selected' in body


def test_the_command_imports_and_simulates(world, year, tmp_path: Path):
    path = tmp_path / "absente.csv"
    path.write_bytes(
        _csv([["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], [_cnp(world.child_a1), "mai", 0, 7]])
    )
    out = io.StringIO()
    call_command("import_absence_totals", str(path), "--county", "IS", "--year", "2025-2026", "--dry-run", stdout=out)
    assert "noi: 1" in out.getvalue() and not AbsenceTotal.objects.exists()
    call_command("import_absence_totals", str(path), "--county", "is", "--year", "2025-2026", stdout=io.StringIO())
    assert AbsenceTotal.objects.get().month == datetime.date(2026, 5, 1)
    with pytest.raises(CommandError):
        call_command("import_absence_totals", str(path), "--county", "IS", "--year", "2019-2020")
    path.write_bytes(_csv([["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], ["1990101000000", "mai", 0, 7]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_absence_totals", str(path), "--county", "IS", "--year", "2025-2026", stderr=err)
    assert "linia 2:" in err.getvalue()


def test_the_childs_page_shows_the_imported_periods_without_a_register(client, world, year):
    a1 = _cnp(world.child_a1)
    current = world.class_a1.school_year
    _import(_csv([["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"], [a1, "octombrie", 3, 11]]), year)
    _import(
        _csv(
            [
                ["CNP", "Luna", "Absențe motivate", "Absențe nemotivate"],
                [a1, "septembrie", 1, 1],
                [a1, "noiembrie", 9, 9],
            ]
        ),
        current,
    )
    history = child_absence_history(child=world.child_a1)
    # November 2026 has a register (23.11.2026): the register is the record there.
    assert [(r.school_year.name, r.month) for r in history] == [
        ("2025-2026", datetime.date(2025, 10, 1)),
        ("2026-2027", datetime.date(2026, 9, 1)),
    ]
    client.force_login(world.users.county)
    body = client.get(world.child_a1.get_absolute_url()).content.decode()
    assert 'data-testid="absence-history"' in body and "octombrie 2025" in body and ">14<" in body


def test_imported_totals_stand_in_for_a_missing_register_with_the_calendar_as_scheduled(world, year):
    a1 = _cnp(world.child_a1)
    data = _csv(
        [
            ["CNP", "Luna", "Absențe motivate", "Absențe nemotivate", "Ore programate"],
            [a1, "septembrie", 2, 8, 80],
            [a1, "octombrie", 0, 6, ""],
            [a1, "noiembrie", 0, 50, ""],
        ]
    )
    _import(data, year)
    totals = imported_attendance_by_child(
        child_ids=[world.child_a1.pk], school_year=year, start=year.start, end=datetime.date(2025, 11, 20)
    )[world.child_a1.pk]
    october_days = calendar_for(year).count_school_days(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    # No class in 2025-2026: the grade before class a1's (3 → 2) has 4 hours a day.
    assert totals.scheduled_hours == 80 + october_days * 4
    assert (totals.absent_hours, totals.excused_hours) == (16, 2)  # November is not whole inside the span
    merged = attendance_by_child_or_imported(
        child_ids=[world.child_a1.pk, world.child_a2.pk], school_year=year, start=year.start, end=year.end
    )
    assert merged[world.child_a1.pk].absent_hours == 66
    assert merged[world.child_a2.pk].scheduled_hours == 0


def test_headers_with_diacritics_and_cedillas(world, year):
    cnp = _cnp(world.child_a1)
    header = ["C.N.P.", "Lună", "Absenţe motivate", "ABSENȚE NEMOTIVATE", "Total absențe"]
    report = _import(_xlsx([header, [int(cnp), "Februarie", 1, 2, 3]]), year, name="a.xlsx")
    assert report.created == 1
    assert AbsenceTotal.objects.get().month == datetime.date(2026, 2, 1)
