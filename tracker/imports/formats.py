"""
File formats: what an export writes (formulas made inert, control characters left
out, dates as dates, a bold frozen header) and how an upload of each format becomes
rows (`reading`).
"""

import csv
import datetime
import io
import re

from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tracker.text import strip_controls

from .reading import Table, is_stored

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A CSV file does not say which character separates its fields: Excel in many locales
# and LibreOffice split on ";" as readily as on ",", or on a tab, and a quote that the
# wrong separator breaks ends the cell (or the row) at the next one. Any of them,
# with the spaces a program may trim, can begin a cell, so a formula character after
# one is made inert too, with the quote Excel and LibreOffice both show as text.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n]\s*)(?=[=+\-@])")
# What `neutralise` and `neutralise_csv` change: most cells hold none of it, and one
# search says so.
CELL_NEEDS_CARE = re.compile(r"^[=+\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NEEDS_CARE = re.compile(r"^[=+\-@\t\r]|[,;\t\r\n]\s*[=+\-@]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise(value):
    """
    Text as any spreadsheet cell may hold it: without the control characters no XLSX
    can hold (stored text is stripped of them, but older rows or a shell may not be),
    and a formula made inert with a quote.
    """
    if not isinstance(value, str):
        return value
    value = strip_controls(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def neutralise_csv(value):
    """A text field of a CSV file: neutralised as a cell, and after every separator in it."""
    if isinstance(value, str) and NEEDS_CARE.search(value) is None:
        return value
    value = neutralise(value)
    if isinstance(value, str):
        return FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    return value


def csv_writer(out):
    # Every text field in quotes, so that no separator inside one splits it when the
    # file is opened with the separator it was written with; numbers stay bare.
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)


class SafeCSV(base_formats.CSV):
    """CSV in UTF-8 with a BOM (Excel opens it right), formulas neutralised, dates dd/mm/yyyy."""

    def get_title(self):
        return "csv"

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv_writer(out)
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
        return neutralise_csv(value)

    def create_dataset(self, in_stream, **kwargs):
        return stored_dataset(in_stream)


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
        sheet.append([self.cell(sheet, neutralise(header), bold=True) for header in dataset.headers])
        for row in dataset:
            sheet.append([self.cell(sheet, neutralise(value)) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        return stored_dataset(in_stream)

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


def stored_dataset(stored):
    """
    The rows of a checked upload. Files are read once, by `reading.read_upload` when the
    upload form is checked; what the library reads back between its steps is that table.
    """
    if isinstance(stored, Table):
        return stored.dataset()  # the table the upload form read, in the same request
    if not is_stored(stored):
        raise ValueError(
            "Only a table stored by the upload form can be read here; see tracker.imports.reading."
        )
    return Table.loads(stored if isinstance(stored, str) else stored.decode()).dataset()
