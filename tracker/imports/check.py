"""
The full check of an upload, as a file: every row of the file with what the import
would do with it (new, changed, unchanged, error) and its messages, in Vietnamese.

The preview page shows the counts, every error and the first rows; a file of ten
thousand rows would be megabytes of HTML, so the rest is in this file. It is written
once, when the preview checks the upload, and stored compressed beside the upload
(storage.py), under the id of the user who made the preview: downloading it reads that
stored file and never imports anything again.
"""

import csv
import io
import zlib

from django.utils.translation import gettext as _
from import_export.results import RowResult

from .formats import neutralise_csv
from .resources import shown

# The rows the preview page shows; the check file has every row.
PREVIEW_ROWS = 200


def check_rows(result, unexpected_error):
    """[row in the file, result, messages, the preview's columns…] for every row, in the file's order."""
    # Each label translated once per file, not once per row.
    labels = {
        RowResult.IMPORT_TYPE_NEW: _("New"),
        RowResult.IMPORT_TYPE_UPDATE: _("Update"),
        RowResult.IMPORT_TYPE_SKIP: _("Skipped"),
        RowResult.IMPORT_TYPE_DELETE: _("Delete"),
    }
    error, duplicate, other_row = _("Error"), _("possible duplicate"), _("row %(number)s of the file")
    invalid = iter(result.invalid_rows)
    errors = iter(result.error_rows)
    for row_result in result.rows:
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            row = next(invalid)
            messages = [
                f"{column}: {message}"
                for column, texts in row.field_specific_errors.items()
                for message in texts
            ]
            messages += [str(message) for message in row.non_field_specific_errors]
            yield [row.number, error, "\n".join(messages), *row.values]
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            row = next(errors)
            values = row.errors[0].row if row.errors else {}
            yield [
                row.number,
                error,
                str(unexpected_error),
                *(shown(values.get(h)) for h in result.diff_headers),
            ]
        else:
            found = [
                f"{session}: {session.topic}" if session.topic else str(session)
                for session in getattr(row_result, "duplicate_sessions", ())
            ]
            found += [other_row % {"number": number} for number in getattr(row_result, "duplicate_rows", ())]
            note = f"{duplicate}: {'; '.join(found)}" if found else ""
            yield [row_result.number, labels[row_result.import_type], note, *(row_result.diff or ())]


def check_file(result, unexpected_error):
    """The check as CSV (UTF-8 with a BOM, as Excel opens it), compressed for storing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Row in the file"), _("Result"), _("Messages"), *result.diff_headers])
    # The file's values repeat (codes, kinds, "Có", dates): each is made inert once.
    inert = {}
    for values in check_rows(result, unexpected_error):
        cells = []
        for value in values:
            if not isinstance(value, int | float):
                text = str(value)
                value = inert.get(text)
                if value is None:
                    value = inert[text] = neutralise_csv(text)
            cells.append(value)
        writer.writerow(cells)
    return zlib.compress(("\ufeff" + out.getvalue()).encode(), 1)


def unpacked(data, size=1 << 16):
    """The stored check's CSV bytes, a piece at a time, for a streaming response."""
    unpacker = zlib.decompressobj()
    for start in range(0, len(data), size):
        if piece := unpacker.decompress(data[start : start + size]):
            yield piece
    if rest := unpacker.flush():
        yield rest
