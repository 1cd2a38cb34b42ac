"""
A phone in one hand: every staff page and the admin at 390x844 and 360x740, as a cell
editor and as bloc staff. The page itself never scrolls sideways (tables scroll in
their own box), the menu folds behind a button, and what a finger taps is at least
44 px. Screenshots at 390 and 1366 px go to e2e-screenshots/ to be looked at.
"""

import pytest
from playwright.sync_api import expect

from activities.models import StudySession
from e2e.conftest import PASSWORD, log_in
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = [(390, 844), (360, 740)]
DESKTOP = (1366, 900)

# The page's width beyond the viewport, and every tap target under 44 px: a checkbox
# or radio counts with its label, a link or button by its own box.
MEASURE = """
() => {
  const small = [];
  const seen = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0; };
  const selector = [
    ".site-header a", ".menu-toggle", "main button", "main .button", ".pager a", "main input[type=checkbox]",
    "main input[type=radio]", "#changelist input[type=checkbox]", "#changelist-filter a",
    "#changelist .actions select", "#changelist .actions button", ".submit-row input", ".paginator a",
    ".dashboard #content-main .module a",
  ].join(",");
  for (const el of document.querySelectorAll(selector)) {
    if (!seen(el)) continue;
    let boxes = [el.getBoundingClientRect()];
    if (el.labels) boxes = boxes.concat([...el.labels].map((label) => label.getBoundingClientRect()));
    const tall = Math.max(...boxes.map((box) => box.height));
    const wide = Math.max(...boxes.map((box) => box.width));
    if (tall < 43.5 || wide < 43.5) small.push(`${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 30) || el.name || el.className} ${Math.round(wide)}x${Math.round(tall)}`);
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, small: small};
}
"""


@pytest.fixture
def staff(people, tree):
    """A cell's editor (cecil, of Chi bộ TT STP) beside the bloc administrator (boss)."""
    cecil = user_grant(username="cecil", unit_code="STP-TT", role=Role.UNIT_EDITOR, password=PASSWORD)[0]
    return {"cecil": cecil, "boss": people["boss"]}


def staff_pages(session):
    unit = session.unit.code
    return [
        ("home", "/"),
        ("quarter-report", "/reports/2024/q1/"),
        ("year-report", "/reports/2024/"),
        ("unit-quarter", f"/units/{unit}/2024/q1/"),
        ("quarter-document", f"/units/{unit}/2024/q1/report/"),
        ("session-new", "/sessions/new/"),
        ("session-edit", f"/sessions/{session.pk}/edit/"),
        ("session-delete", f"/sessions/{session.pk}/delete/"),
        ("not-found", "/units/KHONG-CO/2024/q1/"),
        ("admin-index", "/admin/"),
        ("admin-changelist", "/admin/activities/studysession/"),
        ("admin-change", f"/admin/activities/studysession/{session.pk}/change/"),
    ]


def walk(page, live_server, shoot, who, pages):
    problems = []
    for width, height in [*PHONES, DESKTOP]:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            expected = 404 if name == "not-found" else 200
            assert response.status == expected, f"{path}: {response.status}"
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["inner"]:
                problems.append(f"{width}px {path}: the page is {found['scroll']} px wide")
            if width < 760 and found["small"]:
                problems.append(f"{width}px {path}: small targets {found['small'][:5]}")
            if width in (390, 1366):
                shoot(f"phone-{width}-{who}-{name}")
    assert not problems, "\n".join(problems)


def cells_session():
    return StudySession.objects.filter(unit__code="STP-TT").order_by("pk").first()


def test_a_cell_editor_uses_every_page_on_a_phone(page, live_server, staff, shoot):
    log_in(page, live_server, "cecil")
    walk(page, live_server, shoot, "cecil", staff_pages(cells_session()))


def test_bloc_staff_use_every_page_on_a_phone(page, live_server, staff, shoot):
    log_in(page, live_server, "boss")
    pages = staff_pages(cells_session())
    pages.insert(4, ("committee-quarter", "/units/STP/2024/q1/"))
    pages.insert(5, ("bloc-quarter", "/units/BLOC/2024/q1/"))
    walk(page, live_server, shoot, "boss", pages)


def test_the_login_page_fits_a_phone(page, live_server, shoot):
    for width, height in PHONES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/admin/login/?next=/")
        found = page.evaluate(MEASURE)
        assert found["scroll"] <= found["inner"]
    shoot("phone-360-login")


def test_the_menu_folds_behind_a_button_on_a_phone(page, live_server, staff, shoot):
    log_in(page, live_server, "cecil")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Menu chính")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Ghi buổi sinh hoạt")).to_be_visible()
    shoot("phone-390-menu-open")
    toggle.click()
    expect(menu).to_be_hidden()

    page.set_viewport_size({"width": 1366, "height": 900})
    expect(toggle).to_be_hidden()
    expect(menu).to_be_visible()


def test_the_admin_filters_come_before_the_rows_on_a_phone(page, live_server, staff):
    log_in(page, live_server, "boss")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/activities/studysession/")
    filters = page.locator("#changelist-filter").bounding_box()
    first_row = page.locator("#result_list tbody tr").first.bounding_box()
    assert filters["y"] < first_row["y"]
    toggle = page.get_by_role("button", name="Bộ lọc")
    choices = page.locator("#changelist-filter details").first
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(choices).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(choices).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_session_logged_on_a_phone_with_the_date_picker(page, live_server, staff):
    log_in(page, live_server, "cecil")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sessions/new/")
    expect(page.locator("#id_unit option:checked")).to_have_text("Chi bộ TT STP — Đảng bộ Sở Tư pháp")
    expect(page.locator("details.unknown-date")).not_to_have_attribute("open", "")
    expect(page.locator("#id_year")).to_be_hidden()
    page.get_by_text("Không nhớ ngày?").click()
    expect(page.locator("#id_year")).to_be_visible()
    page.select_option("#id_kind", "monthly")
    page.fill("#id_date", "2024-02-20")
    expect(page.locator("[data-quarter-of-date]")).to_have_text("→ Quý I/2024")
    page.fill("#id_attended", "30")
    page.fill("#id_expected", "20")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#field-attended .errors")).to_have_text(
        "Số có mặt không được vượt quá số được triệu tập."
    )
    expect(page.locator("#id_attended")).to_be_focused()
    expect(page.locator("#id_date")).to_have_value("2024-02-20")
    page.fill("#id_attended", "12")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/units/STP-TT/2024/q1/")
    assert StudySession.objects.filter(unit__code="STP-TT", date="2024-02-20", attended=12).count() == 1
