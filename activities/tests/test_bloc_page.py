"""
The bloc's own quarter page: a row per unit directly under it with the overview's
figures, the sessions a page at a time, only the bloc's own other records; its
downloads still list everything. A committee's page keeps listing every record.
"""

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from activities import reports
from activities.tests.conftest import as_user
from tracker.periods import Quarter

pytestmark = pytest.mark.django_db

BLOC_URL = "/units/BLOC/2024/q1/"


@pytest.fixture
def five_a_page(monkeypatch):
    """Five sessions a page, so that the hand-built quarter's 29 sessions take six pages."""
    monkeypatch.setattr(reports, "SESSIONS_PER_PAGE", 5)


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def cells_of_row(body, code):
    """The figure cells (<td>) of the table row of a unit, found by its id, as text."""
    row = re.search(rf'<tr id="u-{code}"[^>]*>(.*?)</tr>', body, flags=re.S).group(1)
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]


def test_the_bloc_page_has_a_row_per_unit_under_it_with_the_figures_of_the_overview(client, people):
    as_user(client, people, "carol")
    response = client.get(BLOC_URL)
    assert response.status_code == 200
    assert [row.unit.code for row in response.context["units_under"]] == ["STP", "KBNN", "BDV"]
    body = response.content.decode()
    # Thematic, monthly, first-Monday; attendance; good models per stage; outreach; exemplars.
    assert cells_of_row(body, "STP") == [
        "1/2 1/2 đơn vị đạt chậm",
        "5/6 1/2 đơn vị đạt chậm",
        "3/6 1/2 đơn vị đạt chậm",
        "90,00%",
        "—",
        "0 / 0 / 0",
        "—",
        "0 / 1 / 0 / 0",
        "1",
        "0",
    ]
    assert cells_of_row(body, "KBNN") == [
        "2/2 2/2 đơn vị đạt",
        "6/6 2/2 đơn vị đạt",
        "5/6 1/2 đơn vị đạt chậm",
        "100,00%",
        "—",
        "0 / 0 / 0",
        "—",
        "0 / 0 / 1 / 0",
        "0",
        "1",
    ]
    assert cells_of_row(body, "BDV") == [
        "1/1",
        "3/3",
        "3/3",
        "90,00%",
        "—",
        "0 / 0 / 0",
        "—",
        "0 / 0 / 0 / 0",
        "1",
        "0",
    ]
    assert "Đảng bộ Sở Tư pháp (3 đơn vị)" in text_of(body)
    assert '<a href="/units/STP/2024/q1/">Đảng bộ Sở Tư pháp</a>' in body
    # The same cells as the overview's row of each unit (after its thematic date).
    overview = client.get("/reports/2024/q1/").content.decode()
    for code in ("STP", "KBNN", "BDV"):
        assert cells_of_row(overview, code)[1:] == cells_of_row(body, code)


def test_the_bloc_page_links_to_its_units_behind_instead_of_listing_them(client, people):
    as_user(client, people, "carol")
    body = client.get(BLOC_URL).content.decode()
    assert '<section class="behind-units">' not in body
    link = (
        '<a class="button" href="/reports/2024/q1/?unit=BLOC&amp;behind=1">2 đơn vị chậm: xem danh sách</a>'
    )
    assert link in body
    behind = client.get("/reports/2024/q1/?unit=BLOC&behind=1")
    assert [row.unit.code for row in behind.context["shown_rows"]] == [
        "BLOC",
        "STP",
        "STP-TT",
        "KBNN",
        "KBNN-2",
    ]


def test_the_bloc_page_lists_the_sessions_a_page_at_a_time(client, people, tree, five_a_page):
    as_user(client, people, "carol")
    every = reports.unit_quarter(tree["BLOC"], Quarter(2024, 1)).sessions
    assert len(every) == 29
    seen = []
    for number in range(1, 7):
        response = client.get(BLOC_URL, {"page": number})
        paged = response.context["page"].session_page
        assert (paged.number, paged.pages) == (number, 6)
        seen += response.context["page"].sessions
        body = response.content.decode()
        last = min(5 * number, 29)
        assert f"Trang {number}/6: buổi {5 * number - 4}–{last}" in text_of(body)
        assert ("← Trang trước" in body) == (number > 1)
        assert ("Trang sau →" in body) == (number < 6)
    assert [s.pk for s in seen] == [s.pk for s in every]
    first = client.get(BLOC_URL).content.decode()
    assert '<a href="?page=2#sessions">Trang sau →</a>' in first
    assert "Buổi sinh hoạt (29)" in text_of(first)
    sessions_table = first[
        first.index('id="sessions"') : first.index("</table>", first.index('id="sessions"'))
    ]
    assert sessions_table.count("<tr>") == 5 + 1  # the header row and five sessions


@pytest.mark.parametrize("page", ["0", "7", "-1", "abc", "1.5", "99999999999999999999", "%00", "٣", ""])
def test_a_page_that_does_not_exist_or_is_malformed_shows_the_first(client, people, five_a_page, page):
    as_user(client, people, "carol")
    response = client.get(BLOC_URL + "?page=" + page)
    assert response.status_code == 200
    assert response.context["page"].session_page.number == 1
    assert "Trang 1/6: buổi 1–5" in text_of(response.content.decode())


def test_a_committee_page_lists_every_session_without_a_pager(client, people, five_a_page):
    as_user(client, people, "alice")
    response = client.get("/units/STP/2024/q1/?page=2")
    assert response.context["page"].session_page is None
    assert len(response.context["page"].sessions) == 9
    body = response.content.decode()
    assert "session-pager" not in body
    assert [i.title for i in response.context["page"].initiatives] == ["Cải cách thủ tục"]


def test_the_bloc_page_lists_only_its_own_other_records_and_its_download_every_one(client, people):
    as_user(client, people, "carol")
    response = client.get(BLOC_URL)
    page = response.context["page"]
    assert (page.initiatives, page.outreach, page.exemplars, page.service_figures, page.declared) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert "chỉ gồm hồ sơ của chính đơn vị này" in response.content.decode()
    workbook = load_workbook(io.BytesIO(client.get(BLOC_URL + "?format=xlsx").content))
    rows = {sheet.title: sheet.max_row - 2 for sheet in workbook}  # less the title and the header
    assert rows == {
        "Buổi sinh hoạt": 29,
        "Số mô hình hay, cách làm tiêu b": 2,
        "Tuyên truyền": 2,
        "Gương người tốt, việc tốt": 1,
        "Thủ tục hành chính": 1,
        "Đối chiếu": 3,
    }


@pytest.mark.parametrize("name", ["alice", "bob"])
def test_a_committee_user_cannot_open_the_bloc_page(client, people, name):
    as_user(client, people, name)
    for query in ("", "?page=2", "?format=csv"):
        response = client.get(BLOC_URL + query)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in(client, people):
    response = client.get(BLOC_URL + "?page=2")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
