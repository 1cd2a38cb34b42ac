"""
Exports as users wait for them. The rows are read as plain values (values_list, a
chunk at a time, one query), each column's conversion is chosen once from its field,
and the file is written as the rows come: CSV streamed to the browser, XLSX through
XlsxWriter in constant-memory mode into a temporary file sent once it is complete.
A province's million sessions never sit in memory as model instances, a dataset or
cells.

The values are those the resource's fields give (`Field.export`): a test compares the
two for every model. The files are those the formats describe (formats.py): formulas
made inert, control characters left out, dates as dates shown dd/mm/yyyy in XLSX and
written dd/mm/yyyy in CSV, numbers as numbers, a bold frozen header row in XLSX.
"""

import datetime
import enum
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, StreamingHttpResponse
from import_export.widgets import CharWidget

from .formats import csv_writer, neutralise, neutralise_csv
from .widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    QuarterField,
    YesNoWidget,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 2000  # rows fetched from the database, and written to the browser, at a time
SHEET_NAME = "Dữ liệu"


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, what to read for it, and how that becomes its value."""

    header: str
    lookups: tuple[str, ...]
    kind: Kind = Kind.TEXT
    # The read values of `lookups` -> the value the field exports; None: the one value as read.
    convert: Callable | None = None


def blank_if_none(value):
    return "" if value is None else value


def yes_no(value):
    return "Có" if value else "Không"


def column_of(field, lookup=None):
    """
    The column of an export field. A field may say itself (`export_column`); otherwise
    its widget says how the stored value is written, as its `render` does.
    """
    if hasattr(field, "export_column"):
        return field.export_column()
    if isinstance(field, QuarterField):
        return Column(field.column_name, ("year", "quarter"), convert=field.label)
    lookup = lookup or field.attribute
    if not lookup:
        raise ImproperlyConfigured(
            f"The export column {field.column_name!r} has no attribute: name its lookup in export_lookups."
        )
    header, widget = field.column_name, field.widget
    if isinstance(widget, CodeWidget):
        return Column(header, (f"{lookup}__code",), convert=blank_if_none)
    if isinstance(widget, ChoiceWidget):
        labels = widget.table()[1]
        return Column(header, (lookup,), convert=lambda value: labels.get(value, value or ""))
    if isinstance(widget, YesNoWidget):
        return Column(header, (lookup,), convert=yes_no)
    if isinstance(widget, DateWidget):
        return Column(header, (lookup,), Kind.DATE)
    if isinstance(widget, IntegerWidget | DecimalWidget):
        return Column(header, (lookup,), Kind.NUMBER)
    if isinstance(widget, CharWidget):
        return Column(header, (lookup,), convert=blank_if_none)
    raise ImproperlyConfigured(f"No export column for the widget of {header!r}: {type(widget).__name__}.")


def reader(column, start):
    """row -> the column's value, for rows where its lookups start at `start`."""
    convert, end = column.convert, start + len(column.lookups)
    if len(column.lookups) > 1:
        return lambda row: convert(*row[start:end])
    if convert is None:
        return lambda row: row[start]
    return lambda row: convert(row[start])


def lookups_of(columns):
    return [lookup for column in columns for lookup in column.lookups]


def readers(columns):
    result, start = [], 0
    for column in columns:
        result.append(reader(column, start))
        start += len(column.lookups)
    return result


def rows_of(queryset, columns, ordering=()):
    """
    The export's rows as tuples of read values, a chunk at a time: one query. The list's
    filters, search, selection and order stay. A list that needs DISTINCT (a search across
    a many-valued relation) is read through its ids, so that two equal rows stay two.
    """
    order = list(queryset.query.order_by or queryset.model._meta.ordering)
    if queryset.query.distinct:
        queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    queryset = queryset.prefetch_related(None).order_by(*order, *ordering)
    return queryset.values_list(*lookups_of(columns)).iterator(chunk_size=CHUNK_ROWS)


# CSV: every text field quoted, numbers bare, dates dd/mm/yyyy, None as an empty field.


def csv_cell(column, read):
    if column.kind is Kind.DATE:
        return lambda row: "" if (value := read(row)) is None else value.strftime("%d/%m/%Y")
    if column.kind is Kind.NUMBER:
        return lambda row: blank_if_none(read(row))
    return lambda row: neutralise_csv(blank_if_none(read(row)))


def csv_chunks(columns, rows) -> Iterator[bytes]:
    """The CSV file, in UTF-8 with a BOM (Excel opens it right), a chunk of rows at a time."""
    cells = [csv_cell(column, read) for column, read in zip(columns, readers(columns), strict=True)]
    out = io.StringIO()
    writer = csv_writer(out)
    out.write("\ufeff")
    writer.writerow([neutralise_csv(column.header) for column in columns])
    for written, row in enumerate(rows, start=1):
        writer.writerow([cell(row) for cell in cells])
        if written % CHUNK_ROWS == 0:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


# XLSX: XlsxWriter writes each row to its own temporary file as it comes (constant memory).


def xlsx_writers(sheet, columns, date_format):
    """For each column, (row number, column number, row) -> the cell written, or nothing when empty."""
    writers = []
    for number, (column, read) in enumerate(zip(columns, readers(columns), strict=True)):
        if column.kind is Kind.DATE:

            def write(line, row, number=number, read=read):
                value = read(row)
                if value is not None:
                    if isinstance(value, datetime.datetime):
                        value = value.date()
                    sheet.write_datetime(line, number, value, date_format)

        elif column.kind is Kind.NUMBER:

            def write(line, row, number=number, read=read):
                value = read(row)
                if value is not None:
                    sheet.write_number(line, number, float(value))

        else:

            def write(line, row, number=number, read=read):
                value = read(row)
                if value:
                    sheet.write_string(line, number, neutralise(str(value)))

        writers.append(write)
    return writers


def xlsx_file(columns, rows):
    """The XLSX file, in a temporary file at its start: one sheet, a bold frozen header row."""
    # On disk, not in memory: a province's file is tens of megabytes. The response closes it.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
        sheet = workbook.add_worksheet(SHEET_NAME)
        sheet.freeze_panes(1, 0)
        bold = workbook.add_format({"bold": True})
        for number, column in enumerate(columns):
            sheet.write_string(0, number, neutralise(column.header), bold)
        writers = xlsx_writers(sheet, columns, workbook.add_format({"num_format": "DD/MM/YYYY"}))
        for line, row in enumerate(rows, start=1):
            for write in writers:
                write(line, row)
        workbook.close()
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def export_response(file_format, columns, rows, filename):
    """The file as the browser receives it: CSV as it is written, XLSX once it is complete."""
    if file_format.get_extension() == "xlsx":
        response = FileResponse(xlsx_file(columns, rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
