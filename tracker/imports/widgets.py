"""
Widgets: one cell in, one value out. A ValueError carries the Vietnamese message
that the preview shows beside the row and column.
"""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import fields, widgets

from tracker.periods import Quarter
from tracker.text import ascii_fold, nfc

YES = {"co", "x", "1", "true", "yes", "dung", "y"}
NO = {"khong", "0", "false", "no", "sai", "n", ""}


@functools.lru_cache(maxsize=4096, typed=True)
def folded(value):
    """Case- and accent-blind form of a cell, for matching labels (a file repeats a few labels)."""
    return ascii_fold(str(value)).strip().lower()


DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# Excel counts days from 30/12/1899; 20000 to 80000 are the years 1954 to 2119.
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_SERIALS = range(20000, 80001)


class DateWidget(widgets.Widget):
    """
    dd/mm/yyyy (03/04/2024 is 3 April), ISO dates, a real Excel date cell, or the
    day number Excel shows when a date cell loses its date format (45356).
    """

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return self.in_range(value, value.strftime("%d/%m/%Y"))
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            value = str(int(value))
        text = str(value).strip()
        if text.isdigit() and int(text) in EXCEL_SERIALS:
            return EXCEL_EPOCH + datetime.timedelta(days=int(text))
        day_first, iso = DAY_FIRST.match(text), ISO_DATE.match(text)
        try:
            if day_first:
                day, month, year = map(int, day_first.groups())
                return self.in_range(datetime.date(year, month, day), text)
            if iso:
                year, month, day = map(int, iso.groups())
                return self.in_range(datetime.date(year, month, day), text)
        except ValueError:
            pass  # 31/02/2024 and the like
        raise ValueError(
            _("“%(value)s” is not a date. Write day/month/year, for example 05/02/2024.") % {"value": text}
        )

    @staticmethod
    def in_range(day, text):
        if not 1930 <= day.year <= 2100:
            raise ValueError(_("“%(value)s”: the year must be between 1930 and 2100.") % {"value": text})
        return day

    def render(self, value, obj=None, **kwargs):
        return value  # the file format writes it: a date cell in XLSX, dd/mm/yyyy in CSV


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        key = folded(value if value is not None else "")
        if key in YES:
            return True
        if key in NO:
            return False
        raise ValueError(_("“%(value)s” is not yes or no. Write Có or Không.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else "Không"


class ChoiceWidget(widgets.Widget):
    """A choice by its Vietnamese label (as exported), its English label or its code."""

    def __init__(self, choices, blank_allowed=False):
        self.choices = choices
        self.blank_allowed = blank_allowed
        self._table = None
        super().__init__()

    def table(self):
        """{folded spelling: value} and {value: Vietnamese label}, built once."""
        if self._table is None:
            from django.utils import translation

            with translation.override("vi"):
                labels = {choice.value: str(choice.label) for choice in self.choices}
            spellings = {}
            for choice in self.choices:
                for spelling in (choice.value, labels[choice.value], str(choice.label)):
                    spellings[folded(spelling)] = choice.value
            self._table = (spellings, labels)
        return self._table

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            if self.blank_allowed:
                return ""
            raise ValueError(
                _("This column may not be empty. Write one of: %(labels)s.") % {"labels": self.labels()}
            )
        spellings, _labels = self.table()
        try:
            return spellings[folded(value)]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(labels)s.") % {"value": value, "labels": self.labels()}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return self.table()[1].get(value, value or "")

    def labels(self):
        return ", ".join(self.table()[1].values())


class IntegerWidget(widgets.Widget):
    """Whole numbers, with or without thousands separators (80.000, 80,000, 80 000)."""

    def __init__(self, required=False):
        self.required = required
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            if self.required:
                raise ValueError(_("This column may not be empty."))
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip().replace("\u00a0", " ")
        if re.fullmatch(r"\d{1,3}([ .,]\d{3})+|\d+", text):
            return int(re.sub(r"[ .,]", "", text))
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value


# 1.234,5 and 1,234.5 and 1 234,5: thousands grouped by the other mark, or by spaces.
GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?P<group>[.,\s])\d{3})(?:(?P=group)\d{3})*(?:[.,]\d+)?")


class DecimalWidget(widgets.Widget):
    """
    A decimal number or percentage: 98,06 or 98.06, 1.234,5 or 1,234.5, with or
    without a % sign. `percent` marks a column the reader takes from a cell shown as
    a percentage (0,9551 formatted as 95,51%). A number with more digits after the
    decimal point than the column keeps (`places`) is refused, never rounded behind
    the user's back: 99,999% is not 100%.
    """

    def __init__(self, percent=False, places=2):
        self.percent = percent
        self.places = places
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
            return self.within_places(number, f"{number:f}".replace(".", ","))
        text = str(value).replace("\u00a0", " ").strip().removesuffix("%").strip()
        # No percentage reaches a thousand: in 99,999% the comma is a decimal one.
        if not self.percent and GROUPED.fullmatch(text):
            group = GROUPED.fullmatch(text).group("group")
            text = text.replace(group, "")
        text = text.replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number, e.g. 98,06.") % {"value": value}) from None
        return self.within_places(number, value)

    def within_places(self, number, shown):
        try:
            kept = number.quantize(Decimal(1).scaleb(-self.places))
        except InvalidOperation:  # more digits than any column holds
            raise ValueError(_("“%(value)s” is not a number, e.g. 98,06.") % {"value": shown}) from None
        if kept != number:
            raise ValueError(
                _(
                    "“%(value)s” has more than %(places)s digits after the decimal point: "
                    "write at most %(places)s, e.g. 98,06."
                )
                % {"value": shown, "places": self.places}
            )
        return kept

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return nfc(super().clean(value, row, **kwargs) or "")


class CodeWidget(widgets.ForeignKeyWidget):
    """
    A unit or an official by code, among those the importing user may see.

    The resource preloads every code of the file in one query (`preload`); a code
    outside the user's units is an error for that row, so that nobody can write
    into another unit by naming it.
    """

    def __init__(self, model, user, required=True):
        super().__init__(model, field="code")
        self.user = user
        self.required = required
        self.cache = {}

    def preload(self, codes):
        codes = {str(code).strip().upper() for code in codes if code not in (None, "")}
        visible = self.model._default_manager.visible_to(self.user)
        codes = list(codes)
        for start in range(0, len(codes), 500):
            for obj in visible.filter(code__in=codes[start : start + 500]):
                self.cache[obj.code] = obj

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            if self.required:
                raise ValueError(_("This column may not be empty."))
            return None
        code = str(value).strip().upper()
        if code not in self.cache:
            if self.model._default_manager.filter(code=code).exists():
                raise ValueError(
                    _("%(model)s “%(code)s” is not among your units: you may not import rows for it.")
                    % {"model": self.model._meta.verbose_name.capitalize(), "code": code}
                )
            raise ValueError(
                _("No %(model)s has the code “%(code)s”.")
                % {"model": self.model._meta.verbose_name, "code": code}
            )
        return self.cache[code]

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""


class QuarterField(fields.Field):
    """
    "Quý I/2024" or "I/2024": the quarter of an undated record. With a date, the
    quarter follows from it, and a quarter written beside it must agree.
    """

    # Written besides the quarter, for bulk updates.
    also_sets = ("year",)

    def __init__(self, date_column, **kwargs):
        self.date_column = date_column
        super().__init__(attribute="quarter", column_name="Quý", **kwargs)

    def clean(self, row, **kwargs):
        text = row.get(self.column_name)
        if text is None or str(text).strip() == "":
            return None
        try:
            return Quarter.parse(nfc(str(text)))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a quarter. Write Quý I/2024 or I/2024.") % {"value": text}
            ) from None

    def save(self, instance, row, is_m2m=False, **kwargs):
        quarter = self.clean(row)
        if instance.date is None and str(row.get(self.date_column) or "").strip():
            return  # the date could not be read; its own error says so
        if instance.date is not None:
            derived = Quarter.of(instance.date)
            if quarter is not None and quarter != derived:
                raise ValueError(
                    _("The date %(date)s is in %(derived)s, not in %(written)s.")
                    % {
                        "date": instance.date.strftime("%d/%m/%Y"),
                        "derived": derived.label,
                        "written": quarter.label,
                    }
                )
            quarter = derived
        if quarter is None:
            raise ValueError(_("Give the date, or the quarter when the date is unknown (Quý I/2024)."))
        instance.year, instance.quarter = quarter.year, quarter.number

    def export(self, instance, **kwargs):
        return self.label(instance.year, instance.quarter)

    @staticmethod
    def label(year, number):
        if year is None or number is None:
            return ""
        return f"Quý {Quarter(year, number).roman}/{year}"
