"""The quarterly report document: its layout (Hướng dẫn 36-HD/VPTW), its figures, its scope."""

import io

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from activities.models import DeclaredFigure, ServiceFigure, StudySession
from activities.tests.conftest import as_user
from conftest import populate

pytestmark = pytest.mark.django_db


def report(client, code, **query):
    response = client.get(f"/units/{code}/2024/q1/report/", query)
    assert response.status_code == 200
    return response


def word(client, code):
    response = report(client, code, format="docx")
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-quy-1-2024-{code.lower()}.docx"'
    return Document(io.BytesIO(response.content))


def texts(cell):
    return [paragraph.text for paragraph in cell.paragraphs]


def test_the_page_the_font_and_the_margins_follow_the_guidance(client, people):
    document = word(as_user(client, people, "carol"), "BLOC")
    page = document.sections[0]
    # Word keeps lengths in twentieths of a point: compare in whole millimetres.
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)  # A4
    margins = (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"
    }


def test_the_head_names_the_issuer_the_party_the_place_and_the_date(client, people):
    document = word(as_user(client, people, "alice"), "STP")
    issuer, party = document.tables[0].rows[0].cells
    assert texts(issuer) == ["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG ỦY SỞ TƯ PHÁP", "*", "Số        -BC/…"]
    assert [run.bold for run in issuer.paragraphs[1].runs] == [True]
    assert issuer.paragraphs[0].runs[0].bold is False
    today = timezone.localdate()
    assert texts(party) == [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "",
        f"Đồng Nai, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
    ]
    name = party.paragraphs[0]
    assert (name.runs[0].bold, name.runs[0].font.size) == (True, Pt(15))
    assert name._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"  # the rule
    assert party.paragraphs[2].runs[0].italic is True

    title, summary = (p for p in document.paragraphs if p.text in ("BÁO CÁO", summary_text()))
    assert (title.runs[0].bold, title.runs[0].font.size) == (True, Pt(16))
    assert summary.runs[0].bold is True
    headings = [
        p.text
        for p in document.paragraphs
        if p.runs and p.runs[0].bold and p.text[:2] in ("I.", "II", "IV", "V.", "VI")
    ]
    assert headings == [
        "I. VIỆC TỔ CHỨC HỌC TẬP, SINH HOẠT",
        "II. MÔ HÌNH HAY, CÁCH LÀM TIÊU BIỂU",
        "III. CÔNG TÁC TUYÊN TRUYỀN",
        "IV. GƯƠNG NGƯỜI TỐT, VIỆC TỐT",
        "V. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "VI. HẠN CHẾ, TỒN TẠI",
    ]
    recipients, signer = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].runs[0].underline is True
    assert texts(signer) == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def summary_text():
    return "Kết quả thực hiện Kết luận số 01-KL/TW, quý I/2024"


def test_the_sessions_table_holds_every_session_of_the_subtree_as_logged(client, people, tree):
    document = word(as_user(client, people, "alice"), "STP")
    sessions = document.tables[1]
    assert [cell.text for cell in sessions.rows[0].cells] == [
        "STT",
        "Ngày",
        "Đơn vị",
        "Loại buổi",
        "Chủ đề",
        "Có mặt/triệu tập",
    ]
    logged = StudySession.objects.for_subtree(tree["STP"]).in_quarter(2024, 1).select_related("unit")
    expected = sorted(
        (
            s.date.strftime("%d/%m/%Y"),
            f"{s.unit.name} — Đảng bộ Sở Tư pháp",  # named with its committee, as outside the tree
            s.get_kind_display(),
            s.topic,
            f"{s.attended}/{s.expected}" if s.attended is not None else "—",
        )
        for s in logged
    )
    assert sorted(tuple(cell.text for cell in row.cells[1:]) for row in sessions.rows[1:]) == expected
    assert len(expected) == 9
    assert [row.cells[0].text for row in sessions.rows[1:]] == [str(n) for n in range(1, 10)]
    lead = next(p.text for p in document.paragraphs if p.text.startswith("Tổng số buổi"))
    assert lead == (
        "Tổng số buổi sinh hoạt, học tập đã ghi nhận: 9 buổi (sinh hoạt chuyên đề: 1/2; "
        "sinh hoạt định kỳ: 5/6; học tập sáng thứ Hai đầu tháng: 3/6)."
    )


def test_what_fell_short_names_the_units_and_the_figures(client, people, tree):
    document = word(as_user(client, people, "carol"), "BLOC")
    shortfalls = [p.text for p in document.paragraphs if p.text.startswith("- ") and "Nơi" not in p.text]
    figure = DeclaredFigure.objects.get(unit=tree["BDV"])
    # Every gap the sections above show: the bloc's report counts the units behind under
    # each unit of its tables (a committee's report names them, below), then the on-time
    # rate that its own numbers contradict, the declared figure that disagrees.
    assert shortfalls == [
        "- Đảng bộ Sở Tư pháp: 1/2 đơn vị chậm tiến độ (sinh hoạt chuyên đề: 1; sinh hoạt định kỳ: 1; "
        "học tập sáng thứ Hai đầu tháng: 1).",
        "- Đảng bộ Kho bạc Nhà nước tỉnh: 1/2 đơn vị chậm tiến độ (học tập sáng thứ Hai đầu tháng: 1).",
        "- Sở Tư pháp: tỷ lệ giải quyết hồ sơ đúng hạn báo cáo là 98,06%, tính lại từ số liệu là 98,99%.",
        f"- Chi bộ Ban Dân vận Tỉnh ủy: báo cáo {figure.get_metric_display().lower()} là 13, "
        "số ghi nhận trên hệ thống là 1 (chênh lệch -12).",
    ]
    committee = word(as_user(client, people, "carol"), "KBNN")
    assert [p.text for p in committee.paragraphs if p.text.startswith("- Chi bộ")] == [
        "- Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh: học tập sáng thứ Hai đầu tháng: thiếu tháng 3."
    ]


def test_the_printable_page_says_the_same(client, people):
    body = report(as_user(client, people, "alice"), "STP").content.decode()
    for text in [
        "ĐẢNG ỦY SỞ TƯ PHÁP",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        summary_text(),
        "- Chi bộ TT STP — Đảng bộ Sở Tư pháp: sinh hoạt chuyên đề: chưa tổ chức trong quý; sinh hoạt định kỳ: thiếu tháng 3; "
        "học tập sáng thứ Hai đầu tháng: thiếu tháng 1, 2, 3.",
        'href="?format=docx">Tải báo cáo (Word)</a>',
    ]:
        assert text in body


def test_the_report_of_another_subtree_is_not_found(client, people):
    as_user(client, people, "alice")
    assert client.get("/units/KBNN/2024/q1/report/?format=docx").status_code == 404
    assert client.get("/units/KBNN/2024/q1/report/").status_code == 404


def test_the_report_runs_the_same_queries_for_a_small_and_a_larger_dataset(
    client, people, tree, django_assert_num_queries
):
    as_user(client, people, "carol")
    for code, queries in (("BLOC", 7), ("STP", 13)):
        with django_assert_num_queries(queries):
            report(client, code, format="docx")
    populate(tree, 3)
    for code, queries in (("BLOC", 7), ("STP", 13)):
        with django_assert_num_queries(queries):
            report(client, code, format="docx")


@pytest.mark.parametrize(
    "code, recipients",
    [
        (
            "BLOC",
            [
                "- Ban Thường vụ Đảng bộ tỉnh Đồng Nai (để báo cáo),",
                "- Các đảng ủy, chi bộ cơ sở trực thuộc,",
                "- Lưu Văn phòng Đảng ủy.",
            ],
        ),
        (
            "STP",
            [
                "- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo),",
                "- Các chi bộ trực thuộc,",
                "- Lưu Văn phòng Đảng ủy.",
            ],
        ),
        ("STP-VP", ["- Đảng ủy Sở Tư pháp (để báo cáo),", "- Lưu Chi bộ."]),
        ("BDV", ["- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo),", "- Lưu Chi bộ."]),
    ],
)
def test_the_recipients_follow_the_kind_of_unit(client, people, code, recipients):
    document = word(as_user(client, people, "carol"), code)
    assert texts(document.tables[-1].rows[0].cells[0]) == ["Nơi nhận:", *recipients]


def test_tables_repeat_their_header_row_and_the_signature_stays_on_one_page(client, people):
    document = word(as_user(client, people, "alice"), "STP")
    *bodies, signature = document.tables[1:]
    assert len(bodies) == 4  # sessions, good models, outreach, service figures (no exemplars)
    for table in bodies:
        header, *rows = table.rows
        assert header.cells[0].text == "STT"
        assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        assert [row._tr.trPr.find(qn("w:tblHeader")) for row in rows] == [None] * len(rows)
        assert [row.cells[0].text for row in rows] == [str(n) for n in range(1, len(rows) + 1)]
    row = signature.rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")).get(qn("w:val")) == "true"
    paragraphs = [p for cell in row.cells for p in cell.paragraphs]
    assert len(paragraphs) == 6
    assert {(p.paragraph_format.keep_with_next, p.paragraph_format.keep_together) for p in paragraphs} == {
        (True, True)
    }
    before = document.paragraphs[-1]  # the blank line above the block goes with it
    assert (before.text, before.paragraph_format.keep_with_next) == ("", True)


def test_numbers_have_thousands_separators(client, people, tree):
    ServiceFigure.objects.filter(unit=tree["STP"]).update(received=1234567, resolved=12345, on_time=1234)
    document = word(as_user(client, people, "alice"), "STP")
    service = document.tables[-2]
    assert [cell.text for cell in service.rows[1].cells[3:6]] == ["1.234.567", "12.345", "1.234"]


def test_the_bloc_report_has_one_row_per_unit_directly_under_it(client, people, tree):
    document = word(as_user(client, people, "carol"), "BLOC")
    study, initiatives, outreach, exemplars = document.tables[1:5]
    assert [[cell.text for cell in row.cells] for row in study.rows] == [
        [
            "STT",
            "Đơn vị",
            "Sinh hoạt chuyên đề (đã tổ chức/phải tổ chức)",
            "Sinh hoạt định kỳ (đã tổ chức/phải tổ chức)",
            "Học tập sáng thứ Hai đầu tháng (đã tổ chức/phải tổ chức)",
            "Tỷ lệ đảng viên tham dự",
        ],
        ["1", "Đảng bộ Sở Tư pháp", "1/2", "5/6", "3/6", "90,00%"],
        ["2", "Đảng bộ Kho bạc Nhà nước tỉnh", "2/2", "6/6", "5/6", "100,00%"],
        ["3", "Chi bộ Ban Dân vận Tỉnh ủy", "1/1", "3/3", "3/3", "90,00%"],
    ]
    assert [[cell.text for cell in row.cells] for row in initiatives.rows[1:]] == [
        ["1", "Đảng bộ Sở Tư pháp", "1", "0", "1", "0", "0"],
        ["2", "Đảng bộ Kho bạc Nhà nước tỉnh", "1", "0", "0", "1", "0"],
        ["3", "Chi bộ Ban Dân vận Tỉnh ủy", "0", "0", "0", "0", "0"],
    ]
    assert [[cell.text for cell in row.cells[1:]] for row in outreach.rows[1:]] == [
        ["Đảng bộ Sở Tư pháp", "1"],
        ["Đảng bộ Kho bạc Nhà nước tỉnh", "0"],
        ["Chi bộ Ban Dân vận Tỉnh ủy", "1"],
    ]
    assert [[cell.text for cell in row.cells[1:]] for row in exemplars.rows[1:]] == [
        ["Đảng bộ Sở Tư pháp", "0"],
        ["Đảng bộ Kho bạc Nhà nước tỉnh", "1"],
        ["Chi bộ Ban Dân vận Tỉnh ủy", "0"],
    ]
    direct = tree["BLOC"].children.count()
    assert direct == 3
    assert {len(table.rows) - 1 for table in (study, initiatives, outreach, exemplars)} == {direct}
    lead = next(p.text for p in document.paragraphs if p.text.startswith("Tổng số buổi"))
    assert lead == (
        "Tổng số buổi sinh hoạt, học tập đã ghi nhận: 29 buổi (sinh hoạt chuyên đề: 4/5; "
        "sinh hoạt định kỳ: 14/15; học tập sáng thứ Hai đầu tháng: 11/15)."
    )
