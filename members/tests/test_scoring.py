"""
A meeting's score on a hand-built cell, item by item, with the numbers the 2025 rules
and activities/rules.py give; the rules changed in one place change the score.
"""

import datetime

import pytest

from activities import rules
from activities.models import MeetingScore, MeetingTask, StudySession
from activities.tests.factories import make_session
from members.models import Attendance
from members.scoring import absent_on_leave_streak, session_score
from members.services import attendance_record
from members.tests.factories import make_member, make_member_status

Status = Attendance.Status
MONTHLY = StudySession.Kind.MONTHLY


@pytest.fixture
def march(tree):
    """The cell's third meeting of the quarter, and what the two before it left."""
    cell = tree["STP-VP"]
    names = ["An", "Bình", "Cường", "Dũng", "Em", "Giang"]
    members = {name: make_member(cell, full_name=name) for name in names}
    make_member_status(members["Em"], starts_on=datetime.date(2024, 1, 1), ends_on=None, reason="Tuổi cao")

    def marks(**absent):
        return {
            member: absent.get(name, (Status.EXEMPT, "") if name == "Em" else (Status.PRESENT, ""))
            for name, member in members.items()
        }

    january = make_session(cell, kind=MONTHLY, date=datetime.date(2025, 1, 6), topic="Tháng 1")
    attendance_record(session=january, marks=marks(Bình=(Status.EXCUSED, "Ốm")))
    february = make_session(cell, kind=MONTHLY, date=datetime.date(2025, 2, 3), topic="Tháng 2")
    attendance_record(session=february, marks=marks(Bình=(Status.EXCUSED, "Ốm")))
    first = MeetingTask.objects.create(
        session=february, description="Rà soát hồ sơ đảng viên", assignee="Chi ủy"
    )
    MeetingTask.objects.create(session=february, description="Đăng tin lên cổng thông tin", assignee="Dũng")
    march = make_session(
        cell,
        kind=MONTHLY,
        also_thematic=True,
        date=datetime.date(2025, 3, 3),
        topic="Tháng 3 và chuyên đề quý I",
        starts_at=datetime.time(7, 30),
        ends_at=datetime.time(9, 10),  # 100 minutes: short of the combined meeting's 120
        documents_posted_on=datetime.date(2025, 3, 3),  # the same day: late
        resolution_published_on=datetime.date(2025, 3, 5),  # within 2 days
    )
    attendance_record(session=march, marks=marks(Bình=(Status.EXCUSED, "Ốm"), Cường=(Status.UNEXCUSED, "")))
    first.reviewed_at = march
    first.save()
    for item, points in {"conduct": 25, "chairing": 8, "principles": 5}.items():
        MeetingScore.objects.create(session=march, item=item, points=points)
    return march


def points(card):
    return {item.key: value for item, value in card.items}


def test_the_hand_built_meeting_scores_64_and_is_graded_average(march):
    card = session_score(march)

    assert points(card) == {
        "time": 0,  # 100 minutes, 120 owed
        "attendance": 1,  # 3 of 5 present gives 3, less 1 unexcused, less 1 on leave three times running
        "preparation": 5,  # posted the same day: half
        "conduct": 25,
        "chairing": 8,
        "principles": 5,
        "results": 15,  # 1 of the 2 tasks of February reviewed
        "closing": 5,  # published two days after
    }
    assert (card.total, card.grade) == (64, rules.AVERAGE)


def test_the_member_on_leave_three_meetings_running_is_named(march):
    assert [member.full_name for member in absent_on_leave_streak(march)] == ["Bình"]


def test_the_rules_changed_in_one_place_change_the_score(march):
    kinder = rules.MeetingRules(combined_minimum_minutes=100)
    looser = ((60, rules.GOOD), (40, rules.FAIR), (20, rules.AVERAGE), (0, rules.POOR))

    card = session_score(march, meeting_rules=kinder, grades=looser)

    assert (points(card)["time"], card.total, card.grade) == (5, 69, rules.GOOD)


def test_an_entered_item_scores_at_most_its_points_and_a_computed_one_is_not_entered(tree):
    from django.core.exceptions import ValidationError

    session = make_session(tree["STP-TT"], kind=MONTHLY, date=datetime.date(2025, 3, 3))
    with pytest.raises(ValidationError) as too_many:
        MeetingScore(session=session, item="chairing", points=11).full_clean()
    with pytest.raises(ValidationError) as computed:
        MeetingScore(session=session, item="time", points=5).full_clean()

    assert too_many.value.message_dict == {"points": ["Mục này được tối đa 10 điểm."]}
    assert computed.value.message_dict == {
        "item": ["Mục này được tính từ dữ liệu của buổi họp, không nhập tay."]
    }


def test_the_units_page_names_the_members_on_leave_three_meetings_running(march, tree, client):
    from members.scoring import absent_on_leave_in
    from units.models import Role
    from units.services import user_grant

    assert [member.full_name for member in absent_on_leave_in(tree["STP"], datetime.date(2025, 3, 31))] == [
        "Bình"
    ]
    # Before the third meeting, twice is not yet three times running.
    assert absent_on_leave_in(tree["STP"], datetime.date(2025, 3, 2)) == []
    assert absent_on_leave_in(tree["KBNN"], datetime.date(2025, 3, 31)) == []

    people = {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "carol": user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }
    seen = {}
    for name, url in [
        ("alice", "/units/STP-VP/2025/q1/"),
        ("carol", "/units/STP/2025/q1/"),
        ("bob", "/units/STP/2025/q1/"),
        ("bob", "/units/KBNN/2025/q1/"),
    ]:
        client.force_login(people[name])
        page = client.get(url)
        seen[(name, url)] = (page.status_code, "Bình" in page.content.decode())
    assert seen == {
        ("alice", "/units/STP-VP/2025/q1/"): (200, True),
        ("carol", "/units/STP/2025/q1/"): (200, True),
        ("bob", "/units/STP/2025/q1/"): (404, False),
        ("bob", "/units/KBNN/2025/q1/"): (200, False),
    }
