"""Benchmark: importing a national-size school network from the Ministry's XLSX export.

What is measured, in one run:
- the import: `school_network_import` of a synthetic national XLSX (~18,000 units in 42 counties, built by
  replicating the shipped Iași rows with each county's code prefix, some codes starting with 0 and some stored as
  numbers, under a title block and with Telefon/Fax/Email columns) into an empty database, with no localities
  loaded, so it also creates ~12,000 minimal localities;
- a second, idempotent run of the same file (nothing to write: read, compare, one audit event);
- two floors measured in the same process: reading the XLSX alone with openpyxl (read-only, values only), and a
  raw `executemany` INSERT of as many rows, as wide as a school row, into a bare table through the same database
  connection. The import is printed as a ratio to each floor and to their sum, with absolute seconds and the
  process's peak resident memory.

Run: `.venv/bin/python bench/bench_import_network.py`. It uses a temporary SQLite file, or, when DATABASE_URL is
set, a throw-away test database created next to the one it names (Django's `test_` prefix), dropped at the end.
"""

import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
WORKDIR = Path(tempfile.mkdtemp(prefix="prezent-bench-"))
USE_GIVEN_DATABASE = bool(os.environ.get("DATABASE_URL"))
if not USE_GIVEN_DATABASE:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from prezent.schools.models import Locality, School  # noqa: E402
from prezent.schools.network_import import IASI_SCHOOL_NETWORK_FILE, school_network_import  # noqa: E402

# The 42 counties (Bucharest included) with the number that starts their SIIIR codes.
COUNTIES = {
    "AB": 1, "AR": 2, "AG": 3, "BC": 4, "BH": 5, "BN": 6, "BT": 7, "BV": 8, "BR": 9, "BZ": 10, "CS": 11,
    "CJ": 12, "CT": 13, "CV": 14, "DB": 15, "DJ": 16, "GL": 17, "GJ": 18, "HR": 19, "HD": 20, "IL": 21,
    "IS": 22, "IF": 23, "MM": 24, "MH": 25, "MS": 26, "NT": 27, "OT": 28, "PH": 29, "SM": 30, "SJ": 31,
    "SB": 32, "SV": 33, "TR": 34, "TM": 35, "TL": 36, "VS": 37, "VL": 38, "VN": 39, "B": 40, "CL": 51, "GR": 52,
}  # fmt: skip
UNITS_PER_COUNTY = 430
CODE_COLUMNS = ("Cod SIIIR PJ", "Cod SIIIR unitate")
SIRUTA_COLUMNS = ("Cod SIRUTA PJ", "Cod SIRUTA unitate")
FLOOR_COLUMNS = 15  # siiir_code, the twelve compared fields, locality, parent


def iasi_groups() -> tuple[list[str], list[list[dict[str, str]]]]:
    """The shipped Iași rows grouped by legal entity (a PJ with its ARs), in file order."""
    with IASI_SCHOOL_NETWORK_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["Cod SIIIR PJ"], []).append(row)
    return header, list(groups.values())


def national_rows(header: list[str], groups: list[list[dict[str, str]]]) -> Iterator[list[object]]:
    """About UNITS_PER_COUNTY units per county, whole legal entities, each county starting elsewhere in Iași."""
    count = 0
    for index, (county, number) in enumerate(COUNTIES.items()):
        taken = 0
        start = index * 7 % len(groups)
        for offset in range(len(groups)):
            if taken >= UNITS_PER_COUNTY:
                break
            for row in groups[(start + offset) % len(groups)]:
                values = dict(row, **{"Judet PJ": county})
                for column in CODE_COLUMNS:
                    values[column] = f"{number:02d}{row[column][2:]}"
                if county != "IS":
                    for column in SIRUTA_COLUMNS:
                        values[column] = str(number * 1_000_000 + int(row[column]))
                cells: list[object] = [values[name] for name in header]
                if count % 3 == 0:  # a third of the codes stored as numbers, as a spreadsheet may
                    for column in CODE_COLUMNS:
                        cells[header.index(column)] = int(values[column])
                count += 1
                taken += 1
                yield [*cells, "0232 000 000", "0232 000 001", "secretariat@example.ro"]


def write_national_xlsx(path: Path) -> int:
    header, groups = iasi_groups()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Retea scolara")
    sheet.append(["MINISTERUL EDUCAȚIEI"])
    sheet.append(["Export complet rețea școlară - toate județele"])
    sheet.append(["An școlar 2024-2025"])
    sheet.append([])
    sheet.append([*header, "Telefon", "Fax", "Email"])
    rows = 0
    for cells in national_rows(header, groups):
        sheet.append(cells)
        rows += 1
    workbook.save(path)
    return rows


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU_SECONDS: dict[str, float] = {}


def timed(function, *args, label: str = "", **kwargs):
    """Wall-clock seconds and the result; the process's CPU seconds go to CPU_SECONDS[label]."""
    start, cpu_start = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    CPU_SECONDS[label] = time.process_time() - cpu_start
    return time.perf_counter() - start, result


def floor_read(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def floor_insert(rows: int) -> float:
    columns = [f"c{i}" for i in range(FLOOR_COLUMNS)]
    data = [tuple(f"{r:010d}-{i}" for i in range(FLOOR_COLUMNS)) for r in range(rows)]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_floor ({', '.join(f'{c} varchar(300)' for c in columns)})")
        try:
            sql = f"INSERT INTO bench_floor ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            with transaction.atomic():
                seconds, _ = timed(cursor.executemany, sql, data, label="insert")
            return seconds
        finally:
            cursor.execute("DROP TABLE bench_floor")


def main() -> None:
    old_name = None
    if USE_GIVEN_DATABASE:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        xlsx = WORKDIR / "retea_scolara_nationala.xlsx"
        generate_seconds, rows = timed(write_national_xlsx, xlsx)
        print(
            f"database: {connection.vendor}; file: {rows} units in {len(COUNTIES)} counties, "
            f"{xlsx.stat().st_size / 1e6:.1f} MB XLSX (generated in {generate_seconds:.1f} s)"
        )
        rss_before = peak_rss_mib()
        first_seconds, first = timed(school_network_import, path=xlsx, label="first")
        rss_after = peak_rss_mib()
        assert first.created == rows == School.objects.count(), first
        second_seconds, second = timed(school_network_import, path=xlsx, label="second")
        assert (second.created, second.updated, second.unchanged) == (0, 0, rows), second

        read_seconds, read_rows = timed(floor_read, xlsx, label="read")
        insert_seconds = floor_insert(rows)
        floor = read_seconds + insert_seconds
        cpu = CPU_SECONDS

        print("seconds: wall (this process's CPU)")
        print(
            f"first import : {first_seconds:6.2f} ({cpu['first']:6.2f})  "
            f"{rows} units, {first.localities_created} localities created"
        )
        print(f"second import: {second_seconds:6.2f} ({cpu['second']:6.2f})  idempotent: 0 created, 0 updated")
        print(f"floor, openpyxl read of the file alone: {read_seconds:6.2f} ({cpu['read']:6.2f})  {read_rows} rows")
        print(
            f"floor, executemany INSERT of {rows} rows x {FLOOR_COLUMNS} columns: "
            f"{insert_seconds:6.2f} ({cpu['insert']:6.2f})"
        )
        print(
            f"ratio first import / (read + insert) = {first_seconds / floor:.2f}x wall, "
            f"{cpu['first'] / (cpu['read'] + cpu['insert']):.2f}x CPU  "
            f"(/ read {first_seconds / read_seconds:.2f}x, / insert {first_seconds / insert_seconds:.0f}x)"
        )
        print(
            f"ratio second import / read = {second_seconds / read_seconds:.2f}x wall, "
            f"{cpu['second'] / cpu['read']:.2f}x CPU"
        )
        print(
            f"peak RSS: {rss_after:.0f} MiB after the first import ({rss_before:.0f} MiB before it); "
            f"{Locality.objects.count()} localities in the database"
        )
    finally:
        if USE_GIVEN_DATABASE:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
