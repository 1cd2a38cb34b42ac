"""
Posting the wrong thing to a form, field by field, as a careless or hostile user would.

`form_data(html)` reads a rendered form the way a browser submits it; `bad_values(field)`
lists what a field must refuse; `mutations(form, data)` yields one POST per field and
wrong value, every other field left as it was.
"""

from html.parser import HTMLParser

from django import forms

# A control character in a text input: the NUL a form field refuses outright, and the
# vertical tab a paste from a word processor brings.
CONTROL_VALUES = ["Sai\x00lệch", "Dòng\x0bmột"]
DATE_VALUES = ["31/02/2024", "abc"]
TIME_VALUES = ["25:61", "abc"]
NUMBER_VALUES = ["abc", "-1", "9" * 30]
CHOICE_VALUES = ["không-có", "5"]
MISSING_ID = "987654"


class _FormReader(HTMLParser):
    """The name/value pairs a browser would post for the form whose id ends in `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("id") or "").endswith(self.form_id) or self.form_id == ""
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            # A browser drops the newline that follows the opening tag.
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


def form_data(html, form_id=""):
    """What a browser posts for the rendered form: {name: [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data


def bad_values(field, other_ids=()):
    """
    Values `field` must refuse, as typed into its input: ("label", value). Empty only
    when the field is required; for a choice of records, an id that does not exist
    and the ids in `other_ids` (records the user may not pick).
    """
    values = []
    if field.required and not isinstance(field, forms.BooleanField):
        values.append(("empty", ""))
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return values
    if isinstance(field, forms.ModelChoiceField):
        values.append(("missing id", MISSING_ID))
        values.append(("text as id", "abc"))
        values.append(("huge id", "9" * 30))
        values += [("another unit's id", str(pk)) for pk in other_ids]
    elif isinstance(field, forms.ChoiceField):
        values += [("not a choice", value) for value in CHOICE_VALUES if value not in valid_choices(field)]
    elif isinstance(field, forms.DateField | forms.SplitDateTimeField | forms.DateTimeField):
        values += [("bad date", value) for value in DATE_VALUES]
    elif isinstance(field, forms.TimeField):
        values += [("bad time", value) for value in TIME_VALUES]
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        values += [("bad number", value) for value in NUMBER_VALUES]
    elif isinstance(field, forms.URLField):
        values += [("bad url", "không phải địa chỉ"), ("script url", "javascript:alert(1)")]
        values += [("control character", f"https://example.com/{value}") for value in CONTROL_VALUES]
    elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        # A password is stored hashed, never written into a document.
        values += [("control character", value) for value in CONTROL_VALUES]
    return values


def valid_choices(field):
    return {str(value) for value, _label in field.choices}


def post_names(bound_field):
    """The names a field posts under: one, or one per part of a split widget."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return [f"{bound_field.html_name}_{index}" for index in range(len(widget.widgets))]
    return [bound_field.html_name]


def with_value(data, bound_field, value):
    """`data` with the field set to `value` (the first part of a split widget)."""
    changed = dict(data)
    names = post_names(bound_field)
    changed[names[0]] = [value]
    for name in names[1:]:
        changed.setdefault(name, [""])
    return changed


def empty_inlines(*prefixes):
    """The management forms of inlines posted without a row (an admin form refuses a post without them)."""
    return {f"{prefix}-{name}": "0" for prefix in prefixes for name in ("TOTAL_FORMS", "INITIAL_FORMS")}


# A study session's admin form: its meeting's tasks and the cell's own scores.
SESSION_INLINES = empty_inlines("tasks", "scores")
