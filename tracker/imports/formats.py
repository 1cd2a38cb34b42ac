"""
File formats: what an export writes (formulas made inert, dates as dates, a bold
frozen header) and how an upload of each format becomes rows (`reading`).
"""

import csv
import datetime
import io

import tablib
from django.conf import settings
from import_export.formats import base_formats
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .reading import Table, is_stored

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeCSV(base_formats.CSV):
    """CSV in UTF-8 with a BOM (Excel opens it right), formulas neutralised, dates dd/mm/yyyy."""

    def get_title(self):
        return "csv"

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([self.cell(value) for value in row])
        return "\ufeff" + out.getvalue()

    @staticmethod
    def cell(value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if value is None:
            return ""
        return neutralise(value)

    def create_dataset(self, in_stream, **kwargs):
        if is_stored(in_stream):
            return Table.loads(in_stream if isinstance(in_stream, str) else in_stream.decode()).dataset()
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8")
        return super().create_dataset(in_stream.lstrip("\ufeff"), **kwargs)


class SafeXLSX(base_formats.XLSX):
    """XLSX with a bold, frozen header row, real date and number cells, formulas neutralised."""

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        # Write-only: rows go to the file as they come, so a province's hundred thousand
        # sessions never sit in memory as cell objects.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Dữ liệu")
        sheet.freeze_panes = "A2"
        sheet.append([self.cell(sheet, header, bold=True) for header in dataset.headers])
        for row in dataset:
            sheet.append([self.cell(sheet, neutralise(value)) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        if is_stored(in_stream):
            return Table.loads(in_stream if isinstance(in_stream, str) else in_stream.decode()).dataset()
        # Files written row by row (ours, and many programs' exports) carry no sheet
        # dimensions, and openpyxl then reads a row only as far as its last filled
        # cell: pad each row to the header's width, or the row would be refused.
        workbook = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        rows = workbook.active.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        dataset = tablib.Dataset(headers=headers)
        ignore_blanks = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in rows:
            values = list(row) + [None] * (len(headers) - len(row))
            if not (ignore_blanks and all(value is None for value in values)):
                dataset.append(values)
        return dataset

    @staticmethod
    def cell(sheet, value, bold=False):
        """A date as a date cell shown dd/mm/yyyy, a header in bold; anything else as it is."""
        if not bold and not isinstance(value, datetime.date):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if bold:
            cell.font = Font(bold=True)
        else:
            cell.number_format = "DD/MM/YYYY"
        return cell


IMPORT_FORMATS = [SafeXLSX, SafeCSV]
