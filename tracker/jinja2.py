"""
The Jinja2 environment of the templates Django's engine is too slow for (a thousand
table rows): url, static, gettext in the active language, and Vietnamese numbers.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format, number_format
from jinja2 import Environment


def number(value):
    """A count as the page shows it: thousands grouped (1.105), small numbers as they are."""
    return number_format(value, force_grouping=True) if value >= 1000 else str(value)


def percent(value):
    """A rate with two decimals in the active language ("95,51%"), or a dash."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", get_format("DECIMAL_SEPARATOR")) + "%"


def url(name, *args):
    return reverse(name, args=args)


def environment(**options):
    env = Environment(**options)
    # Django's own gettext functions: each call reads the language active at that moment.
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(url=url, static=static)
    env.filters.update(number=number, percent=percent)
    return env
