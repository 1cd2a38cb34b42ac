"""
How an uploaded file is read: from the bytes a clerk sends to the rows a resource imports.

Files come from Excel on Windows and from LibreOffice, filled by hand, so the reader
expects what offices do: a title block above the header, a "STT" column, bordered empty
rows below the data, lines of separators only, semicolons as the list separator,
Windows-1258 text, decomposed accents in headers, formulas, stray control characters.
It either returns a `Table` of the rows to import, each with its row number in the
spreadsheet, or refuses the file with one Vietnamese sentence (`FileRefused`) that says
what to change. Whatever the file claims about itself, rows, cell lengths and the size
of an XLSX once unpacked are counted while reading, so that a refused file costs little.
"""

import codecs
import csv
import datetime
import decimal
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from tracker.text import ascii_fold, nfc, strip_controls

# The header row is looked for this far down: a title block is a few rows.
HEADER_SEARCH_ROWS = 30
# Columns offices add to number the rows; they carry nothing to import.
ROW_NUMBER_COLUMNS = {"stt", "tt", "so tt", "so thu tu"}
# Excel's own limit on the text of one cell.
MAX_CELL_CHARS = 32767
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "dấu phẩy (,)", ";": "dấu chấm phẩy (;)", "\t": "dấu tab"}


class FileRefused(ValidationError):
    """The whole file is refused, with one sentence saying what to change."""


def fold_header(value):
    """A header as it is compared: NFC, accents, case and spacing folded."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", strip_controls(text))
    return " ".join(ascii_fold(text).lower().split())


@dataclass(frozen=True)
class Columns:
    """What a resource reads from a file: its column names, and which of them a file must have."""

    names: tuple
    # Each entry is a group of columns of which the file must hold at least one.
    required: tuple = ()
    # Columns holding a percentage: a cell formatted as a percentage (0,9551 shown
    # as 95,51%) is read as the number shown.
    percentages: frozenset = frozenset()
    # Columns an export writes for people to read (a unit's name beside its code):
    # accepted in a file, so that an export imports back, but never asked for.
    shown: tuple = ()

    def folded(self):
        return {fold_header(name): name for name in (*self.names, *self.shown)}

    def listed(self):
        return ", ".join(self.names)


@dataclass
class Table:
    """The rows of a file to import, under the resource's own column names."""

    headers: list
    rows: list = field(default_factory=list)
    # The row number in the spreadsheet (or the line in the CSV) of each row.
    numbers: list = field(default_factory=list)
    # Formula cells the file holds without a computed value: {(row index, column): "E5"}.
    uncomputed: dict = field(default_factory=dict)
    # The column of each header, by its letter in the spreadsheet.
    column_letters: dict = field(default_factory=dict)

    def dataset(self):
        """A tablib Dataset for the resource, carrying the rows' numbers in the file."""
        dataset = tablib.Dataset(*self.rows, headers=self.headers)
        dataset.numbers = self.numbers
        dataset.uncomputed = self.uncomputed
        return dataset

    def dumps(self):
        """The table as stored between the check and the confirm: JSON text behind a marker."""
        payload = {
            "headers": self.headers,
            "numbers": self.numbers,
            "uncomputed": [[index, column, cell] for (index, column), cell in self.uncomputed.items()],
            "rows": self.rows,
        }
        return STORED_MARKER + json.dumps(payload, default=to_json, ensure_ascii=False)

    @classmethod
    def loads(cls, text):
        payload = json.loads(text[len(STORED_MARKER) :], object_hook=from_json)
        return cls(
            headers=payload["headers"],
            rows=payload["rows"],
            numbers=payload["numbers"],
            uncomputed={(index, column): cell for index, column, cell in payload["uncomputed"]},
        )


# A checked upload is stored as its table, so that the confirm step reads it back
# without parsing the workbook again.
STORED_MARKER = "tracker-import-table:1\n"


def is_stored(data):
    marker = STORED_MARKER.encode() if isinstance(data, bytes) else STORED_MARKER
    return data[: len(marker)] == marker


def to_json(value):
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} cannot be stored")


def from_json(value):
    if len(value) == 1:
        ((key, text),) = value.items()
        if key == "$datetime":
            return datetime.datetime.fromisoformat(text)
        if key == "$date":
            return datetime.date.fromisoformat(text)
        if key == "$time":
            return datetime.time.fromisoformat(text)
        if key == "$decimal":
            return decimal.Decimal(text)
    return value


def read_upload(data, *, file_format, columns, encoding="auto"):
    """The rows of an uploaded file (bytes), or FileRefused."""
    if is_stored(data):
        return Table.loads(data.decode() if isinstance(data, bytes) else data)
    if file_format == "xlsx":
        return read_xlsx(data, columns)
    return read_csv(decode_csv(data, encoding), columns)


# XLSX


def read_xlsx(data, columns):
    check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise FileRefused(
            _(
                "This file cannot be opened as an Excel workbook (.xlsx). Open it in Excel or "
                "LibreOffice and save it again as “Excel Workbook (.xlsx)”, or choose the CSV format."
            )
        ) from error
    try:
        return first_table(workbook, columns)
    except FileRefused:
        raise
    except Exception as error:
        # The package opened, but a sheet's XML is broken or hostile (defusedxml refuses
        # entity declarations).
        raise FileRefused(
            _(
                "This file cannot be opened as an Excel workbook (.xlsx). Open it in Excel or "
                "LibreOffice and save it again as “Excel Workbook (.xlsx)”, or choose the CSV format."
            )
        ) from error
    finally:
        workbook.close()


def size_from_dimension(sheet):
    """
    openpyxl's sizing of a read-only sheet, at a fraction of its cost. openpyxl looks
    for the dimension record until the end of the sheet's data, which for a sheet
    without one (this project's exports; files of other programs) is a parse of the
    whole sheet, thrown away: a tenth of a preview. The record comes before the data,
    so this stops where the data starts, with the same result.
    """
    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return


ReadOnlyWorksheet._get_size = size_from_dimension


def first_table(workbook, columns):
    """The rows below the header of the first sheet that has one (a template's guide sheet has none)."""
    # Cells are read with their number formats only when a percentage column needs
    # them: plain values are faster to read.
    formats = bool(columns.percentages)
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=not formats)
        found = find_header(rows, columns, cells=formats)
        if found is None:
            continue
        table = read_rows(found, rows, columns, cells=formats)
        table.uncomputed = uncomputed_formulas(workbook, sheet, table)
        return table
    raise header_not_found(columns)


def check_unpacked_size(data):
    """
    Refuse a workbook that unpacks to more than IMPORT_MAX_UNPACKED_BYTES, counting
    what is really unpacked (a file can declare small sizes and hold a huge cell).
    """
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise FileRefused(
            _(
                "This file is not an Excel workbook (.xlsx). If it is a CSV file, choose the CSV "
                "format; if it is an old Excel file (.xls), save it again as “Excel Workbook (.xlsx)”."
            )
        ) from error
    total = 0
    with archive:
        for member in archive.infolist():
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    total += len(chunk)
                    if total > limit:
                        raise FileRefused(
                            _(
                                "Once unpacked this workbook holds more than %(limit)s of data. "
                                "Split it into smaller files."
                            )
                            % {"limit": filesizeformat(limit)}
                        )


def uncomputed_formulas(workbook, sheet, table):
    """
    Formula cells without a computed value, by row and column of the table.

    Excel and LibreOffice store the value a formula computed beside it, and the import
    reads that value; a file written by a program that does not compute (or a formula
    typed in a CSV converted by such a program) holds only the formula.
    """
    path = getattr(sheet, "_worksheet_path", None)
    if path is None:
        return {}
    with workbook._archive.open(path) as stream:
        if not contains(stream, b"<f"):
            return {}
    from lxml import etree

    rows = {number: index for index, number in enumerate(table.numbers)}
    namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found = {}
    with workbook._archive.open(path) as stream:
        cells = etree.iterparse(
            stream, events=("end",), tag=f"{namespace}c", resolve_entities=False, no_network=True
        )
        for _event, cell in cells:
            formula = cell.find(f"{namespace}f")
            value = cell.find(f"{namespace}v")
            if formula is not None and (value is None or not value.text):
                match = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", ""))
                if match and int(match.group(2)) in rows and match.group(1) in table.column_letters:
                    index = rows[int(match.group(2))]
                    found[(index, table.column_letters[match.group(1)])] = match.group(0)
            cell.clear(keep_tail=True)
    return found


def contains(stream, needle):
    """Whether a stream holds the bytes, read a megabyte at a time."""
    tail = b""
    while chunk := stream.read(1 << 20):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


# CSV


def decode_csv(data, encoding):
    """
    The text of a CSV upload. `encoding` is "auto" (UTF-8 with or without BOM, else
    Windows-1258, as Excel saves CSV on Vietnamese Windows), "utf-8" or "cp1258".
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8" if encoding == "auto" else encoding
    candidates = ["utf-8", "cp1258"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _(
            "This file cannot be read as %(encodings)s text. If it is an Excel file, choose the "
            "Excel (.xlsx) format; otherwise save it from Excel as “CSV UTF-8”."
        )
        % {"encodings": " / ".join(candidates)}
    )


def read_csv(text, columns):
    if "\x00" in text[:4096] and text.count("\x00") > len(text) // 10:
        raise FileRefused(
            _("This is not a CSV text file. If it is an Excel file, choose the Excel (.xlsx) format.")
        )
    separator = None
    for candidate in SEPARATORS:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=candidate)
        found = find_header(rows, columns, cells=False)
        if found is not None:
            separator = candidate
            break
    if separator is None:
        raise header_not_found(columns, text=text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    found = find_header(rows, columns, cells=False)
    try:
        return read_rows(found, rows, columns, cells=False)
    except csv.Error:
        # A quote left open, or a cell longer than the csv module reads.
        raise FileRefused(
            _(
                "Line %(line)s of the CSV file cannot be read. Check its quotes, or save the file again from Excel."
            )
            % {"line": rows.line_num}
        ) from None


# Both formats: find the header, then read the rows below it.


@dataclass
class Header:
    number: int  # the header's row number in the file
    positions: list  # (index in the file's row, column name) of each column read
    width: int
    column_letters: dict
    # Columns read past: those numbering the rows (STT).
    ignored: frozenset = frozenset()


def cell_value(cell, cells):
    return cell.value if cells else cell


def find_header(rows, columns, *, cells):
    """
    The first of the first rows that holds the expected headers (at least one of each
    required group, and more than half of its cells known), or None.
    """
    known = columns.folded()
    for number, row in enumerate(rows, 1):
        if number > HEADER_SEARCH_ROWS:
            return None
        folded = [fold_header(cell_value(cell, cells)) for cell in row]
        named = [text for text in folded if text]
        matched = [text for text in named if text in known]
        if not matched or len(matched) * 2 <= len(named):
            continue
        present = {known[text] for text in matched}
        if any(not present.intersection(group) for group in columns.required):
            # The right row, missing a column the import needs: say which.
            raise missing_columns(columns, present, number)
        unknown = [
            (index, str(cell_value(row[index], cells)).strip())
            for index, text in enumerate(folded)
            if text and text not in known and text not in ROW_NUMBER_COLUMNS
        ]
        if unknown:
            raise FileRefused(unknown_columns_sentence(unknown, number, columns))
        repeated = sorted({known[text] for text in matched if matched.count(text) > 1})
        if repeated:
            raise FileRefused(
                _("Row %(row)s has the column “%(column)s” twice. Keep one of them.")
                % {"row": number, "column": repeated[0]}
            )
        positions = [(index, known[text]) for index, text in enumerate(folded) if text in known]
        letters = {get_column_letter(index + 1): name for index, name in positions}
        ignored = frozenset(index for index, text in enumerate(folded) if text in ROW_NUMBER_COLUMNS)
        return Header(number, positions, len(folded), letters, ignored)
    return None


def read_rows(header, rows, columns, *, cells):
    """Rows below the header: empty ones skipped, values cleaned, limits counted as they come."""
    table = Table(headers=[name for _index, name in header.positions], column_letters=header.column_letters)
    limit = settings.IMPORT_MAX_ROWS
    read = {index for index, _name in header.positions} | header.ignored
    percentages = columns.percentages
    for number, row in enumerate(rows, header.number + 1):
        values = []
        for index, name in header.positions:
            value = None
            if index < len(row):
                cell = row[index]
                value = cell_value(cell, cells)
                if (
                    name in percentages
                    and isinstance(value, int | float)
                    and "%" in (cell.number_format or "")
                ):
                    value = round(value * 100, 10)  # 0,9551 shown as 95,51%
            values.append(clean_cell(value, number, index))
        if len(row) > len(read):
            stray = [
                index
                for index in range(len(row))
                if index not in read and not is_empty(cell_value(row[index], cells))
            ]
            if stray:
                # A value under no header would be lost without a word.
                raise FileRefused(stray_cells_sentence(stray, number))
        if all(value is None for value in values):
            continue  # an empty row, one with only borders and fills, or only its number (STT)
        if len(table.rows) >= limit:
            raise FileRefused(
                _("The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows.")
                % {"limit": limit}
            )
        table.rows.append(values)
        table.numbers.append(number)
    return table


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def clean_cell(value, number, index):
    """A cell as the widgets read it: text in NFC without control characters, blanks as None."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise FileRefused(
                _("Cell %(cell)s holds %(length)s characters; a cell may hold at most %(limit)s.")
                % {
                    "cell": f"{get_column_letter(index + 1)}{number}",
                    "length": len(value),
                    "limit": MAX_CELL_CHARS,
                }
            )
        value = nfc(value)
        return value or None
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


# The sentences of a refused file.


def header_not_found(columns, text=None):
    if text is not None:
        return FileRefused(
            _(
                "The header row was not found: the first row of the table must hold these columns, "
                "separated by commas or semicolons: %(columns)s. Download the template to see them."
            )
            % {"columns": columns.listed()}
        )
    return FileRefused(
        _(
            "The header row was not found: the first row of the table must hold these columns: "
            "%(columns)s. Download the template to see them."
        )
        % {"columns": columns.listed()}
    )


def missing_columns(columns, present, number):
    missing = [
        _(" or ").join(f"“{name}”" for name in group)
        for group in columns.required
        if not present.intersection(group)
    ]
    return FileRefused(
        _("The header row (row %(row)s) lacks the column %(missing)s, which every file must have.")
        % {"row": number, "missing": ", ".join(missing)}
        if len(missing) == 1
        else _("The header row (row %(row)s) lacks the columns %(missing)s, which every file must have.")
        % {"row": number, "missing": ", ".join(missing)}
    )


def unknown_columns_sentence(unknown, number, columns):
    named = ", ".join(
        _("“%(name)s” (column %(letter)s)") % {"name": text, "letter": get_column_letter(index + 1)}
        for index, text in unknown
    )
    return _(
        "The header row (row %(row)s) has columns this import does not know: %(unknown)s. "
        "Correct their names or delete them; the columns are: %(columns)s."
    ) % {"row": number, "unknown": named, "columns": columns.listed()}


def stray_cells_sentence(stray, number):
    return _(
        "Row %(row)s has values in cells without a header (%(cells)s). Give the column a "
        "header or delete those cells."
    ) % {"row": number, "cells": ", ".join(f"{get_column_letter(index + 1)}{number}" for index in stray)}
