"""Cells as offices type them, read by the import widgets."""

import datetime
from decimal import Decimal

import pytest

from tracker.imports.widgets import DateWidget, DecimalWidget, IntegerWidget


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("98,06", Decimal("98.06")),
        ("98.06", Decimal("98.06")),
        ("95,51%", Decimal("95.51")),
        ("95,51 %", Decimal("95.51")),
        ("1.234,5", Decimal("1234.50")),
        ("1,234.5", Decimal("1234.50")),
        ("1 234,5", Decimal("1234.50")),
        ("1\u00a0234,5", Decimal("1234.50")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("80.000", Decimal("80000.00")),
        ("-1", Decimal("-1.00")),
        ("98,50", Decimal("98.50")),
        (95.51, Decimal("95.51")),
        (100, Decimal("100.00")),
    ],
)
def test_decimals_with_thousands_separators_and_comma_decimals(typed, read):
    assert DecimalWidget().clean(typed) == read


@pytest.mark.parametrize(
    ("typed", "shown", "percent"),
    [
        ("99,999", "99,999", True),
        ("99.999%", "99.999%", True),
        ("1.234,567", "1.234,567", False),
        (99.999, "99,999", True),  # a percentage cell of 0,99999, or a plain number cell
        (0.9551, "0,9551", False),
        (1e-05, "0,00001", False),
    ],
)
def test_more_digits_after_the_decimal_point_than_kept_are_refused_not_rounded(typed, shown, percent):
    with pytest.raises(ValueError) as error:
        DecimalWidget(percent=percent).clean(typed)
    assert str(error.value) == (
        f"“{shown}” có nhiều hơn 2 chữ số sau dấu phẩy thập phân: chỉ ghi tối đa 2 chữ số, ví dụ 98,06."
    )


def test_a_percentage_never_reads_its_comma_as_a_thousands_separator():
    assert DecimalWidget(percent=True).clean("99,9%") == Decimal("99.90")
    assert DecimalWidget(percent=True).clean("99,990%") == Decimal("99.99")
    assert DecimalWidget().clean("99,990") == Decimal("99990.00")


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "NaN", "Infinity", "12..5", "1.23.4"])
def test_what_is_not_a_number_says_so(typed):
    with pytest.raises(ValueError) as error:
        DecimalWidget().clean(typed)
    assert str(error.value) == f"“{typed}” không phải là số, ví dụ 98,06."


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("80.000", 80000),
        ("80,000", 80000),
        ("80 000", 80000),
        ("776", 776),
        (776.0, 776),
    ],
)
def test_whole_numbers_with_thousands_separators(typed, read):
    assert IntegerWidget().clean(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("05/02/2024", datetime.date(2024, 2, 5)),
        ("5.2.2024", datetime.date(2024, 2, 5)),
        ("2024-02-05", datetime.date(2024, 2, 5)),
        (datetime.datetime(2024, 2, 5), datetime.date(2024, 2, 5)),
        (datetime.date(2024, 2, 5), datetime.date(2024, 2, 5)),
        # A date cell that lost its format shows Excel's day number.
        (45327, datetime.date(2024, 2, 5)),
        (45327.0, datetime.date(2024, 2, 5)),
        ("45327", datetime.date(2024, 2, 5)),
    ],
)
def test_dates_as_text_cells_and_excel_day_numbers(typed, read):
    assert DateWidget().clean(typed) == read


@pytest.mark.parametrize("typed", ["31/02/2024", "3", "2024", "45327,5", "hôm qua"])
def test_what_is_not_a_date_says_so(typed):
    with pytest.raises(ValueError) as error:
        DateWidget().clean(typed)
    assert str(error.value) == f"“{typed}” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."
