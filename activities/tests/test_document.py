"""The quarterly report document: its layout (Hướng dẫn 36-HD/VPTW), its figures, its scope."""

import io

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from activities.models import DeclaredFigure, StudySession
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
    assert texts(recipients) == [
        "Nơi nhận:",
        "- Ban Thường vụ Đảng bộ Khối các cơ quan tỉnh (để báo cáo),",
        "- Các cấp ủy, chi bộ trực thuộc Đảng bộ Sở Tư pháp,",
        "- Lưu Văn phòng.",
    ]
    assert recipients.paragraphs[0].runs[0].underline is True
    assert texts(signer) == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def summary_text():
    return "Kết quả thực hiện Kết luận số 01-KL/TW, quý I/2024"


def test_the_sessions_table_holds_every_session_of_the_subtree_as_logged(client, people, tree):
    document = word(as_user(client, people, "alice"), "STP")
    sessions = document.tables[1]
    assert [cell.text for cell in sessions.rows[0].cells] == [
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
            s.unit.name,
            s.get_kind_display(),
            s.topic,
            f"{s.attended}/{s.expected}" if s.attended is not None else "—",
        )
        for s in logged
    )
    assert sorted(tuple(cell.text for cell in row.cells) for row in sessions.rows[1:]) == expected
    assert len(expected) == 9
    lead = next(p.text for p in document.paragraphs if p.text.startswith("Tổng số buổi"))
    assert lead == (
        "Tổng số buổi sinh hoạt, học tập đã ghi nhận: 9 buổi (sinh hoạt chuyên đề: 1/2; "
        "sinh hoạt định kỳ: 5/6; học tập sáng thứ Hai đầu tháng: 3/6)."
    )


def test_what_fell_short_names_the_units_and_the_figures(client, people, tree):
    document = word(as_user(client, people, "carol"), "BLOC")
    shortfalls = [p.text for p in document.paragraphs if p.text.startswith("- ") and "Nơi" not in p.text]
    figure = DeclaredFigure.objects.get(unit=tree["BDV"])
    # Every gap the sections above show: each month missed by each kind, the on-time
    # rate that its own numbers contradict, the declared figure that disagrees.
    assert shortfalls == [
        "- Chi bộ TT STP: sinh hoạt chuyên đề: chưa tổ chức trong quý; sinh hoạt định kỳ: thiếu tháng 3; "
        "học tập sáng thứ Hai đầu tháng: thiếu tháng 1, 2, 3.",
        "- Chi bộ 2 KBNN: học tập sáng thứ Hai đầu tháng: thiếu tháng 3.",
        "- Sở Tư pháp: tỷ lệ giải quyết hồ sơ đúng hạn báo cáo là 98,06%, tính lại từ số liệu là 98,99%.",
        f"- Chi bộ Ban Dân vận Tỉnh ủy: báo cáo {figure.get_metric_display().lower()} là 13, "
        "số ghi nhận trên hệ thống là 1 (chênh lệch -12).",
    ]


def test_the_printable_page_says_the_same(client, people):
    body = report(as_user(client, people, "alice"), "STP").content.decode()
    for text in [
        "ĐẢNG ỦY SỞ TƯ PHÁP",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        summary_text(),
        "- Chi bộ TT STP: sinh hoạt chuyên đề: chưa tổ chức trong quý; sinh hoạt định kỳ: thiếu tháng 3; "
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
    with django_assert_num_queries(12):
        report(client, "BLOC", format="docx")
    populate(tree, 3)
    with django_assert_num_queries(12):
        report(client, "BLOC", format="docx")
