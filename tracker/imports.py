"""
Import and export as the bloc's files really are: Excel or CSV, Vietnamese headers,
dd/mm/yyyy dates, "Quý I/2024", "Có"/"Không", CSV saved by Excel on Vietnamese
Windows (Windows-1258) or as UTF-8, rows referring to units and officials by code.

The pieces plug into django-import-export: widgets that read and write those
values with Vietnamese error messages, a resource base that is scoped to the
importing user, file formats that neutralise formulas on export, and an admin
mixin with size and row limits, encoding detection and a blank template to fill.
"""

import codecs
import csv
import datetime
import functools
import io
import re
from decimal import Decimal, InvalidOperation

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tracker.history import bulk_create_with_history, bulk_update_with_history
from tracker.periods import Quarter
from tracker.text import ascii_fold, nfc
from tracker.versioning import Versioned

YES = {"co", "x", "1", "true", "yes", "dung", "y"}
NO = {"khong", "0", "false", "no", "sai", "n", ""}


@functools.lru_cache(maxsize=4096, typed=True)
def folded(value):
    """Case- and accent-blind form of a cell, for matching labels (a file repeats a few labels)."""
    return ascii_fold(str(value)).strip().lower()


# Widgets: one cell in, one value out; a ValueError carries the Vietnamese message.


DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DateWidget(widgets.Widget):
    """dd/mm/yyyy (03/04/2024 is 3 April), ISO dates, or a real Excel date cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return self.in_range(value, value.strftime("%d/%m/%Y"))
        text = str(value).strip()
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


class DecimalWidget(widgets.Widget):
    """A decimal number or percentage: 98,06 or 98.06, with or without a % sign."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, int | float):
            return Decimal(str(value)).quantize(Decimal("0.01"))
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        try:
            return Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number, e.g. 98,06.") % {"value": value}) from None

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
        if instance.year is None or instance.quarter is None:
            return ""
        return f"Quý {Quarter(instance.year, instance.quarter).roman}/{instance.year}"


class TrackerRowResult(RowResult):
    def add_instance_info(self, instance):
        # The text of each row serves only admin log entries, which imports skip
        # (the audit history has every row); it would cost a __str__ per row.
        if instance is not None:
            self.object_id = instance.pk


def shown(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def key_part(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return nfc(value)
    return value


class TrackerResource(resources.ModelResource):
    """
    A resource for one importing user: foreign keys by code within their units,
    rows matched to existing records by natural key, values cleaned to NFC.
    """

    # The fields of the natural key, as model field names.
    natural_key = ()

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)
        for field in self.fields.values():  # the library's per-instance copies
            if isinstance(field.widget, CodeWidget):
                # A widget per import, bound to its user: its cache is that user's.
                field.widget = CodeWidget(field.widget.model, user, field.widget.required)
        self.existing = {}
        self.seen = {}
        self.snapshots = {}
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

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            if isinstance(field.widget, CodeWidget) and field.column_name in dataset.headers:
                field.widget.preload(dataset[field.column_name])
        self.existing = self.load_existing(dataset)
        self.seen = {}

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = nfc(value)
        try:
            key = self.row_identity(row)
        except ValueError:
            return  # the row's own cells are reported
        number = kwargs.get("row_number")
        first = self.seen.setdefault(key, number)
        if first != number:
            # Rows are named as in the spreadsheet, where the header is row 1.
            raise ValidationError(_("This row repeats row %(row)s of the file.") % {"row": first + 1})

    def get_row_result_class(self):
        return TrackerRowResult

    def get_import_fields(self):
        # The library asks for these twice a row; they do not change during an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def get_instance(self, instance_loader, row):
        try:
            key = self.cached_key(row)
        except ValueError:
            return None  # the field's own error is reported when the row is read
        instance = self.existing.get(key)
        if instance is not None:
            self.snapshots[instance.pk] = self.values_of(instance)
        return instance

    def values_of(self, instance):
        """What the file can change of a record, to tell an unchanged row."""
        values = []
        for field in self.get_import_fields():
            if field.attribute:
                values.append(field.get_value(instance))
                values.extend(getattr(instance, name) for name in getattr(field, "also_sets", ()))
        return values

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        before = self.snapshots.get(instance.pk)
        return before is not None and before == self.values_of(instance)

    def after_import_row(self, row, row_result, **kwargs):
        # The preview shows each row as the file has it, dates as dd/mm/yyyy.
        row_result.diff = [shown(row.get(header)) for header in self.get_diff_headers()]

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
        try:
            # Constraints are not checked here, query by query: rows are matched by
            # natural key and repeats within the file are flagged, and the database
            # refuses whatever else breaks a constraint, rolling the file back.
            # Cells these widgets read are checked already (codes within the user's
            # units, choices, dates, yes/no); text and numbers are checked here.
            instance.full_clean(
                exclude=self.checked_by_widgets, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            raise ValidationError({self.column_of(k): v for k, v in error.error_dict.items()}) from None

    def get_queryset(self):
        return self._meta.model._default_manager.visible_to(self.user)

    # With Meta.use_bulk, rows are written a batch at a time, their history too.

    def get_bulk_update_fields(self):
        names = set()
        for field in self.fields.values():
            if field.attribute:
                names.add(field.attribute)
                names.update(getattr(field, "also_sets", ()))
        return sorted(names)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances, self._meta.model, batch_size=batch_size, user=self.user
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            fields = self.get_bulk_update_fields()
            if issubclass(self._meta.model, Versioned):
                # A form opened on one of these rows before the import is now stale.
                for instance in self.update_instances:
                    instance.version += 1
                fields.append("version")
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

    def related_export_fields(self):
        opts = self._meta.model._meta
        names = {field.attribute.split("__")[0] for field in self.get_export_fields() if field.attribute}
        return sorted(
            name for name in names if any(f.name == name and f.many_to_one for f in opts.get_fields())
        )


# File formats.

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeCSV(base_formats.CSV):
    """CSV in UTF-8 with a BOM (Excel opens it right), formulas neutralised, dates dd/mm/yyyy."""

    def get_title(self):
        return "csv"

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([self.cell(value) for value in row])
        return "\ufeff" + out.getvalue()

    @staticmethod
    def cell(value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if value is None:
            return ""
        return neutralise(value)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8")
        return super().create_dataset(in_stream.lstrip("\ufeff"), **kwargs)


class SafeXLSX(base_formats.XLSX):
    """XLSX with a bold, frozen header row, real date and number cells, formulas neutralised."""

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        # Write-only: rows go to the file as they come, so a province's hundred thousand
        # sessions never sit in memory as cell objects.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Dữ liệu")
        sheet.freeze_panes = "A2"
        sheet.append([self.cell(sheet, header, bold=True) for header in dataset.headers])
        for row in dataset:
            sheet.append([self.cell(sheet, neutralise(value)) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        # Files written row by row (ours, and many programs' exports) carry no sheet
        # dimensions, and openpyxl then reads a row only as far as its last filled
        # cell: pad each row to the header's width, or the row would be refused.
        workbook = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        rows = workbook.active.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        dataset = tablib.Dataset(headers=headers)
        ignore_blanks = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in rows:
            values = list(row) + [None] * (len(headers) - len(row))
            if not (ignore_blanks and all(value is None for value in values)):
                dataset.append(values)
        return dataset

    @staticmethod
    def cell(sheet, value, bold=False):
        """A date as a date cell shown dd/mm/yyyy, a header in bold; anything else as it is."""
        if not bold and not isinstance(value, datetime.date):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if bold:
            cell.font = Font(bold=True)
        else:
            cell.number_format = "DD/MM/YYYY"
        return cell


IMPORT_FORMATS = [SafeXLSX, SafeCSV]


# Reading an upload.


def decode_csv(data, encoding):
    """
    The text of a CSV upload as UTF-8 NFC. `encoding` is "auto" (UTF-8 with or
    without BOM, else Windows-1258, as Excel saves CSV on Vietnamese Windows),
    "utf-8" or "cp1258".
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8" if encoding == "auto" else encoding
    candidates = ["utf-8", "cp1258"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        try:
            return nfc(data.decode(candidate))
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file cannot be read as %(encodings)s. Save it from Excel as “CSV UTF-8”, or as Excel (.xlsx).")
        % {"encodings": " / ".join(candidates)}
    )


def count_data_rows(data, is_xlsx):
    """Rows below the header, counted without loading the rows themselves."""
    if is_xlsx:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.max_row or 0
        workbook.close()
        return max(0, rows - 1)
    return max(0, data.count("\n") - 1 + (0 if data.endswith("\n") else 1))


class TrackerImportForm(ImportForm):
    encoding = forms.ChoiceField(
        label=gettext_lazy("CSV encoding"),
        choices=[
            ("auto", gettext_lazy("Detect (UTF-8 or Windows-1258)")),
            ("utf-8", "UTF-8"),
            ("cp1258", gettext_lazy("Windows-1258 (Vietnamese Excel)")),
        ],
        initial="auto",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None or "format" not in cleaned:
            return cleaned
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        data = b"".join(upload.chunks())
        is_xlsx = IMPORT_FORMATS[int(cleaned["format"])] is SafeXLSX
        if is_xlsx:
            try:
                rows = count_data_rows(data, is_xlsx=True)
            except Exception as error:
                raise ValidationError(
                    _("This is not an Excel (.xlsx) file that can be read safely (%(reason)s).")
                    % {"reason": type(error).__name__}
                ) from error
            upload.normalised = data
        else:
            text = decode_csv(data, cleaned.get("encoding") or "auto")
            rows = count_data_rows(text, is_xlsx=False)
            upload.normalised = text.encode("utf-8")
        if rows > settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                _("The file has %(rows)s rows; the limit is %(limit)s. Split it into smaller files.")
                % {"rows": rows, "limit": settings.IMPORT_MAX_ROWS}
            )
        return cleaned


class TrackerImportExportMixin(ImportExportMixin):
    """Import and export for a scoped admin: limits, encodings, a template, Vietnamese errors."""

    formats = IMPORT_FORMATS
    import_form_class = TrackerImportForm
    import_template_name = "tracker/import.html"
    # Always every column: an export is meant to come back as an import.
    export_form_class = ExportForm
    from_encoding = "utf-8"

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_form_class(self, request):
        return self.import_form_class

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing at the confirm step too: a row that fails there (the data
        # changed since the dry run) rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            if result.base_errors:
                messages.error(
                    request,
                    _(
                        "Nothing was imported: writing the rows failed (%(reason)s). Try again, or tell the administrator."
                    )
                    % {"reason": result.base_errors[0].error},
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
                )
            if result.has_errors():
                number, errors = result.row_errors()[0]
                reason = str(errors[0].error)
            else:
                invalid = result.invalid_rows[0]
                number, reason = (
                    invalid.number,
                    "; ".join(invalid.error_dict.get(next(iter(invalid.error_dict)), [])),
                )
            messages.error(
                request,
                _(
                    "Nothing was imported: row %(row)s failed (%(reason)s). Correct the file and import it again."
                )
                % {"row": number, "reason": reason},
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        return super().process_result(result, request)

    def write_to_tmp_storage(self, import_file, input_format):
        # The form has read and checked the upload; store what it read (CSV as UTF-8).
        form_data = getattr(import_file, "normalised", None)
        tmp_storage = self.get_tmp_storage_class()(
            encoding=None if input_format.is_binary() else "utf-8",
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        tmp_storage.save(form_data if form_data is not None else b"".join(import_file.chunks()))
        return tmp_storage

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            _("The file could not be read (%(reason)s). Check that the chosen format matches the file.")
            % {"reason": type(e).__name__},
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-template/<str:file_format>/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, file_format):
        """A blank file to fill: the headers, one example row, and what each column accepts."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](user=request.user)
        headers = [field.column_name for field in resource.get_import_fields()]
        example = [resource.column_help.get(header, ("", ""))[0] for header in headers]
        name = f"mau-nhap-{self.opts.model_name}"
        if file_format == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerows([headers, example])
            response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Dữ liệu"
        sheet.append(headers)
        sheet.append(example)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        guide = workbook.create_sheet("Hướng dẫn")
        guide.append(["Cột", "Ví dụ", "Cách ghi"])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for header in headers:
            sample, rule = resource.column_help.get(header, ("", ""))
            guide.append([header, sample, str(rule)])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
