"""
The resource base: rows of a file for one importing user, foreign keys by code within
their units, rows matched to stored records by natural key, written in bulk with
their audit history.
"""

import datetime
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import InvalidRow, Result, RowResult

from tracker.constraints import check_constraints_in_python
from tracker.history import bulk_create_with_history, bulk_update_with_history
from tracker.text import SearchTextField, nfc
from tracker.versioning import Versioned
from units.models import Unit

from .exports import Column, blank_if_none, column_of
from .reading import Columns
from .widgets import ChoiceWidget, CodeWidget, DateWidget, YesNoWidget

logger = logging.getLogger(__name__)


class TrackerResult(Result):
    @property
    def error_count(self):
        """Rows the preview reports as wrong: invalid values and rows that failed."""
        return len(self.invalid_rows) + len(self.error_rows)

    def append_invalid_row(self, number, row, validation_error):
        # The row as the file has it: a column the file lacks is blank, not the library's "---".
        values = tuple(shown(row.get(column)) for column in self.diff_headers)
        self.invalid_rows.append(InvalidRow(number=number, validation_error=validation_error, values=values))


class TrackerRowResult(RowResult):
    def add_instance_info(self, instance):
        # The text of each row serves only admin log entries, which imports skip
        # (the audit history has every row); it would cost a __str__ per row.
        if instance is not None:
            self.object_id = instance.pk


class ImportFailed(Exception):
    """Writing the rows failed; its text is the Vietnamese explanation shown to the user."""


def explain(error):
    """What to tell the user when writing the rows failed, without the database's own words."""
    if not isinstance(error, IntegrityError):
        return _("the database did not accept the rows; try again, or tell the administrator")
    text = str(error)
    named = [
        (model, constraint)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if constraint.name in text
    ]
    if not named:
        # SQLite names the columns of a unique index, not the index.
        return _("a row repeats a record that already exists, or breaks a rule of the records")
    model, constraint = max(named, key=lambda pair: len(pair[1].name))  # x_when_null, not x
    message = str(constraint.violation_error_message or "")
    if isinstance(constraint, models.CheckConstraint) and message and "%(" not in message:
        return message
    if isinstance(constraint, models.UniqueConstraint):
        return _("a row repeats a %(model)s that already exists") % {"model": model._meta.verbose_name}
    return _("a row breaks a rule of the %(model)s records; check the file's values") % {
        "model": model._meta.verbose_name
    }


def shown(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


@dataclass(frozen=True)
class Changed:
    """A cell of an updated row that the import changes: the preview shows old → new."""

    old: object
    new: object
    changed = True

    def __str__(self):
        return f"{self.old} → {self.new}"


def key_part(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return nfc(value)
    return value


class ShownField(fields.Field):
    """
    A column written for people to read, beside the code the import uses (a unit's
    name and its parent's beside its code): the export writes it, the import accepts
    the column and ignores it, so that an exported file imports back unchanged. The
    blank template leaves it out.
    """

    def __init__(self, column_name, lookup):
        self.lookup = lookup
        super().__init__(column_name=column_name, readonly=True, dehydrate_method=self.read)

    def read(self, instance):
        """The value at `lookup` ("unit__name") of a record."""
        for name in self.lookup.split("__"):
            instance = getattr(instance, name)
        return instance

    def export_column(self):
        return Column(self.column_name, (self.lookup,), convert=blank_if_none)


class TrackerResource(resources.ModelResource):
    """
    A resource for one importing user: foreign keys by code within their units,
    rows matched to existing records by natural key, values cleaned to NFC.
    """

    # The fields of the natural key, as model field names.
    natural_key = ()
    # What an export reads for a field without an attribute (one a dehydrate method
    # writes), as a lookup: {"full_name": "official__full_name"}.
    export_lookups = {}
    # How an export orders the rows a many-valued lookup adds within one record.
    export_ordering = ()

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)
        for field in self.fields.values():  # the library's per-instance copies
            if isinstance(field.widget, CodeWidget):
                # A widget per import, bound to its user: its cache is that user's.
                field.widget = CodeWidget(field.widget.model, user, field.widget.required)
        self.existing = {}
        self.seen = {}
        self.numbers = None
        self.uncomputed = {}
        self.snapshots = {}
        self.shown_before = {}
        self.current = None
        self._diff_fields = None
        self._key_cache = (None, None)
        self.checked_by_widgets = [
            field.attribute
            for field in self.fields.values()
            if field.attribute
            and isinstance(field.widget, CodeWidget | ChoiceWidget | DateWidget | YesNoWidget)
        ]

    class Meta:
        batch_size = 1000
        skip_unchanged = True
        # No deep copy and HTML diff per row (half the import's time): unchanged rows
        # are found by comparing with a snapshot, and the preview shows the file's values.
        skip_diff = True
        report_skipped = True
        clean_model_instances = True

    def import_columns(self):
        """What the reader looks for in a file: the columns, those required, the percentages."""
        fields = self.get_import_fields()
        return Columns(
            names=tuple(field.column_name for field in fields),
            shown=tuple(
                field.column_name for field in self.get_export_fields() if isinstance(field, ShownField)
            ),
            required=self.required_columns(),
            percentages=frozenset(
                field.column_name for field in fields if getattr(field.widget, "percent", False)
            ),
        )

    def required_columns(self):
        """Groups of columns a file must have at least one of: by default its natural key's."""
        return tuple((self.fields[name].column_name,) for name in self.natural_key)

    def import_data(self, dataset, **kwargs):
        from reporting.locks import LockBook, current_book  # reporting builds on the apps that import

        # The file's rows are checked against the reporting locks read once, not a query a row.
        token = current_book.set(LockBook())
        try:
            result = super().import_data(dataset, **kwargs)
        finally:
            current_book.reset(token)
        # Rows are numbered as in the spreadsheet, title block and skipped rows counted.
        for row in result.invalid_rows:
            row.number = self.line(row.number)
        for row in result.error_rows:
            row.number = self.line(row.number)
        return result

    def line(self, number):
        """The row in the file of the dataset's row `number` (1-based); the header is row 1 by default."""
        numbers = self.numbers
        if numbers and 0 < number <= len(numbers):
            return numbers[number - 1]
        return number + 1

    def before_import(self, dataset, **kwargs):
        self.numbers = getattr(dataset, "numbers", None)
        self.uncomputed = {}
        for (index, column), cell in getattr(dataset, "uncomputed", {}).items():
            self.uncomputed.setdefault(index + 1, {})[column] = cell
        for field in self.fields.values():
            if isinstance(field.widget, CodeWidget) and field.column_name in dataset.headers:
                field.widget.preload(dataset[field.column_name])
        from reporting.locks import current_book

        lock_book = current_book.get()
        if lock_book is not None:
            # The reporting locks of the units the file names, read once (reporting.locks).
            lock_book.preload_units(
                unit
                for field in self.fields.values()
                if isinstance(field.widget, CodeWidget) and field.widget.model is Unit
                for unit in field.widget.cache.values()
            )
        self.existing = self.load_existing(dataset)
        self.seen = {}

    def before_import_row(self, row, **kwargs):
        uncomputed = self.uncomputed.get(kwargs.get("row_number"))
        if uncomputed:
            raise ValidationError(
                {
                    column: _(
                        "Cell %(cell)s holds a formula without its computed value. Open the file in "
                        "Excel or LibreOffice, save it, and import it again; or type the value."
                    )
                    % {"cell": cell}
                    for column, cell in uncomputed.items()
                }
            )
        # Text is NFC already: the reader cleans every cell, and the widgets normalise what they read.
        try:
            key = self.row_identity(row)
        except ValueError:
            return  # the row's own cells are reported
        number = kwargs.get("row_number")
        first = self.seen.setdefault(key, number)
        if first != number:
            # Rows are named as in the spreadsheet, title rows counted.
            raise ValidationError(_("This row repeats row %(row)s of the file.") % {"row": self.line(first)})

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = self.line(kwargs.get("row_number", 0))  # as in the spreadsheet
        if settings.IMPORT_EXPORT_SKIP_ADMIN_LOG:
            # The library keeps each saved record for the admin's log entries, which
            # imports skip (the audit history has every row): 50,000 records held to the end.
            row_result.instance = None
        for error in row_result.errors:
            # Not a mistake in the file: the page says so in Vietnamese, the log keeps the detail.
            logger.error("Import row %s failed\n%s", self.line(kwargs.get("row_number", 0)), error.traceback)
        return row_result

    def handle_import_error(self, result, error, raise_errors=False):
        logger.error("Import failed", exc_info=error)
        super().handle_import_error(result, ImportFailed(explain(error)), raise_errors)

    def get_row_result_class(self):
        return TrackerRowResult

    def get_result_class(self):
        return TrackerResult

    def get_import_fields(self):
        # The library asks for these twice a row; they do not change during an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = [
                field for field in super().get_import_fields() if not isinstance(field, ShownField)
            ]
        return self._import_fields

    def get_instance(self, instance_loader, row):
        try:
            key = self.cached_key(row)
        except ValueError:
            return None  # the field's own error is reported when the row is read
        instance = self.existing.get(key)
        if instance is not None:
            self.snapshots[instance.pk] = self.values_of(instance)
            self.shown_before[instance.pk] = self.shown_values(instance)
        return instance

    def shown_values(self, instance):
        """The preview's columns as the record holds them, written as the export writes them (Có, 05/02/2024)."""
        if self._diff_fields is None:
            by_column = {field.column_name: field for field in self.get_export_fields()}
            self._diff_fields = [by_column.get(header) for header in self.get_diff_headers()]
        return [shown(field.export(instance)) if field else "" for field in self._diff_fields]

    def values_of(self, instance):
        """What the file can change of a record, to tell an unchanged row."""
        values = []
        for field in self.get_import_fields():
            if field.attribute:
                values.append(field.get_value(instance))
                values.extend(getattr(instance, name) for name in getattr(field, "also_sets", ()))
        return values

    def skip_row(self, instance, original, row, import_validation_errors=None):
        self.current = instance  # after_import_row shows it
        if import_validation_errors or instance.pk is None:
            return False
        before = self.snapshots.get(instance.pk)
        return before is not None and before == self.values_of(instance)

    def after_import_row(self, row, row_result, **kwargs):
        # The preview shows each row as it will be saved ("Có" for the "x" typed, dates
        # as dd/mm/yyyy); in a changed row, each changed cell as old → new.
        instance = self.current if row_result.import_type != RowResult.IMPORT_TYPE_DELETE else None
        if instance is None:
            row_result.diff = [shown(row.get(header)) for header in self.get_diff_headers()]
            return
        after = self.shown_values(instance)
        before = (
            self.shown_before.get(instance.pk)
            if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE
            else None
        )
        if before is None:
            row_result.diff = after
        else:
            row_result.diff = [
                new if old == new else Changed(old, new) for old, new in zip(before, after, strict=True)
            ]

    def key_of_row(self, row):
        """The natural key of a file row, as `key_of` gives it for a stored record."""
        return tuple(key_part(self.fields[name].clean(row)) for name in self.natural_key)

    def row_identity(self, row):
        """What makes a row of the file distinct from the others: its natural key."""
        return self.cached_key(row)

    def cached_key(self, row):
        """key_of_row, computed once per row (it is asked for twice)."""
        if self._key_cache[0] is not row:
            self._key_cache = (row, self.key_of_row(row))
        return self._key_cache[1]

    def key_of(self, obj):
        return tuple(key_part(getattr(obj, self.fields[name].attribute)) for name in self.natural_key)

    def load_existing(self, dataset):
        return {self.key_of(obj): obj for obj in self.existing_candidates(dataset)}

    def existing_candidates(self, dataset):
        """Stored records the file's rows may match: by default those of the units it names."""
        units = list(self.fields["unit"].widget.cache.values())
        return self.get_queryset().filter(unit__in=units)

    def column_of(self, key):
        """The file's column for a model field name, so that errors name what people see."""
        for field in self.fields.values():
            if field.attribute == key:
                return field.column_name
        return key

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            # Cells that could not be read come first; checks of the whole row on a
            # half-read row would only echo them.
            raise ValidationError({self.column_of(k): v for k, v in import_validation_errors.items()})
        errors = {}
        try:
            # Cells these widgets read are checked already (codes within the user's
            # units, choices, dates, yes/no); text and numbers are checked here.
            instance.full_clean(
                exclude=self.checked_by_widgets, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = {field: list(messages) for field, messages in error.message_dict.items()}
        # The database's CHECK constraints, evaluated in Python (a query a row and a
        # constraint would cost more than the import): a figure of -1 or a rate of 150
        # is this row's error, beside its column, not a failure of the whole write.
        # Natural keys are matched, and repeats within the file flagged, elsewhere.
        for field, messages in check_constraints_in_python(instance).items():
            known = errors.setdefault(field, [])
            known.extend(message for message in messages if message not in known)
        if errors:
            raise ValidationError({self.column_of(k): v for k, v in errors.items()})

    def get_queryset(self):
        return self._meta.model._default_manager.visible_to(self.user)

    # With Meta.use_bulk, rows are written a batch at a time, their history too. A dry
    # run (the preview) writes nothing: every rule a write would enforce is checked per
    # row before (widgets, full_clean, the CHECK constraints in Python, natural keys and
    # repeats), and the library's write-then-roll-back took a third of the preview.
    # Whatever fails only at the confirm's write rolls the whole file back, and says so.

    def get_bulk_update_fields(self):
        names = set()
        for field in self.fields.values():
            if field.attribute:
                names.add(field.attribute)
                names.update(getattr(field, "also_sets", ()))
        return sorted(names)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and dry_run:
            self.create_instances.clear()
        elif self.create_instances:
            try:
                bulk_create_with_history(
                    self.create_instances, self._meta.model, batch_size=batch_size, user=self.user
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and dry_run:
            self.update_instances.clear()
        elif self.update_instances:
            fields = self.get_bulk_update_fields()
            if issubclass(self._meta.model, Versioned):
                # A form opened on one of these rows before the import is now stale.
                for instance in self.update_instances:
                    instance.version += 1
                fields.append("version")
            for field in self._meta.model._meta.concrete_fields:
                if isinstance(field, SearchTextField):
                    # bulk_update writes attributes as they are: fold the search text here.
                    for instance in self.update_instances:
                        field.pre_save(instance, add=False)
                    fields.append(field.name)
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    fields,
                    batch_size=batch_size,
                    user=self.user,
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        # A column showing a related record's code reads it with the row, not one query a row.
        return super().export(queryset=queryset.select_related(*self.related_export_fields()), **kwargs)

    def export_columns(self):
        """The export's columns, in order, each with what to read for it (see exports.py)."""
        names = {id(field): name for name, field in self.fields.items()}
        return [
            column_of(field, self.export_lookups.get(names[id(field)])) for field in self.get_export_fields()
        ]

    def related_export_fields(self):
        opts = self._meta.model._meta
        names = {field.attribute.split("__")[0] for field in self.get_export_fields() if field.attribute}
        return sorted(
            name for name in names if any(f.name == name and f.many_to_one for f in opts.get_fields())
        )
