"""
The periods a unit reports on: quarters, halves (sơ kết 6 tháng) and years.

A period is (kind, year, number): a quarter 1–4, a half 1–2, a year 1. Which periods
are reported at all is rules.REPORTED_PERIODS; what a quarter's records belong to is
every period that contains the quarter (its quarter, its half, its year).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.periods import Quarter


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Half year")
    YEAR = "year", gettext_lazy("Year")


# How many periods of a kind a year has.
PER_YEAR = {PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
# Quarters in one period of a kind.
QUARTERS = {PeriodKind.QUARTER: 1, PeriodKind.HALF: 2, PeriodKind.YEAR: 4}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    number: int

    def __post_init__(self):
        if self.kind not in PER_YEAR or not 1 <= self.number <= PER_YEAR[self.kind]:
            raise ValueError(f"No period {self.kind} {self.number}")

    @classmethod
    def of_quarter(cls, quarter: Quarter):
        return cls(quarter.year, PeriodKind.QUARTER, quarter.number)

    @classmethod
    def containing(cls, quarter: Quarter):
        """The quarter's own period, its half and its year."""
        return [
            cls.of_quarter(quarter),
            cls(quarter.year, PeriodKind.HALF, (quarter.number + 1) // 2),
            cls(quarter.year, PeriodKind.YEAR, 1),
        ]

    @classmethod
    def parse(cls, text):
        """The period of a URL: "2026-q3", "2026-h1", "2026"."""
        text = str(text or "").strip().lower()
        year, _sep, rest = text.partition("-")
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise ValueError(text)
        if not rest:
            return cls(int(year), PeriodKind.YEAR, 1)
        kinds = {"q": PeriodKind.QUARTER, "h": PeriodKind.HALF}
        if len(rest) != 2 or rest[0] not in kinds or not rest[1].isdigit():
            raise ValueError(text)
        return cls(int(year), kinds[rest[0]], int(rest[1]))

    @property
    def slug(self):
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        return f"{self.year}-{'q' if self.kind == PeriodKind.QUARTER else 'h'}{self.number}"

    @property
    def quarters(self):
        size = QUARTERS[self.kind]
        first = (self.number - 1) * size + 1
        return [Quarter(self.year, number) for number in range(first, first + size)]

    @property
    def start(self):
        return self.quarters[0].start

    @property
    def end(self):
        return self.quarters[-1].end

    @property
    def label(self):
        if self.kind == PeriodKind.QUARTER:
            return Quarter(self.year, self.number).label
        if self.kind == PeriodKind.HALF:
            if self.number == 1:
                return _("First half of %(year)s") % {"year": self.year}
            return _("Second half of %(year)s") % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    def __str__(self):
        return self.label

    def filter(self):
        """The lookups of a Submission-like row of this period."""
        return {"period_kind": self.kind, "year": self.year, "number": self.number}
