"""The 2025 rules for a cell meeting, read from activities/rules.py, on hand-built meetings."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities import rules
from activities.models import SessionTally, StudySession
from activities.tests.factories import make_session

Kind = StudySession.Kind


def at(hour, minute=0):
    return datetime.time(hour, minute)


def test_a_combined_meeting_of_100_minutes_is_short_and_a_monthly_one_of_90_is_not(tree):
    combined = make_session(
        tree["STP-VP"], kind=Kind.MONTHLY, also_thematic=True, starts_at=at(7, 30), ends_at=at(9, 10)
    )
    monthly = make_session(tree["STP-TT"], kind=Kind.MONTHLY, starts_at=at(14), ends_at=at(15, 30))

    assert (rules.meeting_minutes(combined), rules.minimum_minutes(combined), rules.is_short(combined)) == (
        100,
        120,
        True,
    )
    assert (rules.meeting_minutes(monthly), rules.minimum_minutes(monthly), rules.is_short(monthly)) == (
        90,
        90,
        False,
    )
    assert rules.is_short(make_session(tree["BDV"], kind=Kind.MONTHLY)) is None


def test_documents_posted_the_same_day_are_late_and_the_day_before_on_time(tree):
    day = datetime.date(2025, 11, 5)
    same_day = make_session(tree["STP-VP"], date=day, documents_posted_on=day)
    day_before = make_session(tree["STP-TT"], date=day, documents_posted_on=datetime.date(2025, 11, 4))

    assert (rules.documents_on_time(same_day), rules.documents_on_time(day_before)) == (False, True)


def test_a_resolution_published_two_days_after_is_on_time_and_three_days_late(tree):
    day = datetime.date(2025, 11, 5)
    two = make_session(tree["STP-VP"], date=day, resolution_published_on=datetime.date(2025, 11, 7))
    three = make_session(tree["STP-TT"], date=day, resolution_published_on=datetime.date(2025, 11, 8))

    assert (rules.resolution_on_time(two), rules.resolution_on_time(three)) == (True, False)


def test_changing_the_rules_in_one_place_changes_the_verdict(tree):
    session = make_session(tree["STP-VP"], kind=Kind.MONTHLY, starts_at=at(8), ends_at=at(9, 30))
    stricter = rules.MeetingRules(minimum_minutes=120)

    assert (rules.is_short(session), rules.is_short(session, stricter)) == (False, True)


def test_a_combined_meeting_counts_once_for_each_kind_in_the_reports(tree):
    make_session(tree["STP-VP"], kind=Kind.MONTHLY, also_thematic=True, date=datetime.date(2025, 11, 5))

    row = SessionTally.objects.get(unit=tree["STP-VP"], year=2025, quarter=4)

    assert (row.sessions, row.monthly_count, row.thematic_count, row.thematic_date) == (
        1,
        1,
        1,
        datetime.date(2025, 11, 5),
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"starts_at": at(9), "ends_at": at(8)},
            "ends_at",
            "Hãy ghi cả giờ bắt đầu và giờ kết thúc, giờ kết thúc sau giờ bắt đầu.",
        ),
        (
            {"starts_at": at(9)},
            "ends_at",
            "Hãy ghi cả giờ bắt đầu và giờ kết thúc, giờ kết thúc sau giờ bắt đầu.",
        ),
        (
            {"kind": Kind.THEMATIC, "also_thematic": True},
            "also_thematic",
            "Chỉ buổi sinh hoạt định kỳ mới có thể kết hợp sinh hoạt chuyên đề.",
        ),
        (
            {"resolution_published_on": datetime.date(2024, 2, 4)},
            "resolution_published_on",
            "Nghị quyết không thể được đăng trước buổi sinh hoạt.",
        ),
    ],
)
def test_the_meetings_details_are_checked(tree, fields, field, message):
    session = StudySession(
        unit=tree["STP-VP"], kind=Kind.MONTHLY, date=datetime.date(2024, 2, 5), topic="Họp"
    )
    for name, value in fields.items():
        setattr(session, name, value)

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict[field] == [message]


def test_a_declared_count_of_thematic_sessions_counts_the_combined_meeting(tree):
    from activities.models import DeclaredFigure
    from activities.reports import logged_for_metric
    from activities.tests.factories import make_declared_figure

    make_session(tree["STP-VP"], kind=Kind.MONTHLY, also_thematic=True, date=datetime.date(2024, 2, 5))
    make_session(tree["STP-VP"], kind=Kind.MONTHLY, date=datetime.date(2024, 3, 4))
    make_session(tree["STP-TT"], kind=Kind.THEMATIC, date=datetime.date(2024, 2, 19))
    figure = make_declared_figure(tree["STP"], period_start=datetime.date(2024, 1, 1))

    logged = DeclaredFigure.objects.annotate(logged=logged_for_metric()).get(pk=figure.pk).logged

    assert logged == 2
