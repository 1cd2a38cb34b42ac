"""
The numbers behind the staff pages: per unit and per quarter, who did what and who is
behind.

Each report runs a fixed handful of GROUP BY queries, whatever the number of units or
records: one per kind of record, grouped by unit. The per-unit results (one row per
unit, about a thousand for a province) are then summed up the tree in Python, so that
every committee shows the totals of its subtree.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from activities import rules
from activities.models import (
    DeclaredFigure,
    Exemplar,
    Initiative,
    InitiativeStatus,
    Metric,
    Outreach,
    ServiceFigure,
    SessionKind,
    StudySession,
)
from tracker.periods import MonthOf, Quarter, QuarterOf, YearOf
from units.models import SEGMENT, Unit, UnitKind

PATH_LENGTH = Unit._meta.get_field("path").max_length


STAGES = tuple(InitiativeStatus.values)


@dataclass(frozen=True)
class UnitRow:
    """The few columns of a unit a report needs (read as values: no model instances)."""

    pk: int
    code: str
    name: str
    kind: str
    path: str
    parent_id: int | None
    is_active: bool


@dataclass
class Tally:
    """One expectation over a subtree: sessions held and owed, units on track and owing."""

    held: int = 0
    due: int = 0
    units_due: int = 0
    units_on_track: int = 0

    @property
    def units_behind(self):
        return self.units_due - self.units_on_track

    @property
    def is_behind(self):
        return self.units_behind > 0

    def add(self, other):
        self.held += other.held
        self.due += other.due
        self.units_due += other.units_due
        self.units_on_track += other.units_on_track


# The plain counts of Figures, copied and summed as they are.
SCALARS = ("sessions", "attended", "invited", "outreach", "exemplars", "units", "behind_units")


@dataclass
class Figures:
    """What a unit, or a subtree, did in a quarter."""

    tallies: dict = field(default_factory=lambda: {kind: Tally() for kind in rules.TRACKED_KINDS})
    sessions: int = 0
    attended: int = 0
    invited: int = 0  # expected attendance, of the sessions that recorded both numbers
    initiatives: dict = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    outreach: int = 0
    exemplars: int = 0
    units: int = 0
    behind_units: int = 0  # units owing more than they held in any column, each counted once

    @property
    def attendance_rate(self):
        if not self.invited:
            return None
        return round(100 * self.attended / self.invited, 2)

    @property
    def initiative_count(self):
        return sum(self.initiatives.values())

    def copy(self):
        figures = Figures(**{name: getattr(self, name) for name in SCALARS})
        for kind, tally in self.tallies.items():
            figures.tallies[kind] = Tally(tally.held, tally.due, tally.units_due, tally.units_on_track)
        figures.initiatives = dict(self.initiatives)
        return figures

    def add(self, other):
        for kind, tally in other.tallies.items():
            self.tallies[kind].add(tally)
        for status, count in other.initiatives.items():
            self.initiatives[status] += count
        self.sessions += other.sessions
        self.attended += other.attended
        self.invited += other.invited
        self.outreach += other.outreach
        self.exemplars += other.exemplars
        self.units += other.units
        self.behind_units += other.behind_units


@dataclass
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


def units_in(root):
    """The units of a subtree (every unit when root is None), in tree order."""
    units = Unit.objects.all() if root is None else Unit.objects.for_subtree(root)
    fields = ("pk", "code", "name", "kind", "path", "parent_id", "is_active")
    return [UnitRow(*values) for values in units.order_by("path").values_list(*fields)]


def records_in(queryset, root):
    return queryset if root is None else queryset.for_subtree(root)


def session_counts(root, quarter):
    """{unit id: counts} of a quarter's sessions: per tracked kind, sessions and months covered."""
    annotations = {
        "sessions": Count("pk"),
        "thematic_date": Min("date", filter=Q(kind=SessionKind.THEMATIC)),
        "attended_sum": Sum("attended", filter=Q(attended__isnull=False, expected__isnull=False)),
        "invited_sum": Sum("expected", filter=Q(attended__isnull=False, expected__isnull=False)),
    }
    for kind in rules.TRACKED_KINDS:
        annotations[f"{kind}_count"] = Count("pk", filter=Q(kind=kind))
        annotations[f"{kind}_months"] = Count(MonthOf("date"), filter=Q(kind=kind), distinct=True)
    rows = (
        records_in(StudySession.objects, root)
        .in_quarter(quarter.year, quarter.number)
        .order_by()
        .values("unit_id")
        .annotate(**annotations)
    )
    return {row["unit_id"]: row for row in rows}


def started_by(quarter):
    """Good models registered by the quarter's end (by their start year when undated)."""
    return (
        Q(registered_on__lte=quarter.end)
        | Q(registered_on__isnull=True, start_year__lte=quarter.year)
        | Q(registered_on__isnull=True, start_year__isnull=True)
    )


def initiative_counts(root, quarter):
    """{unit id: {stage: count}} of the good models registered by the quarter's end."""
    rows = (
        records_in(Initiative.objects, root)
        .filter(started_by(quarter))
        .order_by()
        .values("unit_id", "status")
        .annotate(count=Count("pk"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["unit_id"]][row["status"]] = row["count"]
    return counts


def dated_counts(queryset, root, date_field, quarter):
    """{unit id: count} of records dated within the quarter."""
    rows = (
        records_in(queryset, root)
        .filter(**{f"{date_field}__gte": quarter.start, f"{date_field}__lte": quarter.end})
        .order_by()
        .values("unit_id")
        .annotate(count=Count("pk"))
    )
    return {row["unit_id"]: row["count"] for row in rows}


def plan_for(quarter, today, rule_set):
    """{unit kind: [(session kind, counts key, owed by today) or (session kind, count key, None)]}."""
    plans = {}
    for unit_kind in UnitKind.values:
        plan = []
        for kind in rules.TRACKED_KINDS:
            expectation = rules.expectation_for(unit_kind, kind, rule_set)
            if expectation is None:
                plan.append((kind, f"{kind}_count", None))
            else:
                key = f"{kind}_months" if expectation.per == "month" else f"{kind}_count"
                plan.append((kind, key, expectation.due(quarter, today)))
        plans[unit_kind] = plan
    plans[None] = [(kind, f"{kind}_count", None) for kind in rules.TRACKED_KINDS]  # inactive units
    return plans


def own_figures(unit, plans, sessions, initiatives, outreach, exemplars):
    figures = Figures(units=1)
    counts = sessions.get(unit.pk, {})
    behind = False
    for kind, key, due in plans[unit.kind if unit.is_active else None]:
        tally = figures.tallies[kind]
        tally.held = counts.get(key, 0)
        if due:
            tally.due = due
            tally.units_due = 1
            tally.units_on_track = 1 if tally.held >= due else 0
            behind = behind or not tally.units_on_track
    figures.behind_units = 1 if behind else 0
    figures.sessions = counts.get("sessions", 0)
    figures.attended = counts.get("attended_sum") or 0
    figures.invited = counts.get("invited_sum") or 0
    figures.initiatives.update(initiatives.get(unit.pk, {}))
    figures.outreach = outreach.get(unit.pk, 0)
    figures.exemplars = exemplars.get(unit.pk, 0)
    return figures


def quarter_overview(root, quarter, *, today=None, rule_set=None):
    """
    Every unit of root's subtree (of the whole bloc when root is None) in tree order,
    each with its own figures for the quarter and those of its subtree. Five queries.
    """
    today = today or timezone.localdate()
    units = units_in(root)
    plans = plan_for(quarter, today, rule_set)
    sessions = session_counts(root, quarter)
    initiatives = initiative_counts(root, quarter)
    outreach = dated_counts(Outreach.objects, root, "published_on", quarter)
    exemplars = dated_counts(Exemplar.objects, root, "recognised_on", quarter)

    rows = {}
    top_length = min((len(unit.path) for unit in units), default=0)
    for unit in units:
        own = own_figures(unit, plans, sessions, initiatives, outreach, exemplars)
        counts = sessions.get(unit.pk, {})
        rows[unit.pk] = OverviewRow(
            unit=unit,
            depth=(len(unit.path) - top_length) // SEGMENT,
            own=own,
            total=own,  # a copy is made when a child's figures are added
            thematic_date=counts.get("thematic_date"),
            thematic_undated=counts.get(f"{SessionKind.THEMATIC}_count", 0) > 0
            and not counts.get("thematic_date"),
        )
    # Children come after their parents in tree order: walk backwards to roll up.
    grand_total = Figures(units=0)
    for unit in reversed(units):
        row = rows[unit.pk]
        parent = rows.get(unit.parent_id)
        if parent is not None:
            if parent.total is parent.own:
                parent.total = parent.own.copy()
            parent.total.add(row.total)
            parent.has_children = True
        else:
            grand_total.add(row.total)
    return QuarterOverview(
        quarter=quarter, today=today, rows=[rows[unit.pk] for unit in units], total=grand_total
    )


def year_overview(root, year, *, today=None, rule_set=None):
    """The four quarter overviews of a year (twenty queries)."""
    return [
        quarter_overview(root, Quarter(year, number), today=today, rule_set=rule_set)
        for number in range(1, 5)
    ]


def sessions_by_quarter(root):
    """Sessions and attendance per quarter across every year on record, oldest first."""
    both = Q(attended__isnull=False, expected__isnull=False)
    rows = (
        records_in(StudySession.objects, root)
        .order_by()
        .values("year", "quarter")
        .annotate(
            sessions=Count("pk"),
            attended_sum=Sum("attended", filter=both),
            invited_sum=Sum("expected", filter=both),
        )
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
    Metric.THEMATIC_SESSIONS: (StudySession.objects.filter(kind=SessionKind.THEMATIC), "date", SubqueryCount),
    Metric.MONTHLY_MEETINGS: (StudySession.objects.filter(kind=SessionKind.MONTHLY), "date", SubqueryCount),
    Metric.FIRST_MONDAY_SESSIONS: (
        StudySession.objects.filter(kind=SessionKind.FIRST_MONDAY),
        "date",
        SubqueryCount,
    ),
    Metric.TRAINING_CLASSES: (StudySession.objects.filter(kind=SessionKind.TRAINING), "date", SubqueryCount),
    Metric.TOPICS_STUDIED: (
        StudySession.objects.filter(kind__in=[SessionKind.THEMATIC, SessionKind.FIRST_MONDAY]),
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


def reconciliation(root, quarter):
    """
    Declared figures of root's subtree whose period overlaps the quarter, each with
    `logged`: the records logged for the same metric, subtree and period (None when
    the metric is not something the tracker logs). One query.
    """
    figures = list(
        records_in(DeclaredFigure.objects, root)
        .filter(period_start__lte=quarter.end, period_end__gte=quarter.start)
        .select_related("unit", "source")
        .annotate(
            # Only the subquery of the figure's own metric runs.
            logged=Case(
                *[When(metric=metric, then=logged_count(metric)) for metric in LOGGED],
                default=None,
                output_field=IntegerField(),
            )
        )
        .order_by("unit__path", "metric", "period_start")
    )
    for figure in figures:
        figure.difference = None if figure.logged is None else figure.logged - figure.value
    return figures


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

    @property
    def row(self):
        return self.overview.rows[0]


def unit_quarter(unit, quarter, *, today=None, rule_set=None):
    """Everything a unit's subtree logged for a quarter, with its checks. Twelve queries."""
    overview = quarter_overview(unit, quarter, today=today, rule_set=rule_set)
    sessions = list(
        StudySession.objects.for_subtree(unit)
        .in_quarter(quarter.year, quarter.number)
        .select_related("unit", "chair", "theme")
        .order_by("date", "unit__path", "kind")
    )
    initiatives = list(
        Initiative.objects.for_subtree(unit)
        .filter(started_by(quarter))
        .select_related("unit")
        .prefetch_related("evaluations")
        .order_by("unit__path", "title")
    )
    outreach = list(
        Outreach.objects.for_subtree(unit)
        .filter(
            Q(published_on__range=(quarter.start, quarter.end))
            | Q(published_on__isnull=True, is_regular=True)
        )
        .select_related("unit")
        .order_by("published_on", "unit__path")
    )
    exemplars = list(
        Exemplar.objects.for_subtree(unit)
        .filter(recognised_on__range=(quarter.start, quarter.end))
        .select_related("unit")
        .order_by("recognised_on", "name")
    )
    service_figures = list(
        ServiceFigure.objects.for_subtree(unit)
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
        declared=reconciliation(unit, quarter),
    )
