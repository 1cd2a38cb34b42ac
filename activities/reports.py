"""
The numbers behind the staff pages: per unit and per quarter, who did what and who is
behind.

A quarter's overview is one SQL statement, whatever the number of units or records:
each kind of record grouped by unit in the database, joined to the unit list. The
per-unit rows (about a thousand for a province) are then summed up the tree in Python,
so that every committee shows the totals of its subtree. The statement is written
out (OVERVIEW_SQL) rather than composed by the ORM: compiling its dozen filtered
aggregates took longer than running them.
"""

import datetime
import functools
import operator
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from activities import rules, tally
from activities.models import (
    DeclaredFigure,
    Exemplar,
    Initiative,
    InitiativeStatus,
    Metric,
    Outreach,
    ServiceFigure,
    SessionKind,
    SessionTally,
    StudySession,
)
from tracker.periods import Quarter, QuarterOf, YearOf
from tracker.text import lowercase_first
from units.models import SEGMENT, Unit, UnitKind, path_upper_bound, unit_label

PATH_LENGTH = Unit._meta.get_field("path").max_length


STAGES = tuple(InitiativeStatus.values)


class UnitRow(NamedTuple):
    """The few columns of a unit a report needs (read as values: no model instances)."""

    pk: int
    code: str
    name: str
    parent_name: str
    kind: str
    path: str
    parent_id: int | None
    is_active: bool

    @property
    def label(self):
        """The name with its parent's, as a unit is named outside its tree (Unit.label)."""
        return unit_label(self.name, self.parent_name, self.path)


PATH_COLUMN = UnitRow._fields.index("path")

# A Figures is a flat list of counts, so that rolling a thousand units up the tree is
# a thousand additions of two lists. Its layout: first what was recorded, in the order
# the overview's query returns it (good models per stage, outreach, exemplars,
# sessions, attended, invited, the meetings' MEETING_COUNTS); then, per tracked kind, the Standing of rules.py
# summed (held, extra, owed in the quarter, owed by today, units owing, units on
# track); then units and units behind.
KINDS = len(rules.TRACKED_KINDS)
OUTREACH, EXEMPLARS, SESSIONS, ATTENDED, INVITED = range(len(STAGES), len(STAGES) + 5)
# The meetings' counts, as the tally keeps them (activities/tally.py): attendance of the
# meetings with a roll call, absences without leave, meetings short of their minimum,
# documents posted late, and how many meetings of each grade (rules.GRADES).
MEETING_COUNTS = tally.meeting_columns()
ROLL_PRESENT, ROLL_EXPECTED, UNEXCUSED, SHORT_MEETINGS, LATE_DOCUMENTS = range(INVITED + 1, INVITED + 6)
GRADED = LATE_DOCUMENTS + 1  # the grades' counts, in tally.GRADES order
RAW = INVITED + 1 + len(MEETING_COUNTS)  # where the query's per-kind counts (or month masks) start
RECORDED = RAW  # the recorded part a Figures keeps as it is
PER_KIND = 6
HELD, EXTRA, FULL, DUE, OWING, ON_TRACK = range(PER_KIND)
UNITS = RECORDED + PER_KIND * KINDS
BEHIND_UNITS = UNITS + 1
WIDTH = BEHIND_UNITS + 1


def kind_at(field):
    return lambda self: self.values[RECORDED + PER_KIND * self.kind + field]


class Tally:
    """
    One tracked kind over a unit or a subtree, in the words of rules.py: held (toward
    what is owed), extra, owed in the quarter (`full`), owed by today (`due`), units
    owing and units on track. For a single unit, its Standing (missing months, deadline).
    """

    __slots__ = ("values", "kind", "standing")

    def __init__(self, values, kind, standing=None):
        self.values, self.kind, self.standing = values, kind, standing  # kind: the index in TRACKED_KINDS

    held = property(kind_at(HELD))
    extra = property(kind_at(EXTRA))
    full = property(kind_at(FULL))
    due = property(kind_at(DUE))
    units_due = property(kind_at(OWING))  # units that owe this kind in the quarter
    units_on_track = property(kind_at(ON_TRACK))

    @property
    def units_behind(self):
        return self.units_due - self.units_on_track

    @property
    def is_behind(self):
        return self.units_behind > 0

    @property
    def remaining(self):
        return self.full - self.held

    @property
    def status(self):
        """rules' status of a unit; for a subtree, behind when any unit is."""
        if self.standing is not None:
            return self.standing.status
        if not self.full:
            return rules.NOT_OWED
        if self.is_behind:
            return rules.BEHIND
        if self.held >= self.full:
            return rules.DONE
        return rules.ON_TRACK if self.due else rules.NOT_YET

    @property
    def missing(self):
        return self.standing.missing if self.standing is not None else ()

    @property
    def deadline(self):
        return self.standing.deadline if self.standing is not None else None

    @property
    def label(self):
        """The kind of session this tally follows, as users call it."""
        return StudySession.Kind(rules.TRACKED_KINDS[self.kind]).label

    @property
    def status_label(self):
        return rules.STATUS_LABELS[self.status]

    @property
    def missing_text(self):
        return rules.missing_text(self.missing)


def count_at(position):
    return property(lambda self: self.values[position])


class Figures:
    """
    What a unit, or a subtree, did in a quarter: a Tally per tracked kind; sessions;
    attendance, where `invited` is the expected attendance of the sessions that
    recorded both numbers; good models per stage; outreach; exemplars; units; and
    units behind, those missing something in any column, each counted once. A unit's
    own Figures also keep its Standing per kind (a sum has none).
    """

    __slots__ = ("values", "standings")

    def __init__(self, values=None, standings=None):
        self.values = values if values is not None else [0] * WIDTH
        self.standings = standings

    sessions = count_at(SESSIONS)
    attended = count_at(ATTENDED)
    invited = count_at(INVITED)
    outreach = count_at(OUTREACH)
    exemplars = count_at(EXEMPLARS)
    roll_present = count_at(ROLL_PRESENT)
    roll_expected = count_at(ROLL_EXPECTED)
    unexcused = count_at(UNEXCUSED)
    short_meetings = count_at(SHORT_MEETINGS)
    late_documents = count_at(LATE_DOCUMENTS)
    units = count_at(UNITS)
    behind_units = count_at(BEHIND_UNITS)

    @property
    def tallies(self):
        standings = self.standings or (None,) * KINDS
        return {kind: Tally(self.values, i, standings[i]) for i, kind in enumerate(rules.TRACKED_KINDS)}

    @property
    def initiatives(self):
        return dict(zip(STAGES, self.values, strict=False))

    @property
    def initiative_count(self):
        return sum(self.values[: len(STAGES)])

    @property
    def attendance_rate(self):
        if not self.invited:
            return None
        return round(100 * self.attended / self.invited, 2)

    @property
    def register_rate(self):
        """The attendance rate of the meetings with a roll call from the register (members.Attendance)."""
        if not self.roll_expected:
            return None
        return round(100 * self.roll_present / self.roll_expected, 2)

    @property
    def grades(self):
        """{grade: how many meetings were graded so}, best first (rules.GRADES)."""
        return dict(zip(tally.GRADES, self.values[GRADED : GRADED + len(tally.GRADES)], strict=True))

    @property
    def grade_counts(self):
        """[(the grade's name, how many meetings)], best first."""
        return [(rules.GRADE_LABELS[grade], count) for grade, count in self.grades.items()]

    @property
    def graded(self):
        return sum(self.grades.values())

    @property
    def grades_text(self):
        """ "3/1/0/0": Good/Fair/Average/Poor, or "" when no meeting was graded."""
        return "/".join(str(count) for count in self.grades.values()) if self.graded else ""

    def __add__(self, other):
        return Figures(list(map(operator.add, self.values, other.values)))


@dataclass(slots=True)
class OverviewRow:
    unit: UnitRow
    depth: int
    own: Figures
    total: Figures  # the unit and everything under it
    thematic_date: datetime.date | None = None
    thematic_undated: bool = False
    has_children: bool = False

    @property
    def is_behind(self):
        return self.total.behind_units > 0

    @property
    def gaps(self):
        """What the unit itself missed, in words: "sinh hoạt định kỳ: thiếu tháng 10; …"."""
        return "; ".join(
            f"{lowercase_first(tally.label)}: {tally.missing_text}"
            for tally in self.own.tallies.values()
            if tally.missing
        )


@dataclass
class QuarterOverview:
    quarter: Quarter
    today: datetime.date
    rows: list
    total: Figures

    @property
    def in_progress(self):
        return self.quarter.start <= self.today <= self.quarter.end

    def completeness(self, kind):
        tally = self.total.tallies[kind]
        return tally.units_on_track, tally.units_due

    @property
    def children(self):
        """The rows of the units directly under the top one."""
        return [row for row in self.rows if row.depth == 1]


def records_in(queryset, root):
    return queryset if root is None else queryset.for_subtree(root)


# Every unit of a subtree with what it recorded in a quarter, in tree order: each kind
# of record grouped by unit in its own subquery, LEFT JOINed on the unit list. The
# columns after the unit's come in the order of Figures' recorded part; a unit
# without records of a kind has zeros there.
OVERVIEW_SQL = """
SELECT u.id, u.code, u.name, u.parent_name, u.kind, u.path, u.parent_id, u.is_active,
       {recorded},
       s.thematic_date
FROM {unit} u
LEFT JOIN (
    SELECT unit_id, {stages}
    FROM {initiative}
    WHERE unit_id IN ({subtree})
      AND (registered_on <= %(end)s
           OR (registered_on IS NULL AND (start_year <= %(year)s OR start_year IS NULL)))
    GROUP BY unit_id
) i ON i.unit_id = u.id
LEFT JOIN {outreach} o ON o.unit_id = u.id
LEFT JOIN {exemplars} e ON e.unit_id = u.id
LEFT JOIN {tally} s ON s.unit_id = u.id AND s.year = %(year)s AND s.quarter = %(quarter)s
WHERE u.path >= %(low)s AND u.path < %(high)s
"""

# Records of a kind dated within the quarter, counted per unit.
DATED_COUNTS = """(
    SELECT unit_id, COUNT(*) AS n
    FROM {table}
    WHERE unit_id IN ({subtree}) AND {date} >= %(start)s AND {date} <= %(end)s
    GROUP BY unit_id
)"""

SUBTREE = "SELECT id FROM {unit} WHERE path >= %(low)s AND path < %(high)s"


def overview_statement(vendor, rule_set):
    """OVERVIEW_SQL for a database, with a column per stage and per tracked kind."""
    stages = [
        f"SUM(CASE WHEN status = %(stage_{i})s THEN 1 ELSE 0 END) AS stage_{i}" for i in range(len(STAGES))
    ]
    # A unit's sessions of the quarter, counted when they were written (activities/tally.py):
    # of a kind counted per month, the months that had one as a mask (rules.month_bit),
    # so that two in one month do not stand in for a missed month.
    held = [
        f"s.{kind}_months" if rules.counted_per(kind, rule_set) == "month" else f"s.{kind}_count"
        for kind in rules.TRACKED_KINDS
    ]
    recorded = [
        *(f"COALESCE(i.stage_{i}, 0)" for i in range(len(STAGES))),
        "COALESCE(o.n, 0)",
        "COALESCE(e.n, 0)",
        *(f"COALESCE(s.{name}, 0)" for name in ("sessions", "attended", "invited", *MEETING_COUNTS)),
        *(f"COALESCE({column}, 0)" for column in held),
    ]
    recorded = [f"{column} AS recorded_{n}" for n, column in enumerate(recorded)]
    subtree = SUBTREE.format(unit=Unit._meta.db_table)
    return OVERVIEW_SQL.format(
        recorded=",\n       ".join(recorded),
        stages=", ".join(stages),
        subtree=subtree,
        unit=Unit._meta.db_table,
        initiative=Initiative._meta.db_table,
        tally=SessionTally._meta.db_table,
        outreach=DATED_COUNTS.format(table=Outreach._meta.db_table, date="published_on", subtree=subtree),
        exemplars=DATED_COUNTS.format(table=Exemplar._meta.db_table, date="recognised_on", subtree=subtree),
    )


# The overview's rows grouped by what decides a unit's Standing (its kind, whether it is
# active, what it held of each tracked kind), with the recorded counts summed: a
# quarter's totals without a row per unit.
TOTALS_SQL = """
SELECT t.kind, t.is_active, {held}, COUNT(*), {counts}
FROM ({overview}) t
GROUP BY t.kind, t.is_active, {held}
"""


def totals_statement(vendor, rule_set):
    held = ", ".join(f"t.recorded_{n}" for n in range(RAW, RAW + KINDS))
    counts = ", ".join(f"SUM(t.recorded_{n})" for n in range(RAW))
    return TOTALS_SQL.format(held=held, counts=counts, overview=overview_statement(vendor, rule_set))


def recorded_by_unit(root, quarter, rule_set, statement=None):
    """The rows of OVERVIEW_SQL for root's subtree (every unit when root is None), in tree order."""
    # Paths are digits: ":" sorts after every one of them.
    low, high = ("", ":") if root is None else (root.path, path_upper_bound(root.path))
    params = {
        "low": low,
        "high": high,
        "year": quarter.year,
        "quarter": quarter.number,
        "start": quarter.start,
        "end": quarter.end,
        **{f"stage_{i}": stage for i, stage in enumerate(STAGES)},
    }
    # Raw SQL is not routed by itself: it reads where the ORM would read the units.
    connection = connections[router.db_for_read(Unit)]
    if statement is None:
        statement = overview_statement(connection.vendor, rule_set) + "ORDER BY u.path"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def started_by(quarter):
    """Good models registered by the quarter's end (by their start year when undated)."""
    return (
        Q(registered_on__lte=quarter.end)
        | Q(registered_on__isnull=True, start_year__lte=quarter.year)
        | Q(registered_on__isnull=True, start_year__isnull=True)
    )


class Plan:
    """What a kind of unit owes in a quarter, on a day: its Figures from what it recorded."""

    def __init__(self, quarter, today, rule_set, unit_kind):
        self.quarter, self.today = quarter, today
        self.expectations = [
            None if unit_kind is None else rules.expectation_for(unit_kind, kind, rule_set)
            for kind in rules.TRACKED_KINDS
        ]
        self.per = [rules.counted_per(kind, rule_set) for kind in rules.TRACKED_KINDS]
        self.known = {}  # what a unit held of each kind -> its Standings and their counts

    def figures(self, recorded):
        """A unit's Figures from a row of the overview's query (recorded part, then per kind)."""
        held = tuple(recorded[RAW:])
        known = self.known.get(held)
        if known is None:
            # Worked out once for the many units that held the same.
            known = self.known[held] = self.standings(held)
        standings, counts = known
        return Figures(list(recorded[:RAW]) + counts, standings)

    def standings(self, held):
        """rules.py's Standing of each kind for what a unit held, and its counts in a Figures."""
        standings = tuple(
            rules.cached_standing(expectation, self.quarter, self.today, raw or 0, per)
            for expectation, raw, per in zip(self.expectations, held, self.per, strict=True)
        )
        counts, behind = [], 0
        for item in standings:
            owing = 1 if item.full else 0
            counts += [item.held, item.extra, item.full, item.due, owing, int(owing and not item.missing)]
            behind |= bool(item.missing)
        return standings, counts + [1, int(behind)]


def plan_for(quarter, today, rule_set):
    """{unit kind: Plan}, and None: the Plan of an inactive unit, which owes nothing."""
    plans = {unit_kind: Plan(quarter, today, rule_set, unit_kind) for unit_kind in UnitKind.values}
    plans[None] = Plan(quarter, today, rule_set, None)
    return plans


def as_date(value):
    """A date read by a raw cursor: SQLite gives its ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def quarter_overview(root, quarter, *, today=None, rule_set=None):
    """
    Every unit of root's subtree (of the whole bloc when root is None) in tree order,
    each with its own figures for the quarter and those of its subtree. One query
    counts per unit in the database; the roll-up up the tree is a sum per unit here.
    """
    today = today or timezone.localdate()
    plans = plan_for(quarter, today, rule_set)
    results = recorded_by_unit(root, quarter, rule_set)
    unit_columns = len(UnitRow._fields)
    thematic = RAW + rules.TRACKED_KINDS.index(SessionKind.THEMATIC)
    top_length = min((len(result[PATH_COLUMN]) for result in results), default=0)
    rows = {}
    for result in results:
        unit = UnitRow(*result[: unit_columns - 1], bool(result[unit_columns - 1]))
        recorded = list(result[unit_columns:-1])
        own = plans[unit.kind if unit.is_active else None].figures(recorded)
        thematic_date = as_date(result[-1])
        rows[unit.pk] = OverviewRow(
            unit=unit,
            depth=(len(unit.path) - top_length) // SEGMENT,
            own=own,
            total=own,  # a new Figures when a child's are added
            thematic_date=thematic_date,
            thematic_undated=recorded[thematic] > 0 and thematic_date is None,
        )
    # Children come after their parents in tree order: walk backwards to roll up.
    grand_total = Figures()
    for row in reversed(rows.values()):
        parent = rows.get(row.unit.parent_id)
        if parent is not None:
            parent.total = parent.total + row.total
            parent.has_children = True
        else:
            grand_total = grand_total + row.total
    return QuarterOverview(quarter=quarter, today=today, rows=list(rows.values()), total=grand_total)


def quarter_totals(root, quarter, *, today=None, rule_set=None):
    """
    A quarter's overview with its total only (`rows` is None): what the year report
    shows. The units that recorded alike are counted together in the database, and
    rules.py's Standing is worked out once for each such group.
    """
    today = today or timezone.localdate()
    plans = plan_for(quarter, today, rule_set)
    statement = totals_statement(connections[router.db_for_read(Unit)].vendor, rule_set)
    total = Figures()
    for unit_kind, is_active, *rest in recorded_by_unit(root, quarter, rule_set, statement):
        held, units, counts = rest[:KINDS], rest[KINDS], rest[KINDS + 1 :]
        one = plans[unit_kind if is_active else None].figures([0] * RAW + [int(h) for h in held])
        # A unit's Standing counts times the units that share it; the records summed.
        values = [int(count) for count in counts] + [units * value for value in one.values[RAW:]]
        total = total + Figures(values)
    return QuarterOverview(quarter=quarter, today=today, rows=None, total=total)


def year_overview(root, year, *, today=None, rule_set=None):
    """The four quarters of a year, each with its total only (four queries)."""
    return [
        quarter_totals(root, Quarter(year, number), today=today, rule_set=rule_set) for number in range(1, 5)
    ]


def sessions_by_quarter(root):
    """Sessions and attendance per quarter across every year on record, oldest first."""
    # From the sessions counted per unit and quarter (activities/tally.py): at ten
    # provinces a fifth of the rows of the sessions themselves.
    rows = (
        records_in(SessionTally.objects, root)
        .order_by()
        .values("year", "quarter")
        .annotate(sessions=Sum("sessions"), attended_sum=Sum("attended"), invited_sum=Sum("invited"))
        .order_by("year", "quarter")
    )
    return [
        {
            "quarter": Quarter(row["year"], row["quarter"]),
            "sessions": row["sessions"],
            "attendance_rate": round(100 * row["attended_sum"] / row["invited_sum"], 2)
            if row["invited_sum"]
            else None,
        }
        for row in rows
    ]


# One unit's quarter.


class SubqueryCount(Func):
    """COUNT(...) as a subquery's only column, without a GROUP BY."""

    function = "COUNT"
    output_field = IntegerField()


class SubqueryCountDistinct(SubqueryCount):
    template = "%(function)s(DISTINCT %(expressions)s)"


# Declared metric -> the logged records that count toward it: (queryset, date field, count).
LOGGED = {
    # A monthly meeting that held the thematic one together counts as a thematic session too.
    Metric.THEMATIC_SESSIONS: (
        StudySession.objects.filter(Q(kind=SessionKind.THEMATIC) | Q(also_thematic=True)),
        "date",
        SubqueryCount,
    ),
    Metric.MONTHLY_MEETINGS: (StudySession.objects.filter(kind=SessionKind.MONTHLY), "date", SubqueryCount),
    Metric.FIRST_MONDAY_SESSIONS: (
        StudySession.objects.filter(kind=SessionKind.FIRST_MONDAY),
        "date",
        SubqueryCount,
    ),
    Metric.TRAINING_CLASSES: (StudySession.objects.filter(kind=SessionKind.TRAINING), "date", SubqueryCount),
    Metric.TOPICS_STUDIED: (
        StudySession.objects.filter(
            Q(kind__in=[SessionKind.THEMATIC, SessionKind.FIRST_MONDAY]) | Q(also_thematic=True)
        ),
        "date",
        SubqueryCountDistinct,
    ),
    Metric.INITIATIVES: (Initiative.objects.all(), "registered_on", SubqueryCount),
    Metric.OUTREACH_POSTS: (Outreach.objects.all(), "published_on", SubqueryCount),
    Metric.EXEMPLARS: (Exemplar.objects.all(), "recognised_on", SubqueryCount),
}


def logged_count(metric):
    """
    A subquery counting, for a declared figure, the records logged in its unit's
    subtree over its period. A session known only by its quarter counts when the
    quarter overlaps the period.
    """
    queryset, date_field, counter = LOGGED[metric]
    in_period = Q(
        **{f"{date_field}__gte": OuterRef("period_start"), f"{date_field}__lte": OuterRef("period_end")}
    )
    if queryset.model is StudySession:
        quarter_index = F("year") * 4 + F("quarter")
        queryset = queryset.annotate(quarter_index=quarter_index)
        in_period |= Q(
            date__isnull=True,
            quarter_index__gte=YearOf(OuterRef("period_start")) * 4 + QuarterOf(OuterRef("period_start")),
            quarter_index__lte=YearOf(OuterRef("period_end")) * 4 + QuarterOf(OuterRef("period_end")),
        )
    counted = "topic" if counter is SubqueryCountDistinct else "pk"
    # The figure's subtree as an indexed range on the unit path, written in SQL: every
    # path under P sorts between P and P followed by nines (paths are digits only).
    subtree = Q(
        unit__path__gte=OuterRef("unit__path"),
        unit__path__lte=Concat(OuterRef("unit__path"), Value("9" * PATH_LENGTH), output_field=CharField()),
    )
    return Subquery(
        queryset.filter(in_period, subtree).order_by().annotate(logged=counter(counted)).values("logged")[:1],
        output_field=IntegerField(),
    )


@functools.cache
def logged_for_metric():
    """
    The logged count of a declared figure's own metric: only that metric's subquery
    runs. Built once (the ORM copies an expression as it resolves it into a query).
    """
    return Case(
        *[When(metric=metric, then=logged_count(metric)) for metric in LOGGED],
        default=None,
        output_field=IntegerField(),
    )


def reconciliation(root, quarter, *, own=False):
    """
    Declared figures of root's subtree (of root alone when `own`) whose period overlaps
    the quarter, each with `logged`: the records logged for the same metric, subtree and
    period (None when the metric is not something the tracker logs). One query.
    """
    figures = list(
        in_scope(DeclaredFigure.objects, root, own)
        .filter(period_start__lte=quarter.end, period_end__gte=quarter.start)
        .select_related("unit", "source")
        .annotate(logged=logged_for_metric())
        .order_by("unit__path", "metric", "period_start")
    )
    for figure in figures:
        figure.difference = None if figure.logged is None else figure.logged - figure.value
    return figures


def in_scope(queryset, unit, own):
    """The records of unit's subtree, or of unit alone when `own`."""
    return queryset.filter(unit=unit) if own else queryset.for_subtree(unit)


SESSIONS_PER_PAGE = 100


@dataclass
class SessionPage:
    """One page of a subtree's sessions in a quarter: `number` of `pages`, 1-based."""

    number: int
    pages: int
    sessions: list

    @property
    def first(self):
        """The position of the page's first session in the whole list."""
        return (self.number - 1) * SESSIONS_PER_PAGE + 1

    @property
    def last(self):
        return self.first + len(self.sessions) - 1

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages


def quarter_sessions(unit, quarter):
    """The sessions of unit's subtree in a quarter, in the order the unit's page lists them."""
    return (
        StudySession.objects.for_subtree(unit)
        .in_quarter(quarter.year, quarter.number)
        .select_related("unit", "chair", "theme")
        .order_by("date", "unit__path", "kind", "pk")
    )


def session_page(unit, quarter, count, wanted):
    """
    Page `wanted` of the quarter's sessions, `count` in all (the overview counted them).
    A page that does not exist (a stale link, a typed number) gives the first.
    """
    pages = max(1, -(-count // SESSIONS_PER_PAGE))
    number = wanted if isinstance(wanted, int) and 1 <= wanted <= pages else 1
    start = (number - 1) * SESSIONS_PER_PAGE
    # The page's keys first, sorted on narrow rows; then those hundred rows in full.
    ordered = quarter_sessions(unit, quarter)
    keys = list(ordered.values_list("pk", flat=True)[start : start + SESSIONS_PER_PAGE])
    by_key = ordered.order_by().in_bulk(keys)
    return SessionPage(number=number, pages=pages, sessions=[by_key[key] for key in keys])


@dataclass
class UnitQuarter:
    unit: Unit
    quarter: Quarter
    overview: QuarterOverview
    sessions: list
    initiatives: list
    outreach: list
    exemplars: list
    service_figures: list
    declared: list
    session_page: SessionPage | None = None  # the bloc's page: one page of `sessions`
    own_records: bool = False  # the bloc's page: the other lists hold the unit's own records

    @property
    def row(self):
        return self.overview.rows[0]


def unit_quarter(unit, quarter, *, today=None, rule_set=None, page=None):
    """
    Everything a unit's subtree logged for a quarter, with its checks. Twelve queries.

    With `page` (the bloc's page, over a province's records: UnitQuarter.row.total
    and the overview's rows give each unit's figures), the sessions of that page only,
    and of the other records only the unit's own.
    """
    overview = quarter_overview(unit, quarter, today=today, rule_set=rule_set)
    own = page is not None
    if own:
        paged = session_page(unit, quarter, overview.rows[0].total.sessions, page)
        sessions = paged.sessions
    else:
        paged, sessions = None, list(quarter_sessions(unit, quarter))
    initiatives = list(
        in_scope(Initiative.objects, unit, own)
        .filter(started_by(quarter))
        .select_related("unit")
        .prefetch_related("evaluations")
        .order_by("unit__path", "title")
    )
    outreach = list(
        in_scope(Outreach.objects, unit, own)
        .filter(
            Q(published_on__range=(quarter.start, quarter.end))
            | Q(published_on__isnull=True, is_regular=True)
        )
        .select_related("unit")
        .order_by("published_on", "unit__path")
    )
    exemplars = list(
        in_scope(Exemplar.objects, unit, own)
        .filter(recognised_on__range=(quarter.start, quarter.end))
        .select_related("unit")
        .order_by("recognised_on", "name")
    )
    service_figures = list(
        in_scope(ServiceFigure.objects, unit, own)
        .filter(period_start__lte=quarter.end, period_end__gte=quarter.start)
        .select_related("unit")
        .order_by("unit__path", "period_start")
    )
    return UnitQuarter(
        unit=unit,
        quarter=quarter,
        overview=overview,
        sessions=sessions,
        initiatives=initiatives,
        outreach=outreach,
        exemplars=exemplars,
        service_figures=service_figures,
        declared=reconciliation(unit, quarter, own=own),
        session_page=paged,
        own_records=own,
    )
