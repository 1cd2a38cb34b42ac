"""Form widgets of the project."""

import datetime

from django import forms
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """
    A <select> written out in Python, for long flat lists (every unit or official of a
    province). Django renders each option through a template: for a thousand units and
    a thousand officials that took half a second a page. Same markup, no option groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                raise ValueError("PlainSelect does not render option groups.")
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>')
        return mark_safe(
            f'<select name="{escape(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>{"".join(options)}</select>'
        )


def attributes(attrs):
    """HTML attributes in the order given, as Django's attrs.html writes them."""
    written = []
    for key, value in attrs.items():
        if value is True:
            written.append(f" {escape(key)}")
        elif value is not False and value is not None:
            written.append(f' {escape(key)}="{escape(value)}"')
    return "".join(written)


class DateInput(forms.DateInput):
    """
    The browser's own date picker (<input type="date">), which reads and sends
    yyyy-mm-dd whatever the language. A day typed as dd/mm/yyyy (a browser without a
    picker, or a test) is still accepted by the field, and shown back in the picker's
    form when the page comes back with an error elsewhere.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            for input_format in get_format("DATE_INPUT_FORMATS"):
                try:
                    return datetime.datetime.strptime(value.strip(), input_format).date().isoformat()
                except ValueError:
                    continue
        return super().format_value(value)
