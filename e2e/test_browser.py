"""What users do, in a real browser: log a session, import a file, read and download the reports."""

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from activities.models import StudySession
from activities.tests.test_import_export import HEADERS, row
from e2e.conftest import log_in
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    workbook.save(path)
    return path


def send_for_import(page, live_server, path):
    """The admin's import page: choose the file, say it is XLSX, send it for checking."""
    page.goto(f"{live_server.url}/admin/activities/studysession/import/")
    page.set_input_files("#id_import_file", path)
    page.select_option("#id_format", label="xlsx")
    page.locator("form input[type=submit]").click()


def overview_row(page, unit_name):
    return page.locator("table.report tbody tr").filter(
        has=page.get_by_role("link", name=unit_name, exact=True)
    )


def test_an_editor_logs_a_thematic_session_and_finds_it_in_the_reports(page, live_server, people, shoot):
    log_in(page, live_server, "alice")
    expect(page.locator("h1")).to_contain_text("Đảng bộ Sở Tư pháp")
    shoot("home")

    page.goto(f"{live_server.url}/sessions/new/?unit=STP-TT")
    expect(page.locator("#id_unit")).to_have_value(str(Unit.objects.get(code="STP-TT").pk))
    page.select_option("#id_kind", "thematic")
    page.fill("#id_date", "2024-03-20")
    page.fill("#id_topic", "Về phong cách làm việc")
    page.fill("#id_attended", "12")
    page.fill("#id_expected", "14")
    page.get_by_role("button", name="Lưu").click()

    page.wait_for_url(f"{live_server.url}/units/STP-TT/2024/q1/")
    expect(page.get_by_role("cell", name="Về phong cách làm việc")).to_be_visible()
    shoot("unit-quarter")

    page.goto(f"{live_server.url}/reports/2024/q1/")
    row_of_cell = overview_row(page, "Chi bộ TT STP")
    expect(row_of_cell.locator("td").first).to_have_text("20/03/2024")
    expect(row_of_cell.locator("td").nth(1)).to_have_text("1/1")  # thematic: held 1 of 1
    expect(page.get_by_role("link", name="Năm 2024", exact=True)).to_be_visible()
    shoot("quarter-overview")

    page.goto(f"{live_server.url}/units/STP/2024/q1/")
    page.get_by_role("link", name="Báo cáo để in").click()
    expect(page.locator("article.party-document")).to_contain_text("ĐẢNG ỦY SỞ TƯ PHÁP")
    shoot("quarter-document")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    assert download.value.suggested_filename == "bao-cao-quy-1-2024-stp.docx"

    response = page.goto(f"{live_server.url}/units/KBNN-1/2024/q1/")
    assert response.status == 404
    assert StudySession.objects.filter(unit__code="STP-TT", kind="thematic").count() == 1


def test_a_bloc_administrator_imports_sessions_and_downloads_the_overview(
    page, live_server, people, tmp_path, shoot
):
    upload = xlsx(
        tmp_path / "buoi.xlsx",
        [
            row(unit="STP-TT", date="20/03/2024", topic="Về phong cách làm việc"),
            row(unit="STP-TT", kind="Sinh hoạt định kỳ", date="28/03/2024", topic="Sinh hoạt tháng 3"),
        ],
    )
    log_in(page, live_server, "boss")
    send_for_import(page, live_server, upload)

    confirm = page.locator("#confirm-import input[name=confirm]")
    expect(confirm).to_be_visible()
    expect(page.get_by_role("cell", name="Sinh hoạt tháng 3")).to_be_visible()
    assert (
        StudySession.objects.filter(unit__code="STP-TT", date__month=3).count() == 0
    )  # the preview wrote nothing
    shoot("import-preview")
    confirm.click()

    page.wait_for_url(f"{live_server.url}/admin/activities/studysession/")
    expect(page.get_by_role("link", name="Chi bộ TT STP").first).to_be_visible()
    expect(page.get_by_text("Sinh hoạt tháng 3")).to_be_visible()

    page.goto(f"{live_server.url}/reports/2024/q1/")
    with page.expect_download() as download:
        page.locator("a[href*='format=xlsx']").first.click()
    path = tmp_path / "overview.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    headers = [cell.value for cell in sheet[2]]
    totals = next(line for line in sheet.iter_rows(values_only=True) if line[0] == "Tổng cộng")
    figures = dict(zip(headers, totals, strict=True))
    # Thematic: every cell now held one; monthly: STP-TT now covers January to March.
    assert figures["Sinh hoạt chuyên đề: đã tổ chức"] == 5
    assert figures["Sinh hoạt chuyên đề: phải tổ chức trong quý"] == 5
    assert figures["Sinh hoạt chuyên đề: tình trạng"] == "5/5 đơn vị đạt"
    assert figures["Sinh hoạt định kỳ: đã tổ chức"] == 15
    assert figures["Sinh hoạt định kỳ: phải tổ chức trong quý"] == 15


def test_a_bad_file_shows_its_row_errors_and_writes_nothing(page, live_server, people, tmp_path):
    before = StudySession.objects.count()
    upload = xlsx(
        tmp_path / "sai.xlsx",
        [row(topic="Tốt"), row(date="31/02/2024", topic="Ngày sai"), row(unit="KHONGCO", topic="Đơn vị lạ")],
    )
    log_in(page, live_server, "boss")
    send_for_import(page, live_server, upload)

    errors = page.locator("table.import-preview tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("“31/02/2024” không phải là ngày.")
    expect(errors.nth(1)).to_contain_text("Không có tổ chức đảng nào mang mã “KHONGCO”.")
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    assert StudySession.objects.count() == before


def test_the_year_page_draws_its_chart(page, live_server, people, shoot):
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/reports/2024/")
    expect(page.locator("h1")).to_have_text("Học tập và làm theo Bác: năm 2024")
    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar")).to_have_count(3)  # quarters IV/2023, I/2024 and II/2024 on record
    heights = [chart.locator("rect.bar").nth(i).bounding_box()["height"] for i in range(3)]
    # Drawn to scale: 1, 29 and 1 sessions (the quarter I/2024 bar is the tallest).
    assert heights[1] > 100 and heights[1] > 20 * heights[0] and heights[0] == heights[2] > 0
    shoot("year-chart")
