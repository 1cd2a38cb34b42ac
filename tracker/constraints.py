"""
Constraints shared by the apps' models, and what people read when a row breaks one.

Every constraint carries a message that says what to fix (`message=`) and the field it
belongs beside (`field=`), so that a form shows it there, in Vietnamese, never the
constraint's name. A natural-key clash names the record that already holds the key,
and a form can link to it (`DuplicateLinksMixin`). `check_constraints_in_python`
gives an importer the same verdicts, row by row, without a query per row.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tracker.periods import QuarterOf, YearOf

NOT_BLANK_MESSAGE = _("This field must not be left empty.")
CHOICE_MESSAGE = _("Choose one of the values in the list.")
YEAR_MESSAGE = _("Give a year between 1930 and 2100.")
DUPLICATE_REMEDY = _("Correct that record rather than entering it again.")


class FieldErrorMixin:
    """A constraint whose violation is reported on one field of the form."""

    kept_on_clone = ["field"]

    def __init__(self, *args, field=None, message=None, **kwargs):
        self.field = field
        if message is not None:
            kwargs["violation_error_message"] = message
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # `field` only says where a form shows the message: to migrations this is
        # Django's own constraint, so a message can change without a schema change.
        path, args, kwargs = super().deconstruct()
        base = next(cls for cls in type(self).__mro__ if cls.__module__ == "django.db.models.constraints")
        return f"django.db.models.{base.__name__}", args, kwargs

    def clone(self):
        # Django clones each constraint of a model's Meta; keep what deconstruct() leaves out.
        clone = super().clone()
        clone.__dict__.update({name: self.__dict__[name] for name in self.kept_on_clone})
        return clone

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            error = self.explain(model, instance, error, using)
            raise (ValidationError({self.field: error}) if self.field else error) from None

    def explain(self, model, instance, error, using):
        return error


class Check(FieldErrorMixin, models.CheckConstraint):
    """A CHECK constraint with its message and field: Check(condition=..., name=..., field=..., message=...)."""


class Unique(FieldErrorMixin, models.UniqueConstraint):
    """
    A natural key. The message may name the clashing row's values, e.g.
    "%(kind)s on %(date)s", by the key's field names; the error's params hold the
    record that already has the key as `existing`.
    """

    kept_on_clone = ["field", "remedy"]

    def __init__(self, *args, remedy=DUPLICATE_REMEDY, **kwargs):
        self.remedy = remedy
        super().__init__(*args, **kwargs)

    def get_violation_error_message(self):
        # Filled in by explain() with the row's own values, not the constraint's name.
        return self.violation_error_message

    def explain(self, model, instance, error, using):
        existing = model._default_manager.using(using).filter(
            **{name: getattr(instance, model._meta.get_field(name).attname) for name in self.fields}
        )
        if self.condition is not None:
            existing = existing.filter(self.condition)
        if not instance._state.adding:
            existing = existing.exclude(pk=instance.pk)
        params = {name: shown_value(instance, name) for name in self.fields}
        params["existing"] = existing.first()
        message = format_lazy("{} {}", self.violation_error_message, self.remedy)
        return ValidationError(message, code="duplicate", params=params)


def shown_value(instance, name):
    """A field's value as a message shows it: a choice's label, a date as dd/mm/yyyy."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if field.is_relation:
        return str(getattr(instance, name))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def choices_check(field, choices, name):
    """Refuse, in the database, a value outside a TextChoices."""
    return Check(
        condition=models.Q(**{f"{field}__in": choices.values}), name=name, field=field, message=CHOICE_MESSAGE
    )


def unique_allowing_null(*fields, optional, name, field, message, message_when_null):
    """
    A natural key in which one part may be unknown.

    SQL treats NULLs as distinct, so a plain unique constraint would let the same
    undated record in twice. Two partial unique indexes close that gap on SQLite and
    PostgreSQL alike: one with the optional part, one without it when it is null.
    """
    return [
        Unique(
            fields=[*fields, optional],
            condition=models.Q(**{f"{optional}__isnull": False}),
            name=name,
            field=field,
            message=message,
        ),
        Unique(
            fields=list(fields),
            condition=models.Q(**{f"{optional}__isnull": True}),
            name=f"{name}_when_null",
            field=field,
            message=message_when_null,
        ),
    ]


def year_check(field, name):
    """Years the campaign can have records for."""
    return Check(
        condition=models.Q(**{f"{field}__gte": 1930, f"{field}__lte": 2100}),
        name=name,
        field=field,
        message=YEAR_MESSAGE,
    )


def not_blank(field, name):
    return Check(condition=~models.Q(**{field: ""}), name=name, field=field, message=NOT_BLANK_MESSAGE)


class DuplicateLinksMixin:
    """
    A model form whose natural-key clash links to the record that holds the key.

    `link_to(record)` gives that record's URL for the person filling the form, or None
    when they may not open it; the view or the admin sets it.
    """

    link_to = None

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and self.link_to is not None:
            error = with_links(error, self.link_to)
        super().add_error(field, error)


def with_links(error, link_to):
    if hasattr(error, "error_dict"):
        return ValidationError(
            {name: [with_links(item, link_to) for item in items] for name, items in error.error_dict.items()}
        )
    if not hasattr(error, "message"):
        return ValidationError([with_links(item, link_to) for item in error.error_list])
    existing = (error.params or {}).get("existing") if error.code == "duplicate" else None
    url = link_to(existing) if existing is not None else None
    if not url:
        return error
    text = error.message % error.params
    return ValidationError(
        format_html('{} <a href="{}">{}</a>', text, url, _("Open the existing record")), code=error.code
    )


# Checking a row's CHECK constraints in Python, for an importer that reads thousands
# of rows: Django's own CheckConstraint.validate() asks the database once per row.


class CannotEvaluate(Exception):
    """A condition this module cannot evaluate in Python; the database still checks it."""


COMPARISONS = {
    "exact": lambda left, right: left == right,
    "gt": lambda left, right: left > right,
    "gte": lambda left, right: left >= right,
    "lt": lambda left, right: left < right,
    "lte": lambda left, right: left <= right,
    "in": lambda left, right: left in right,
}


def check_constraints_in_python(instance):
    """
    The messages of the CHECK constraints `instance` breaks, by field:
    {field_name: [message, ...]}; {} when it breaks none.

    Evaluated as SQL does: a condition that is unknown (a comparison with NULL)
    passes. A constraint on a field nobody types (a unit's tree path) is left out,
    and so is a condition whose lookups or functions this does not know: the
    database still refuses such a row when it is saved.
    """
    errors = {}
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint) or not breaks(constraint, instance):
            continue
        field = getattr(constraint, "field", None) or NON_FIELD_ERRORS
        errors.setdefault(field, []).append(str(constraint.get_violation_error_message()))
    return errors


def breaks(constraint, instance):
    """True if `instance` breaks the CHECK `constraint`; False if not or if it cannot tell."""
    field = getattr(constraint, "field", None)
    if field and not instance._meta.get_field(field).editable:
        return False
    try:
        return evaluate(constraint.condition, instance) is False
    except (CannotEvaluate, TypeError):
        return False


def evaluate(node, instance):
    """A Q's truth for `instance` in SQL's three values: True, False or None (unknown)."""
    if isinstance(node, tuple):
        return compare(instance, *node)
    if not isinstance(node, models.Q):
        raise CannotEvaluate(node)
    results = [evaluate(child, instance) for child in node.children]
    if node.connector == models.Q.AND:
        result = False if False in results else None if None in results else True
    else:
        result = True if True in results else None if None in results else False
    if node.negated and result is not None:
        result = not result
    return result


def compare(instance, lookup, right):
    *path, name = lookup.split("__")
    if name not in COMPARISONS and name != "isnull":
        path, name = [*path, name], "exact"
    if len(path) != 1:
        raise CannotEvaluate(lookup)  # a lookup across a relation
    left = value_of(instance, path[0])
    if name == "isnull":
        return (left is None) == bool(right)
    right = resolve(instance, right)
    if name == "exact" and right is None:
        return left is None  # Django reads field=None as IS NULL
    if left is None or right is None or (name == "in" and None in right):
        return None
    return COMPARISONS[name](left, right)


def value_of(instance, name):
    if name == "pk":
        return instance.pk
    return getattr(instance, instance._meta.get_field(name).attname)


def resolve(instance, value):
    """The Python value of a lookup's right-hand side: a constant, F(), YearOf() or QuarterOf()."""
    if isinstance(value, models.F):
        return value_of(instance, value.name)
    if isinstance(value, YearOf | QuarterOf):
        day = resolve(instance, value.get_source_expressions()[0])
        if day is None:
            return None
        return day.year if isinstance(value, YearOf) else (day.month - 1) // 3 + 1
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "resolve_expression"):
        raise CannotEvaluate(value)
    return value
