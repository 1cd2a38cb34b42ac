"""
A report's table as people download it: XLSX with a title, a bold frozen header row,
typed numbers, dates and percentages and a bold totals row; or CSV in UTF-8 with a
BOM. Text that a spreadsheet would run as a formula is neutralised in both, and
control characters are left out (an XLSX cannot hold them). Yes and no are written
"Có" and "Không", as the importer reads them.

An XLSX sheet prints on A4 landscape, as wide as the page, with its header row (wrapped,
an AutoFilter on it) repeated on every printed page.
"""

import datetime
import io
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tracker.imports.formats import csv_writer, neutralise, neutralise_csv

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Percent:
    """A percentage, written as a number with a % format (98,06 is 98,06%)."""

    value: Decimal | float | None


@dataclass
class Table:
    title: str
    headers: list
    rows: list = field(default_factory=list)
    totals: list | None = None
    sheet: str = "Báo cáo"


HEADER_WIDTH = 18  # a header longer than this wraps rather than widen a column of numbers
LINE_HEIGHT = 15  # points per line of 11-point text


def yes_no(value):
    return "Có" if value else "Không"


def cell_value(value):
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Percent):
        return None if value.value is None else float(value.value) / 100
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)


def format_of(value):
    if isinstance(value, Percent):
        return "0.00%"
    if isinstance(value, datetime.date):
        return "DD/MM/YYYY"
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, Decimal):
        return "#,##0.00"
    return None


def xlsx_bytes(*tables):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(neutralise(table.sheet)[:31])
        sheet.append([neutralise(table.title)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([neutralise(header) for header in table.headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B3"  # the title, the header row and the first column stay
        lines = list(table.rows) + ([table.totals] if table.totals is not None else [])
        for number, line in enumerate(lines, start=3):
            sheet.append([cell_value(value) for value in line])
            for column, value in enumerate(line, start=1):
                number_format = format_of(value)
                if number_format:
                    sheet.cell(row=number, column=column).number_format = number_format
        if table.totals is not None:
            for column in range(1, len(table.totals) + 1):
                sheet.cell(row=2 + len(lines), column=column).font = Font(bold=True)
        header_lines = 1
        for index, header in enumerate(table.headers, start=1):
            width = max(
                [min(len(str(header)), HEADER_WIDTH)]
                + [len(str(cell_value(line[index - 1]) or "")) for line in lines[:200]]
            )
            width = min(max(10, width + 2), 60)
            sheet.column_dimensions[get_column_letter(index)].width = width
            header_lines = max(header_lines, math.ceil(len(str(header)) / (width - 2)))
        sheet.row_dimensions[2].height = LINE_HEIGHT * header_lines
        last_column = get_column_letter(max(len(table.headers), 1))
        sheet.auto_filter.ref = f"A2:{last_column}{2 + len(table.rows)}"
        sheet.print_title_rows = "2:2"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(table):
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([neutralise_csv(header) for header in table.headers])
    lines = list(table.rows) + ([table.totals] if table.totals is not None else [])
    for line in lines:
        writer.writerow([csv_cell(value) for value in line])
    return "\ufeff" + out.getvalue()


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Percent):
        return "" if value.value is None else f"{value.value:.2f}".replace(".", ",")
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return yes_no(value)
    return neutralise_csv(value)


def download(table, file_format, filename, *more_tables):
    """An HttpResponse with the table as `filename`.xlsx or .csv (the first table only)."""
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(table, *more_tables), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
