"""The shared spreadsheet reader: the files people really bring."""

import io
import zipfile

import openpyxl
import pytest

from prezent.core.spreadsheets import RowError, SpreadsheetError, cell_safe, code_text, sheet_open
from prezent.core.text import fold

NAMES = {"Cod SIIIR unitate"}
LABEL = "„Cod SIIIR unitate”"


def _read(data: bytes, **options):
    with sheet_open(data, header_names=NAMES, header_label=LABEL, **options) as sheet:
        return sheet.header_line, sheet.header, list(sheet.data_rows()), sheet


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_fold_ignores_case_diacritics_cedillas_hyphens_and_spacing():
    assert fold("Ștefănescu-Ana") == fold("STEFANESCU  ana") == fold("Ştefănescu Ana") == "stefanescu ana"
    assert fold("Țară ţară") == "tara tara"


def test_csv_with_a_title_block_semicolons_and_windows_1250():
    text = "Reţea şcolară 2024-2025;;\n\nCod SIIIR unitate;Denumire;Localitate\n2261100123;Şcoala Gimnazială;Iaşi\n"
    line, header, rows, _sheet = _read(text.encode("cp1250"))
    assert line == 3
    assert header == ("Cod SIIIR unitate", "Denumire", "Localitate")
    assert rows == [(4, ["2261100123", "Şcoala Gimnazială", "Iaşi"])]


def test_csv_in_utf8_with_a_byte_order_mark_and_a_header_without_diacritics():
    text = "\ufeffcod siiir  UNITATE,Denumire\n0161100001,„Școala”\n"
    line, _header, rows, sheet = _read(text.encode("utf-8"))
    assert line == 1 and sheet.column("Cod SIIIR unitate") == 0 and sheet.column("denumire") == 1
    assert rows == [(2, ["0161100001", "„Școala”"])]


def test_csv_lines_count_blank_rows_and_multi_line_cells_as_a_person_sees_them():
    text = 'Cod SIIIR unitate,Adresa\n1,"Strada\nMare"\n\n2,Alta\n'
    _line, _header, rows, _sheet = _read(text.encode())
    assert [line for line, _row in rows] == [2, 5]


def test_a_big_csv_is_read_a_chunk_at_a_time_and_its_encoding_told_from_the_whole_file(monkeypatch):
    from prezent.core import spreadsheets

    monkeypatch.setattr(spreadsheets, "CHUNK_BYTES", 64)
    lines = ["Cod SIIIR unitate;Denumire", *(f"22611{n:05d};Scoala {n}" for n in range(40)), "2261199999;Şcoala"]
    _line, _header, rows, sheet = _read("\n".join(lines).encode("cp1250"))  # the only non-ASCII byte at the end
    assert len(rows) == 41 and rows[-1] == (42, ["2261199999", "Şcoala"])
    assert sheet.total == 41
    with pytest.raises(SpreadsheetError, match="nu este un CSV"):
        _read(("\n".join(lines) + "\x00").encode())


def test_xlsx_keeps_codes_as_text_and_finds_the_header_below_a_title():
    data = _xlsx([["Export complet rețea școlară"], [], ["Cod SIIIR unitate", "Cod postal"], [161100001, 700001]])
    line, _header, rows, sheet = _read(data)
    assert line == 3
    (_row_line, row) = rows[0]
    assert code_text(row[0], width=10) == "0161100001"
    assert code_text(row[1], width=6) == "700001"
    assert sheet.total >= 1


def test_no_header_in_the_first_rows_names_the_column_it_looked_for():
    with pytest.raises(SpreadsheetError) as refused:
        _read(b"a,b\n1,2\n", search_rows=5)
    assert refused.value.errors == [
        RowError(0, "Nu am găsit rândul de antet: niciunul din primele 5 rânduri nu are coloana „Cod SIIIR unitate”.")
    ]


def test_old_xls_binary_and_nul_bytes_are_refused_with_what_to_do():
    with pytest.raises(SpreadsheetError, match=r"\.xls nu este acceptat"):
        _read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(SpreadsheetError, match="nu este un CSV"):
        _read(b"Cod SIIIR unitate\n\x00\x01")


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(SpreadsheetError, match="nu poate fi citit"):
        _read(b"PK\x03\x04 not really a zip")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 3_000_000)
    with pytest.raises(SpreadsheetError, match="se despachetează în peste 2 MB"):
        _read(buffer.getvalue(), max_unpacked_bytes=2 * 1024 * 1024)


def test_a_path_reads_like_bytes(tmp_path):
    path = tmp_path / "retea.csv"
    path.write_bytes(b"Cod SIIIR unitate\n2261100123\n")
    with sheet_open(path, header_names=NAMES, header_label=LABEL) as sheet:
        assert list(sheet.data_rows()) == [(2, ["2261100123"])]


def _with_sheet_xml(data: bytes, xml: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    return target.getvalue()


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_an_xlsx_with_xml_entities_is_refused(doctype):
    data = _xlsx([["Cod SIIIR unitate"], ["1"]])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    hostile = _with_sheet_xml(data, xml[:start] + doctype + xml[start:])
    with pytest.raises(SpreadsheetError, match="nu poate fi citit"):
        _read(hostile)


def test_formula_injection_is_neutralised_for_every_dangerous_first_character():
    for text in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"):
        assert cell_safe(text) == "'" + text
    assert cell_safe("Popescu") == "Popescu"
    assert cell_safe(-2) == -2


def test_a_control_character_typed_in_a_name_cannot_break_a_workbook():
    name = "Pop\x07escu\x1b"
    assert cell_safe(name) == "Popescu"
    workbook = openpyxl.Workbook()
    workbook.active.append([cell_safe(name), cell_safe('=HYPERLINK("x")\x00')])
    workbook.save(io.BytesIO())  # openpyxl raises IllegalCharacterError on the raw name
