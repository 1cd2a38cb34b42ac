"""
A cell secretary takes the roll on a phone: the cell's members in one list, everyone
present, two absences marked with a tap (and a reason for the one with leave), saved,
and the attendance rate on the unit's page.
"""

import datetime

import pytest
from playwright.sync_api import expect

from activities.models import StudySession
from activities.tests.factories import make_session
from e2e.conftest import PASSWORD, log_in
from e2e.test_phone import MEASURE
from members.models import Attendance
from members.tests.factories import make_member, make_member_status
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(tree):
    user_grant(username="cecil", unit_code="STP-TT", role=Role.UNIT_EDITOR, password=PASSWORD)
    cell = tree["STP-TT"]
    members = {name: make_member(cell, full_name=name) for name in ["An", "Bình", "Cường", "Dũng", "Em"]}
    make_member_status(members["Em"], starts_on=datetime.date(2024, 1, 1), ends_on=None, reason="Tuổi cao")
    session = make_session(
        cell, kind=StudySession.Kind.MONTHLY, date=datetime.date(2025, 2, 3), topic="Sinh hoạt tháng 2"
    )
    return session, members


def test_a_secretary_marks_two_absences_on_a_phone_and_sees_the_rate(page, live_server, meeting, shoot):
    session, members = meeting
    log_in(page, live_server, "cecil")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sessions/{session.pk}/edit/")

    roll = page.locator("#roll-call")
    expect(roll.locator("legend")).to_contain_text("Điểm danh (5 đảng viên)")
    binh = roll.get_by_label("Bình", exact=True)
    expect(binh).to_have_value("present")
    expect(roll.get_by_label("Em", exact=True)).to_have_value("exempt")
    reason = page.locator(f"#id_attendance-reason_{members['Bình'].pk}")
    expect(reason).to_be_hidden()  # only beside an absence with leave
    binh.select_option(label="Vắng có lý do")
    expect(reason).to_be_visible()
    reason.fill("Đi công tác")
    roll.get_by_label("Cường", exact=True).select_option(label="Vắng không lý do")
    found = page.evaluate(MEASURE)
    assert found["scroll"] <= found["inner"], found
    shoot("phone-390-roll-call")
    page.get_by_role("button", name="Lưu").click()

    page.wait_for_url(f"{live_server.url}/units/STP-TT/2025/q1/")
    expect(page.get_by_role("row", name="Tỷ lệ tham dự")).to_contain_text("50,00%")
    shoot("phone-390-roll-call-saved")
    assert sorted(Attendance.objects.values_list("member__full_name", "status")) == [
        ("An", "present"),
        ("Bình", "excused"),
        ("Cường", "unexcused"),
        ("Dũng", "present"),
        ("Em", "exempt"),
    ]
    session.refresh_from_db()
    assert (session.attended, session.expected) == (2, 4)
