from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from tracker.admin import BaseAdmin, subtree_filter, year_filter

from .models import MemberCount, Official, Position, Unit


@admin.register(Unit)
class UnitAdmin(BaseAdmin):
    list_display = ["code", "tree_name", "kind", "parent", "host_agency", "is_active"]
    list_display_links = ["code", "tree_name"]
    list_filter = [subtree_filter("path"), "kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "host_agency"]
    autocomplete_fields = ["parent", "source"]
    ordering = ["path"]
    fields = ["code", "name", "kind", "parent", "host_agency", "is_active", "note", "source"]

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, unit):
        # Indent by depth so the changelist reads as the tree it is.
        return "\u2003" * unit.depth + unit.name


@admin.register(MemberCount)
class MemberCountAdmin(BaseAdmin):
    list_display = ["unit", "year", "members", "as_of"]
    list_filter = [subtree_filter("unit__path"), year_filter("year")]
    list_select_related = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    autocomplete_fields = ["unit", "source"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["unit", "source"]
    fields = ["kind", "title", "unit", "start_date", "end_date", "source"]


@admin.register(Official)
class OfficialAdmin(BaseAdmin):
    list_display = ["full_name", "code", "titles"]
    list_filter = [subtree_filter("positions__unit__path", through_many=True)]
    search_fields = ["full_name", "code"]
    autocomplete_fields = ["source"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        positions = Position.objects.select_related("unit").order_by("kind", "-start_date")
        return super().get_queryset(request).prefetch_related(Prefetch("positions", queryset=positions))

    @admin.display(description=_("titles"))
    def titles(self, official):
        return "; ".join(
            f"{position.title} ({position.unit.name})"
            for position in official.positions.all()
            if position.end_date is None
        )


@admin.register(Position)
class PositionAdmin(BaseAdmin):
    list_display = ["official", "title", "kind", "unit", "start_date", "end_date"]
    list_filter = [subtree_filter("unit__path"), "kind"]
    list_select_related = ["official", "unit"]
    search_fields = ["official__full_name", "title", "unit__name", "unit__code"]
    autocomplete_fields = ["official", "unit", "source"]
