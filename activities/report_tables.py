"""The reports as tables, for the XLSX and CSV downloads."""

from django.utils.translation import gettext as _

from activities import rules
from activities.models import InitiativeStatus, MeetingGrade, StudySession
from tracker.spreadsheets import Percent, Table, download

__all__ = ["download", "quarter_table", "year_table", "history_table", "unit_quarter_tables"]


def scope_name(root):
    return root.label if root is not None else _("whole bloc")


def tally_headers():
    headers = []
    for kind in rules.TRACKED_KINDS:
        label = StudySession.Kind(kind).label
        headers += [
            _("%(kind)s: held") % {"kind": label},
            _("%(kind)s: owed in the quarter") % {"kind": label},
            _("%(kind)s: where it stands") % {"kind": label},
        ]
    return headers


def standing_cell(tally):
    """rules' words for a unit ("behind: missing month 10"), or a subtree's units on track."""
    if not (tally.full or tally.held):
        return ""
    if tally.standing is None or tally.units_due > 1:
        text = _("%(on)s/%(of)s units on track") % {"on": tally.units_on_track, "of": tally.units_due}
        return text if not tally.is_behind else f"{text} ({rules.STATUS_LABELS[rules.BEHIND]})"
    return rules.standing_text(tally.standing)


def figures_cells(figures):
    cells = []
    for kind in rules.TRACKED_KINDS:
        tally = figures.tallies[kind]
        cells += [tally.held, tally.full, standing_cell(tally)]
    cells.append(Percent(figures.attendance_rate))
    cells += [
        Percent(figures.register_rate),
        figures.unexcused,
        figures.short_meetings,
        figures.late_documents,
        *figures.grades.values(),
    ]
    cells += [figures.initiatives[status] for status in InitiativeStatus.values]
    cells += [figures.outreach, figures.exemplars, figures.behind_units]
    return cells


def figures_headers():
    return [
        *tally_headers(),
        _("Attendance rate"),
        _("Attendance by the register"),
        _("Absent without leave"),
        _("Meetings shorter than the minimum"),
        _("Documents posted late on Sổ tay"),
        *[_("Meetings graded %(grade)s") % {"grade": label} for label in MeetingGrade.labels],
        *[_("Good models: %(stage)s") % {"stage": label} for label in InitiativeStatus.labels],
        _("Outreach"),
        _("Exemplars"),
        _("Units behind"),
    ]


def quarter_table(overview, rows, root):
    """One line per row, each naming the committee it belongs to (a sheet filtered to cells keeps it)."""
    headers = [_("Unit code"), _("Unit"), _("Belongs to"), _("Thematic session date"), *figures_headers()]
    names = {row.unit.pk: row.unit.name for row in overview.rows}
    lines = []
    for row in rows:
        indent = "    " * row.depth
        date = row.thematic_date if not row.has_children else None
        above = names.get(row.unit.parent_id, row.unit.parent_name)
        lines.append([row.unit.code, indent + row.unit.name, above, date, *figures_cells(row.total)])
    totals = [_("Total"), scope_name(root), None, None, *figures_cells(overview.total)]
    title = _("Study and follow Ho Chi Minh: %(quarter)s, %(scope)s") % {
        "quarter": overview.quarter.label,
        "scope": scope_name(root),
    }
    completeness = [_("Units on track / units owing"), "", "", ""]
    for kind in rules.TRACKED_KINDS:
        on_track, expected = overview.completeness(kind)
        completeness += [on_track, expected, ""]
    lines.append(completeness + [None] * (len(headers) - len(completeness)))
    return Table(
        title=title,
        headers=headers,
        rows=lines,
        totals=totals,
        sheet=overview.quarter.short_label.replace("/", "-"),
    )


def year_table(year, quarters, root):
    headers = [_("Quarter"), _("Units"), _("Sessions"), *figures_headers()]
    lines = [
        [
            item.quarter.label,
            item.total.units,
            item.total.sessions,
            *figures_cells(item.total),
        ]
        for item in quarters
    ]
    title = _("Study and follow Ho Chi Minh: year %(year)s, %(scope)s") % {
        "year": year,
        "scope": scope_name(root),
    }
    return Table(title=title, headers=headers, rows=lines, sheet=str(year))


def history_table(points, root):
    return Table(
        title=_("Sessions and attendance per quarter, %(scope)s") % {"scope": scope_name(root)},
        headers=[_("Quarter"), _("Sessions"), _("Attendance rate")],
        rows=[[p["quarter"].label, p["sessions"], Percent(p["attendance_rate"])] for p in points],
        sheet=_("By quarter"),
    )


def unit_quarter_tables(page):
    quarter, unit = page.quarter, page.unit
    scope = f"{unit.label}, {quarter.label}"
    sessions = Table(
        title=_("Sessions: %(scope)s") % {"scope": scope},
        headers=[
            _("Unit"),
            _("Kind"),
            _("Date"),
            _("Topic"),
            _("Chaired by"),
            _("Attended"),
            _("Expected"),
            _("Self-criticism"),
        ],
        rows=[
            [
                s.unit.label,
                s.get_kind_display(),
                s.date or s.period_label,
                s.topic,
                s.chair.full_name if s.chair else "",
                s.attended,
                s.expected,
                s.has_self_criticism,
            ]
            for s in page.sessions
        ],
        sheet=_("Sessions"),
    )
    initiatives = Table(
        title=_("Good models: %(scope)s") % {"scope": scope},
        headers=[_("Unit"), _("Good model"), _("Stage"), _("Evaluations")],
        rows=[
            [
                i.unit.label,
                i.title,
                i.get_status_display(),
                "; ".join(
                    f"{e.evaluated_on:%d/%m/%Y} {e.evaluator}: {e.result}" for e in i.evaluations.all()
                ),
            ]
            for i in page.initiatives
        ],
        sheet=_("Good models"),
    )
    outreach = Table(
        title=_("Outreach: %(scope)s") % {"scope": scope},
        headers=[_("Unit"), _("Channel"), _("Title"), _("Published on")],
        rows=[[o.unit.label, o.get_channel_display(), o.title, o.published_on] for o in page.outreach],
        sheet=_("Outreach"),
    )
    exemplars = Table(
        title=_("Exemplars: %(scope)s") % {"scope": scope},
        headers=[_("Unit"), _("Person or collective"), _("Good deed"), _("Recognised on")],
        rows=[[e.unit.label, e.name, e.deed, e.recognised_on] for e in page.exemplars],
        sheet=_("Exemplars"),
    )
    services = Table(
        title=_("Service figures: %(scope)s") % {"scope": scope},
        headers=[
            _("Agency"),
            _("From"),
            _("Until"),
            _("Received"),
            _("Resolved"),
            _("On time"),
            _("Declared on-time rate"),
            _("Computed on-time rate"),
        ],
        rows=[
            [
                f.agency,
                f.period_start,
                f.period_end,
                f.received,
                f.resolved,
                f.on_time,
                Percent(f.on_time_rate),
                Percent(f.computed_on_time_rate),
            ]
            for f in page.service_figures
        ],
        sheet=_("Service figures"),
    )
    declared = Table(
        title=_("Declared and logged: %(scope)s") % {"scope": scope},
        headers=[
            _("Unit"),
            _("Metric"),
            _("From"),
            _("Until"),
            _("Qualifier"),
            _("Declared"),
            _("Logged"),
            _("Difference"),
        ],
        rows=[
            [
                f.unit.label,
                f.get_metric_display(),
                f.period_start,
                f.period_end,
                f.get_qualifier_display(),
                f.value,
                f.logged,
                f.difference,
            ]
            for f in page.declared
        ],
        sheet=_("Reconciliation"),
    )
    return [sessions, initiatives, outreach, exemplars, services, declared]
