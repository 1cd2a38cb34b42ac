"""
A meeting's score on a hand-built cell, item by item, with the numbers the 2025 rules
and activities/rules.py give; the rules changed in one place change the score.
"""

import datetime
import io

import pytest

from activities import rules
from activities.models import MeetingScore, MeetingTask, StudySession
from activities.tests.factories import make_session
from members.models import Attendance
from members.scoring import rescore, session_score
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
    rescore([cell.pk])  # as the admin does once the meeting's points and tasks are saved
    march.refresh_from_db()
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


def tally_of(unit, quarter=1):
    from activities.models import SessionTally

    return SessionTally.objects.values(
        "roll_present",
        "roll_expected",
        "unexcused",
        "short_meetings",
        "late_documents",
        "grade_good",
        "grade_fair",
        "grade_average",
        "grade_poor",
    ).get(unit=unit, year=2025, quarter=quarter)


def test_what_the_reports_count_of_the_meetings_is_stored_with_them(march, tree):
    sessions = StudySession.objects.filter(unit=tree["STP-VP"]).order_by("date")
    stored = [
        (s.topic, s.absent_excused, s.absent_unexcused, s.is_short, s.documents_late, s.score, s.grade)
        for s in sessions
    ]

    assert stored == [
        # No times, no documents recorded: neither short nor late; not assessed: no score.
        ("Tháng 1", 1, 0, None, None, None, ""),
        ("Tháng 2", 1, 0, None, None, None, ""),
        ("Tháng 3 và chuyên đề quý I", 1, 1, True, True, 64, "average"),
    ]
    # 4 + 4 + 3 present of 5 called at each meeting.
    assert tally_of(tree["STP-VP"]) == {
        "roll_present": 11,
        "roll_expected": 15,
        "unexcused": 1,
        "short_meetings": 1,
        "late_documents": 1,
        "grade_good": 0,
        "grade_fair": 0,
        "grade_average": 1,
        "grade_poor": 0,
    }


def test_a_meeting_not_fully_assessed_has_no_grade(march):
    MeetingScore.objects.filter(session=march, item="principles").delete()

    rescore([march.unit_id])
    march.refresh_from_db()

    assert (march.score, march.grade) == (None, "")


def report_texts(client, tree):
    """What the overview, the unit page, the year report and the Word report say of the cell's meetings."""
    import io

    import docx

    from units.models import Role
    from units.services import user_grant

    client.force_login(user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0])
    overview = client.get("/reports/2025/q1/?unit=STP&open=STP").content.decode()
    unit_page = client.get("/units/STP-VP/2025/q1/").content.decode()
    year = client.get("/reports/2025/?unit=STP").content.decode()
    word = client.get("/units/STP/2025/q1/report/?format=docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    return overview, unit_page, year, [p for p in paragraphs if p.startswith("Chất lượng sinh hoạt")]


def test_every_report_counts_the_meetings(march, tree, client):
    overview, unit_page, year, word = report_texts(client, tree)

    # The cell's row, its committee's and the total: 11/15 present, 1 unexcused, 1 short, 1 late, graded 0/0/1/0.
    assert (
        overview.count(
            '<td class="num">73,33%</td>\n<td class="num">1 / 1 / 1</td>\n<td class="num">0/0/1/0</td>'
        )
        == 3
    )
    assert (
        'data-label="Điểm">64 (Trung bình)<br><small class="behind">chưa đủ thời gian tối thiểu</small>'
        in unit_page
    )
    assert "Trung bình: 1" in unit_page
    assert '<td class="num">73,33%</td>' in year and '<td class="num">0/0/1/0</td>' in year
    assert word == [
        "Chất lượng sinh hoạt chi bộ (Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW): tỷ lệ đảng viên dự họp theo "
        "danh sách: 73,33%; 1 lượt vắng không có lý do; 1 cuộc họp chưa đủ thời gian quy định; 1 cuộc họp đăng "
        "tài liệu lên Sổ tay đảng viên muộn; xếp loại 1 cuộc họp: Tốt 0, Khá 0, Trung bình 1, Kém 0."
    ]
    assert "Bình" not in " ".join(word)  # counts, never the names of the absent


def test_the_rules_changed_in_one_place_change_every_report(march, tree, client, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(rules, "MEETING_RULES", rules.MeetingRules(combined_minimum_minutes=100))
    monkeypatch.setattr(
        rules, "GRADES", ((60, rules.GOOD), (40, rules.FAIR), (20, rules.AVERAGE), (0, rules.POOR))
    )
    call_command("rescore_meetings", stdout=io.StringIO())

    overview, unit_page, year, word = report_texts(client, tree)

    # The meeting now lasted its minimum (5 more points: 69) and 69 is good.
    assert StudySession.objects.values_list("score", "grade", "is_short").get(pk=march.pk) == (
        69,
        "good",
        False,
    )
    assert overview.count('<td class="num">1 / 0 / 1</td>\n<td class="num">1/0/0/0</td>') == 3
    assert 'data-label="Điểm">69 (Tốt)<br><small class="behind">đăng tài liệu muộn</small>' in unit_page
    assert '<td class="num">1/0/0/0</td>' in year
    assert word[0].endswith(
        "; 0 cuộc họp chưa đủ thời gian quy định; 1 cuộc họp đăng tài liệu lên Sổ tay đảng viên muộn; xếp loại 1 cuộc họp: Tốt 1, Khá 0, Trung bình 0, Kém 0."
    )


def test_a_meeting_deleted_moves_the_next_ones_score(march, tree, client):
    from units.models import Role
    from units.services import user_grant

    february = StudySession.objects.get(unit=tree["STP-VP"], topic="Tháng 2")
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])

    response = client.post(f"/sessions/{february.pk}/delete/")

    march.refresh_from_db()
    # No tasks left to review (results 30), no member on leave three times (attendance 3 - 1 = 2):
    # 0 + 2 + 5 + 25 + 8 + 5 + 30 + 5 = 80.
    assert (response.status_code, march.score, march.grade) == (302, 80, "fair")


def test_the_admin_stores_the_score_once_the_cell_gives_its_points(tree, client, admin_user):
    from tracker.tests.formposts import form_data

    cell = tree["STP-TT"]
    session = make_session(
        cell,
        kind=MONTHLY,
        date=datetime.date(2025, 2, 3),
        topic="Tháng 2",
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(15, 30),
        documents_posted_on=datetime.date(2025, 2, 1),
        resolution_published_on=datetime.date(2025, 2, 4),
        attended=9,
        expected=10,
    )
    client.force_login(admin_user)
    url = f"/admin/activities/studysession/{session.pk}/change/"
    data = form_data(client.get(url).content.decode(), "studysession_form")
    data.update({"scores-TOTAL_FORMS": ["3"]})
    for n, (item, points) in enumerate({"conduct": 28, "chairing": 9, "principles": 5}.items()):
        data.update(
            {
                f"scores-{n}-item": [item],
                f"scores-{n}-points": [str(points)],
                f"scores-{n}-session": [str(session.pk)],
            }
        )

    response = client.post(url, data)

    session.refresh_from_db()
    # time 5, attendance round(5 * 9/10) = 4, preparation 10, 28 + 9 + 5, results 30 (no tasks before), closing 5.
    assert (response.status_code, session.score, session.grade, session.is_short) == (302, 96, "good", False)
