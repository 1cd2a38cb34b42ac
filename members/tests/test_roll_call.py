"""
The staff session form's roll call: a cell's members listed, everyone present unless
marked, the headcount counted from it; every bad value said beside its member, and
nothing written.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import StudySession
from activities.tests.factories import make_session
from members.models import Attendance, Member
from members.tests.factories import make_member, make_member_status
from units.models import Role
from units.services import user_grant

Status = Attendance.Status


@pytest.fixture
def alice(client, tree):
    user = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(user)
    return user


@pytest.fixture
def cell(tree):
    unit = tree["STP-VP"]
    members = [make_member(unit, full_name=name) for name in ["An", "Bình", "Cường", "Dũng", "Em"]]
    make_member_status(members[4], starts_on=datetime.date(2024, 1, 1), ends_on=None, reason="Tuổi cao")
    session = make_session(unit, kind=StudySession.Kind.MONTHLY, date=datetime.date(2024, 2, 5), topic="Họp")
    return unit, {member.full_name: member for member in members}, session


def edit_url(session):
    return f"/sessions/{session.pk}/edit/"


def posted(session, members, marks=None, **fields):
    """The edit form as the page posts it: everyone as listed unless `marks` says otherwise."""
    data = {
        "unit": session.unit_id,
        "kind": session.kind,
        "date": session.date.strftime("%d/%m/%Y"),
        "year": "",
        "quarter": "",
        "topic": session.topic,
        "format": "in_person",
        "version": session.version,
        "attendance-cell": session.unit_id,
    }
    for member in members.values():
        status = Status.EXEMPT if member.full_name == "Em" else Status.PRESENT
        data[f"attendance-status_{member.pk}"] = status
        data[f"attendance-reason_{member.pk}"] = ""
    for name, (status, reason) in (marks or {}).items():
        data[f"attendance-status_{members[name].pk}"] = status
        data[f"attendance-reason_{members[name].pk}"] = reason
    return {**data, **fields}


def recorded(session):
    return sorted(
        Attendance.objects.filter(session=session).values_list("member__full_name", "status", "reason")
    )


def test_the_form_lists_the_cells_members_present_and_the_exempt_exempt(client, alice, cell):
    _unit, members, session = cell

    page = client.get(edit_url(session)).content.decode()

    assert "Điểm danh" in page and "(5 đảng viên)" in page
    assert (
        '<option value="present" selected>Có mặt</option>'
        in page.split(f'id="id_attendance-status_{members["An"].pk}"')[1].split("</select>")[0]
    )
    assert (
        '<option value="exempt" selected>Miễn sinh hoạt</option>'
        in page.split(f'id="id_attendance-status_{members["Em"].pk}"')[1].split("</select>")[0]
    )
    assert 'name="attended"' not in page and 'name="expected"' not in page


def test_two_absences_marked_on_a_phone_are_saved_with_the_headcount(client, alice, cell):
    _unit, members, session = cell

    response = client.post(
        edit_url(session),
        posted(session, members, {"Bình": (Status.EXCUSED, "Đi công tác"), "Cường": (Status.UNEXCUSED, "")}),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.attended, session.expected) == (2, 4)
    assert recorded(session) == [
        ("An", "present", ""),
        ("Bình", "excused", "Đi công tác"),
        ("Cường", "unexcused", ""),
        ("Dũng", "present", ""),
        ("Em", "exempt", ""),
    ]


@pytest.mark.parametrize(
    ("mark", "field", "message"),
    [
        ((Status.EXCUSED, ""), "reason", "Hãy ghi lý do vắng có lý do."),
        (("", ""), "status", "Trường này là bắt buộc."),
        (
            ("late", ""),
            "status",
            "Hãy chọn một lựa chọn hợp lệ. late không phải là một trong các lựa chọn khả thi.",
        ),
        (
            (Status.EXCUSED, "Ốm\x00"),
            "reason",
            "Nội dung có ký tự điều khiển không hiển thị được, thường do dán từ chương trình khác. "
            "Hãy xóa phần vừa dán và gõ lại.",
        ),
        (
            (Status.EXCUSED, "x" * 256),
            "reason",
            "Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)",
        ),
    ],
)
def test_a_bad_mark_is_said_beside_the_member_and_nothing_is_written(
    client, alice, cell, mark, field, message
):
    _unit, members, session = cell
    before = StudySession.objects.values().get(pk=session.pk)

    response = client.post(edit_url(session), posted(session, members, {"Bình": mark}))

    assert response.status_code == 200
    assert response.context["attendance"].errors == {f"{field}_{members['Bình'].pk}": [message]}
    assert StudySession.objects.values().get(pk=session.pk) == before
    assert recorded(session) == []


def test_a_page_made_for_another_cell_lists_this_one_and_saves_nothing(client, alice, cell, tree):
    _unit, members, session = cell
    data = posted(session, members, **{"attendance-cell": tree["STP-TT"].pk})

    response = client.post(edit_url(session), data)

    assert response.status_code == 200
    assert "Danh sách đã đổi theo chi bộ bạn chọn: hãy điểm danh rồi lưu." in response.content.decode()
    assert recorded(session) == []


def test_another_cells_member_slipped_into_the_post_is_not_recorded(client, alice, cell, tree):
    _unit, members, session = cell
    stranger = make_member(tree["KBNN-1"], full_name="Người lạ")
    data = posted(session, members, **{f"attendance-status_{stranger.pk}": Status.PRESENT})

    response = client.post(edit_url(session), data)

    assert response.status_code == 302
    assert "Người lạ" not in [name for name, _status, _reason in recorded(session)]
    session.refresh_from_db()
    assert (session.attended, session.expected) == (4, 4)


def test_a_cell_without_a_register_keeps_its_headcount(client, alice, tree):
    session = make_session(tree["STP-TT"], date=datetime.date(2024, 2, 5))

    page = client.get(edit_url(session)).content.decode()

    assert "Điểm danh" not in page
    assert 'name="attended"' in page and 'name="expected"' in page


def queries_of_saving(client, unit, size):
    members = {f"Đảng viên {n}": make_member(unit, full_name=f"Đảng viên {n}") for n in range(size)}
    session = make_session(unit, kind=StudySession.Kind.MONTHLY, date=datetime.date(2024, 2, 5), topic="Họp")
    data = posted(session, members)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(edit_url(session), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == size
    return len(queries)


def test_the_form_with_forty_members_saves_in_as_many_queries_as_with_ten(client, alice, tree):
    assert queries_of_saving(client, tree["STP-TT"], 10) == queries_of_saving(client, tree["STP-VP"], 40)
    assert Member.objects.count() == 50
