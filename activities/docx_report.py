"""
The quarterly report as a Word document laid out as a party document, after
Hướng dẫn 36-HD/VPTW (3 April 2018) of the Party Central Office: A4; Times New Roman
(a Unicode font of TCVN 6909:2001); margins top and bottom 20 mm, left 30 mm, right
15 mm; "ĐẢNG CỘNG SẢN VIỆT NAM" top right in bold capitals, size 15, with a rule under
it; the issuing body top left in capitals, its superior in regular 14 and itself in
bold 14, with an asterisk under it; the number "Số …-BC/…" under that; place and
date in italics under the party's name; "BÁO CÁO" in bold capitals, size 16, with the
summary line in bold below; the body in 14; "Nơi nhận:" underlined in 14 with the
recipients in 12; the signature block in bold capitals, 14.

Tables repeat their header row on every page they run onto, and the signature block
(a table of one row) neither splits across pages nor leaves the page before it.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from tracker.text import strip_controls

FONT = "Times New Roman"
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}


def document_bytes(content):
    document = Document()
    set_up_page(document)
    header(document, content)
    title(document, content)
    for section in content.sections:
        body_section(document, section)
    signature(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def set_up_page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    # Word takes the font of Vietnamese letters from the East Asian and complex-script slots too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)


def run(paragraph, text, size=14, bold=None, italic=None, underline=None):
    # Every text reaches the document here; a control character, which no Word file
    # can hold, is left out rather than fail the whole report.
    piece = paragraph.add_run(strip_controls(text))
    piece.font.size = Pt(size)
    # Only what is set is written (None inherits, plain): each property costs an element.
    for name, value in (("bold", bold), ("italic", italic), ("underline", underline)):
        if value is not None:
            setattr(piece, name, value)
    return piece


def centred(cell_or_document, text="", **style):
    paragraph = cell_or_document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run(paragraph, text, **style)
    return paragraph


def rule_under(paragraph):
    """A bottom border on the paragraph: the rule under the party's name."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def row_property(row, name):
    """Set an on/off property of a table row (w:tblHeader, w:cantSplit)."""
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def first_paragraph(cell):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def header(document, content):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(75), Mm(90)
    run(first_paragraph(left), content.superior, bold=False)
    centred(left, content.issuer, bold=True)
    centred(left, "*")
    centred(left, content.number)
    party = first_paragraph(right)
    run(party, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True)
    rule_under(party)
    centred(right)
    centred(right, content.place_and_date, italic=True)


def title(document, content):
    centred(document)
    centred(document, content.title, size=16, bold=True)
    centred(document, content.summary, bold=True)
    centred(document, "-----")


def body_section(document, section):
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(6)
    run(heading, section.heading, bold=True)
    for line in section.lines:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        run(paragraph, line)
    if section.headers and section.rows:
        table = document.add_table(rows=1, cols=len(section.headers))
        table.style = "Table Grid"
        header_row = table.rows[0]
        row_property(header_row, "w:tblHeader")  # repeated on every page the table runs onto
        row_property(header_row, "w:cantSplit")
        for cell, text in zip(header_row.cells, section.headers, strict=True):
            run(first_paragraph(cell), text, size=12, bold=True)
        for values in section.rows:
            row = table.add_row()
            row_property(row, "w:cantSplit")
            # Not row.cells, which walks the whole table: a thousand rows took seconds.
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
            for cell, value in zip(cells, values, strict=True):
                run(cell.paragraphs[0], str(value), size=12)
    elif section.headers:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(10)
        run(paragraph, section.empty)


def signature(document, content):
    """Recipients on the left, the signer on the right: one row that stays on one page."""
    document.add_paragraph().paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    row = table.rows[0]
    row_property(row, "w:cantSplit")
    left, right = row.cells
    left.width, right.width = Mm(85), Mm(80)
    run(left.paragraphs[0], "Nơi nhận:", underline=True)
    for recipient in content.recipients:
        run(left.add_paragraph(), recipient, size=12)
    run(first_paragraph(right), content.on_behalf_of, bold=True)
    centred(right, content.signer_title, bold=True)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True
