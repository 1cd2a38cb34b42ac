import datetime
from decimal import Decimal

import pytest

from activities import reports, rules
from activities.models import StudySession
from activities.tests.reportdata import build_quarter, session
from conftest import populate
from tracker.periods import Quarter

pytestmark = pytest.mark.django_db

Q1 = Quarter(2024, 1)
AFTER = datetime.date(2024, 5, 10)
KINDS = ("thematic", "monthly", "first_monday")


def tallies(figures):
    return {kind: (t.held, t.due, t.units_on_track, t.units_due) for kind, t in figures.tallies.items()}


def by_code(overview):
    return {row.unit.code: row for row in overview.rows}


def test_quarter_overview_counts_each_unit_and_rolls_up_the_tree(tree):
    build_quarter(tree)
    overview = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    rows = by_code(overview)

    assert [row.unit.code for row in overview.rows] == [
        "BLOC",
        "STP",
        "STP-VP",
        "STP-TT",
        "KBNN",
        "KBNN-1",
        "KBNN-2",
        "BDV",
    ]
    assert [row.depth for row in overview.rows] == [0, 1, 2, 2, 1, 2, 2, 1]
    assert tallies(rows["STP-VP"].own) == {
        "thematic": (1, 1, 1, 1),
        "monthly": (3, 3, 1, 1),
        "first_monday": (3, 3, 1, 1),
    }
    # Missed its thematic session; its meeting of 1 April belongs to quarter II.
    assert tallies(rows["STP-TT"].own) == {
        "thematic": (0, 1, 0, 1),
        "monthly": (2, 3, 0, 1),
        "first_monday": (0, 3, 0, 1),
    }
    assert tallies(rows["STP"].total) == {
        "thematic": (1, 2, 1, 2),
        "monthly": (5, 6, 1, 2),
        "first_monday": (3, 6, 1, 2),
    }
    assert tallies(rows["KBNN"].total) == {
        "thematic": (2, 2, 2, 2),
        "monthly": (6, 6, 2, 2),
        "first_monday": (5, 6, 1, 2),
    }
    assert tallies(overview.total) == {
        "thematic": (4, 5, 4, 5),
        "monthly": (14, 15, 4, 5),
        "first_monday": (11, 15, 3, 5),
    }
    assert [overview.completeness(kind) for kind in KINDS] == [(4, 5), (4, 5), (3, 5)]

    assert [code for code, row in rows.items() if row.is_behind] == [
        "BLOC",
        "STP",
        "STP-TT",
        "KBNN",
        "KBNN-2",
    ]
    assert overview.total.behind_units == 2
    assert (rows["STP-VP"].thematic_date, rows["KBNN-1"].thematic_date, rows["KBNN-1"].thematic_undated) == (
        datetime.date(2024, 2, 15),
        None,
        True,
    )
    assert (overview.total.sessions, overview.total.attended, overview.total.invited) == (29, 37, 40)
    assert overview.total.attendance_rate == 92.5
    assert rows["STP"].total.attendance_rate == 90.0
    # The good model registered in May is not yet there at the end of March.
    assert overview.total.initiatives == {"registered": 0, "in_practice": 1, "evaluated": 1, "replicated": 0}
    assert (overview.total.outreach, overview.total.exemplars) == (2, 1)
    assert (rows["STP"].total.outreach, rows["KBNN"].total.exemplars, rows["STP"].own.units) == (1, 1, 1)
    assert overview.total.units == 8


def test_a_session_on_31_march_and_one_on_1_april_fall_in_their_own_quarters(tree):
    build_quarter(tree)
    q1 = by_code(reports.quarter_overview(tree["BLOC"], Q1, today=AFTER))
    q2 = by_code(reports.quarter_overview(tree["BLOC"], Quarter(2024, 2), today=datetime.date(2024, 7, 1)))
    assert (q1["STP-VP"].own.tallies["monthly"].held, q2["STP-VP"].own.tallies["monthly"].held) == (3, 0)
    assert (q1["STP-TT"].own.tallies["monthly"].held, q2["STP-TT"].own.tallies["monthly"].held) == (2, 1)
    assert (q1["STP"].total.outreach, q2["STP"].total.outreach) == (1, 1)


def test_a_quarter_in_progress_owes_only_the_months_already_over(tree):
    build_quarter(tree)
    overview = reports.quarter_overview(tree["BLOC"], Q1, today=datetime.date(2024, 3, 5))
    # January and February are over; the thematic session is owed by the end of March:
    # all five cells owe it this quarter and none is behind on it yet.
    assert tallies(overview.total) == {
        "thematic": (4, 0, 5, 5),
        "monthly": (14, 10, 5, 5),
        "first_monday": (11, 10, 4, 5),
    }
    assert overview.in_progress is True
    future = reports.quarter_overview(tree["BLOC"], Quarter(2024, 3), today=datetime.date(2024, 3, 5))
    # A quarter yet to come: owed by every cell, nothing owed yet, nobody behind.
    assert tallies(future.total) == {
        "thematic": (0, 0, 5, 5),
        "monthly": (0, 0, 5, 5),
        "first_monday": (0, 0, 5, 5),
    }
    assert future.total.tallies["monthly"].full == 15
    assert future.total.tallies["monthly"].status == "not_yet"


def test_changing_the_rules_changes_the_report(tree, monkeypatch):
    build_quarter(tree)
    two_thematic = (
        rules.Expectation("thematic", 2, "quarter"),
        rules.Expectation("monthly", 1, "month"),
        rules.Expectation("first_monday", 1, "month"),
    )
    monkeypatch.setattr(rules, "EXPECTATIONS", {"cell": two_thematic, "grassroots_cell": two_thematic})
    overview = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    assert overview.completeness("thematic") == (0, 5)
    assert overview.total.tallies["thematic"].due == 10

    monkeypatch.setattr(
        rules, "EXPECTATIONS", {"grassroots_cell": two_thematic}
    )  # cells under committees owe nothing
    overview = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    assert [overview.completeness(kind) for kind in KINDS] == [(0, 1), (1, 1), (1, 1)]


def test_a_kind_owed_monthly_counts_months_and_any_other_counts_sessions(tree, monkeypatch):
    build_quarter(tree)
    # A second monthly meeting in January and one without a date: still three months.
    session(tree["STP-VP"], StudySession.Kind.MONTHLY, datetime.date(2024, 1, 30))
    session(tree["STP-VP"], StudySession.Kind.MONTHLY, None, "Không rõ ngày", year=2024, quarter=1)
    # A committee, which owes nothing, is counted the same way.
    session(tree["STP"], StudySession.Kind.MONTHLY, datetime.date(2024, 1, 5))
    session(tree["STP"], StudySession.Kind.MONTHLY, datetime.date(2024, 1, 20))
    rows = by_code(reports.quarter_overview(tree["BLOC"], Q1, today=AFTER))
    assert rows["STP-VP"].own.tallies["monthly"].held == 3
    # The committee owes none: its meetings are extra, never counted toward what is owed.
    assert (rows["STP"].own.tallies["monthly"].held, rows["STP"].own.tallies["monthly"].extra) == (0, 1)
    assert rows["STP"].total.tallies["monthly"].held == 3 + 2
    assert rows["STP"].total.tallies["monthly"].extra == 1
    assert rows["STP-VP"].own.sessions == 1 + 5 + 3

    # Owed per quarter instead: every session counts, dated or not.
    per_quarter = (rules.Expectation("monthly", 3, "quarter"),)
    monkeypatch.setattr(rules, "EXPECTATIONS", {"cell": per_quarter, "grassroots_cell": per_quarter})
    assert rules.counted_per("monthly") == "session"
    rows = by_code(reports.quarter_overview(tree["BLOC"], Q1, today=AFTER))
    # Held in full (3 of 3) with 2 more, explained on its page; the committee's 2 are extra.
    monthly = rows["STP-VP"].own.tallies["monthly"]
    assert (monthly.held, monthly.extra, monthly.full, monthly.status) == (3, 2, 3, "done")
    assert (rows["STP"].own.tallies["monthly"].held, rows["STP"].own.tallies["monthly"].extra) == (0, 2)
    assert tallies(rows["STP-TT"].own)["monthly"] == (2, 3, 0, 1)


def test_the_overview_is_one_query_whatever_the_size(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        empty = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    build_quarter(tree)
    with django_assert_num_queries(1):
        full = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    assert (empty.total.sessions, full.total.sessions) == (0, 4 + 14 + 11)
    assert len(empty.rows) == len(full.rows) == 8


def test_an_inactive_unit_owes_nothing(tree):
    build_quarter(tree)
    tree["STP-TT"].is_active = False
    tree["STP-TT"].save()
    overview = reports.quarter_overview(tree["BLOC"], Q1, today=AFTER)
    assert [overview.completeness(kind) for kind in KINDS] == [(4, 4), (4, 4), (3, 4)]


def test_a_subtree_report_holds_only_that_subtree(tree):
    build_quarter(tree)
    overview = reports.quarter_overview(tree["KBNN"], Q1, today=AFTER)
    assert [row.unit.code for row in overview.rows] == ["KBNN", "KBNN-1", "KBNN-2"]
    assert [row.depth for row in overview.rows] == [0, 1, 1]
    assert tallies(overview.total) == {
        "thematic": (2, 2, 2, 2),
        "monthly": (6, 6, 2, 2),
        "first_monday": (5, 6, 1, 2),
    }


def test_year_overview_and_sessions_by_quarter(tree):
    build_quarter(tree)
    year = reports.year_overview(tree["BLOC"], 2024, today=datetime.date(2025, 1, 10))
    assert [(item.quarter.number, item.total.sessions) for item in year] == [
        (1, 29),
        (2, 1),
        (3, 0),
        (4, 0),
    ]
    assert [item.completeness("thematic") for item in year] == [(4, 5), (0, 5), (0, 5), (0, 5)]
    history = reports.sessions_by_quarter(tree["BLOC"])
    assert [(p["quarter"].short_label, p["sessions"], p["attendance_rate"]) for p in history] == [
        ("IV/2023", 1, None),
        ("I/2024", 29, 92.5),
        ("II/2024", 1, None),
    ]


def test_unit_quarter_lists_records_and_reconciles_declared_figures(tree):
    build_quarter(tree)
    page = reports.unit_quarter(tree["BLOC"], Q1, today=AFTER)
    assert len(page.sessions) == 29
    assert [i.title for i in page.initiatives] == ["Cải cách thủ tục", "Cơ quan văn minh"]
    assert [o.title for o in page.outreach] == ["Gương sáng", "Chuyên mục Bản tin tư pháp"]
    assert [e.name for e in page.exemplars] == ["Trần Thị Hoa"]
    [figure] = page.service_figures
    assert (figure.on_time_rate, figure.computed_on_time_rate, figure.rate_differs) == (
        Decimal("98.06"),
        Decimal("98.99"),
        True,
    )
    assert [(f.unit.code, f.metric, f.value, f.logged, f.difference) for f in page.declared] == [
        ("STP", "monthly_meetings", Decimal("5.00"), 5, Decimal("0.00")),
        # KBNN-1's session known only as "quarter I/2024" counts toward quarter I.
        ("KBNN", "thematic_sessions", Decimal("2.00"), 2, Decimal("0.00")),
        # 20/03 is after the declared period: only the session of 10/10/2023 is logged.
        ("BDV", "thematic_sessions", Decimal("13.00"), 1, Decimal("-12.00")),
    ]


def test_the_year_reports_totals_are_the_overviews_totals(tree):
    build_quarter(tree)
    stp = reports.quarter_totals(tree["STP"], Q1, today=AFTER).total
    assert (stp.sessions, stp.units, stp.behind_units, stp.attended, stp.invited) == (9, 3, 1, 18, 20)
    populate(tree, 12)
    for today in (datetime.date(2024, 2, 10), datetime.date(2025, 1, 10)):
        for number in (1, 2):
            quarter = Quarter(2024, number)
            totals = reports.quarter_totals(tree["BLOC"], quarter, today=today)
            overview = reports.quarter_overview(tree["BLOC"], quarter, today=today)
            assert totals.total.values == overview.total.values
            assert totals.rows is None
