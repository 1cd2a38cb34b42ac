from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from tracker.admin import BaseAdmin, FormFieldsMixin, ScopedInline, UnitSubtreeFilter, year_filter
from tracker.imports.admin import TrackerImportExportMixin

from .models import ALL, MemberCount, Membership, Official, Position, Unit, scope_of
from .resources import MemberCountResource, PositionResource, UnitResource


@admin.register(Unit)
class UnitAdmin(TrackerImportExportMixin, BaseAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "tree_name", "kind", "parent", "host_agency", "is_active"]
    list_display_links = ["code", "tree_name"]
    list_filter = [UnitSubtreeFilter, "kind", "is_active"]
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
class MemberCountAdmin(TrackerImportExportMixin, BaseAdmin):
    resource_classes = [MemberCountResource]
    list_display = ["unit", "year", "members", "as_of"]
    list_filter = [UnitSubtreeFilter, year_filter("year")]
    list_select_related = ["unit"]
    search_fields = ["unit__code", "unit__name"]
    autocomplete_fields = ["unit", "source"]


class PositionInline(ScopedInline):
    model = Position
    extra = 1
    autocomplete_fields = ["unit", "source"]
    fields = ["kind", "title", "unit", "start_date", "end_date", "source"]

    def get_min_num(self, request, obj=None, **kwargs):
        # An official is visible to a unit's staff through a position in that unit,
        # so one they add must hold at least one.
        return 0 if scope_of(request.user) == ALL else 1


@admin.register(Official)
class OfficialAdmin(TrackerImportExportMixin, BaseAdmin):
    # Officials come and go with their positions: one row per position.
    resource_classes = [PositionResource]
    list_display = ["full_name", "code", "titles"]
    list_filter = [UnitSubtreeFilter]
    search_fields = ["full_name", "code"]
    autocomplete_fields = ["source"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        positions = Position.objects.select_related("unit").order_by("kind", "-start_date")
        return super().get_queryset(request).prefetch_related(Prefetch("positions", queryset=positions))

    def get_export_queryset(self, request):
        officials = super().get_export_queryset(request)
        return Position.objects.visible_to(request.user).filter(official__in=officials)

    def get_actions(self, request):
        # "Export selected" would pick positions by the officials' ids.
        actions = super().get_actions(request)
        actions.pop("export_admin_action", None)
        return actions

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
    list_filter = [UnitSubtreeFilter, "kind"]
    list_select_related = ["official", "unit"]
    search_fields = ["official__full_name", "title", "unit__name", "unit__code"]
    autocomplete_fields = ["official", "unit", "source"]


class MembershipInline(FormFieldsMixin, admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(FormFieldsMixin, DjangoGroupAdmin):
    pass


@admin.register(get_user_model())
class UserAdmin(FormFieldsMixin, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "unit", "role", "is_active", "last_login"]
    list_select_related = ["membership__unit"]
    list_filter = ["membership__role", "is_active", "is_superuser"]

    @admin.display(description=_("unit"), ordering="membership__unit__path")
    def unit(self, user):
        return getattr(getattr(user, "membership", None), "unit", "—")

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"
