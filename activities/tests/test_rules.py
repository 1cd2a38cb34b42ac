"""The one definition of owed, held, missing and behind (activities/rules.py), case by case."""

import datetime

from activities import rules
from tracker.periods import Quarter

Q4 = Quarter(2026, 4)
TODAY = datetime.date(2026, 11, 27)
MONTHLY = rules.Expectation("monthly", 1, "month")
THEMATIC = rules.Expectation("thematic", 1, "quarter")


def months(*numbers):
    return sum(rules.month_bit(Q4, number) for number in numbers)


def test_a_month_missed_is_behind_even_when_a_later_month_was_held():
    # No October meeting, the November one logged: one of the three held, October missing.
    standing = rules.standing(MONTHLY, Q4, TODAY, months(11), "month")
    assert (standing.full, standing.due, standing.held, standing.extra) == (3, 1, 1, 0)
    assert standing.missing == (10,)
    assert (standing.status, standing.is_behind, standing.remaining) == ("behind", True, 2)
    assert standing.deadline == datetime.date(2026, 12, 31)


def test_nothing_held_names_the_month_over_and_the_next_deadline():
    standing = rules.standing(MONTHLY, Q4, TODAY, 0, "month")
    assert (standing.held, standing.due, standing.missing, standing.remaining) == (0, 1, (10,), 3)
    assert standing.deadline == datetime.date(2026, 11, 30)


def test_held_so_far_is_on_track_and_the_first_month_is_not_yet_owed():
    assert rules.standing(MONTHLY, Q4, TODAY, months(10, 11), "month").status == "on_track"
    first_week = rules.standing(MONTHLY, Q4, datetime.date(2026, 10, 3), 0, "month")
    assert (first_week.due, first_week.missing, first_week.status) == (0, (), "not_yet")
    assert rules.standing(MONTHLY, Q4, TODAY, months(10, 11, 12), "month").status == "done"


def test_a_past_quarter_owes_everything_and_names_every_month_missed():
    standing = rules.standing(MONTHLY, Q4, datetime.date(2027, 1, 5), months(11), "month")
    assert (standing.due, standing.held, standing.missing, standing.deadline) == (3, 1, (10, 12), None)


def test_a_quarterly_session_is_owed_at_the_quarters_end_and_an_extra_one_is_held_in_full():
    assert rules.standing(THEMATIC, Q4, TODAY, 0, "session").status == "not_yet"
    assert rules.standing(THEMATIC, Q4, TODAY, 0, "session").deadline == datetime.date(2026, 12, 31)
    late = rules.standing(THEMATIC, Q4, datetime.date(2027, 1, 1), 0, "session")
    assert (late.due, late.missing, late.status) == (1, (0,), "behind")
    two = rules.standing(THEMATIC, Q4, TODAY, 2, "session")
    assert (two.held, two.extra, two.full, two.status, two.deadline) == (1, 1, 1, "done", None)


def test_a_unit_that_owes_nothing_has_its_sessions_as_extra():
    standing = rules.standing(None, Q4, TODAY, months(10, 11), "month")
    assert (standing.full, standing.held, standing.extra, standing.status) == (0, 0, 2, "not_owed")
