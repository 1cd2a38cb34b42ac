"""
The sessions counted per unit and quarter (activities/tally.py) stay equal to the
sessions themselves, whichever way they are written, on both databases.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from activities.models import SessionTally, StudySession
from activities.tests.factories import make_session
from units.tests.factories import make_bloc, make_unit

Kind = StudySession.Kind
COLUMNS = [
    "sessions",
    "attended",
    "invited",
    "thematic_count",
    "thematic_months",
    "monthly_count",
    "monthly_months",
    "first_monday_count",
    "first_monday_months",
    "training_count",
    "training_months",
    "thematic_date",
]
MONTH_BIT = {1: 1, 2: 2, 0: 4}  # a quarter's first, second and third month


def counted_from_sessions():
    """The tally worked out in Python from every stored session."""
    tallies = {}
    for session in StudySession.objects.all():
        row = tallies.setdefault(
            (session.unit_id, session.year, session.quarter), dict.fromkeys(COLUMNS[:-1], 0)
        )
        row.setdefault("thematic_date", None)
        row["sessions"] += 1
        if session.attended is not None and session.expected is not None:
            row["attended"] += session.attended
            row["invited"] += session.expected
        row[f"{session.kind}_count"] += 1
        if session.date is not None:
            row[f"{session.kind}_months"] |= MONTH_BIT[session.date.month % 3]
        if session.kind == Kind.THEMATIC and session.date is not None:
            first = row["thematic_date"]
            row["thematic_date"] = session.date if first is None else min(first, session.date)
    return tallies


def stored_tally():
    """The tally as stored (a quarter whose sessions are all gone has no row)."""
    return {
        (row.pop("unit_id"), row.pop("year"), row.pop("quarter")): row
        for row in SessionTally.objects.values("unit_id", "year", "quarter", *COLUMNS)
    }


@pytest.fixture
def cells():
    committee = make_unit(make_bloc())
    return make_unit(committee), make_unit(committee)


@pytest.mark.django_db
def test_a_hand_built_quarter_is_counted_exactly(cells):
    cell, _ = cells
    make_session(cell, kind=Kind.THEMATIC, date=datetime.date(2025, 2, 10), attended=18, expected=20)
    make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 1, 5), attended=15, expected=20)
    make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 3, 3), attended=None, expected=20)
    make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 3, 24), attended=19, expected=None)
    make_session(cell, kind=Kind.THEMATIC, date=None, year=2025, quarter=1, attended=10, expected=12)

    row = SessionTally.objects.values(*COLUMNS).get(unit=cell, year=2025, quarter=1)

    assert row == {
        "sessions": 5,
        "attended": 43,  # 18 + 15 + 10: only sessions with both figures
        "invited": 52,
        "thematic_count": 2,
        "thematic_months": 2,  # February; the undated one has no month
        "monthly_count": 3,
        "monthly_months": 5,  # January and March (two in March count once)
        "first_monday_count": 0,
        "first_monday_months": 0,
        "training_count": 0,
        "training_months": 0,
        "thematic_date": datetime.date(2025, 2, 10),
    }


@pytest.mark.django_db
def test_every_way_of_writing_sessions_keeps_the_tally_true(cells):
    cell, other = cells
    first = make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 1, 5))
    moved = make_session(cell, kind=Kind.THEMATIC, date=datetime.date(2025, 2, 10))
    assert stored_tally() == counted_from_sessions()

    # Saved into another quarter and another unit: both quarters recounted.
    moved.date = datetime.date(2025, 5, 2)
    moved.unit = other
    moved.save()
    assert SessionTally.objects.get(unit=cell, year=2025, quarter=1).thematic_count == 0
    assert SessionTally.objects.get(unit=other, year=2025, quarter=2).thematic_count == 1
    assert stored_tally() == counted_from_sessions()

    # An import's bulk insert, over two units and three quarters.
    StudySession.objects.bulk_create(
        StudySession(
            unit=unit,
            kind=Kind.MONTHLY,
            date=day,
            year=day.year,
            quarter=(day.month - 1) // 3 + 1,
            topic=f"Sinh hoạt {n}",
            attended=10 + n,
            expected=30,
        )
        for n, (unit, day) in enumerate(
            [
                (cell, datetime.date(2025, 2, 3)),
                (cell, datetime.date(2025, 8, 4)),
                (other, datetime.date(2025, 5, 5)),
                (other, datetime.date(2025, 11, 3)),
            ]
        )
    )
    assert stored_tally() == counted_from_sessions()

    # A queryset update and a queryset delete, as the admin's actions run them.
    StudySession.objects.filter(unit=cell).update(attended=7)
    assert stored_tally() == counted_from_sessions()
    StudySession.objects.filter(unit=other, year=2025, quarter=2).delete()
    assert stored_tally() == counted_from_sessions()
    first.delete()
    assert stored_tally() == counted_from_sessions()
    assert SessionTally.objects.get(unit=cell, year=2025, quarter=1).sessions == 1


@pytest.mark.django_db
def test_plain_sql_is_counted_too(cells):
    cell, _ = cells
    make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 1, 5), attended=15, expected=20)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {StudySession._meta.db_table} SET expected = 30 WHERE unit_id = %s", [cell.pk]
        )

    assert SessionTally.objects.get(unit=cell, year=2025, quarter=1).invited == 30


@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_one_quarter_both_count():
    """
    Two clerks save a session of the same cell and quarter at once: the second's
    recount waits for the first to commit, then sees both (PostgreSQL; SQLite lets one
    writer in at a time).
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no second transaction to race")
    cell = make_unit(make_unit(make_bloc()))
    # The quarter is already counted: both transactions update the one tally row.
    make_session(cell, kind=Kind.THEMATIC, date=datetime.date(2025, 3, 2))
    first_inserted, second_started = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 1, 5))
                first_inserted.set()
                # Holds its transaction open until the second has begun its insert.
                second_started.wait(10)
                threading.Event().wait(0.5)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def second():
        try:
            first_inserted.wait(10)
            with transaction.atomic():
                second_started.set()
                make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 2, 9))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert errors == []
    row = SessionTally.objects.get(unit=cell, year=2025, quarter=1)
    assert (row.sessions, row.monthly_count, row.monthly_months, row.thematic_count) == (3, 2, 3, 1)


@pytest.mark.django_db
def test_recount_sessions_counts_again_and_says_what_differed(cells):
    from io import StringIO

    from django.core.management import call_command

    cell, other = cells
    make_session(cell, kind=Kind.MONTHLY, date=datetime.date(2025, 1, 5))
    make_session(other, kind=Kind.MONTHLY, date=datetime.date(2025, 4, 6))
    SessionTally.objects.filter(unit=cell).update(sessions=9)  # as if it had drifted

    out = StringIO()
    call_command("recount_sessions", stdout=out)

    assert out.getvalue() == "Đã đếm lại: 2 quý của các đơn vị; 1 khác với số đã lưu.\n"
    assert stored_tally() == counted_from_sessions()


@pytest.mark.django_db
def test_on_postgresql_the_triggers_reach_the_tally_by_its_index_and_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's triggers are SQL statements without settings")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname LIKE 'activities_sessiontally_%' ORDER BY proname"
        )
        functions = cursor.fetchall()

    assert functions == [
        (f"activities_sessiontally_{event}", ["enable_seqscan=off", "jit=off"])
        for event in ("delete", "insert", "update")
    ]
