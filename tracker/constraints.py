"""Constraint builders shared by the apps' models."""

from django.db import models


def choices_check(field, choices, name):
    """Refuse, in the database, a value outside a TextChoices."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def unique_allowing_null(*fields, optional, name):
    """
    A natural key in which one part may be unknown.

    SQL treats NULLs as distinct, so a plain unique constraint would let the same
    undated record in twice. Two partial unique indexes close that gap on SQLite and
    PostgreSQL alike: one with the optional part, one without it when it is null.
    """
    return [
        models.UniqueConstraint(
            fields=[*fields, optional],
            condition=models.Q(**{f"{optional}__isnull": False}),
            name=name,
        ),
        models.UniqueConstraint(
            fields=list(fields),
            condition=models.Q(**{f"{optional}__isnull": True}),
            name=f"{name}_when_null",
        ),
    ]


def year_check(field, name):
    """Years the campaign can have records for."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 1930, f"{field}__lte": 2100}), name=name
    )


def not_blank(field, name):
    return models.CheckConstraint(condition=~models.Q(**{field: ""}), name=name)
