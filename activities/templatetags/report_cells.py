from django import template
from django.utils.safestring import mark_safe

from activities import report_html

register = template.Library()


@register.simple_tag
def overview_rows(rows, quarter):
    return report_html.overview_rows(rows, quarter)


@register.simple_tag
def figures_cells(figures):
    """Tallies, attendance, good models, outreach and exemplars of a unit or a total, as cells."""
    return mark_safe(report_html.figures_cells(figures, report_html.Labels()))


@register.simple_tag
def tally_cells(figures):
    return mark_safe(report_html.tally_cells(figures, report_html.Labels()))


@register.simple_tag
def attendance_rate(figures):
    return report_html.Labels().rate(figures)
