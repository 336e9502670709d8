"""Benchmark: importing a county's pupils from a SIIIR export (`prezent/children/imports/services.py`).

What is measured, in one run, on a generated CSV (title rows, `;`-separated, diacritics, valid CNPs, codes with
their zeros, formations written three ways, dates as text):
- figure 1, the first import (every pupil new: children, classes and enrolments written), as a ratio to its floor:
  `prezent.core.bulk.rows_insert` of the same children and enrolment rows into the same tables, in a transaction
  rolled back afterwards;
- figure 2, a second run of the same file (nothing changes: read, check, look every pupil up, compare), as a ratio
  to just reading the file through `sheet_open` (every row's cells turned to text);
- the peak Python memory (tracemalloc) of checking and planning the first import (a dry run), in a separate run,
  since tracing slows everything down.

    .venv/bin/python bench/bench_import_pupils.py            # 100,000 pupils in 300 schools
    .venv/bin/python bench/bench_import_pupils.py --quick    # 5,000 pupils in 20 schools (CI)
    .venv/bin/python bench/bench_import_pupils.py --pupils 30000

It uses a temporary SQLite file, or the database of DATABASE_URL when its name contains "bench" (see _common.py).
"""

import argparse
import datetime
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROMAN = ["pregătitoare", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def formation(grade: int, letter: str, style: int) -> str:
    if grade == 0:
        return f"Clasa pregătitoare {letter}"
    roman = ROMAN[grade]
    name = roman if grade == 1 else f"a {roman}-a"
    return (f"{name} {letter}", f"{roman} {letter}", f"Clasa {name} {letter}")[style % 3]


def pupils_rows(*, pupils: int, schools: int) -> Iterator[tuple[str, str, str, datetime.date, str, int, int, str]]:
    """(CNP, last name, first name, birth date, sex, school number, grade, letter) of each generated pupil."""
    from prezent.children.cnp import cnp_make

    rng = random.Random(42)
    first_names = ["Ana", "Maria", "Ioana", "Elena", "Andrei", "Ștefan", "Mihai", "Ionuț", "Țugui", "Raluca"]
    for index in range(pupils):
        grade = rng.randrange(0, 9)
        letter = "AB"[rng.randrange(2)]
        birth = datetime.date(2019 - grade, 1, 1) + datetime.timedelta(days=index // 1000 % 365)
        sex = "MF"[index % 2]
        cnp = cnp_make(sex=sex, birth_date=birth, county=22, serial=index % 1000)
        yield cnp, f"Elev{index}", first_names[index % 10], birth, sex, index % schools, grade, letter


def generate(path: Path, *, pupils: int, schools: int) -> None:
    lines = ["MINISTERUL EDUCAȚIEI;;;", "Export elevi — județul Iași;;;", ";;;"]
    lines.append(
        "CNP;Nume;Inițiala tatălui;Prenume;Data nașterii;Sex;Cod SIIIR unitate;Unitate de învățământ;Nivel;"
        "An de studiu;Formațiune de studiu"
    )
    for index, (cnp, last, first, birth, sex, school, grade, letter) in enumerate(
        pupils_rows(pupils=pupils, schools=schools)
    ):
        level = "Primar" if grade <= 4 else "Gimnazial"
        lines.append(
            f"{cnp};{last};I;{first};{birth:%d.%m.%Y};{sex};{2261100000 + school:010d};"
            f"Școala {school};{level};{ROMAN[grade]};{formation(grade, letter, index)}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pupils", type=int)
    args = parser.parse_args()
    pupils = args.pupils or (5_000 if args.quick else 100_000)
    schools = max(1, round(pupils * 300 / 100_000))
    info = _common.setup_django(prefix="prezent-bench-pupils")
    # The generated file goes to a directory of its own, never the working directory (PostgreSQL runs have no
    # SQLite directory to share).
    workdir = info.workdir or Path(tempfile.mkdtemp(prefix="prezent-bench-pupils-csv-"))
    try:
        run(pupils=pupils, schools=schools, workdir=workdir)
    finally:
        _common.cleanup(info)
        if info.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(*, pupils: int, schools: int, workdir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from prezent.children.imports.services import HEADER_NAMES, pupils_import
    from prezent.children.models import Child, Enrolment
    from prezent.core.bulk import rows_insert
    from prezent.core.spreadsheets import cell_text, sheet_open
    from prezent.schools.defaults import IASI_CALENDARS
    from prezent.schools.models import ClassGroup, Locality, School, SchoolYear, level_for_grade
    from prezent.schools.services import school_year_upsert

    call_command("migrate", verbosity=0)
    locality = Locality.objects.create(siruta="95060", name="IAȘI", level="uat", county_code="IS")
    School.objects.bulk_create(
        School(
            siiir_code=f"{2261100000 + n:010d}",
            kind="PJ",
            name=f"ȘCOALA GIMNAZIALĂ NR. {n}",
            unit_type="Școală gimnazială",
            county_code="IS",
            locality=locality,
            environment="rural",
        )
        for n in range(schools)
    )
    school_year_upsert(actor=None, **IASI_CALENDARS[1])
    path = workdir / "elevi.csv"
    started = time.perf_counter()
    generate(path, pupils=pupils, schools=schools)
    print(
        f"{_common.engine_description()}; {pupils} pupils in {schools} schools, "
        f"{path.stat().st_size / 1e6:.1f} MB CSV (generated in {time.perf_counter() - started:.1f} s)"
    )

    def do_import(dry_run: bool = False):  # type: ignore[no-untyped-def]
        return pupils_import(source=path, county_code="IS", year_name="2026-2027", actor=None, dry_run=dry_run)

    tracemalloc.start()
    do_import(dry_run=True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def timed(fn):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        return time.perf_counter() - start, time.process_time() - cpu, result

    # The floor writes the same rows as the first import, into the same empty tables: each pupil's child row
    # (CNP, names, birth date, sex), the new ids read back in one query, and an enrolment in the pupil's class from
    # the year's first day; then it is rolled back. Made ready untimed: the rows, and the classes (created in the
    # same transaction), which the import itself has to create.
    start = datetime.date(2026, 9, 7)
    now = datetime.datetime.now(tz=datetime.UTC)
    generated = list(pupils_rows(pupils=pupils, schools=schools))
    school_ids = dict(School.objects.values_list("siiir_code", "pk"))
    year = SchoolYear.objects.get(county_code="IS", name="2026-2027")

    class Rollback(Exception):
        pass

    def floor_insert() -> tuple[float, float]:
        try:
            with transaction.atomic():
                keys = sorted({(school_ids[f"{2261100000 + s:010d}"], g, letter) for *_, s, g, letter in generated})
                created = ClassGroup.objects.bulk_create(
                    ClassGroup(
                        school_id=s, school_year=year, grade=g, letter=letter, level=level_for_grade(g), hours_per_day=5
                    )
                    for s, g, letter in keys
                )
                class_of = {(c.school_id, c.grade, c.letter): c.pk for c in created}
                rows = [
                    (cnp, last, first, birth, sex, class_of[(school_ids[f"{2261100000 + s:010d}"], g, letter)])
                    for cnp, last, first, birth, sex, s, g, letter in generated
                ]
                begin, cpu = time.perf_counter(), time.process_time()
                last_id = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                rows_insert(
                    Child,
                    ["first_name", "last_name", "sex", "birth_date", "cnp", "works", "created_at", "updated_at"],
                    ((first, last, sex, birth, cnp, False, now, now) for cnp, last, first, birth, sex, _c in rows),
                )
                with connection.cursor() as cursor:
                    cursor.execute("SELECT cnp, id FROM children_child WHERE id > %s", [last_id])
                    ids = dict(cursor.fetchall())
                rows_insert(
                    Enrolment,
                    ["child", "class_group", "start", "end", "end_reason", "repeating"],
                    ((ids[cnp], class_id, start, None, "", False) for cnp, _l, _f, _b, _s, class_id in rows),
                )
                elapsed = time.perf_counter() - begin, time.process_time() - cpu
                raise Rollback
        except Rollback:
            pass
        return elapsed

    floor_s, floor_cpu = floor_insert()
    assert not Child.objects.exists() and not ClassGroup.objects.exists()
    first_s, first_cpu, first = timed(do_import)
    assert first.new == pupils == Child.objects.count(), first
    second_s, second_cpu, second = timed(do_import)
    assert (second.new, second.changed, second.unchanged) == (0, 0, pupils), second

    def read_only() -> int:
        count = 0
        with sheet_open(path, header_names=HEADER_NAMES, header_label="") as sheet:
            for _line, row in sheet.data_rows():
                count += len([cell_text(value) for value in row])
        return count

    read_s, read_cpu, _cells = timed(read_only)
    assert Child.objects.count() == pupils
    print("seconds: wall (this process's CPU)")
    print(f"first import : {first_s:7.2f} ({first_cpu:6.2f})  {first.new} new, {first.classes_created} classes")
    print(f"second import: {second_s:7.2f} ({second_cpu:6.2f})  0 new, 0 changed, {second.unchanged} unchanged")
    print(f"floor, rows_insert of the children and enrolments: {floor_s:7.2f} ({floor_cpu:6.2f})")
    print(f"floor, sheet_open read of the file:                {read_s:7.2f} ({read_cpu:6.2f})")
    print(f"figure 1: first import / bulk insert = {first_s / floor_s:.2f}x wall, {first_cpu / floor_cpu:.2f}x CPU")
    print(f"figure 2: second run / read          = {second_s / read_s:.2f}x wall, {second_cpu / read_cpu:.2f}x CPU")
    print(f"peak Python memory (tracemalloc) of checking and planning the first import: {peak / 2**20:.0f} MiB")
    connection.close()


if __name__ == "__main__":
    main()
