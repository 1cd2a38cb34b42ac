import datetime
import zoneinfo

import pytest
from django.utils import translation

from tracker.periods import Quarter, quarter_label

UTC = datetime.UTC
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 31/03 23:30 in Hanoi is 16:30 UTC the same day: quarter I.
        (datetime.datetime(2024, 3, 31, 16, 30, tzinfo=UTC), Quarter(2024, 1)),
        # 01/04 00:30 in Hanoi is still 31/03 in UTC: quarter II all the same.
        (datetime.datetime(2024, 3, 31, 17, 30, tzinfo=UTC), Quarter(2024, 2)),
        (datetime.datetime(2024, 4, 1, 0, 0, tzinfo=HANOI), Quarter(2024, 2)),
        (datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=HANOI), Quarter(2024, 1)),
        # New Year's Eve: 31/12/2023 17:00 UTC is 01/01/2024 00:00 in Hanoi.
        (datetime.datetime(2023, 12, 31, 17, 0, tzinfo=UTC), Quarter(2024, 1)),
        (datetime.date(2024, 3, 31), Quarter(2024, 1)),
        (datetime.date(2024, 4, 1), Quarter(2024, 2)),
    ],
)
def test_quarter_of_a_moment_is_taken_in_local_time(moment, expected):
    assert Quarter.of(moment) == expected


@pytest.mark.parametrize(
    "text", ["Quý I/2024", "quý i/2024", "I/2024", "Q1/2024", "1/2024", " Quý  I - 2024 ", "QUY I/2024"]
)
def test_quarter_is_read_as_people_write_it(text):
    assert Quarter.parse(text) == Quarter(2024, 1)


@pytest.mark.parametrize("text", ["", "V/2024", "Quý 5/2024", "2024", "I/24", None])
def test_unreadable_quarter_is_refused(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_quarter_bounds_and_neighbours():
    assert (Quarter(2024, 1).start, Quarter(2024, 1).end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
    )
    assert (Quarter(2024, 4).start, Quarter(2024, 4).end) == (
        datetime.date(2024, 10, 1),
        datetime.date(2024, 12, 31),
    )
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2024, 1).previous() == Quarter(2023, 4)


def test_labels_in_vietnamese_and_english():
    with translation.override("vi"):
        assert Quarter(2024, 1).label == "Quý I/2024"
        assert quarter_label(2024, 4) == "Quý IV/2024"
        assert quarter_label(2024, None) == "2024"
    with translation.override("en"):
        assert Quarter(2024, 3).label == "Quarter III/2024"
    assert Quarter(2024, 2).short_label == "II/2024"
