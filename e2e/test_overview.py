"""Bloc staff find the units behind on the quarter overview, search one, open a committee, sort."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def unit_names(page):
    return page.locator("table.overview tbody th[scope=row] > a:first-child").all_inner_texts()


def test_bloc_staff_find_the_units_behind_search_open_and_sort(page, live_server, people, shoot):
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/reports/2024/q1/")
    assert unit_names(page) == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ Ban Dân vận Tỉnh ủy",
    ]
    shoot("overview-collapsed-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot("overview-collapsed-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name="2 đơn vị chậm: xem danh sách").click()
    assert unit_names(page) == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Chi bộ TT STP",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ 2 KBNN",
    ]
    expect(page.locator("p.selection")).to_contain_text("Đang hiện 5 dòng: các đơn vị chậm")
    shoot("overview-behind-1366")

    page.get_by_role("link", name="Hiện tất cả đơn vị").click()
    page.get_by_label("Tìm đơn vị").fill("ban dan van")
    page.get_by_role("button", name="Xem").click()
    assert unit_names(page) == ["Đảng bộ Khối các cơ quan tỉnh", "Chi bộ Ban Dân vận Tỉnh ủy"]

    # The scope's filter box narrows its options, accent-blind, and picks the first match.
    page.get_by_label("Tìm đơn vị").fill("")
    page.get_by_placeholder("Gõ để lọc danh sách").fill("kho bac")
    expect(page.locator("#subtree-select")).to_have_value("KBNN")
    page.get_by_role("button", name="Xem").click()
    assert unit_names(page) == ["Đảng bộ Kho bạc Nhà nước tỉnh", "Chi bộ 1 KBNN", "Chi bộ 2 KBNN"]

    page.goto(f"{live_server.url}/reports/2024/q1/")
    overview_row = page.locator("#u-STP")
    overview_row.get_by_role("link", name="Xem các đơn vị trực thuộc").click()
    assert unit_names(page) == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Chi bộ VP STP",
        "Chi bộ TT STP",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ Ban Dân vận Tỉnh ủy",
    ]
    expect(page.locator("#u-STP-TT td").nth(1)).to_have_text(
        "0/1 chưa tổ chức trong quý CHẬM", use_inner_text=True
    )

    page.locator("thead").get_by_role("link", name="Sinh hoạt chuyên đề", exact=True).click()
    # Thematic, the least on track first, each committee above its own cells.
    assert unit_names(page) == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Chi bộ TT STP",
        "Chi bộ VP STP",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ Ban Dân vận Tỉnh ủy",
    ]
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Sinh hoạt chuyên đề")
    shoot("overview-sorted-1366")

    page.goto(f"{live_server.url}/units/STP/2024/q1/")
    behind = page.locator("section.behind-units")
    expect(behind.locator("h2")).to_have_text("1 đơn vị trực thuộc chậm")
    assert behind.locator("li").all_inner_texts() == [
        "Chi bộ TT STP — Đảng bộ Sở Tư pháp: sinh hoạt chuyên đề: chưa tổ chức trong quý; "
        "sinh hoạt định kỳ: thiếu tháng 3; học tập sáng thứ Hai đầu tháng: thiếu tháng 1, 2, 3",
    ]
    shoot("unit-quarter-behind-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot("unit-quarter-behind-390")
