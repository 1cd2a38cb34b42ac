"""The sơ kết (6 months) and tổng kết (year) reports: the party format of the quarterly one, from accepted data."""

import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from activities.tests.factories import make_session
from reporting import services
from reporting.periods import Period

pytestmark = pytest.mark.django_db


def word(client, code, slug):
    response = client.get(f"/units/{code}/reports/{slug}/report/", {"format": "docx"})
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return response, Document(io.BytesIO(response.content))


def paragraphs(document):
    return [paragraph.text for paragraph in document.paragraphs]


@pytest.fixture
def year_2026(tree, people, clock):
    """STP's cells in 2026: VP's year accepted (two sessions), TT's year returned (one session)."""
    boss = people["boss"]
    year = Period(2026, "year", 1)
    make_session(tree["STP-VP"], date=datetime.date(2026, 3, 2), topic="Quý I")
    make_session(tree["STP-VP"], date=datetime.date(2026, 11, 2), topic="Quý IV")
    make_session(tree["STP-TT"], date=datetime.date(2026, 5, 4), topic="Chưa duyệt")
    services.submit(unit=tree["STP-VP"], period=year, user=boss)
    services.accept(unit=tree["STP-VP"], period=year, user=boss)
    services.submit(unit=tree["STP-TT"], period=year, user=boss)
    services.return_(unit=tree["STP-TT"], period=year, user=boss, reason="Thiếu biên bản.")
    return tree


def test_the_year_report_counts_only_accepted_units_and_names_the_others(client, year_2026, people):
    client.force_login(people["clerk"])
    response, document = word(client, "STP", "2026")
    assert response["Content-Disposition"] == 'attachment; filename="tong-ket-nam-2026-stp.docx"'
    text = paragraphs(document)
    assert "Tổng kết năm 2026 thực hiện Kết luận số 01-KL/TW" in text
    assert (
        "Tổng số buổi sinh hoạt, học tập đã ghi nhận: 2 buổi (sinh hoạt chuyên đề: 2/4; sinh hoạt định kỳ: 0/12; học tập sáng thứ Hai đầu tháng: 0/12)."
        in text
    )
    assert "Số liệu tổng hợp từ báo cáo đã được duyệt của 1/2 đơn vị trực thuộc." in text
    assert "- Chi bộ TT STP: báo cáo bị trả lại (Thiếu biên bản.)." in text
    study = document.tables[1]  # after the head
    assert [cell.text for cell in study.rows[1].cells][:2] == ["1", "Chi bộ VP STP — Đảng bộ Sở Tư pháp"]
    assert len(study.rows) == 2  # the returned cell is not in the sums


def test_the_six_month_report_has_the_party_layout(client, year_2026, people):
    client.force_login(people["viewer"])
    response, document = word(client, "BLOC", "2026-h1")
    assert response["Content-Disposition"] == 'attachment; filename="so-ket-6-thang-2026-h1-bloc.docx"'
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert [
        round(m.mm) for m in (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)
    ] == [
        20,
        20,
        30,
        15,
    ]
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    assert normal.element.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    text = paragraphs(document)
    assert "Sơ kết 6 tháng đầu năm 2026 thực hiện Kết luận số 01-KL/TW" in text
    assert "Số liệu tổng hợp từ báo cáo đã được duyệt của 0/3 đơn vị trực thuộc." in text
    for name in ("Đảng bộ Sở Tư pháp", "Đảng bộ Kho bạc Nhà nước tỉnh", "Chi bộ Ban Dân vận Tỉnh ủy"):
        assert f"- {name}: chưa nộp báo cáo." in text
    # The printable page says the same, and another subtree's report is not found.
    page = client.get("/units/BLOC/reports/2026-h1/report/").content.decode()
    assert "Sơ kết 6 tháng đầu năm 2026 thực hiện Kết luận số 01-KL/TW" in page
    client.force_login(people["clerk"])
    assert client.get("/units/KBNN/reports/2026-h1/report/").status_code == 404
