"""
What the campaign expects of each kind of unit, and where a unit stands against it:
the one definition every page, download and document reads.

Conclusion 01-KL/TW and the party's plans ask each party cell for a thematic session
on studying and following Ho Chi Minh every quarter, a monthly meeting with
self-criticism and criticism, and study on the morning of the first Monday of each
month. Party committees hold none of these themselves; their cells do, and reports
roll the cells' records up to them. Change a number here and every report, its
"behind" marks and its completeness follow.

The words, for one unit, one kind of session and one quarter, on a given day:

- owed (`full`): what the quarter asks for in all (3 monthly meetings, 1 thematic session).
- owed by today (`due`): what should be held by now: of a past quarter, all of it; of the
  current one, one per month already over (a quarterly session once the quarter is over).
- held (`held`): what counts toward what is owed, at most `full`: for a kind owed monthly,
  the months that had one (two meetings in October do not stand in for November; an
  undated session proves no month); otherwise the sessions held. What is held beyond
  that is `extra`, shown as held in full and explained on the unit's page.
- missing (`missing`): the months already over that had none ("thiếu tháng 10"); for a
  quarterly kind, the quarter once it is over without one.
- behind: something is missing. On track: owed this quarter and nothing missing.
- still to hold (`remaining`): owed minus held, by the deadline: the end of the first
  month still without one (the quarter's end for a quarterly kind).

A committee's figures add up its units': "45/183" held of owed, and "43/61 units on
track" of the units that owe the kind this quarter.
"""

import datetime
import functools
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from activities.models import MeetingGrade, SessionKind
from tracker.periods import Quarter
from units.models import UnitKind

# Where a unit stands for one kind of session.
NOT_OWED = "not_owed"  # the unit owes none of this kind (a committee, an inactive unit)
DONE = "done"  # held in full for the quarter
ON_TRACK = "on_track"  # nothing missing so far, more still to hold
BEHIND = "behind"  # a month (or the quarter) went by without one
NOT_YET = "not_yet"  # nothing owed yet and nothing held (the first month of a quarter)


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
        return self.count * len(months_over(quarter, today))


def months_of(quarter: Quarter):
    return range(3 * quarter.number - 2, 3 * quarter.number + 1)


def month_end(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def months_over(quarter: Quarter, today: datetime.date):
    """The months of the quarter that ended before `today`."""
    return [month for month in months_of(quarter) if month_end(quarter.year, month) < today]


def month_bit(quarter: Quarter, month):
    """A month's bit in the mask of months held (the first month of a quarter is 1)."""
    return 1 << (month - months_of(quarter)[0])


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one unit stands for one kind of session in a quarter, on a day."""

    full: int
    due: int
    held: int
    extra: int
    missing: tuple  # month numbers; for a quarterly kind, (0,) once the quarter went by without one
    deadline: datetime.date | None  # when the next one is owed by; None when held in full

    @property
    def status(self):
        if not self.full:
            return NOT_OWED
        if self.missing:
            return BEHIND
        if self.held >= self.full:
            return DONE
        return ON_TRACK if self.due else NOT_YET

    @property
    def is_behind(self):
        return bool(self.missing)

    @property
    def remaining(self):
        return self.full - self.held


def standing(expectation, quarter: Quarter, today: datetime.date, recorded: int, per="session"):
    """
    A unit's Standing from what the overview recorded for a kind: when the kind is
    counted per month (counted_per), the mask of the months that had one (month_bit);
    otherwise the number of sessions.
    """
    held_months = [month for month in months_of(quarter) if recorded & month_bit(quarter, month)]
    count = len(held_months) if per == "month" else recorded
    if expectation is None:
        return Standing(full=0, due=0, held=0, extra=count, missing=(), deadline=None)
    full, due = expectation.full(), expectation.due(quarter, today)
    if expectation.per == "month" and per == "month":
        count *= expectation.count
        over = list(months_of(quarter)) if today > quarter.end else months_over(quarter, today)
        missing = tuple(month for month in over if month not in held_months)
        still_open = [month for month in months_of(quarter) if month not in held_months and month not in over]
        deadline = month_end(quarter.year, still_open[0]) if still_open else None
    else:
        missing = (0,) if today > quarter.end and count < full else ()
        deadline = quarter.end if count < full and today <= quarter.end else None
    return Standing(
        full=full,
        due=due,
        held=min(count, full),
        extra=max(count - full, 0),
        missing=missing,
        deadline=deadline,
    )


@functools.lru_cache(maxsize=4096)
def cached_standing(expectation, quarter, today, recorded, per):
    """The same Standing for the many units that recorded the same thing."""
    return standing(expectation, quarter, today, recorded, per)


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


# How every page, download and document says it.

STATUS_LABELS = {
    NOT_OWED: _("not owed"),
    DONE: _("held in full"),
    ON_TRACK: _("on track"),
    BEHIND: _("behind"),
    NOT_YET: _("not yet due"),
}


def missing_text(missing):
    """ "missing month 10", "missing months 10, 12", or, for a quarterly kind, "not held this quarter"."""
    if not missing:
        return ""
    if missing == (0,):
        return gettext("not held this quarter")
    return ngettext("missing month %(months)s", "missing months %(months)s", len(missing)) % {
        "months": ", ".join(str(month) for month in missing)
    }


def standing_text(standing):
    """One unit's standing in words: "behind: missing month 10", "held in full", "on track"."""
    status = str(STATUS_LABELS[standing.status])
    if standing.missing:
        return f"{status}: {missing_text(standing.missing)}"
    return status


# Cell meetings under the 2025 rules: one place for every number, each with where it
# comes from. "Reported" means read in the press or in third-party material, not in
# the document itself: such a number is kept here so that it can be corrected.


@dataclass(frozen=True)
class MeetingRules:
    # Chỉ thị 50-CT/TW (23/7/2025) and Hướng dẫn 42-HD/BTCTW (28/10/2025): a regular
    # meeting lasts at least 90 minutes, at least 120 with the thematic one held with it.
    minimum_minutes: int = 90
    combined_minimum_minutes: int = 120
    # HD 42: the meeting's documents are posted on Sổ tay at least one day before.
    documents_days_before: int = 1
    # Reported (unverified): the resolution is published there within 2 days after.
    resolution_days_after: int = 2


MEETING_RULES = MeetingRules()

# The sessions these rules apply to: the cell's meetings, regular and thematic (the
# morning study and training courses are not meetings).
MEETING_KINDS = (SessionKind.MONTHLY, SessionKind.THEMATIC)
# The sessions scored on QUALITY_ITEMS: the regular meetings (HD 42 assesses those).
SCORED_KIND = SessionKind.MONTHLY


def meeting_minutes(session):
    """How long the meeting lasted, in minutes; None when its times are not recorded."""
    if session.starts_at is None or session.ends_at is None:
        return None
    start = datetime.datetime.combine(datetime.date.min, session.starts_at)
    end = datetime.datetime.combine(datetime.date.min, session.ends_at)
    return int((end - start).total_seconds() // 60)


def minimum_minutes(session, rules=MEETING_RULES):
    """What the meeting had to last: the combined meeting's minimum when it held the thematic one too."""
    return rules.combined_minimum_minutes if session.also_thematic else rules.minimum_minutes


def is_short(session, rules=MEETING_RULES):
    """True when the meeting lasted less than its minimum; None when its times are not recorded."""
    minutes = meeting_minutes(session)
    return None if minutes is None else minutes < minimum_minutes(session, rules)


def documents_on_time(session, rules=MEETING_RULES):
    """True when the documents were posted the required days before; None when unknown."""
    if session.documents_posted_on is None or session.date is None:
        return None
    return (session.date - session.documents_posted_on).days >= rules.documents_days_before


def documents_late(session, rules=MEETING_RULES):
    """True when the documents were posted later than the rule asks; None when not posted or undated."""
    on_time = documents_on_time(session, rules)
    return None if on_time is None else not on_time


def resolution_on_time(session, rules=MEETING_RULES):
    """True when the resolution was published within the days allowed after; None when unknown."""
    if session.resolution_published_on is None or session.date is None:
        return None
    return (session.resolution_published_on - session.date).days <= rules.resolution_days_after


# The meeting's self-assessment on 100 points (Hướng dẫn 42-HD/BTCTW). Reported, not read
# in the document itself: the items and their points (time 5, attendance 5, preparation
# 10, conduct 30, chairing 10, principles 5, results of last month's resolution 30,
# closing 5) and the grades. How the tracker computes an item from the data is its own
# reading, said beside each item below: change it here and every page follows.


@dataclass(frozen=True)
class ScoreItem:
    key: str
    label: str
    points: int
    # Computed from what the session records; otherwise entered by the cell.
    computed: bool
    how: str = ""


QUALITY_ITEMS = (
    ScoreItem("time", _("Time"), 5, True, _("full when the meeting lasted its minimum, none when shorter")),
    ScoreItem(
        "attendance",
        _("Attendance"),
        5,
        True,
        _(
            "the share of members present, less a point for each absence without leave and for each "
            "member absent with leave three meetings running"
        ),
    ),
    ScoreItem(
        "preparation",
        _("Preparation"),
        10,
        True,
        _("full when the documents were posted on Sổ tay in time, half when later, none when not posted"),
    ),
    ScoreItem("conduct", _("Conduct of the meeting"), 30, False),
    ScoreItem("chairing", _("Chairing"), 10, False),
    ScoreItem("principles", _("Principles"), 5, False),
    ScoreItem(
        "results",
        _("Results of the last meeting's resolution"),
        30,
        True,
        _("the share of the tasks the last regular meeting assigned that this one reviewed (full when none)"),
    ),
    ScoreItem(
        "closing", _("Closing"), 5, True, _("full when the resolution was published on Sổ tay in time")
    ),
)
# Members absent with leave this many meetings running are named on the unit's page.
ABSENCE_STREAK = 3

GOOD, FAIR, AVERAGE, POOR = MeetingGrade.values
# Lowest total of each grade, best first (reported: Tốt ≥ 90, Khá 70–<90, Trung bình 50–<70, Kém < 50).
# The tally counts each grade (SessionTally.grade_<grade>): a grade is renamed or added by a migration.
GRADES = ((90, GOOD), (70, FAIR), (50, AVERAGE), (0, POOR))
GRADE_LABELS = dict(MeetingGrade.choices)


def grade_of(total, grades=GRADES):
    return next(grade for lowest, grade in grades if total >= lowest)


@dataclass(frozen=True)
class MeetingFacts:
    """What a meeting's computed items read, gathered by the caller (members.scoring)."""

    minutes_short: bool | None  # is_short()
    present: int
    expected: int
    unexcused: int
    on_leave_streaks: int  # members absent with leave ABSENCE_STREAK meetings running, this one included
    documents_on_time: bool | None  # None: not posted
    resolution_on_time: bool | None
    tasks_assigned_last_time: int
    tasks_reviewed: int


def computed_points(item, facts):
    """The points of a computed item from the meeting's facts."""
    if item.key == "time":
        return item.points if facts.minutes_short is False else 0
    if item.key == "attendance":
        share = round(item.points * facts.present / facts.expected) if facts.expected else 0
        return max(0, share - facts.unexcused - facts.on_leave_streaks)
    if item.key == "preparation":
        if facts.documents_on_time is None:
            return 0
        return item.points if facts.documents_on_time else item.points // 2
    if item.key == "results":
        if not facts.tasks_assigned_last_time:
            return item.points
        return round(item.points * facts.tasks_reviewed / facts.tasks_assigned_last_time)
    if item.key == "closing":
        return item.points if facts.resolution_on_time else 0
    raise ValueError(item.key)


@dataclass(frozen=True)
class ScoreCard:
    items: tuple  # (ScoreItem, points or None when an entered item is not entered yet)
    total: int
    grade: str

    @property
    def assessed(self):
        """Whether the cell gave every item it enters: only then is the meeting graded in the reports."""
        return all(points is not None for _item, points in self.items)


def score_card(facts, entered, items=QUALITY_ITEMS, grades=GRADES):
    """
    The meeting's score: the computed items from `facts`, the others from `entered`
    ({item key: points}, capped at the item's points); the grade of the total.
    """
    scored = []
    for item in items:
        if item.computed:
            points = computed_points(item, facts)
        else:
            points = entered.get(item.key)
            points = None if points is None else max(0, min(item.points, points))
        scored.append((item, points))
    total = sum(points or 0 for _item, points in scored)
    return ScoreCard(items=tuple(scored), total=total, grade=grade_of(total, grades))


# The reporting cycle (reporting/): when each level hands in its report for a period,
# and when the period's records close. A bloc administrator changes these in the
# admin ("Hạn nộp báo cáo"), from a date on, because the rules differ by province and
# changed in 2025; these are what applies where the admin says nothing.


@dataclass(frozen=True)
class ReportingDeadline:
    # The report is due this many days after the period's last day: 5 after a
    # quarter is the 5th of the month that follows it.
    deadline_days: int
    # After this many days past the period's last day the period closes: its records
    # are locked, whatever was submitted.
    closing_days: int


# Who reports: cells (grassroots or subordinate), committees, the bloc.
REPORTING_LEVELS = ("cell", "committee", "bloc")
LEVEL_OF_KIND = {
    UnitKind.CELL: "cell",
    UnitKind.GRASSROOTS_CELL: "cell",
    UnitKind.GRASSROOTS_COMMITTEE: "committee",
    UnitKind.BLOC: "bloc",
}

REPORTING_DEADLINES = {
    ("quarter", "cell"): ReportingDeadline(5, 30),
    ("quarter", "committee"): ReportingDeadline(10, 30),
    ("quarter", "bloc"): ReportingDeadline(15, 30),
    ("half", "cell"): ReportingDeadline(5, 30),
    ("half", "committee"): ReportingDeadline(10, 30),
    ("half", "bloc"): ReportingDeadline(15, 30),
    ("year", "cell"): ReportingDeadline(10, 45),
    ("year", "committee"): ReportingDeadline(15, 45),
    ("year", "bloc"): ReportingDeadline(20, 45),
}

# The defaults apply to the periods ending on or after this day: the first quarter
# the tracker ran the cycle for. Earlier periods have no deadline and never close by
# date (their records were entered before there was a cycle to hand them in); a bloc
# administrator's rule from an earlier day brings them in.
REPORTING_CYCLE_STARTS = datetime.date(2026, 12, 31)

# The periods units report on: every quarter, the first half (sơ kết 6 tháng đầu năm)
# and the year (tổng kết); the second half is covered by the year's report.
REPORTED_PERIODS = {"quarter": (1, 2, 3, 4), "half": (1,), "year": (1,)}

# The secretary is reminded this many days before the deadline when nothing is submitted.
REMINDER_DAYS_BEFORE = 3
# Staff get their summary of the week on this weekday (0 is Monday).
WEEKLY_SUMMARY_WEEKDAY = 0
