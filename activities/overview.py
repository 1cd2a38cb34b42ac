"""
What the quarter overview shows of a subtree's rows: the filters a reader sets in the
query string (unit kinds, a search, only the units behind, a sort, the committees
opened), read leniently (a value the page does not know is ignored), and applied to
the rows reports.quarter_overview returns, in Python: the rows are already in memory.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from activities import rules
from tracker.text import ascii_fold
from units.models import UnitKind

# A search longer than any unit's name or code matches nothing anyway.
MAX_SEARCH = 200

# ?sort=KEY (ascending) or ?sort=-KEY (descending): the unit's name, its thematic
# session's date, each tracked kind (the share of units on track, then of sessions
# held) and the attendance rate. Sorting keeps the tree: siblings are sorted among
# themselves, each committee still above its cells.
SORT_KEYS = ("name", "date", *rules.TRACKED_KINDS, "attendance")


def fold(text):
    """Lower case without accents: "Đảng bộ Sở Y tế" and "dang bo so y te" match."""
    return ascii_fold(text).casefold()


@dataclass
class Filters:
    kinds: list = field(default_factory=list)
    search: str = ""
    behind: bool = False
    sort: str = ""  # one of SORT_KEYS, or "" for tree order
    descending: bool = False
    opened: list = field(default_factory=list)  # committees' codes whose cells show
    show_all: bool = False

    @classmethod
    def from_query(cls, query):
        sort = query.get("sort", "")
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        return cls(
            kinds=[kind for kind in query.getlist("kind") if kind in UnitKind.values],
            search=" ".join(query.get("q", "")[:MAX_SEARCH].split()),
            behind=query.get("behind") == "1",
            sort=sort if sort in SORT_KEYS else "",
            descending=descending and sort in SORT_KEYS,
            opened=[code.upper() for code in query.getlist("open")[:50] if code.isprintable()][:50],
            show_all=query.get("all") == "1",
        )

    @property
    def narrowed(self):
        """Whether the rows are a selection (shown flat) rather than the whole tree (collapsed)."""
        return bool(self.kinds or self.search or self.behind)

    def query(self, **changes):
        """The query string of these filters with some changed (the scope is added by the caller)."""
        values = {
            "kind": self.kinds,
            "q": self.search,
            "behind": "1" if self.behind else "",
            "sort": ("-" if self.descending else "") + self.sort if self.sort else "",
            "open": self.opened,
            "all": "1" if self.show_all else "",
            **changes,
        }
        return urlencode({key: value for key, value in values.items() if value}, doseq=True)


def matching(rows, filters):
    """
    The rows the filters select, in tree order: of the given unit kinds; whose name or
    code contains the search; behind on their own account. A search or the behind
    filter keeps the committees above each match, for context.
    """
    if filters.kinds:
        rows = [row for row in rows if row.unit.kind in filters.kinds]
    selected = rows
    if filters.search:
        needle = fold(filters.search)
        selected = [row for row in selected if needle in fold(row.unit.name) or needle in fold(row.unit.code)]
    if filters.behind:
        selected = [row for row in selected if row.own.behind_units]
    if selected is rows:
        return rows
    by_pk = {row.unit.pk: row for row in rows}
    keep = set()
    for row in selected:
        while row is not None and row.unit.pk not in keep:
            keep.add(row.unit.pk)
            row = by_pk.get(row.unit.parent_id)
    return [row for row in rows if row.unit.pk in keep]


def sort_value(row, key):
    """The value a row is sorted by; None sorts last whatever the direction."""
    if key == "name":
        return fold(row.unit.name)
    if key == "date":
        return row.thematic_date
    if key == "attendance":
        return row.total.attendance_rate
    tally = row.total.tallies[key]
    if not tally.units_due:
        return None
    return (tally.units_on_track / tally.units_due, tally.held / tally.full if tally.full else 0)


def sorted_tree(rows, key, descending):
    """The rows with each unit's children sorted among themselves, in depth-first order."""
    pks = {row.unit.pk for row in rows}
    children = {}
    for row in rows:
        parent = row.unit.parent_id if row.unit.parent_id in pks else None
        children.setdefault(parent, []).append(row)

    def ordered(group):
        known = [row for row in group if sort_value(row, key) is not None]
        unknown = [row for row in group if sort_value(row, key) is None]
        known.sort(key=lambda row: sort_value(row, key), reverse=descending)
        return known + unknown

    result = []
    stack = list(reversed(ordered(children.get(None, []))))
    while stack:
        row = stack.pop()
        result.append(row)
        stack.extend(reversed(ordered(children.get(row.unit.pk, []))))
    return result


def selected_rows(rows, filters):
    """The rows of the report (the page's and the downloads'), filtered and sorted."""
    rows = matching(rows, filters)
    return sorted_tree(rows, filters.sort, filters.descending) if filters.sort else rows


def shown_rows(rows, filters):
    """
    The rows the page shows: all of a selection; of the whole tree, the top unit and
    what is directly under it, and the cells of the committees opened (?open=CODE) or
    of every committee (?all=1).
    """
    if filters.narrowed or filters.show_all or not rows:
        return rows
    top = min(row.depth for row in rows)
    opened_pks = {row.unit.pk for row in rows if row.unit.code in set(filters.opened)}
    shown_pks, shown = set(), []
    for row in rows:
        parent = row.unit.parent_id
        if row.depth <= top + 1 or (parent in shown_pks and parent in opened_pks):
            shown_pks.add(row.unit.pk)
            shown.append(row)
    return shown


def behind_below(overview):
    """The units under an overview's top unit that are behind on their own account, in tree order."""
    return [row for row in overview.rows[1:] if row.own.behind_units]
