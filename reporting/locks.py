"""
What locks a unit's records of a quarter, and the message that says so.

Three things lock them, and each says so in its own words, with who can reopen:
the unit's own report accepted for a period holding the quarter; the bloc's report
accepted for such a period (which closes it for the whole bloc); the period's
closing date gone by. A bloc administrator's lock exception for the unit and a
period holding the quarter, still open, lifts all three.

Every record that belongs to a unit's quarter checks its lock when it is validated
(`PeriodLocked.clean` → `refuse_if_locked`): the admin's forms, the staff forms and
imports validate every row, so the three refuse alike. A record moved out of a
locked quarter is refused too: the values it was read with are remembered.
"""

import contextvars
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import LockException, Submission, SubmissionStatus
from reporting.periods import Period
from tracker.periods import Quarter
from units.models import SEGMENT, Unit

ACCEPTED, BLOC_CLOSED, CLOSED = "accepted", "bloc", "closed"


@dataclass(frozen=True)
class Lock:
    cause: str
    unit: str  # the unit's label
    period: str  # the period's label
    day: datetime.date
    by: str = ""

    @property
    def message(self):
        values = {
            "unit": self.unit,
            "period": self.period,
            "day": self.day.strftime("%d/%m/%Y"),
            "by": self.by,
        }
        if self.cause == ACCEPTED:
            text = _(
                "The report of %(unit)s for %(period)s was accepted on %(day)s by %(by)s: its records are locked."
            )
        elif self.cause == BLOC_CLOSED:
            text = _(
                "The bloc's report for %(period)s was accepted on %(day)s by %(by)s, which closed the period "
                "for every unit: these records are locked."
            )
        else:
            text = _("%(period)s closed for %(unit)s on %(day)s (its closing date): its records are locked.")
        return (
            text % values
            + " "
            + _("Only a bloc administrator can reopen this period for the unit, with a lock exception.")
        )


def reviewer_name(user):
    if user is None:
        return _("unknown")
    return user.get_full_name() or user.username


class LockBook:
    """
    The locks of some units' quarters: accepted submissions, lock exceptions and
    deadline rules read a few queries at a time (per unit, or for a whole file's units
    with `preload_units`), then answered from memory. One per form, one per import.
    """

    def __init__(self, today=None):
        from reporting.deadlines import Deadlines

        self.today = today or timezone.localdate()
        self.deadlines = Deadlines()
        self.units = {}
        self.accepted = {}  # (unit_id, year) -> {Period: (day, by)}
        self.exceptions = {}  # (unit_id, year) -> {Period: until}
        self.found = {}  # (unit_id, Quarter) -> Lock or None
        self.complete = set()  # units whose locks are read

    def unit(self, unit_or_id):
        if isinstance(unit_or_id, Unit):
            self.units.setdefault(unit_or_id.pk, unit_or_id)
            return unit_or_id
        if unit_or_id not in self.units:
            self.units[unit_or_id] = Unit.objects.only("name", "parent_name", "path", "kind").get(
                pk=unit_or_id
            )
        return self.units[unit_or_id]

    def preload_units(self, units):
        """Read the locks of these units (Unit objects) and of their blocs before asking: two queries."""
        units = list(units)
        for unit in units:
            self.units.setdefault(unit.pk, unit)
        self.read({unit.pk for unit in units} | {root_id(unit) for unit in units})

    def read(self, unit_ids):
        """The accepted reports and lock exceptions of these units, every year (a unit has a few a year)."""
        ids = set(unit_ids) - self.complete
        if not ids:
            return
        self.complete |= ids
        accepted = Submission.objects.filter(unit_id__in=ids, status=SubmissionStatus.ACCEPTED)
        for row in accepted.select_related("reviewed_by"):
            when = timezone.localtime(row.reviewed_at).date()
            self.accepted.setdefault((row.unit_id, row.year), {})[row.period] = (
                when,
                reviewer_name(row.reviewed_by),
            )
        for row in LockException.objects.filter(unit_id__in=ids):
            self.exceptions.setdefault((row.unit_id, row.year), {})[row.period] = row.until

    def lock_of(self, unit, quarter: Quarter):
        """The Lock on the records of `unit` (a Unit or its id) in `quarter`, or None; worked out once per book."""
        key = (unit.pk if isinstance(unit, Unit) else unit, quarter)
        if key not in self.found:
            self.found[key] = self.work_out(unit, quarter)
        return self.found[key]

    def work_out(self, unit, quarter):
        unit = self.unit(unit)
        bloc_id = root_id(unit)
        self.read({unit.pk, bloc_id})
        periods = Period.containing(quarter)
        exceptions = self.exceptions.get((unit.pk, quarter.year), {})
        if any(exceptions.get(period, datetime.date.min) >= self.today for period in periods):
            return None
        own = self.accepted.get((unit.pk, quarter.year), {})
        for period in periods:
            if period in own:
                day, by = own[period]
                return Lock(ACCEPTED, unit.label, period.label, day, by)
        bloc = self.accepted.get((bloc_id, quarter.year), {})
        for period in periods:
            if period in bloc:
                day, by = bloc[period]
                return Lock(BLOC_CLOSED, unit.label, period.label, day, by)
        from reporting.deadlines import level_of

        level = level_of(unit.kind)
        for period in reported(periods):
            closes_on = self.deadlines.closes_on(period, level)
            if closes_on is not None and self.today > closes_on:
                return Lock(CLOSED, unit.label, period.label, closes_on)
        return None


def reported(periods):
    """The periods units report on (rules.REPORTED_PERIODS): only those close."""
    from activities.rules import REPORTED_PERIODS

    return [period for period in periods if period.number in REPORTED_PERIODS.get(period.kind, ())]


def root_id(unit):
    return int(unit.path[:SEGMENT])


# An import checks thousands of rows against one LockBook, read in bulk beforehand.
current_book = contextvars.ContextVar("lock_book", default=None)


def book():
    return current_book.get() or LockBook()


class PeriodLocked(models.Model):
    """
    A record that belongs to a unit's quarter. `lock_fields` place it (its unit and
    its day or quarter); their values as read are remembered, so that moving a record
    out of a locked quarter is refused like changing it in place.
    """

    lock_fields = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._lock_values_read = {name: instance.__dict__.get(name) for name in cls.lock_fields}
        return instance

    def clean(self):
        super().clean()
        if not getattr(self, "_lock_unchanged", False):  # an inline row posted back as it was
            self.refuse_if_locked()

    def lock_values(self):
        return {name: getattr(self, name, None) for name in self.lock_fields}

    def lock_place(self, values):
        """(unit or unit id, Quarter, field the message goes beside) for these values, or None."""
        raise NotImplementedError

    def stored_lock_values(self):
        """The place the record is saved at: as it was read, or (a copy made from its history, to revert) as stored."""
        if self.pk is None:
            return None
        read = getattr(self, "_lock_values_read", None)
        if read is None:
            read = type(self)._base_manager.filter(pk=self.pk).values(*self.lock_fields).first()
        return read

    def locks(self, lock_book=None):
        """The Locks that stop this record from being saved as it is, or deleted: new place, then old."""
        lock_book = lock_book or book()
        found = []
        values = self.lock_values()
        places = as_places(self.lock_place(values))
        stored = self.stored_lock_values()
        if stored is not None and stored != values:
            places += as_places(self.lock_place(stored))
        for place in places:
            unit, quarter, field = place
            if unit == getattr(self, "unit_id", None) and type(self).unit.is_cached(self):
                unit = self.unit  # read already (an import's code lookup, a form's choice): no query
            lock = lock_book.lock_of(unit, quarter)
            if lock is not None:
                found.append((field, lock))
        return found

    def refuse_if_locked(self, lock_book=None):
        found = self.locks(lock_book)
        if found:
            field, lock = found[0]
            raise ValidationError({field: lock.message}, code="locked")


def as_places(place):
    """lock_place's answer as a list: None, one (unit, quarter, field), or several (a figure over quarters)."""
    if place is None:
        return []
    return list(place) if isinstance(place, list) else [place]


def quarters_between(start, end):
    """The quarters a span of days overlaps, at most 40 (a figure over ten years)."""
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date) or end < start:
        return []
    quarters, quarter = [], Quarter.of(start)
    while quarter.start <= end and len(quarters) < 40:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def span_place(unit_field, start_field, end_field):
    """lock_place for a record over a span of days: every quarter it overlaps (it shows in each)."""

    def place(self, values):
        unit = values.get(unit_field)
        if unit is None:
            return None
        quarters = quarters_between(values.get(start_field), values.get(end_field))
        if not quarters and isinstance(values.get(end_field), datetime.date):
            quarters = [Quarter.of(values[end_field])]
        return [(unit, quarter, end_field) for quarter in quarters]

    return place


def day_place(unit_field, day_field):
    """lock_place for a record placed by its unit and one of its days."""

    def place(self, values):
        unit, day = values.get(unit_field), values.get(day_field)
        if unit is None or not isinstance(day, datetime.date):
            return None
        return unit, Quarter.of(day), day_field

    return place


def locked_records(records, lock_book=None):
    """The first Lock among these records (a delete of several), or None."""
    lock_book = lock_book or book()
    for record in records:
        found = record.locks(lock_book)
        if found:
            return found[0][1]
    return None
