"""The bulk history writer records exactly what django-simple-history would."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history as library_bulk_create

from activities.models import ServiceFigure, StudySession
from tracker import history

pytestmark = pytest.mark.django_db

# Set by the clock: compared with the stored rows instead.
IGNORED = {"history_id", "history_date", "created_at", "updated_at"}


def history_rows(model, ids):
    rows = model.history.filter(id__in=ids).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in IGNORED} for row in rows]


def sessions(unit, topics):
    return [
        StudySession(
            unit=unit,
            kind=StudySession.Kind.MONTHLY,
            date=datetime.date(2024, 3, 31),
            year=2024,
            quarter=1,
            topic=topic,
            attended=18,
            expected=20,
            has_self_criticism=True,
            minutes="Biên bản\nsố 1",
        )
        for topic in topics
    ]


def test_created_rows_have_the_same_history_as_the_librarys(tree):
    user = get_user_model().objects.create_user("alice")
    ours = history.bulk_create_with_history(
        sessions(tree["STP"], ["Học tập", "Làm theo"]), StudySession, user=user
    )
    theirs = library_bulk_create(
        sessions(tree["KBNN"], ["Học tập", "Làm theo"]), StudySession, default_user=user
    )

    mine, library = (
        history_rows(StudySession, [o.pk for o in ours]),
        history_rows(StudySession, [o.pk for o in theirs]),
    )
    assert len(mine) == 2
    for row, expected, obj, other in zip(mine, library, ours, theirs, strict=True):
        assert (row["id"], row["unit_id"], expected["id"], expected["unit_id"]) == (
            obj.pk,
            tree["STP"].pk,
            other.pk,
            tree["KBNN"].pk,
        )
        assert row == {**expected, "id": obj.pk, "unit_id": tree["STP"].pk}
    assert [(r["topic"], r["history_type"], r["history_user_id"], r["date"]) for r in mine] == [
        ("Học tập", "+", user.pk, datetime.date(2024, 3, 31)),
        ("Làm theo", "+", user.pk, datetime.date(2024, 3, 31)),
    ]
    # Created and updated times, written by the database driver, read back the same.
    for obj in ours:
        stored = StudySession.objects.get(pk=obj.pk)
        record = StudySession.history.get(id=obj.pk)
        assert (record.created_at, record.updated_at) == (stored.created_at, stored.updated_at)
        assert abs(record.history_date - stored.created_at) < datetime.timedelta(minutes=1)


def test_decimals_and_updates_are_recorded(tree):
    figure = ServiceFigure(
        unit=tree["STP"],
        agency="Sở Tư pháp",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 3, 31),
        received=1000,
        carried_over=10,
        resolved=990,
        on_time=980,
        on_time_rate=Decimal("98.99"),
    )
    [figure] = history.bulk_create_with_history([figure], ServiceFigure)
    figure.on_time_rate = Decimal("97.50")
    history.bulk_update_with_history([figure], ServiceFigure, ["on_time_rate"])

    records = ServiceFigure.history.filter(id=figure.pk).order_by("history_id")
    assert [(r.history_type, r.on_time_rate, r.history_user_id) for r in records] == [
        ("+", Decimal("98.99"), None),
        ("~", Decimal("97.50"), None),
    ]
    assert ServiceFigure.objects.get(pk=figure.pk).on_time_rate == Decimal("97.50")
