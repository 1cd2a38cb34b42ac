"""
Quarters and years as the campaign counts them.

A quarter is written with a Roman numeral: "Quý I/2024". Dates are local dates
(Asia/Ho_Chi_Minh); an aware datetime is converted to local time before its
quarter is taken, so 31/03 23:30 in Hanoi stays in quarter I even though it is
already 1 April nowhere and 31 March in UTC.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
FROM_ROMAN = {numeral: number for number, numeral in ROMAN.items()}
QUARTER_CHOICES = list(ROMAN.items())

_QUARTER_RE = re.compile(
    r"^\s*(?:(?:quý|quy|q|quarter)\s*)?(I{1,3}|IV|[1-4])\s*[/\-.\s]\s*(\d{4})\s*$",
    re.IGNORECASE,
)


def local_date(value):
    """The local calendar date of a date or an aware datetime."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def quarter_number(month):
    return (month - 1) // 3 + 1


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self):
        if self.number not in ROMAN:
            raise ValueError(f"Quarter number must be 1-4, not {self.number!r}")

    @classmethod
    def of(cls, value):
        """The quarter that holds a date or an aware datetime (in local time)."""
        day = local_date(value)
        return cls(day.year, quarter_number(day.month))

    @classmethod
    def current(cls):
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text):
        """Read "Quý I/2024", "I/2024", "Q1/2024" or "1/2024"."""
        match = _QUARTER_RE.match(str(text or ""))
        if not match:
            raise ValueError(f"Not a quarter: {text!r}")
        numeral, year = match.groups()
        number = int(numeral) if numeral.isdigit() else FROM_ROMAN[numeral.upper()]
        return cls(int(year), number)

    @property
    def roman(self):
        return ROMAN[self.number]

    @property
    def label(self):
        return _("Quarter %(roman)s/%(year)s") % {"roman": self.roman, "year": self.year}

    @property
    def short_label(self):
        return f"{self.roman}/{self.year}"

    @property
    def start(self):
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self):
        if self.number == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.number + 1, 1) - datetime.timedelta(days=1)

    def __str__(self):
        return self.label

    def next(self):
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self):
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)


def quarter_label(year, number):
    """ "Quý I/2024" for a year and quarter; only the year when the quarter is unknown."""
    if number is None:
        return str(year)
    return Quarter(year, number).label


# Database expressions, so that constraints can tie a stored year and quarter to a
# date. Django's own ExtractYear calls a Python function on SQLite, which a CHECK
# constraint cannot rely on; these use each database's built-in date functions.


class YearOf(models.Func):
    """The calendar year of a date column."""

    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
        )


class QuarterOf(models.Func):
    """The quarter (1-4) of a date column."""

    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((CAST(strftime('%%%%m', %(expressions)s) AS INTEGER) + 2) / 3)",
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(QUARTER FROM %(expressions)s) AS INTEGER)"
        )
