"""
How an uploaded file is read: its encoding, its size and its rows.
"""

import codecs
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from tracker.text import nfc


def decode_csv(data, encoding):
    """
    The text of a CSV upload as UTF-8 NFC. `encoding` is "auto" (UTF-8 with or
    without BOM, else Windows-1258, as Excel saves CSV on Vietnamese Windows),
    "utf-8" or "cp1258".
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8" if encoding == "auto" else encoding
    candidates = ["utf-8", "cp1258"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        try:
            return nfc(data.decode(candidate))
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file cannot be read as %(encodings)s. Save it from Excel as “CSV UTF-8”, or as Excel (.xlsx).")
        % {"encodings": " / ".join(candidates)}
    )


def count_data_rows(data, is_xlsx):
    """Rows below the header, counted without loading the rows themselves."""
    if is_xlsx:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.max_row or 0
        workbook.close()
        return max(0, rows - 1)
    return max(0, data.count("\n") - 1 + (0 if data.endswith("\n") else 1))
