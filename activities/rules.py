"""
What the campaign expects of each kind of unit: the one place every report reads.

Conclusion 01-KL/TW and the bloc's plans ask each party cell for a thematic session
on studying and following Ho Chi Minh every quarter, a monthly meeting with
self-criticism and criticism, and study on the morning of the first Monday of each
month. Party committees hold none of these themselves; their cells do, and reports
roll the cells' records up to them. Change a number here and every report, its
"behind" marks and its completeness follow.
"""

import datetime
from dataclasses import dataclass

from activities.models import SessionKind
from tracker.periods import Quarter
from units.models import UnitKind


@dataclass(frozen=True)
class Expectation:
    """How many sessions of a kind a unit owes: per quarter or per month."""

    kind: str
    count: int
    per: str  # "quarter" or "month"

    def full(self):
        """Owed over a whole quarter."""
        return self.count * (3 if self.per == "month" else 1)

    def due(self, quarter: Quarter, today: datetime.date):
        """
        Owed by `today`: all of a past quarter; of the current quarter, the months
        already over (a quarterly session is owed once the quarter ends); none of a
        future quarter.
        """
        if today > quarter.end:
            return self.full()
        if today < quarter.start or self.per == "quarter":
            return 0
        months_over = sum(1 for month in months_of(quarter) if month_end(quarter.year, month) < today)
        return self.count * months_over


def months_of(quarter: Quarter):
    return range(3 * quarter.number - 2, 3 * quarter.number + 1)


def month_end(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


CELL_EXPECTATIONS = (
    Expectation(SessionKind.THEMATIC, 1, "quarter"),
    Expectation(SessionKind.MONTHLY, 1, "month"),
    Expectation(SessionKind.FIRST_MONDAY, 1, "month"),
)

# Unit kind -> what it owes. Kinds not listed owe nothing themselves.
EXPECTATIONS = {
    UnitKind.GRASSROOTS_CELL: CELL_EXPECTATIONS,
    UnitKind.CELL: CELL_EXPECTATIONS,
}

# The session kinds reports follow, in the order of their columns.
TRACKED_KINDS = (SessionKind.THEMATIC, SessionKind.MONTHLY, SessionKind.FIRST_MONDAY)


def expectation_for(unit_kind, session_kind, rules=None):
    """The Expectation of a unit kind for a session kind, or None when nothing is owed."""
    for expectation in (rules if rules is not None else EXPECTATIONS).get(unit_kind, ()):
        if expectation.kind == session_kind:
            return expectation
    return None


def counted_per(session_kind, rules=None):
    """
    How the sessions of a kind held are counted: "month" (the months that had one) when
    some unit owes them monthly, so that two meetings in one month do not stand in for
    a missed month; otherwise "session" (each one counts).
    """
    for expectations in (rules if rules is not None else EXPECTATIONS).values():
        for expectation in expectations:
            if expectation.kind == session_kind and expectation.per == "month":
                return "month"
    return "session"
