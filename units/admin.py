from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from tracker.admin import (
    BaseAdmin,
    FormFieldsMixin,
    ScopedInline,
    UnitSubtreeFilter,
    year_column,
    year_filter,
)
from tracker.imports.admin import TrackerImportExportMixin

from .models import (
    ALL,
    MemberCount,
    Membership,
    Official,
    Position,
    Unit,
    manages_users,
    path_upper_bound,
    scope_of,
)
from .resources import MemberCountResource, PositionResource, UnitResource
from .services import user_role_apply


@admin.register(Unit)
class UnitAdmin(TrackerImportExportMixin, BaseAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "tree_name", "kind", "parent_unit", "host_agency", "is_active"]
    list_display_links = ["code", "tree_name"]
    list_filter = [UnitSubtreeFilter, "kind", "is_active"]
    # "Chi bộ Văn phòng" finds every committee's; "Chi bộ Văn phòng Sở Y tế" only one.
    search_fields = ["code", "name", "parent_name", "host_agency"]
    autocomplete_fields = ["parent", "source"]
    ordering = ["path"]
    fields = ["code", "name", "kind", "parent", "host_agency", "is_active", "note", "source"]

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, unit):
        # Indent by depth so the changelist reads as the tree it is.
        return "\u2003" * unit.depth + unit.name

    # A top unit (no parent) first on every database (PostgreSQL puts NULL last).
    @admin.display(description=_("parent unit"), ordering=F("parent__path").asc(nulls_first=True))
    def parent_unit(self, unit):
        # The parent's name is on the unit's own row: no join, no query per row.
        return unit.parent_name or "—"


@admin.register(MemberCount)
class MemberCountAdmin(TrackerImportExportMixin, BaseAdmin):
    resource_classes = [MemberCountResource]
    list_display = ["unit", year_column("year", _("year")), "members", "as_of"]
    list_filter = [UnitSubtreeFilter, year_filter("year")]
    list_select_related = ["unit"]
    search_fields = ["unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "source"]


class PositionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = sum(1 for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE"))
        official = self.instance
        if official.pk is not None:
            # Positions the user does not see (other units') keep the official too.
            kept += official.positions.exclude(
                pk__in=[form.instance.pk for form in self.initial_forms]
            ).count()
        if not kept:
            # An official without a position belongs to no unit: nobody but a
            # superuser would see them, and their code would be taken for everyone.
            raise ValidationError(_("An official holds at least one position in one of your units."))


class PositionInline(ScopedInline):
    model = Position
    formset = PositionFormSet
    extra = 1
    autocomplete_fields = ["unit", "source"]
    fields = ["kind", "title", "unit", "start_date", "end_date", "source"]

    def get_min_num(self, request, obj=None, **kwargs):
        # An official is visible to a unit's staff through a position in that unit,
        # so one they add must hold at least one.
        return 1 if obj is None else 0


# Who the official is: changed only by those answering for the official's home units.
IDENTITY_FIELDS = ["code", "full_name"]


@admin.register(Official)
class OfficialAdmin(TrackerImportExportMixin, BaseAdmin):
    # Officials come and go with their positions: one row per position.
    resource_classes = [PositionResource]
    list_display = ["full_name", "code", "titles"]
    list_filter = [UnitSubtreeFilter]
    search_fields = ["full_name", "code"]
    autocomplete_fields = ["source"]
    inlines = [PositionInline]

    def has_add_permission(self, request):
        # A user without a unit has nowhere to put the official's position.
        return super().has_add_permission(request) and scope_of(request.user) is not None

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not obj.identity_editable_by(request.user):
            return [*readonly, *IDENTITY_FIELDS]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.identity_editable_by(request.user):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": obj.identity_rule()}), *rest]

    def save_model(self, request, obj, form, change):
        if change and not obj.identity_editable_by(request.user):
            # The fields are read-only; reverting to an old copy must not rename either.
            stored = Official.objects.filter(pk=obj.pk).values(*IDENTITY_FIELDS).get()
            if any(getattr(obj, field) != value for field, value in stored.items()):
                self.message_user(request, obj.identity_rule(), messages.WARNING)
                for field, value in stored.items():
                    setattr(obj, field, value)
        super().save_model(request, obj, form, change)

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
            f"{position.title} ({position.unit.label})"
            for position in official.positions.all()
            if position.end_date is None
        )


@admin.register(Position)
class PositionAdmin(BaseAdmin):
    list_display = ["official", "title", "kind", "unit", "start_date", "end_date"]
    list_filter = [UnitSubtreeFilter, "kind"]
    list_select_related = ["official", "unit"]
    search_fields = ["official__full_name", "title", "unit__name", "unit__parent_name", "unit__code"]
    autocomplete_fields = ["official", "unit", "source"]


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.require_membership and not any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.forms
        ):
            # Without one, the user would sit outside every subtree, out of their reach.
            raise ValidationError(_("Give the user a unit and a role within your units."))


class MembershipInline(FormFieldsMixin, admin.StackedInline):
    """The one way roles are given: a unit within the administrator's own, and a role."""

    model = Membership
    formset = MembershipFormSet
    can_delete = False
    autocomplete_fields = ["unit"]

    def get_min_num(self, request, obj=None, **kwargs):
        return 0 if request.user.is_superuser else 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.require_membership = not request.user.is_superuser
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return manages_users(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return manages_users(request.user) and super().has_change_permission(request, obj)


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(FormFieldsMixin, DjangoGroupAdmin):
    """
    The role groups are shared by every bloc: a change to one would change every
    bloc's editors, so only a superuser sees or changes them.
    """

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# What only a superuser may set: each raises access beyond a role.
SUPERUSER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(get_user_model())
class UserAdmin(FormFieldsMixin, DjangoUserAdmin):
    """
    People, for a superuser all of them; for a bloc administrator those whose
    membership lies in their bloc, never a superuser. Roles come from the membership.
    """

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "unit", "role", "is_active", "last_login"]
    list_select_related = ["membership__unit"]
    list_filter = ["membership__role", "is_active", "is_superuser"]
    search_fields = [
        *DjangoUserAdmin.search_fields,
        "membership__unit__name",
        "membership__unit__parent_name",
    ]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        scope = scope_of(request.user)
        if scope == ALL:
            return users
        if scope is None or not manages_users(request.user):
            return users.none()
        return users.filter(
            is_superuser=False,
            membership__unit__path__gte=scope.path,
            membership__unit__path__lt=path_upper_bound(scope.path),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Permissions one by one bypass the roles; their names are the database's English.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return [*readonly, *SUPERUSER_FIELDS]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_role_apply(user=form.instance)

    def in_scope(self, request, obj):
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def history_view(self, request, object_id, extra_context=None):
        # Django looks the user up first: refuse those who manage nobody before that.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request):
        return manages_users(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return (
            manages_users(request.user)
            and super().has_view_permission(request, obj)
            and (obj is None or self.in_scope(request, obj))
        )

    def has_add_permission(self, request):
        return manages_users(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return (
            manages_users(request.user)
            and super().has_change_permission(request, obj)
            and (obj is None or self.in_scope(request, obj))
        )

    def has_delete_permission(self, request, obj=None):
        return (
            manages_users(request.user)
            and super().has_delete_permission(request, obj)
            and (obj is None or self.in_scope(request, obj))
        )

    @admin.display(description=_("unit"), ordering="membership__unit__path")
    def unit(self, user):
        return getattr(getattr(user, "membership", None), "unit", "—")

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"
