"""
Exports as users wait for them. The rows are read as plain values (values_list, a
chunk at a time, one query), each column's conversion is chosen once from its field,
and the file is written as the rows come: CSV streamed to the browser, XLSX by
xlsx_writer.py into a temporary file sent once it is complete.
A province's million sessions never sit in memory as model instances, a dataset or
cells.

The values are those the resource's fields give (`Field.export`): a test compares the
two for every model. The files are those the formats describe (formats.py): formulas
made inert, control characters left out, dates as dates shown dd/mm/yyyy in XLSX and
written dd/mm/yyyy in CSV, numbers as numbers, a bold frozen header row in XLSX.
"""

import enum
import io
import itertools
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, StreamingHttpResponse
from import_export.widgets import CharWidget

from . import xlsx_writer
from .formats import CELL_NEEDS_CARE, NEEDS_CARE, csv_writer, neutralise, neutralise_csv
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
    # The values are the cell kinds xlsx_writer.py writes.
    TEXT = xlsx_writer.TEXT
    DATE = xlsx_writer.DATE
    NUMBER = xlsx_writer.NUMBER


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


def lookups_of(columns):
    return [lookup for column in columns for lookup in column.lookups]


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


def chunks(rows):
    """The rows, CHUNK_ROWS at a time."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def by_column(columns, chunk):
    """
    A chunk of rows as one list of values per column, each converted as its field writes
    it. A column at a time: a conversion chosen once runs over a list (map, comprehension),
    not through a function call per cell of every row.
    """
    read = list(zip(*chunk, strict=True))
    values, start = [], 0
    for column in columns:
        end = start + len(column.lookups)
        if column.convert is None:
            values.append(read[start])
        elif end - start == 1:  # converted once per distinct value, as the cells below
            written = {value: column.convert(value) for value in set(read[start])}
            values.append([written[value] for value in read[start]])
        else:
            values.append(list(map(column.convert, *read[start:end])))
        start = end
    return values


# CSV: every text field quoted, numbers bare, dates dd/mm/yyyy, nothing as an empty text.


# A column repeats its values (a unit's code and name, a kind, a date): each distinct
# value is written once, then looked up.


def csv_dates(values):
    written = {value: "" if value is None else value.strftime("%d/%m/%Y") for value in set(values)}
    return [written[value] for value in values]


def csv_numbers(values):
    return ["" if value is None else value for value in values]


def csv_texts(values, needs_care=NEEDS_CARE.search):
    written = {value: value if needs_care(value) is None else neutralise_csv(value) for value in set(values)}
    return [written[value] for value in values]


CSV_CELLS = {Kind.DATE: csv_dates, Kind.NUMBER: csv_numbers, Kind.TEXT: csv_texts}


def csv_chunks(columns, rows) -> Iterator[bytes]:
    """The CSV file, in UTF-8 with a BOM (Excel opens it right), a chunk of rows at a time."""
    cells = [CSV_CELLS[column.kind] for column in columns]
    out = io.StringIO()
    writer = csv_writer(out)
    out.write("\ufeff")
    writer.writerow([neutralise_csv(column.header) for column in columns])
    for chunk in chunks(rows):
        values = by_column(columns, chunk)
        writer.writerows(
            zip(*(cell(column) for cell, column in zip(cells, values, strict=True)), strict=True)
        )
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()
    yield out.getvalue().encode()


# XLSX: written by hand (xlsx_writer.py) into a temporary file as the rows come: a
# date as a date cell shown dd/mm/yyyy, a number as a number, text as text (never a
# formula, whatever it starts with), an empty value as an empty cell.


def xlsx_texts(values, needs_care=CELL_NEEDS_CARE.search):
    return [value if not value or needs_care(value) is None else neutralise(value) for value in values]


def xlsx_values(values):
    return values


XLSX_CELLS = {Kind.DATE: xlsx_values, Kind.NUMBER: xlsx_values, Kind.TEXT: xlsx_texts}


def xlsx_file(columns, rows):
    """The XLSX file, in a temporary file at its start: one sheet, a bold frozen header row."""
    # On disk, not in memory: a province's file is tens of megabytes. The response closes it.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    cells = [XLSX_CELLS[column.kind] for column in columns]
    chunks_by_column = (
        [cell(values) for cell, values in zip(cells, by_column(columns, chunk), strict=True)]
        for chunk in chunks(rows)
    )
    try:
        xlsx_writer.write_xlsx(
            out,
            sheet_name=SHEET_NAME,
            headers=[neutralise(column.header) for column in columns],
            kinds=[column.kind.value for column in columns],
            chunks=chunks_by_column,
        )
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
