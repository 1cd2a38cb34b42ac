"""
An XLSX workbook of one sheet, written by hand as the rows come.

Why not a library: the admin's XLSX export of a province (99,727 sessions, 14 columns)
took 12× reading the same rows with values_list on SQLite and 22.7× on PostgreSQL, where
the target is 8×; XlsxWriter in constant-memory mode was 19.2 s of its 19.8 s (about
1.5 µs of Python per cell), openpyxl's write-only mode 1.4× slower still
(bench/README.md, "Exports, streamed"). An XLSX file is a zip of a few small fixed XML
parts and the sheet's XML; this module formats the sheet's cells a column at a time
(one comprehension per column of a chunk of rows) and one row template joins them,
into a zip member written as it comes (constant memory).

What the sheet holds: a bold header row, frozen; column widths; text as inline strings
(escaped only when a search says it holds &, <, > or a character XML 1.0 forbids, which
is then left out; cut at Excel's 32,767 characters); numbers as numbers; dates as date serial numbers shown dd/mm/yyyy;
an empty value as an empty cell. Cells and rows carry no reference (`r`), which the
format allows and Excel, LibreOffice and openpyxl read in order. The sheet begins with
its dimension record (its last row), so the rows are first packed into a temporary file
(zlib at its fastest level: some 40 kB a thousand rows) and copied into the
zip once counted.

Text is written as given: making a formula inert is the caller's (formats.neutralise).
"""

import datetime
import re
import tempfile
import zipfile
import zlib
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

TEXT, NUMBER, DATE = "text", "number", "date"

# What XML cannot hold as it is: markup characters, and the characters XML 1.0 forbids
# (controls other than tab, line feed and carriage return; surrogates; U+FFFE, U+FFFF).
NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel's limit on the text of one cell: it calls a workbook with a longer one damaged.
MAX_CELL_CHARS = 32767
# Day 0 of Excel's 1900 date system, as Excel counts after 28/02/1900.
EPOCH = datetime.date(1899, 12, 30).toordinal()

EMPTY = "<c/>"
TEXT_CELL = '<c t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
NUMBER_CELL = "<c><v>%s</v></c>"
DATE_CELL = '<c s="2"><v>%s</v></c>'
HEADER_CELL = '<c s="1" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = f"""{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

ROOT_RELS = f"""{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

WORKBOOK_RELS = f"""{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""

WORKBOOK = f"""{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">\
<bookViews><workbookView/></bookViews>\
<sheets><sheet name=%s sheetId="1" r:id="rId1"/></sheets></workbook>"""

# Cell styles by index: 0 plain, 1 the bold header, 2 a date shown dd/mm/yyyy.
STYLES = f"""{XML_HEAD}<styleSheet xmlns="{MAIN}">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

SHEET_START = f"""{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">"""
SHEET_VIEWS = """<sheetViews><sheetView tabSelected="1" workbookViewId="0">\
<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
<selection pane="bottomLeft"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight="15"/>"""
SHEET_TAIL = "</sheetData></worksheet>"


def text(value):
    """
    Text as XML character data: markup escaped, characters XML cannot hold left out, cut
    at Excel's limit (as XlsxWriter did).
    """
    return escape(FORBIDDEN.sub("", value)[:MAX_CELL_CHARS])


def text_cells(values, needs_escape=NEEDS_ESCAPE.search):
    """Cells of text (str); None or "" is an empty cell."""
    return [
        (TEXT_CELL % (value if needs_escape(value) is None and len(value) <= MAX_CELL_CHARS else text(value)))
        if value
        else EMPTY
        for value in values
    ]


def number_cells(values):
    """Cells of numbers (int, float, Decimal); None is an empty cell."""
    return [EMPTY if value is None else NUMBER_CELL % value for value in values]


def serial(value):
    """A date (or a date and time) as Excel's serial number of days."""
    days = value.toordinal() - EPOCH
    if isinstance(value, datetime.datetime):
        midnight = value.replace(hour=0, minute=0, second=0, microsecond=0)
        return days + (value - midnight).total_seconds() / 86400
    return days


def date_cells(values):
    """Cells of dates (datetime.date), shown dd/mm/yyyy; None is an empty cell."""
    return [EMPTY if value is None else DATE_CELL % serial(value) for value in values]


CELLS = {TEXT: text_cells, NUMBER: number_cells, DATE: date_cells}


def column_width(header, kind):
    """A column wide enough for its header (in characters), within reason."""
    return max(12 if kind == DATE else 10, min(len(header) + 2, 50))


def write_xlsx(out, *, sheet_name, headers, kinds, chunks):
    """
    Write the workbook to `out` (a binary file, seekable). `kinds` says each column's
    kind (TEXT, NUMBER or DATE); `chunks` gives the rows a chunk at a time, each chunk
    as one list of values per column.
    """
    with tempfile.TemporaryFile() as body:
        rows = write_rows(body, kinds, chunks)
        body.seek(0)
        write_package(out, sheet_name, headers, kinds, rows, body)


def write_rows(body, kinds, chunks):
    """
    The rows' XML, packed quickly into `body`, so that the sheet can begin with its
    dimension record: without one, openpyxl reads a whole sheet once more only to size
    it, as the import of an exported file would. The number of rows written.
    """
    cells = [CELLS[kind] for kind in kinds]
    row = "<row>" + "%s" * len(kinds) + "</row>"
    pack = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    count = 0
    for columns in chunks:
        formatted = [cell(values) for cell, values in zip(cells, columns, strict=True)]
        body.write(pack.compress("".join(map(row.__mod__, zip(*formatted, strict=True))).encode()))
        count += len(formatted[0]) if formatted else 0
    body.write(pack.flush())
    return count


def write_package(out, sheet_name, headers, kinds, rows, body):
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK % quoteattr(sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(sheet_head(headers, kinds, rows).encode())
            unpack = zlib.decompressobj(-zlib.MAX_WBITS)
            # A little at a time: the rows' XML packs forty to one.
            while piece := body.read(1 << 16):
                sheet.write(unpack.decompress(piece))
            sheet.write(unpack.flush())
            sheet.write(SHEET_TAIL.encode())


def sheet_head(headers, kinds, rows):
    widths = "".join(
        f'<col min="{number}" max="{number}" width="{column_width(header, kind)}" customWidth="1"/>'
        for number, (header, kind) in enumerate(zip(headers, kinds, strict=True), 1)
    )
    header = "".join(HEADER_CELL % text(value) if value else EMPTY for value in headers)
    if not headers:
        return f"{SHEET_START}{SHEET_VIEWS}<sheetData>"
    dimension = f'<dimension ref="A1:{get_column_letter(len(headers))}{rows + 1}"/>'
    return f"{SHEET_START}{dimension}{SHEET_VIEWS}<cols>{widths}</cols><sheetData><row>{header}</row>"
