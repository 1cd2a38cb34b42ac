"""
Spreadsheets saved by LibreOffice Calc itself, for the import tests.

A sheet is described in Python (rows of cells: text, numbers, real dates, formulas with
the value Calc computes, percentages, bordered empty rows) and written as a flat
OpenDocument file (.fods); Debian's LibreOffice, run headless, then saves it as Excel
(.xlsx) and as CSV, comma-separated UTF-8 or semicolon-separated Windows-1258 as Excel
saves it on Vietnamese Windows. Every conversion of a test run is done in one call per
target format (Calc takes about a second to start).

Without LibreOffice the tests that need it are skipped with a message saying how to
install it; in CI (OFFICE_REQUIRED=1, set by .ci/run) they fail instead.
"""

import datetime
import os
import shutil
import subprocess
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pytest

SOFFICE = os.environ.get("SOFFICE", "soffice")
INSTALL = (
    "Office-file tests need LibreOffice Calc: sudo apt-get install libreoffice-calc-nogui (or set SOFFICE)."
)

# Calc's CSV export options: separator, quote (as character codes), character set, first line.
# 40 is Windows-1258 and 76 is UTF-8 in LibreOffice's numbering of character sets.
TARGETS = {
    "xlsx": "xlsx",
    "utf8.csv": "csv:Text - txt - csv (StarCalc):44,34,76,1",
    "cp1258.csv": "csv:Text - txt - csv (StarCalc):59,34,40,1",
}


def require_office():
    if shutil.which(SOFFICE):
        return
    if os.environ.get("OFFICE_REQUIRED") == "1":
        pytest.fail(f"OFFICE_REQUIRED=1 but {SOFFICE} is missing. {INSTALL}")
    pytest.skip(INSTALL)


@dataclass(frozen=True)
class Formula:
    """A formula and the value Calc computes for it (Calc stores both)."""

    expression: str
    value: float


@dataclass(frozen=True)
class Percent:
    """A number shown as a percentage: 0.9551 shown as 95.51%."""

    value: float


@dataclass(frozen=True)
class Sheet:
    """A sheet: a title above the table (merged over the header's width), the rows, bordered empty rows below."""

    header: tuple
    rows: tuple
    title: str = ""
    blank_rows_after_title: int = 1
    bordered_empty_rows: int = 0


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="N1"><number:day number:style="long"/><number:text>/</number:text>
<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<number:percentage-style style:name="N2"><number:number number:decimal-places="2" number:min-integer-digits="1"/>
<number:text>%</number:text></number:percentage-style>
<style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/>
<style:style style:name="percent" style:family="table-cell" style:data-style-name="N2"/>
<style:style style:name="title" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="border" style:family="table-cell">
<style:table-cell-properties fo:border="0.5pt solid #000000" fo:background-color="#fff2cc"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Dữ liệu">
"""
FODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document>\n"


def cell(value):
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, Formula):
        return (
            f'<table:table-cell table:formula="{escape(value.expression, {chr(34): "&quot;"})}" '
            f'office:value-type="float" office:value="{value.value}"><text:p>{value.value}</text:p></table:table-cell>'
        )
    if isinstance(value, Percent):
        return (
            f'<table:table-cell table:style-name="percent" office:value-type="percentage" '
            f'office:value="{value.value}"><text:p>{value.value * 100}%</text:p></table:table-cell>'
        )
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell table:style-name="date" office:value-type="date" '
            f'office:date-value="{value.isoformat()}"><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>'
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def fods(sheet):
    width = len(sheet.header)
    rows = []
    if sheet.title:
        rows.append(
            f'<table:table-row><table:table-cell table:style-name="title" table:number-columns-spanned="{width}" '
            f'office:value-type="string"><text:p>{escape(sheet.title)}</text:p></table:table-cell>'
            f'<table:covered-table-cell table:number-columns-repeated="{width - 1}"/></table:table-row>'
        )
        rows.extend(
            "<table:table-row><table:table-cell/></table:table-row>"
            for _ in range(sheet.blank_rows_after_title)
        )
    for values in (sheet.header, *sheet.rows):
        rows.append("<table:table-row>" + "".join(cell(value) for value in values) + "</table:table-row>")
    if sheet.bordered_empty_rows:
        rows.append(
            f'<table:table-row table:number-rows-repeated="{sheet.bordered_empty_rows}">'
            f'<table:table-cell table:style-name="border" table:number-columns-repeated="{width}"/></table:table-row>'
        )
    return FODS_HEAD + "\n".join(rows) + FODS_TAIL


def save_as(sheets, folder):
    """
    {name: Sheet} saved by LibreOffice in every target format: {(name, target): bytes},
    targets being "xlsx", "utf8.csv" and "cp1258.csv".
    """
    require_office()
    source = folder / "source"
    source.mkdir()
    for name, sheet in sheets.items():
        (source / f"{name}.fods").write_text(fods(sheet), encoding="utf-8")
    files = {}
    for target, filter_name in TARGETS.items():
        out = folder / target
        out.mkdir()
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder / 'profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                filter_name,
                "--outdir",
                str(out),
                *sorted(str(path) for path in source.glob("*.fods")),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        suffix = "xlsx" if target == "xlsx" else "csv"
        for name in sheets:
            files[(name, target)] = (out / f"{name}.{suffix}").read_bytes()
    return files
