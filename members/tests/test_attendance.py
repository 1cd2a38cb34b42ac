"""Taking attendance: the session's figures come from it, and its rules hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.tests.factories import make_session
from members.models import Attendance
from members.services import attendance_record, members_to_call
from members.tests.factories import make_member, make_member_status

Status = Attendance.Status


@pytest.fixture
def cell(tree):
    cell = tree["STP-VP"]
    members = {name: make_member(cell, full_name=name) for name in ["An", "Bình", "Cường", "Dũng", "Em"]}
    make_member_status(members["Em"], starts_on=datetime.date(2024, 1, 1), ends_on=None, reason="Tuổi cao")
    return cell, members


def test_the_sessions_figures_are_counted_from_its_attendance(cell):
    unit, members = cell
    session = make_session(unit, date=datetime.date(2024, 2, 5), attended=None, expected=None)

    attendance_record(
        session=session,
        marks={
            members["An"]: (Status.PRESENT, ""),
            members["Bình"]: (Status.PRESENT, ""),
            members["Cường"]: (Status.EXCUSED, "Đi công tác"),
            members["Dũng"]: (Status.UNEXCUSED, ""),
            members["Em"]: (Status.EXEMPT, ""),
        },
    )

    session.refresh_from_db()
    assert (session.attended, session.expected) == (2, 4)
    assert sorted(session.attendance.values_list("member__full_name", "status", "reason")) == [
        ("An", "present", ""),
        ("Bình", "present", ""),
        ("Cường", "excused", "Đi công tác"),
        ("Dũng", "unexcused", ""),
        ("Em", "exempt", ""),
    ]


def test_taking_it_again_replaces_the_first(cell):
    unit, members = cell
    session = make_session(unit, date=datetime.date(2024, 2, 5))
    attendance_record(session=session, marks={members["An"]: (Status.UNEXCUSED, "")})

    attendance_record(
        session=session, marks={members["An"]: (Status.PRESENT, ""), members["Bình"]: (Status.PRESENT, "")}
    )

    session.refresh_from_db()
    assert (session.attended, session.expected, session.attendance.count()) == (2, 2, 2)


def test_an_absence_with_leave_needs_its_reason_and_nothing_is_written(cell):
    unit, members = cell
    session = make_session(unit, date=datetime.date(2024, 2, 5), attended=18, expected=20)

    with pytest.raises(ValidationError) as error:
        attendance_record(session=session, marks={members["Cường"]: (Status.EXCUSED, "  ")})

    assert error.value.message_dict == {"reason": ["Hãy ghi lý do vắng có lý do."]}
    session.refresh_from_db()
    assert (session.attended, session.expected, session.attendance.count()) == (18, 20, 0)


def test_another_cells_member_is_refused(cell, tree):
    unit, _members = cell
    stranger = make_member(tree["KBNN-1"], full_name="Người lạ")
    session = make_session(unit, date=datetime.date(2024, 2, 5))

    with pytest.raises(ValidationError) as error:
        attendance_record(session=session, marks={stranger: (Status.PRESENT, "")})

    assert error.value.messages == ["Người lạ không phải đảng viên của chi bộ họp buổi này."]
    assert session.attendance.count() == 0


def test_the_members_to_call_are_those_on_the_register_that_day_with_the_exempt_marked(cell):
    unit, members = cell
    make_member(unit, full_name="Giang", joined_on=datetime.date(2024, 6, 1), official_on=None)
    session = make_session(unit, date=datetime.date(2024, 2, 5))

    called = [
        (member.full_name, member.is_exempt) for member in members_to_call(session.unit_id, session.date)
    ]

    assert called == [("An", False), ("Bình", False), ("Cường", False), ("Dũng", False), ("Em", True)]


def test_every_mark_is_in_the_audit_history_with_who_took_it(cell, django_user_model):
    unit, members = cell
    clerk = django_user_model.objects.create(username="thuky")
    session = make_session(unit, date=datetime.date(2024, 2, 5))
    attendance_record(session=session, marks={members["An"]: (Status.UNEXCUSED, "")}, user=clerk)

    attendance_record(session=session, marks={members["An"]: (Status.PRESENT, "")}, user=clerk)

    history = Attendance.history.order_by("history_id").values_list(
        "history_type", "status", "history_user__username"
    )
    assert list(history) == [("+", "unexcused", "thuky"), ("~", "present", "thuky")]


def queries_to_record(unit, size):
    """The queries of taking attendance again (half of it new, one mark changed) in a cell of `size`."""
    members = [make_member(unit) for _ in range(size)]
    session = make_session(unit, date=datetime.date(2024, 2, 5))
    marks = dict.fromkeys(members, (Status.PRESENT, ""))
    attendance_record(session=session, marks=dict(list(marks.items())[: size // 2]))
    with CaptureQueriesContext(connection) as queries:
        attendance_record(session=session, marks={**marks, members[0]: (Status.UNEXCUSED, "")})
    session.refresh_from_db()
    assert (session.attended, session.expected) == (size - 1, size)
    return len(queries)


def test_a_cell_of_forty_is_recorded_in_as_many_queries_as_a_cell_of_ten(tree):
    assert (
        queries_to_record(tree["STP-TT"], 10) == queries_to_record(tree["KBNN-1"], 40) == 16
    )  # with the cell's meeting scores worked out again


def test_the_admin_shows_a_headcount_counted_from_the_roll_call_without_letting_it_be_typed(
    cell, admin_client
):
    unit, members = cell
    session = make_session(unit, date=datetime.date(2024, 2, 5), attended=None, expected=None)
    attendance_record(
        session=session, marks={members["An"]: (Status.PRESENT, ""), members["Bình"]: (Status.UNEXCUSED, "")}
    )

    page = admin_client.get(f"/admin/activities/studysession/{session.pk}/change/").content.decode()

    assert 'name="attended"' not in page and 'name="expected"' not in page
    assert '<div class="readonly">1</div>' in page and '<div class="readonly">2</div>' in page
