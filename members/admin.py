from django.contrib import admin

from tracker.admin import BaseAdmin, ScopedInline, UnitSubtreeFilter
from tracker.imports.admin import TrackerImportExportMixin

from .models import Member, MemberStatus
from .resources import MemberResource


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
