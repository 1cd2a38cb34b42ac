"""
The reporting cycle in the admin: the deadlines a bloc administrator sets, the
submissions (read and their history: they change on the staff pages), the lock
exceptions; and the guard every locked record's admin wears (PeriodLockedAdminMixin).
"""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reporting.locks import LockBook, locked_records
from reporting.models import DeadlineRule, LockException, Submission
from tracker.admin import AdminForm, BaseAdmin, UnitSubtreeFilter


class PeriodLockedAdminMixin:
    """
    A locked record (reporting.locks) is not deleted, alone or in a selection, and its
    form says why it is locked before anyone types: the form itself refuses the save
    with the same words (the model's clean).
    """

    def lock_subjects(self, obj):
        """The records whose unit and quarter lock `obj` (a roll-call row: its meeting; a good model: its evaluations)."""
        return [obj]

    def lock_of(self, objects):
        return locked_records([subject for obj in objects for subject in self.lock_subjects(obj)], LockBook())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            obj = self.get_object(request, unquote(object_id))
            lock = obj is not None and self.lock_of([obj])
            if lock:
                self.message_user(request, lock.message, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        lock = obj is not None and self.lock_of([obj])
        if lock:
            self.message_user(request, lock.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[obj.pk],
                    current_app=self.admin_site.name,
                )
            )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (self.delete_unlocked, name, description)
        return actions

    @staticmethod
    def delete_unlocked(modeladmin, request, queryset):
        lock = modeladmin.lock_of(queryset)
        if lock:
            modeladmin.message_user(request, lock.message, messages.ERROR)
            return None
        return delete_selected(modeladmin, request, queryset)


class LockedRowForm(AdminForm):
    """An inline row of a locked kind: posted back unchanged, it is left alone (its parent may still change)."""

    def clean(self):
        cleaned = super().clean()
        # Read by PeriodLocked.clean, which the model validation after this runs.
        self.instance._lock_unchanged = self.instance.pk is not None and not self.has_changed()
        return cleaned


class LockedInlineFormSet(BaseInlineFormSet):
    """The rows of an inline of a locked kind: a locked row is not deleted (a changed one is refused by its model)."""

    def clean(self):
        super().clean()
        lock = locked_records([form.instance for form in self.deleted_forms if form.instance.pk], LockBook())
        if lock:
            raise ValidationError(lock.message)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(BaseAdmin):
    list_display = ["period_kind", "level", "valid_from", "deadline_days", "closing_days", "note"]
    list_filter = ["period_kind", "level"]
    fields = ["period_kind", "level", "valid_from", "deadline_days", "closing_days", "note"]


@admin.register(Submission)
class SubmissionAdmin(BaseAdmin):
    """Read here, with the history of every step; submitted and reviewed on the unit's pages."""

    list_display = [
        "unit",
        "period_label",
        "status",
        "submitted_at",
        "on_time",
        "is_empty",
        "reviewed_by",
        "reason",
    ]
    list_filter = [UnitSubtreeFilter, "status", "period_kind", "year"]
    list_select_related = ["unit", "reviewed_by"]
    search_fields = ["unit__code", "unit__name"]
    readonly_fields = [
        "unit",
        "period_kind",
        "year",
        "number",
        "status",
        "submitted_by",
        "first_submitted_at",
        "submitted_at",
        "deadline",
        "on_time",
        "is_empty",
        "figures",
        "reviewed_by",
        "reviewed_at",
        "reason",
    ]
    fields = readonly_fields

    @admin.display(description=_("period"))
    def period_label(self, submission):
        return submission.period_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LockException)
class LockExceptionAdmin(BaseAdmin):
    """A bloc administrator reopens one unit's period, with a reason, until a day."""

    list_display = ["unit", "period_label", "until", "reason", "granted_by", "granted_at"]
    list_filter = [UnitSubtreeFilter, "period_kind", "year"]
    list_select_related = ["unit", "granted_by"]
    autocomplete_fields = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    fields = ["unit", "period_kind", "year", "number", "reason", "until", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]

    @admin.display(description=_("period"))
    def period_label(self, exception):
        return exception.period_label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
