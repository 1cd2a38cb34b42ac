"""A form is sent once: a double click on "Xác nhận nhập" imports the file once, and says so while it works."""

from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from activities.models import StudySession
from activities.tests.test_import_export import row
from e2e.conftest import log_in
from e2e.test_browser import send_for_import, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def hold(page, url_pattern):
    """Requests to `url_pattern` wait here until the test lets them go: the server is busy."""
    page.set_default_timeout(10_000)
    held = []
    page.route(url_pattern, lambda route: held.append(route))
    return held


def watch(page, selector, pageshow_after=None, tag="button"):
    """
    Every state the button goes through, as (label, disabled), reported by the page
    itself: while a navigation waits for the server, the test cannot query the page.
    With `pageshow_after` (ms after the submit), the page then acts as when the browser
    shows it again from the back-forward cache. `tag` tells two watched buttons apart.
    """
    states = []
    page.on(
        "console",
        lambda message: (
            states.append(tuple(message.text.split("|")[1:])) if message.text.startswith(tag + "|") else None
        ),
    )
    page.evaluate(
        """([selector, pageshowAfter, tag]) => {
            const button = document.querySelector(selector);
            const report = () => console.log(
                [tag, button.value || button.textContent, button.disabled ? "disabled" : "enabled"].join("|")
            );
            new MutationObserver(report).observe(button, {attributes: true, childList: true, characterData: true});
            if (pageshowAfter !== null) {
                button.form.addEventListener("submit", () => setTimeout(
                    () => dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true})), pageshowAfter
                ));
            }
        }""",
        [selector, pageshow_after, tag],
    )
    return states


def click(page, locator, count=1):
    """The mouse itself: a locator's click would wait for the navigation it starts."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, click_count=count)


def test_a_double_click_on_confirm_imports_the_file_once(page, live_server, people, tmp_path):
    upload = xlsx(
        tmp_path / "buoi.xlsx",
        [
            row(unit="STP-TT", date="20/03/2024", topic="Về phong cách làm việc"),
            row(unit="STP-TT", kind="Sinh hoạt định kỳ", date="28/03/2024", topic="Sinh hoạt tháng 3"),
            row(unit="STP-TT", kind="Lớp bồi dưỡng", date="29/03/2024", topic="Bồi dưỡng lý luận"),
        ],
    )
    before = StudySession.objects.count()
    log_in(page, live_server, "boss")
    send_for_import(page, live_server, upload)
    # The button under the preview, outside the form it sends (form="confirm-import").
    confirm = page.locator("input[name=confirm][form=confirm-import]")
    expect(confirm).to_have_value("Xác nhận nhập")

    held = hold(page, "**/process_import/")
    states = watch(page, "input[name=confirm][form=confirm-import]")
    top = watch(page, "#confirm-import input[name=confirm]", tag="top")
    click(page, confirm, count=2)
    page.wait_for_timeout(800)
    assert len(held) == 1  # one request, however many clicks
    assert states[-1] == ("Đang xử lý…", "disabled")
    assert top[-1] == ("Xác nhận nhập", "disabled")  # the one at the top too
    sent = parse_qs(held[0].request.post_data)
    assert sent["confirm"] == ["Xác nhận nhập"]  # the clicked button's value still reaches the server
    held[0].continue_()
    page.unroute("**/process_import/")

    page.wait_for_url(f"{live_server.url}/admin/activities/studysession/")
    expect(page.locator("ul.messagelist")).to_have_text(
        "Đã nhập xong: 3 thêm mới, 0 cập nhật, 0 xóa và 0 không đổi (buổi sinh hoạt)."
    )
    assert StudySession.objects.count() == before + 3
    page.goto(f"{live_server.url}/admin/activities/studysession/?unit=STP-TT")
    expect(page.locator("#result_list tbody tr")).to_have_count(3 + 3)  # the cell's own three, and the file's
    expect(page.get_by_text("Sinh hoạt tháng 3")).to_have_count(1)


def test_the_upload_button_comes_back_when_the_page_is_shown_again(page, live_server, people, tmp_path):
    upload = xlsx(
        tmp_path / "buoi.xlsx", [row(unit="STP-TT", date="20/03/2024", topic="Về phong cách làm việc")]
    )
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/admin/activities/studysession/import/")
    page.set_input_files("#id_import_file", upload)
    page.select_option("#id_format", label="xlsx")
    send = page.locator("form input[type=submit]")
    expect(send).to_have_value("Kiểm tra tệp")

    held = hold(page, "**/studysession/import/")
    states = watch(page, "form input[type=submit]", pageshow_after=300)
    click(page, send)
    page.wait_for_timeout(800)
    assert len(held) == 1
    assert ("Đang xử lý…", "disabled") in states
    assert states[-1] == ("Kiểm tra tệp", "enabled")
    held[0].continue_()
    page.unroute("**/studysession/import/")
    expect(page.locator("#confirm-import input[name=confirm]")).to_have_value("Xác nhận nhập")


def test_the_session_form_warns_of_a_possible_duplicate_and_saves_once_when_told(
    page, live_server, people, shoot
):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/new/?unit=STP-VP")
    page.select_option("#id_kind", "monthly")
    page.fill("#id_date", "2024-01-25")
    page.fill("#id_topic", "Họp chi bộ tháng Một")
    page.get_by_role("button", name="Lưu").click()

    warning = page.locator("#field-not_duplicate")
    expect(warning).to_contain_text(
        "Chi bộ VP STP — Đảng bộ Sở Tư pháp đã có buổi “Sinh hoạt định kỳ” ngày 25/01/2024:"
    )
    expect(warning.get_by_role("link")).to_have_text(
        "Sinh hoạt định kỳ — Chi bộ VP STP — Đảng bộ Sở Tư pháp — 25/01/2024: monthly 2024-01-25"
    )
    shoot("session-possible-duplicate")
    before = StudySession.objects.count()
    page.get_by_label("Vẫn lưu: đây không phải buổi trùng").check()

    save = page.get_by_role("button", name="Lưu")
    held = hold(page, "**/sessions/new/**")
    states = watch(page, "form.session-form button[type=submit]")
    click(page, save, count=2)
    page.wait_for_timeout(800)
    assert len(held) == 1
    assert states[-1] == ("Đang xử lý…", "disabled")
    held[0].continue_()
    page.unroute("**/sessions/new/**")
    page.wait_for_url(f"{live_server.url}/units/STP-VP/2024/q1/")
    assert StudySession.objects.count() == before + 1
