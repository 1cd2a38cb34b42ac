"""
The quarter overview's table body, written out in Python: a thousand rows of a
dozen cells each took the template engine over a second; this takes a few
milliseconds. The markup is the one the templates used.
"""

from html import escape as escape_text
from urllib.parse import quote

from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities import rules
from activities.reports import STAGES


def number(value):
    return number_format(value, force_grouping=True) if value >= 1000 else str(value)


class Labels:
    """What every row repeats, looked up once per page in the active language."""

    def __init__(self):
        self.behind = escape(_("behind"))
        self.decimal = get_format("DECIMAL_SEPARATOR")

    def rate(self, figures):
        value = figures.attendance_rate
        return "—" if value is None else f"{value:.2f}".replace(".", self.decimal) + "%"


def tally_cell(tally, labels):
    """
    Held of what the quarter owes (rules.py), the units on track for a subtree, and the
    behind mark with, for one unit, the months missing.
    """
    if not (tally.full or tally.held):
        return '<td class="num">—</td>'
    text = f"{number(tally.held)}/{number(tally.full)}"
    if tally.units_due > 1:
        units = _("%(on)s/%(of)s units on track") % {
            "on": number(tally.units_on_track),
            "of": number(tally.units_due),
        }
        text += f"<br><small>{units}</small>"
    if tally.is_behind:
        if tally.missing:
            text += f"<br><small>{escape(rules.missing_text(tally.missing))}</small>"
        return f'<td class="num behind">{text} <span class="flag">{labels.behind}</span></td>'
    return f'<td class="num">{text}</td>'


def tally_cells(figures, labels):
    return "".join(tally_cell(tally, labels) for tally in figures.tallies.values())


def figures_cells(figures, labels):
    """The cells after the unit and its date: tallies, attendance, good models, outreach, exemplars."""
    return (
        f'{tally_cells(figures, labels)}<td class="num">{labels.rate(figures)}</td>'
        f'<td class="num">{" / ".join(map(number, figures.values[: len(STAGES)]))}</td>'
        f'<td class="num">{number(figures.outreach)}</td><td class="num">{number(figures.exemplars)}</td>'
    )


def overview_rows(rows, quarter):
    """The <tr> of every row of a quarter overview, each unit linked to its quarter page."""
    labels = Labels()
    # One reverse() for the page: the unit's code goes where the placeholder is.
    before, after = reverse("activities:unit-quarter", args=["~", quarter.year, quarter.number]).split("~")
    lines = []
    for row in rows:
        classes = [f"depth-{row.depth}"]
        if row.has_children:
            classes.append("subtotal")
            units = ngettext("%(counter)s unit", "%(counter)s units", row.total.units) % {
                "counter": number(row.total.units)
            }
            name = f"{escape_text(row.unit.name)}</a> <small>({units})</small>"
            date = ""
        else:
            name = f"{escape_text(row.unit.name)}</a>"
            if row.thematic_date:
                date = row.thematic_date.strftime("%d/%m/%Y")
            else:
                date = escape(quarter.label) if row.thematic_undated else "—"
        if row.is_behind:
            classes.append("row-behind")
        lines.append(
            f'<tr class="{" ".join(classes)}"><th scope="row"><a href="{before}{quote(row.unit.code)}{after}">'
            f"{name}</th><td>{date}</td>{figures_cells(row.total, labels)}</tr>"
        )
    return mark_safe("\n".join(lines))  # every value above is escaped or a number
