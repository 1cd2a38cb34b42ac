"""
Issue 20 in a real browser: a cell secretary submits the quarter's report from a phone,
the committee's clerk returns it with a reason at a desktop, the secretary reads the
reason on the home page and submits again, the clerk accepts it, and the session's
form then says it is locked. Each page is measured and photographed at 390 and 1366 px.
"""

import datetime

import pytest
from playwright.sync_api import expect

from activities.tests.factories import make_session
from e2e.conftest import PASSWORD, log_in
from e2e.test_journeys import DESKTOP, PHONE, look
from reporting.models import Submission
from reporting.tests.conftest import HANOI, Clock
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def january(monkeypatch):
    # 3 January 2027 in Hanoi: quarter IV/2026 is over, its cells' reports due by 05/01.
    return Clock(monkeypatch, datetime.datetime(2027, 1, 3, 10, 0, tzinfo=HANOI))


def test_a_secretary_submits_and_the_clerk_returns_then_accepts(browser, live_server, people, tree, january):
    user_grant(username="cecil", unit_code="STP-VP", role=Role.UNIT_EDITOR, password=PASSWORD)
    session = make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5), topic="Về phong cách quần chúng")
    contexts = [browser.new_context(locale="vi-VN", viewport=size) for size in (PHONE, DESKTOP)]
    try:
        walk(live_server, session, *(context.new_page() for context in contexts))
    finally:
        # Closed before the live server stops: their open connections would outlive it.
        for context in contexts:
            context.close()


def walk(live_server, session, phone, desk):
    log_in(phone, live_server, "cecil")
    log_in(desk, live_server, "alice")

    # The secretary, on the quarter page: the report to hand in, and its button.
    phone.goto(f"{live_server.url}/units/STP-VP/2026/q4/")
    panel = phone.locator("#reports")
    expect(panel).to_contain_text("Báo cáo Quý IV/2026: Chưa nộp, hạn nộp 05/01/2027.")
    look(phone, "reporting-quarter-page")
    panel.get_by_role("button", name="Nộp báo cáo Quý IV/2026").click()
    expect(phone.locator(".messages")).to_contain_text("Đã nộp báo cáo. Cấp trên sẽ xét duyệt.")
    expect(phone.locator("#reports")).to_contain_text("Đã nộp, chờ duyệt")

    # The clerk finds it from the home page, and returns it: first without a reason.
    desk.goto(f"{live_server.url}/")
    desk.get_by_role("link", name="1 báo cáo chờ bạn duyệt").click()
    expect(desk.locator("#submitted + ul")).to_contain_text("Chi bộ VP STP — Đảng bộ Sở Tư pháp")
    look(desk, "reporting-status")
    desk.locator("#submitted + ul").get_by_role("link", name="Chi bộ VP STP — Đảng bộ Sở Tư pháp").click()
    desk.get_by_role("button", name="Trả lại kèm lý do").click()
    expect(desk.locator("#field-reason .errors")).to_have_text(
        "Hãy ghi lý do trả lại báo cáo: đơn vị đọc lý do này để sửa."
    )
    desk.get_by_label("Lý do").fill("Thiếu biên bản sinh hoạt tháng 11.")
    desk.get_by_role("button", name="Trả lại kèm lý do").click()
    expect(desk.locator(".messages")).to_contain_text("Đã trả lại báo cáo cho đơn vị kèm lý do.")
    look(desk, "reporting-unit-period")

    # The secretary reads why on the home page, and submits again.
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("#reports")).to_contain_text(
        "Trả lại (người trả: alice): Thiếu biên bản sinh hoạt tháng 11."
    )
    look(phone, "reporting-home-returned")
    phone.goto(f"{live_server.url}/units/STP-VP/2026/q4/")
    phone.locator("#reports").get_by_role("button", name="Nộp lại báo cáo Quý IV/2026").click()
    expect(phone.locator("#reports")).to_contain_text("Đã nộp, chờ duyệt")

    # The clerk accepts it.
    desk.goto(f"{live_server.url}/units/STP-VP/reports/2026-q4/")
    desk.get_by_role("button", name="Duyệt").click()
    expect(desk.locator(".messages")).to_contain_text("Đã duyệt báo cáo: số liệu của kỳ đã khóa.")
    submission = Submission.objects.get()
    assert (submission.status, submission.reviewed_by.username, submission.on_time) == (
        "accepted",
        "alice",
        True,
    )

    # The secretary's form for that session now says it is locked, and by whom.
    phone.goto(f"{live_server.url}/sessions/{session.pk}/edit/")
    expect(phone.locator(".messages")).to_contain_text(
        "Báo cáo Quý IV/2026 của Chi bộ VP STP — Đảng bộ Sở Tư pháp đã được duyệt ngày 03/01/2027 "
        "(người duyệt: alice): số liệu của kỳ này đã khóa."
    )
    look(phone, "reporting-locked-form")
