from django.contrib import admin

from reporting.admin import PeriodLockedAdminMixin
from tracker.admin import BaseAdmin, ScopedInline, UnitSubtreeFilter
from tracker.imports.admin import TrackerImportExportMixin

from .models import Attendance, Member, MemberStatus
from .resources import AttendanceResource, MemberResource, recount_attendance


class MemberStatusInline(ScopedInline):
    model = MemberStatus
    fields = ["kind", "starts_on", "ends_on", "reason"]
    extra = 0


@admin.register(Member)
class MemberAdmin(TrackerImportExportMixin, BaseAdmin):
    resource_classes = [MemberResource]
    list_display = ["full_name", "card_number", "unit", "joined_on", "official_on"]
    list_filter = [UnitSubtreeFilter]
    list_select_related = ["unit"]
    search_fields = ["card_number", "full_name", "unit__code", "unit__name"]
    autocomplete_fields = ["unit", "official", "source"]
    fields = [
        "unit",
        "card_number",
        "full_name",
        "born_on",
        "joined_on",
        "official_on",
        "official",
        "note",
        "source",
    ]
    inlines = [MemberStatusInline]


@admin.register(Attendance)
class AttendanceAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    """
    The roll calls, a row a member and meeting: read, imported, exported and (a row
    entered by mistake) deleted here; taken on the session's form (the phone). The
    meeting's figures are counted again from its rows after any of these.
    """

    resource_classes = [AttendanceResource]
    list_display = ["session", "member", "status", "reason"]
    list_filter = [UnitSubtreeFilter, "status"]
    list_select_related = ["session__unit", "member"]
    search_fields = ["member__full_name", "member__card_number", "session__topic", "session__unit__code"]
    readonly_fields = ["session", "member", "status", "reason"]

    def lock_subjects(self, obj):
        return [obj.session]  # a roll call is locked with its meeting

    def has_add_permission(self, request):
        return False  # taken on the session's form, for the whole cell at once

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recount_attendance([obj.session_id])  # the meeting's figures follow its roll call

    def delete_queryset(self, request, queryset):
        sessions = set(queryset.values_list("session_id", flat=True))
        super().delete_queryset(request, queryset)
        recount_attendance(sessions)
