"""
The report cells for Django templates: each renders the one Jinja2 macro of
activities/jinja2/activities/_tally.html that the quarter overview uses too.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


def macros():
    return engines["jinja2"].env.get_template("activities/_tally.html").module


@register.simple_tag
def figures_cells(figures):
    """Tallies, attendance, good models, outreach and exemplars of a unit or a total, as cells."""
    return mark_safe(str(macros().figures_cells(figures)))


@register.simple_tag
def tally_cells(figures):
    return mark_safe(str(macros().tally_cells(figures)))


@register.simple_tag
def attendance_rate(figures):
    from tracker.jinja2 import percent

    return percent(figures.attendance_rate)


@register.simple_tag(takes_context=True)
def jinja_include(context, name):
    """A Jinja2 template rendered with this page's context: for the parts with a thousand rows."""
    return mark_safe(engines["jinja2"].get_template(name).render(context.flatten(), context.get("request")))
