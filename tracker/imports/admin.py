"""
The admin side of import and export: the upload form with its limits and encodings,
the mixin every importable model admin uses, and the template to fill (template.py).
"""

import csv
import io
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.signals import post_export

from tracker.admin import name_empty_choice
from tracker.text import file_slug
from units.models import Unit, scope_of

from .check import PREVIEW_ROWS, check_file, unpacked
from .exports import export_response, rows_of
from .formats import IMPORT_FORMATS, SafeXLSX
from .reading import FileRefused, read_upload
from .storage import PendingUpload, UploadState
from .template import ImportTemplate

logger = logging.getLogger(__name__)

UNEXPECTED_ROW_ERROR = gettext_lazy(
    "this row could not be imported because of an error in the application; it has been logged for "
    "the administrator"
)


class TrackerExportForm(ExportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choice(self.fields["format"])


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

    def __init__(self, formats, resources, user=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.resource_classes = resources
        self.user = user
        name_empty_choice(self.fields["format"])

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None or "format" not in cleaned:
            return cleaned
        if upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error(
                "import_file",
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
            )
            return cleaned
        resource_class = self.resource_classes[int(cleaned.get("resource") or 0)]
        file_format = "xlsx" if IMPORT_FORMATS[int(cleaned["format"])] is SafeXLSX else "csv"
        try:
            upload.table = read_upload(
                b"".join(upload.chunks()),
                file_format=file_format,
                columns=resource_class().import_columns(),
                encoding=cleaned.get("encoding") or "auto",
            )
        except FileRefused as refusal:
            self.add_error("import_file", refusal)
        else:
            upload.sender = self.user  # the checked upload is stored under this user's id
            if not upload.table.rows:
                self.add_error(
                    "import_file",
                    _(
                        "The file has its header row but no rows below it. Fill in the rows and import it again."
                    ),
                )
        return cleaned


class TrackerImportExportMixin(ImportExportMixin):
    """Import and export for a scoped admin: limits, encodings, a template, Vietnamese errors."""

    formats = IMPORT_FORMATS
    import_form_class = TrackerImportForm
    import_template_name = "tracker/import.html"
    # Always every column: an export is meant to come back as an import.
    export_form_class = TrackerExportForm
    from_encoding = "utf-8"

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_form_class(self, request):
        return self.import_form_class

    def get_export_filename(self, request, queryset, file_format):
        """
        "buoi-sinh-hoat-stp-quy-4-2026-27-11-2026.xlsx": what, whose (the list's unit
        filter, else the user's unit, else "toan-bo"), the filtered period, the day.
        """
        with translation.override("vi"):
            what = str(self.model._meta.verbose_name)
        code = request.GET.get("unit")
        if not code:
            scope = scope_of(request.user)
            code = scope.code if isinstance(scope, Unit) else None
        year, quarter = request.GET.get("year", ""), request.GET.get("quarter", "")
        period = [f"quy-{quarter}" if quarter in {"1", "2", "3", "4"} else "", year if year.isdigit() else ""]
        day = timezone.localdate().strftime("%d-%m-%Y")
        name = file_slug(what, code or "toan-bo", *period, day)
        return f"{name}.{file_format.get_extension()}"

    def export_action(self, request):
        # The export takes the list's filters from the address, through the admin's
        # ChangeList, which reads any parameter it does not know, or a filter value it
        # cannot use, as a broken lookup and raises. The list page catches that; the
        # library's export view does not, so a hand-edited or stale address was a 500.
        request.exporting_rows = True  # tracker.admin.shows_choices
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return self.refuse_export_filters(request)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # The library builds the whole file in memory (a dataset, then the file) before
        # it answers: a province's sessions took minutes and a gigabyte. The rows are
        # read as plain values and written as they come instead (exports.py).
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = self.choose_export_resource_class(export_form, request)(
            **self.get_export_resource_kwargs(request, export_form=export_form)
        )
        columns = resource.export_columns()
        response = export_response(
            file_format,
            columns,
            rows_of(queryset, columns, resource.export_ordering),
            self.get_export_filename(request, queryset, file_format),
        )
        post_export.send(sender=None, model=self.model)
        return response

    def refuse_export_filters(self, request):
        """The export form, unfiltered, with what was wrong with the address: a 400."""
        messages.error(
            request,
            _(
                "Nothing was exported: the page address holds a filter this list does not accept. "
                "Open the list again, choose the filters there, then export."
            ),
        )
        form = self.get_export_form_class()(
            self.get_export_formats(), self.get_export_resource_classes(request)
        )
        context = {
            **self.init_request_context_data(request, form),
            # The form posts to the export without the address's filters.
            "export_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_export"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.export_template_name], context, status=400)

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user}

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
            if result.error_rows:
                number, reason = result.error_rows[0].number, UNEXPECTED_ROW_ERROR
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
        # The form has read and checked the upload: store the rows it read, so that the
        # preview and the confirm import exactly those, without reading the file again.
        tmp_storage = self.get_tmp_storage_class()(
            user=import_file.sender, **self.get_tmp_storage_class_kwargs()
        )
        tmp_storage.keep(import_file.table)
        return tmp_storage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        upload = getattr(form, "cleaned_data", {}).get("import_file")
        token = getattr(upload, "tmp_storage_name", None)
        if token is None:
            return response
        storage = self.get_tmp_storage_class()(name=token, user=request.user)
        if context.get("result") is not None:
            storage.save_check(check_file(context["result"], UNEXPECTED_ROW_ERROR))
            context.update(self.preview_context(context["result"], token))
        if "confirm_form" not in context:
            # A preview with errors offers no confirm: its stored upload would only wait to expire.
            storage.remove()
        return response

    def preview_context(self, result, token):
        """The first rows of the preview, how many are left out, and where the full check is."""
        rows = result.valid_rows()
        return {
            "preview_rows": rows[:PREVIEW_ROWS],
            "rows_shown": min(len(rows), PREVIEW_ROWS),
            "rows_not_shown": max(0, len(rows) - PREVIEW_ROWS),
            "check_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import_check", args=[token]
            ),
        }

    def import_check_view(self, request, token):
        """The full check of this user's preview, as the preview stored it: a CSV file."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        data = self.get_tmp_storage_class()(name=token, user=request.user).read_check()
        if data is None:
            messages.error(
                request,
                _(
                    "This check is no longer available: it has expired or was never made. Check the file again."
                ),
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        with translation.override("vi"):
            name = file_slug("kiem tra nhap", str(self.model._meta.verbose_name))
        response = StreamingHttpResponse(unpacked(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        logger.exception("An import file that passed the checks could not be read back")
        form.add_error(
            "import_file",
            _(
                "The file could not be read. Check that the chosen format matches the file, then send it again."
            ),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-template/<str:file_format>/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import-check/<str:token>/",
                self.admin_site.admin_view(self.import_check_view),
                name="{}_{}_import_check".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, file_format):
        """
        A file to fill: the headers and one example row, written with the user's own
        unit and one of its officials; in XLSX also drop-downs for the columns with a
        fixed list, a sheet of the user's unit and official codes, and a guide.
        """
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](user=request.user)
        template = ImportTemplate(resource, request.user)
        with translation.override("vi"):
            name = file_slug("mau nhap", str(self.model._meta.verbose_name))
        if file_format == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerows([template.headers, template.example])
            response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        response = HttpResponse(
            template.xlsx_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response

    # The confirm step. It claims the stored upload before reading it, so that a
    # second confirm of the same upload (a double click, a reload, another tab) is
    # told what became of it instead of importing it twice or failing on a file the
    # first one removed. Rows marked as possible duplicates need an explicit choice.

    tmp_storage_class = PendingUpload

    def get_confirm_form_class(self, request):
        return TrackerConfirmImportForm

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        format_class = self.confirmed_format(confirm_form, request)
        if format_class is None:
            return self.refuse_confirm(request, UploadState.UNKNOWN)
        input_format = format_class(encoding=self.from_encoding)
        # Looked up under the user who confirms: another user's token finds nothing.
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            user=request.user,
            **self.get_tmp_storage_class_kwargs(),
        )
        if not storage.claim():
            return self.refuse_confirm(request, storage.state())
        try:
            dataset = input_format.create_dataset(storage.read())
            with transaction.atomic():
                result = self.process_dataset(dataset, confirm_form, request, **kwargs)
                failed = result.has_errors() or result.has_validation_errors()
                unconfirmed = (
                    not failed
                    and getattr(result, "possible_duplicates", 0)
                    and not confirm_form.cleaned_data.get("accept_duplicates")
                )
                if unconfirmed:
                    transaction.set_rollback(True)
        except BaseException:
            storage.release()
            raise
        if unconfirmed:
            storage.release()
            return self.preview_again(request, confirm_form, result)
        if failed:
            storage.remove()  # nothing was written; the message asks for the file again
        else:
            storage.mark_imported()
        return self.process_result(result, request)

    def confirmed_format(self, confirm_form, request):
        """The file format a confirm names, or None when the confirm is not one this admin sent."""
        if not confirm_form.is_valid():
            return None
        formats = self.get_import_formats()
        chosen, resource = confirm_form.cleaned_data["format"], confirm_form.cleaned_data["resource"] or "0"
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if not (chosen.isdecimal() and int(chosen) < len(formats)):
            return None
        if not (resource.isdecimal() and int(resource) < len(self.get_import_resource_classes(request))):
            return None
        return formats[int(chosen)]

    def refuse_confirm(self, request, state):
        if state is UploadState.IMPORTED:
            messages.warning(request, _("This file has already been imported; it was not imported again."))
        elif state is UploadState.BEING_IMPORTED:
            messages.warning(
                request, _("This file is being imported now. Wait a moment, then look at the list again.")
            )
        else:
            messages.error(
                request,
                _(
                    "This upload is no longer available: it has expired or was never sent. Upload the file again."
                ),
            )
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def preview_again(self, request, confirm_form, result):
        """The preview, answered again to a confirm that did not accept its possible duplicates."""
        confirm_form.add_error(
            "accept_duplicates",
            _(
                "Some rows may repeat sessions already recorded (marked “possible duplicate”). Check them; "
                "if they are different sessions, tick the box below and confirm again. Nothing was imported."
            ),
        )
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Import"),
            "opts": self.model._meta,
            "confirm_form": confirm_form,
            "result": result,
            **self.preview_context(result, confirm_form.cleaned_data["import_file_name"]),
            "media": self.media + confirm_form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


class TrackerConfirmImportForm(ConfirmImportForm):
    accept_duplicates = forms.BooleanField(
        label=gettext_lazy("Import anyway: the rows marked “possible duplicate” are different sessions"),
        label_suffix="",
        required=False,
    )
