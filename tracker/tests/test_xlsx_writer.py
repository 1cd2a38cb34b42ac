"""
The hand-written XLSX sheet (tracker/imports/xlsx_writer.py) as openpyxl, LibreOffice
and the app's own import reader read it: typed cells, escaped markup, control
characters left out, empty sheets.
"""

import datetime
import decimal
import io
import subprocess

from openpyxl import load_workbook

from tracker.imports.reading import Columns, read_xlsx
from tracker.imports.xlsx_writer import DATE, NUMBER, TEXT, write_xlsx
from tracker.tests.office import SOFFICE, require_office

HEADERS = ["Mã đơn vị", "Số có mặt", "Ngày"]
KINDS = [TEXT, NUMBER, DATE]


def workbook_bytes(headers=HEADERS, kinds=KINDS, chunks=()):
    out = io.BytesIO()
    write_xlsx(out, sheet_name="Dữ liệu", headers=headers, kinds=kinds, chunks=chunks)
    return out.getvalue()


def read_back(data, read_only=True):
    workbook = load_workbook(io.BytesIO(data), read_only=read_only)
    try:
        return [list(row) for row in workbook["Dữ liệu"].iter_rows(values_only=True)]
    finally:
        workbook.close()


def column_of_texts(*values):
    """A chunk of one text column."""
    return [list(values)]


def test_cells_are_typed_and_the_header_bold_and_frozen():
    data = workbook_bytes(
        chunks=[
            [
                ["DEMO-001", "DEMO-002", "DEMO-003"],
                [18, 2.5, decimal.Decimal("20.25")],
                [datetime.date(2024, 2, 5), datetime.date(1900, 3, 1), datetime.datetime(2024, 1, 1, 18)],
            ]
        ]
    )
    assert read_back(data) == [
        HEADERS,
        ["DEMO-001", 18, datetime.datetime(2024, 2, 5)],
        ["DEMO-002", 2.5, datetime.datetime(1900, 3, 1)],
        ["DEMO-003", 20.25, datetime.datetime(2024, 1, 1, 18)],
    ]
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert workbook.sheetnames == ["Dữ liệu"]
    assert sheet.freeze_panes == "A2"
    assert [cell.font.b for cell in sheet[1]] == [True, True, True]
    assert [cell.font.b for cell in sheet[2]] == [False, False, False]
    assert [(cell.data_type, cell.number_format) for cell in sheet[2]] == [
        ("s", "General"),
        ("n", "General"),
        ("d", "DD/MM/YYYY"),
    ]
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [11, 11, 12]


def test_empty_values_are_empty_cells_and_the_columns_stay_in_place():
    data = workbook_bytes(chunks=[[["", None, "C"], [None, 0, 1], [None, None, datetime.date(2025, 1, 1)]]])
    expected = [
        HEADERS,
        [None, None, None],
        [None, 0, None],
        ["C", 1, datetime.datetime(2025, 1, 1)],
    ]
    assert read_back(data) == expected
    assert read_back(data, read_only=False) == expected


def test_rows_of_every_chunk_follow_each_other_in_order():
    chunks = [[["A"], [1], [None]], [["B", "C"], [2, 3], [None, None]], [["D"], [4], [None]]]
    assert [row[:2] for row in read_back(workbook_bytes(chunks=chunks))[1:]] == [
        ["A", 1],
        ["B", 2],
        ["C", 3],
        ["D", 4],
    ]


def test_markup_is_escaped():
    values = ["Tom & Jerry", "a < b > c", "</t></is></c><c><v>1</v></c>", "\"quoted\" 'too'", "]]>"]
    data = workbook_bytes(headers=["Chủ đề <&>"], kinds=[TEXT], chunks=[column_of_texts(*values)])
    assert read_back(data) == [["Chủ đề <&>"], *([value] for value in values)]


def test_characters_xml_cannot_hold_are_left_out_and_tabs_and_line_breaks_kept():
    values = ["x\x00y\x08z", "bell\x07 and\x1f unit", "tab\tline\nend", "no\ufffe\uffffchars", "lone\ud800"]
    data = workbook_bytes(headers=["Chủ đề"], kinds=[TEXT], chunks=[column_of_texts(*values)])
    assert read_back(data) == [
        ["Chủ đề"],
        ["xyz"],
        ["bell and unit"],
        ["tab\tline\nend"],
        ["nochars"],
        ["lone"],
    ]


def test_text_past_excels_limit_is_cut_at_it():
    values = ["a" * 32767, "b" * 32768, "&" * 32768]
    data = workbook_bytes(headers=["Biên bản"], kinds=[TEXT], chunks=[column_of_texts(*values)])
    assert read_back(data) == [["Biên bản"], ["a" * 32767], ["b" * 32767], ["&" * 32767]]


def test_leading_and_trailing_spaces_are_kept():
    data = workbook_bytes(
        headers=["Chủ đề"], kinds=[TEXT], chunks=[column_of_texts("  two before", "after ")]
    )
    assert read_back(data) == [["Chủ đề"], ["  two before"], ["after "]]


def test_a_header_only_sheet_has_its_header_row():
    data = workbook_bytes()
    assert read_back(data) == [HEADERS]
    assert read_back(data, read_only=False) == [HEADERS]


def test_a_sheet_of_no_columns_has_no_rows():
    data = workbook_bytes(headers=[], kinds=[])
    assert read_back(data) == []
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Dữ liệu"]


def test_the_sheet_begins_with_its_dimension_so_that_a_reader_need_not_scan_it():
    chunks = [[["A", "B"], [1, 2], [None, None]], [["C"], [3], [None]]]
    for data, dimension in [(workbook_bytes(chunks=chunks), "A1:C4"), (workbook_bytes(), "A1:C1")]:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        # Without a dimension record, a read-only sheet is "unsized" and this raises.
        assert workbook.active.calculate_dimension() == dimension
        workbook.close()


def test_the_import_reader_reads_the_rows_back_with_their_numbers():
    data = workbook_bytes(chunks=[[["DEMO-001", "DEMO-002"], [18, None], [datetime.date(2024, 2, 5), None]]])
    table = read_xlsx(data, Columns(names=tuple(HEADERS)))
    assert table.headers == HEADERS
    assert table.rows == [["DEMO-001", 18, datetime.date(2024, 2, 5)], ["DEMO-002", None, None]]
    assert table.numbers == [2, 3]
    assert table.uncomputed == {}


def test_libreoffice_reads_the_sheet(tmp_path):
    require_office()
    data = workbook_bytes(
        chunks=[
            [
                ["Tom & Jerry", "", "x\x01y"],
                [18, 2.5, None],
                [datetime.date(2024, 2, 5), None, datetime.date(2026, 12, 31)],
            ]
        ]
    )
    (tmp_path / "export.xlsx").write_bytes(data)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "export.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "out" / "export.csv").read_text(encoding="utf-8").splitlines() == [
        '"Mã đơn vị","Số có mặt","Ngày"',
        '"Tom & Jerry",18,05/02/2024',
        ",2.5,",
        '"xy",,31/12/2026',
    ]
