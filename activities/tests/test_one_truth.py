"""
One truth about who is behind: the home page, the unit's quarter page, its row of the
quarter overview, the XLSX download and the Word report's shortfalls say the same
thing of the same cell, on the same day, in the words of activities/rules.py.

The case of the issue: on 27/11/2026 a cell has held no October meeting and logged its
November one, and has held no first-Monday study at all.
"""

import datetime
import io
import re
from html import unescape

import pytest
from docx import Document
from openpyxl import load_workbook

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.reportdata import session

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def november(people, tree, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    session(tree["STP-TT"], StudySession.Kind.MONTHLY, datetime.date(2026, 11, 20))
    for day in (datetime.date(2026, 10, 28), datetime.date(2026, 11, 25)):
        session(tree["STP-VP"], StudySession.Kind.MONTHLY, day)
    for day in (datetime.date(2026, 10, 5), datetime.date(2026, 11, 2)):
        session(tree["STP-VP"], StudySession.Kind.FIRST_MONDAY, day)
    # Two thematic sessions where the quarter asks for one: held in full, the extra explained.
    for day in (datetime.date(2026, 10, 15), datetime.date(2026, 11, 12)):
        session(tree["STP-VP"], StudySession.Kind.THEMATIC, day, f"Chuyên đề {day}")
    return people


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def overview_row(body, code):
    """The text of the overview's row of a unit, found by the link to its page."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S):
        if f'href="/units/{code}/2026/q4/"' in row:
            return text_of(row)
    raise AssertionError(f"no row for {code}")


def test_every_page_download_and_document_agrees_on_a_cell_behind(client, november):
    client = as_user(client, november, "alice")

    home = client.get("/").content.decode()
    home_text = text_of(home)
    assert (
        "Chi bộ TT STP — Đảng bộ Sở Tư pháp : chậm thiếu tháng 10; còn 2 buổi phải tổ chức, buổi tới hạn 31/12/2026"
        in home_text
    )
    assert (
        "Chi bộ TT STP — Đảng bộ Sở Tư pháp : chậm thiếu tháng 10; còn 3 buổi phải tổ chức, buổi tới hạn 30/11/2026"
        in home_text
    )
    # On track: owes the rest by the dates, nothing missing.
    assert (
        "Chi bộ VP STP — Đảng bộ Sở Tư pháp : còn 1 buổi phải tổ chức, buổi tới hạn 31/12/2026" in home_text
    )
    assert "Chi bộ VP STP — Đảng bộ Sở Tư pháp : chậm" not in home_text

    page = text_of(client.get("/units/STP-TT/2026/q4/").content.decode())
    assert "Sinh hoạt định kỳ 1/3 chậm : thiếu tháng 10 31/12/2026" in page
    assert "Học tập sáng thứ Hai đầu tháng 0/3 chậm : thiếu tháng 10 30/11/2026" in page
    assert "Sinh hoạt chuyên đề 0/1 Chưa đến hạn 31/12/2026" in page

    held_in_full = text_of(client.get("/units/STP-VP/2026/q4/").content.decode())
    assert (
        "Sinh hoạt chuyên đề 1/1 Đã đủ Đã ghi nhận nhiều hơn yêu cầu của quý 1 buổi; "
        "phần dư không tính thêm. —" in held_in_full
    )

    overview = client.get("/reports/2026/q4/").content.decode()
    assert (
        overview_row(overview, "STP-TT")
        == "Chi bộ TT STP — 0/1 1/3 thiếu tháng 10 chậm 0/3 thiếu tháng 10 chậm — — 0 / 0 / 0 — 0 / 0 / 0 / 0 0 0"
    )
    assert overview_row(overview, "STP-VP").startswith("Chi bộ VP STP 15/10/2026 1/1 2/3 2/3 —")
    assert "1/2 đơn vị đạt" in overview_row(overview, "STP")

    sheet = load_workbook(io.BytesIO(client.get("/reports/2026/q4/?format=xlsx").content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["STP-TT"][4:13] == (
        0, 1, "chưa đến hạn", 1, 3, "chậm: thiếu tháng 10", 0, 3, "chậm: thiếu tháng 10"
    )  # fmt: skip
    assert rows["STP-VP"][4:13] == (1, 1, "đã đủ", 2, 3, "đúng tiến độ", 2, 3, "đúng tiến độ")

    word = Document(io.BytesIO(client.get("/units/STP/2026/q4/report/?format=docx").content))
    shortfalls = [p.text for p in word.paragraphs if p.text.startswith("- Chi bộ")]
    assert shortfalls == [
        "- Chi bộ TT STP — Đảng bộ Sở Tư pháp: sinh hoạt định kỳ: thiếu tháng 10; học tập sáng thứ Hai đầu tháng: thiếu tháng 10."
    ]
