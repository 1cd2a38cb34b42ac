"""
The four journeys of issue 17, walked in a real browser as their users would:

1. a cell secretary logs a session on a phone, then corrects it;
2. a committee clerk imports sessions from the template at an office PC;
3. bloc staff find the units behind, open a committee and download its XLSX and Word report;
4. each role opens the admin and sees only its own groups, models and units.

Each page is measured and photographed at 390 and 1366 px (e2e-screenshots/journey-*.png):
the document is never wider than the viewport. "Today" is 27/11/2026 (the server runs in
the test's process, so patching timezone.localdate reaches it).
"""

import datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from activities.models import StudySession
from e2e.conftest import PASSWORD, SCREENSHOTS, log_in
from e2e.test_phone import MEASURE
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 27)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def november(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def look(page, name):
    """The page as it stands, at 390 and 1366 px: never wider than the viewport; photographed."""
    SCREENSHOTS.mkdir(exist_ok=True)
    current = page.viewport_size
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        found = page.evaluate(MEASURE)
        assert found["scroll"] <= found["inner"], (
            f"{name} at {viewport['width']} px: the page is {found['scroll']} px wide"
        )
        page.screenshot(path=SCREENSHOTS / f"journey-{name}-{viewport['width']}.png", full_page=True)
    page.set_viewport_size(current)


# 1. A cell secretary on a phone ---------------------------------------------------------


def test_a_cell_secretary_logs_and_corrects_a_session_on_a_phone(page, live_server, people, november):
    user_grant(username="cecil", unit_code="STP-TT", role=Role.UNIT_EDITOR, password=PASSWORD)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "cecil")
    look(page, "1-home")

    # What is still due comes first: no October meeting, the month named; the deadline.
    expect(page.locator("h1")).to_have_text("Chi bộ TT STP — Đảng bộ Sở Tư pháp — Quý IV/2026")
    expect(page.locator("p.lead")).to_have_text("Tình hình đến ngày 27/11/2026.")
    due = page.locator("ul.due li")
    expect(due).to_have_text(
        [
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp: còn 1 buổi phải tổ chức, buổi tới hạn 31/12/2026",
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp: chậm thiếu tháng 10; còn 3 buổi phải tổ chức, buổi tới hạn 30/11/2026",
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp: chậm thiếu tháng 10; còn 3 buổi phải tổ chức, buổi tới hạn 30/11/2026",
        ]
    )
    expect(page.locator("p.due-summary")).to_have_text(
        [
            "0 đơn vị chậm · 1 đơn vị còn phải tổ chức",
            "1 đơn vị chậm · 1 đơn vị còn phải tổ chức",
            "1 đơn vị chậm · 1 đơn vị còn phải tổ chức",
        ]
    )
    log_button = page.locator("p.primary-action").get_by_role("link", name="Ghi buổi sinh hoạt")
    # On the phone the button is on the first screen, above the list of what is due.
    assert log_button.bounding_box()["y"] + log_button.bounding_box()["height"] <= PHONE["height"]
    assert log_button.bounding_box()["y"] < due.first.bounding_box()["y"]

    log_button.click()
    page.wait_for_url(f"{live_server.url}/sessions/new/")
    expect(page.locator("#id_unit option:checked")).to_have_text("Chi bộ TT STP — Đảng bộ Sở Tư pháp")
    expect(page.locator("#id_date")).to_have_attribute("type", "date")
    expect(page.locator("#id_date")).to_have_attribute("max", "2026-11-27")
    look(page, "1-session-new")
    page.select_option("#id_kind", label="Sinh hoạt định kỳ")
    page.fill("#id_date", "2026-11-20")  # the date picker's value, whatever order it shows
    expect(page.locator("#id_date")).to_have_value("2026-11-20")
    expect(page.locator("[data-quarter-of-date]")).to_have_text("→ Quý IV/2026")
    page.fill("#id_topic", "Sinh hoạt tháng 11")
    page.fill("#id_attended", "12")
    page.fill("#id_expected", "15")
    page.get_by_role("button", name="Lưu").click()

    # The unit's quarter page: one of three monthly meetings, still behind for October.
    page.wait_for_url(f"{live_server.url}/units/STP-TT/2026/q4/")
    standing = page.locator("table.standing tbody tr")
    expect(standing.nth(1).locator("th, td")).to_have_text(
        ["Sinh hoạt định kỳ", "1/3", "chậm: thiếu tháng 10", "31/12/2026"]
    )
    # The standing fits the phone: its deadlines are read without scrolling the table.
    assert page.locator("table.standing").evaluate("table => table.scrollWidth <= table.clientWidth")
    sessions = page.locator("table.report").nth(1).locator("tbody tr")
    expect(sessions).to_have_count(1)
    # A cell's own page: the date heads each row (a card on a phone); no unit column.
    expect(sessions.first.locator("th")).to_have_text("20/11/2026")
    expect(sessions.first.locator("td")).to_have_text(
        ["Sinh hoạt định kỳ", "Sinh hoạt tháng 11", "12/15", "—", "—", "Sửa"]
    )
    look(page, "1-unit-quarter-logged")

    # A wrong attendance: corrected from the same row.
    sessions.first.get_by_role("link", name="Sửa").click()
    logged = StudySession.objects.get(unit__code="STP-TT", date=datetime.date(2026, 11, 20))
    page.wait_for_url(f"{live_server.url}/sessions/{logged.pk}/edit/")
    expect(page.locator("#id_attended")).to_have_value("12")
    expect(page.locator("#id_date")).to_have_value("2026-11-20")
    look(page, "1-session-edit")
    page.fill("#id_attended", "14")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/units/STP-TT/2026/q4/")
    expect(sessions.first.locator("td").nth(2)).to_have_text("14/15")
    expect(standing.nth(1).locator("th, td")).to_have_text(
        ["Sinh hoạt định kỳ", "1/3", "chậm: thiếu tháng 10", "31/12/2026"]
    )
    look(page, "1-unit-quarter-corrected")
    logged.refresh_from_db()
    assert (logged.attended, logged.expected, logged.kind) == (14, 15, StudySession.Kind.MONTHLY)


# 2. A committee clerk at an office PC ---------------------------------------------------


def filled_template(template, path, rows):
    """The downloaded template, its example row replaced by the clerk's rows."""
    workbook = load_workbook(template)
    data = workbook["Dữ liệu"]
    data.delete_rows(2)
    for values in rows:
        data.append(values)
    workbook.save(path)
    return path


def session_row(unit, kind, day, topic, attended, expected):
    return [unit, kind, day, None, topic, "Trực tiếp", None, attended, expected, "Có", "Không", None]


def test_a_committee_clerk_imports_sessions_from_the_template(page, live_server, people, november, tmp_path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "alice")  # the clerk of Đảng bộ Sở Tư pháp
    page.goto(f"{live_server.url}/admin/")
    look(page, "2-admin-index")
    page.get_by_role("link", name="Buổi sinh hoạt", exact=True).click()
    page.get_by_role("link", name="Nhập dữ liệu").click()
    page.wait_for_url(f"{live_server.url}/admin/activities/studysession/import/")
    look(page, "2-import")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tệp mẫu Excel (.xlsx)").click()
    assert download.value.suggested_filename == "mau-nhap-buoi-sinh-hoat.xlsx"
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    assert workbook.sheetnames == ["Dữ liệu", "Mã", "Hướng dẫn"]
    headers, example = workbook["Dữ liệu"].iter_rows(min_row=1, max_row=2, values_only=True)
    assert headers == (
        "Mã đơn vị", "Loại buổi", "Ngày", "Quý", "Chủ đề", "Hình thức", "Mã người chủ trì", "Số có mặt",
        "Số được triệu tập", "Tự phê bình và phê bình", "Kiểm điểm học tập và làm theo Bác", "Biên bản",
    )  # fmt: skip
    assert example[:3] == ("STP-VP", "Sinh hoạt chuyên đề", "05/02/2024")  # a cell of the clerk's own
    codes = [row[:2] for row in workbook["Mã"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == [
        ("STP", "Đảng bộ Sở Tư pháp"),
        ("STP-VP", "Chi bộ VP STP — Đảng bộ Sở Tư pháp"),
        ("STP-TT", "Chi bộ TT STP — Đảng bộ Sở Tư pháp"),
    ]

    october = session_row("STP-TT", "Sinh hoạt định kỳ", "28/10/2026", "Sinh hoạt tháng 10", 11, 15)
    monday = session_row("STP-TT", "Học tập sáng thứ Hai đầu tháng", "31/11/2026", "Thứ Hai tháng 11", 12, 15)
    page.set_input_files(
        "#id_import_file", filled_template(template, tmp_path / "sai.xlsx", [october, monday])
    )
    page.select_option("#id_format", label="xlsx")
    page.get_by_role("button", name="Kiểm tra tệp").click()

    # The counts at the top; the error beside its row (as numbered in the spreadsheet) and column.
    expect(page.locator("ul.import-counts li")).to_have_text(
        ["Dòng mới: 1", "Dòng thay đổi: 0", "Dòng không đổi: 0", "Dòng có lỗi: 1"]
    )
    errors = page.locator("table.import-preview tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("3")
    expect(errors.first.locator("td.errors li")).to_have_text(
        ["Ngày: “31/11/2026” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."]
    )
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    look(page, "2-import-errors")

    monday[2] = "02/11/2026"
    page.set_input_files(
        "#id_import_file", filled_template(template, tmp_path / "dung.xlsx", [october, monday])
    )
    page.select_option("#id_format", label="xlsx")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("ul.import-counts li")).to_have_text(
        ["Dòng mới: 2", "Dòng thay đổi: 0", "Dòng không đổi: 0", "Dòng có lỗi: 0"]
    )
    preview = page.locator("table.import-preview tbody tr")
    expect(preview).to_have_count(2)
    expect(preview.nth(1)).to_contain_text("02/11/2026")
    look(page, "2-import-preview")
    assert not StudySession.objects.filter(date__year=2026).exists()  # the preview wrote nothing

    confirm = page.locator("input[name=confirm]")
    expect(confirm).to_have_count(2)  # at the top and at the bottom of the preview
    confirm.last.click()
    page.wait_for_url(f"{live_server.url}/admin/activities/studysession/")
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "Đã nhập xong: 2 thêm mới, 0 cập nhật, 0 xóa và 0 không đổi (buổi sinh hoạt)."
    )
    look(page, "2-changelist-imported")
    rows = page.locator("#result_list tbody tr")
    columns = "th, td:not(.action-checkbox)"
    expect(rows.nth(0).locator(columns)).to_have_text(
        [
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "Học tập sáng thứ Hai đầu tháng",
            "02/11/2026",
            "Thứ Hai tháng 11",
            "12",
            "15",
            "80,00%",
            "—",
        ]
    )
    expect(rows.nth(1).locator(columns)).to_have_text(
        [
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "Sinh hoạt định kỳ",
            "28/10/2026",
            "Sinh hoạt tháng 10",
            "11",
            "15",
            "73,33%",
            "—",
        ]
    )
    assert StudySession.objects.filter(unit__code="STP-TT", date__year=2026).count() == 2


# 3. Bloc staff reading the province -----------------------------------------------------


@pytest.fixture
def autumn(people, tree, november):
    """Quarter IV/2026 to 27/11: every cell on track but two, each missing its October."""
    from activities.tests.reportdata import session

    kind = StudySession.Kind
    for code in ("STP-VP", "KBNN-1", "KBNN-2", "BDV"):
        for day in (datetime.date(2026, 10, 28), datetime.date(2026, 11, 25)):
            session(tree[code], kind.MONTHLY, day)
        session(tree[code], kind.THEMATIC, datetime.date(2026, 10, 15), "Về văn hóa", 18, 20)
    for code in ("STP-VP", "KBNN-1", "BDV"):
        session(tree[code], kind.FIRST_MONDAY, datetime.date(2026, 10, 5))
    for code in ("STP-VP", "KBNN-1", "KBNN-2", "BDV"):
        session(tree[code], kind.FIRST_MONDAY, datetime.date(2026, 11, 2))
    session(tree["STP-TT"], kind.MONTHLY, datetime.date(2026, 11, 20))  # none in October
    user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER, password=PASSWORD)
    return tree


def overview_units(page):
    return page.locator("table.overview tbody th[scope=row] > a:first-child").all_inner_texts()


def test_bloc_staff_find_the_units_behind_and_download_a_committee(page, live_server, autumn, tmp_path):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "carol")
    look(page, "3-home")
    page.get_by_role("link", name="Báo cáo Quý IV/2026", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reports/2026/q4/")
    look(page, "3-quarter-report")
    page.get_by_role("link", name="2 đơn vị chậm: xem danh sách").click()
    assert overview_units(page) == [
        "Đảng bộ Khối các cơ quan tỉnh",
        "Đảng bộ Sở Tư pháp",
        "Chi bộ TT STP",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ 2 KBNN",
    ]
    look(page, "3-quarter-report-behind")
    expect(page.locator("p.selection")).to_contain_text(
        "Đang hiện 5 dòng: các đơn vị chậm và đảng bộ cấp trên của chúng."
    )
    expect(page.locator("#u-STP-TT").locator("td")).to_have_text(
        [
            "—",
            "0/1",
            "1/3 thiếu tháng 10 CHẬM",
            "0/3 thiếu tháng 10 CHẬM",
            "—",
            "—",
            "0 / 0 / 0",
            "—",
            "0 / 0 / 0 / 0",
        ]
        + ["0", "0"],
        use_inner_text=True,  # as shown: the flag in capitals, below the count
    )
    expect(page.locator("#u-KBNN-2").locator("td")).to_have_text(
        [
            "15/10/2026",
            "1/1",
            "2/3",
            "1/3 thiếu tháng 10 CHẬM",
            "90,00%",
            "—",
            "0 / 0 / 0",
            "—",
            "0 / 0 / 0 / 0",
        ]
        + ["0", "0"],
        use_inner_text=True,
    )

    page.get_by_label("Tìm đơn vị").fill("tt stp")
    page.get_by_role("button", name="Xem").click()
    assert overview_units(page) == ["Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ Sở Tư pháp", "Chi bộ TT STP"]
    expect(page.locator("p.selection")).to_have_text(
        "Đang hiện 3 dòng: các đơn vị chậm và đảng bộ cấp trên của chúng; "
        "các đơn vị có tên hoặc mã chứa “tt stp”. Hiện tất cả đơn vị"
    )
    look(page, "3-quarter-report-search")
    page.locator("table.overview").get_by_role("link", name="Đảng bộ Sở Tư pháp", exact=True).click()

    # The committee's page names its cell behind, with its parent and the months missed.
    page.wait_for_url(f"{live_server.url}/units/STP/2026/q4/")
    expect(page.locator("section.behind-units h2")).to_have_text("1 đơn vị trực thuộc chậm")
    expect(page.locator("section.behind-units li")).to_have_text(
        [
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp: sinh hoạt định kỳ: thiếu tháng 10; "
            "học tập sáng thứ Hai đầu tháng: thiếu tháng 10"
        ]
    )
    look(page, "3-committee-quarter")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    assert download.value.suggested_filename == "bao-cao-quy-4-2026-stp.docx"
    download.value.save_as(tmp_path / "bao-cao.docx")
    paragraphs = [p.text for p in Document(tmp_path / "bao-cao.docx").paragraphs]
    shortfalls = paragraphs[paragraphs.index("VI. HẠN CHẾ, TỒN TẠI") + 1 :]
    assert [line for line in shortfalls if line] == [
        "- Chi bộ TT STP — Đảng bộ Sở Tư pháp: sinh hoạt định kỳ: thiếu tháng 10; "
        "học tập sáng thứ Hai đầu tháng: thiếu tháng 10."
    ]

    # The committee's figures with a row per cell: the quarter report for its subtree.
    page.locator("main").get_by_role("link", name="Báo cáo quý", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reports/2026/q4/?unit=STP")
    look(page, "3-committee-overview")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel (XLSX)").click()
    assert download.value.suggested_filename == "bao-cao-quy-4-2026-stp.xlsx"
    download.value.save_as(tmp_path / "tong-hop.xlsx")
    sheet = load_workbook(tmp_path / "tong-hop.xlsx").active
    assert sheet["A1"].value == "Học tập và làm theo Bác: Quý IV/2026, Đảng bộ Sở Tư pháp"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert list(rows) == ["STP", "STP-VP", "STP-TT", "Số đơn vị đạt / số đơn vị phải tổ chức", "Tổng cộng"]
    assert rows["STP-TT"][1:3] == ("    Chi bộ TT STP", "Đảng bộ Sở Tư pháp")
    assert rows["STP-TT"][4:13] == (
        0, 1, "chưa đến hạn", 1, 3, "chậm: thiếu tháng 10", 0, 3, "chậm: thiếu tháng 10"
    )  # fmt: skip
    assert rows["STP"][9] == "1/2 đơn vị đạt (chậm)"


# 4. Each role in the admin --------------------------------------------------------------

RECORDS = [
    "Buổi sinh hoạt",
    "Mô hình hay, cách làm tiêu biểu",
    "Đánh giá",
    "Tuyên truyền",
    "Gương người tốt, việc tốt",
]
FIGURES = ["Số liệu báo cáo", "Kết quả giải quyết thủ tục hành chính", "Số đảng viên"]
MEMBERS = ("Đảng viên", ["Đảng viên", "Điểm danh"])
# Editors read the reports handed in; the bloc's administrator reopens periods and sets deadlines too.
REPORTING = ("Chu kỳ báo cáo", ["Báo cáo đã nộp"])
EDITORS_INDEX = [
    ("Ghi nhận hoạt động", RECORDS),
    MEMBERS,
    ("Số liệu", FIGURES),
    REPORTING,
    ("Danh mục", ["Cán bộ", "Chức vụ"]),
]
# The groups and models of /admin/, and the units whose sessions the changelist shows.
ROLES = {
    # A cell keeps no agency's service figures: its index leaves them out.
    "cecil": (
        [
            ("Ghi nhận hoạt động", RECORDS),
            MEMBERS,
            ("Số liệu", ["Số liệu báo cáo", "Số đảng viên"]),
            REPORTING,
            ("Danh mục", ["Cán bộ", "Chức vụ"]),
        ],
        ["Chi bộ TT STP — Đảng bộ Sở Tư pháp"],
    ),
    "alice": (EDITORS_INDEX, ["Chi bộ TT STP — Đảng bộ Sở Tư pháp", "Chi bộ VP STP — Đảng bộ Sở Tư pháp"]),
    "carol": (
        EDITORS_INDEX,
        [
            "Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ Ban Dân vận Tỉnh ủy",
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
        ],
    ),
    "boss": (
        [
            ("Ghi nhận hoạt động", RECORDS),
            MEMBERS,
            ("Số liệu", FIGURES),
            ("Chu kỳ báo cáo", ["Báo cáo đã nộp", "Ngoại lệ khóa sổ", "Hạn nộp báo cáo"]),
            ("Danh mục", ["Cán bộ", "Chức vụ", "Tổ chức đảng", "Văn bản chỉ đạo", "Chuyên đề", "Nguồn"]),
            ("Người dùng và vai trò", ["Người sử dụng"]),
        ],
        [
            "Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ Ban Dân vận Tỉnh ủy",
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
        ],
    ),
}
ADMIN_GROUPS = """
() => [...document.querySelectorAll("#content-main .module")].map((module) => [
  module.querySelector("caption").textContent.trim(),
  [...module.querySelectorAll("th[scope=row]")].map((cell) => cell.textContent.trim()),
])
"""


@pytest.mark.parametrize("who", list(ROLES))
def test_each_role_sees_its_own_admin(page, live_server, people, who):
    user_grant(username="cecil", unit_code="STP-TT", role=Role.UNIT_EDITOR, password=PASSWORD)
    user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER, password=PASSWORD)
    groups, units = ROLES[who]
    page.set_viewport_size(PHONE if who == "cecil" else DESKTOP)
    log_in(page, live_server, who)
    page.goto(f"{live_server.url}/admin/")
    assert [tuple(group) for group in page.evaluate(ADMIN_GROUPS)] == groups
    look(page, f"4-{who}-admin-index")

    page.locator("#content-main").get_by_role("link", name="Buổi sinh hoạt", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/activities/studysession/")
    shown = page.locator("#result_list tbody tr th").all_inner_texts()
    assert sorted(set(shown)) == units
    assert (
        len(shown)
        == StudySession.objects.filter(unit__name__in=[name.split(" — ")[0] for name in units]).count()
    )
    look(page, f"4-{who}-sessions")


def test_a_cell_editor_cannot_open_another_units_records(page, live_server, people):
    user_grant(username="cecil", unit_code="STP-TT", role=Role.UNIT_EDITOR, password=PASSWORD)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "cecil")
    neighbours = StudySession.objects.filter(unit__code="STP-VP").order_by("pk").first()

    # The admin answers as if the record did not exist, in Vietnamese, and shows nothing of it.
    page.goto(f"{live_server.url}/admin/activities/studysession/{neighbours.pk}/change/")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("ul.messagelist li")).to_have_text(
        f"Không tìm thấy buổi sinh hoạt số {neighbours.pk} trong các đơn vị của bạn: "
        "bản ghi đã bị xóa, hoặc thuộc đơn vị khác."
    )
    look(page, "4-cecil-admin-other-record")

    # The staff pages: the neighbour's quarter page and its session's form are not found.
    for path in ("/units/STP-VP/2024/q1/", f"/sessions/{neighbours.pk}/edit/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    look(page, "4-cecil-not-found")
