"""
Admin building blocks shared by the apps: scoping to the user's units, the
unit-subtree, year and quarter filters, search that ignores accents and case (and the
Unicode form a name was typed in), and lists that stay quick at a million rows.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Exists, Subquery
from django.db.models.functions import Substr
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker.constraints import DuplicateLinksMixin
from tracker.periods import QUARTER_CHOICES
from tracker.text import SearchTextField, nfc, refuse_controls, search_fold
from tracker.versioning import CHANGED_MESSAGE, RecordChanged, VersionedForm
from units.models import ALL, SEGMENT, Membership, Unit, scope_of, unit_label


def is_key(field, value):
    """Whether `value`, as posted, can be looked up in `field` (a key column) at all."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or -(2**63) <= key < 2**63


class AutocompleteSelect(widgets.AutocompleteSelect):
    """
    Django's autocomplete looks the posted id up as typed to show it again: "abc" or a
    30-digit number for a numeric key is a 500 instead of the form's own error.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [item for item in value if is_key(target, item)], attr)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django filters by the posted ids as typed: a 30-digit id overflows SQLite's integers."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if not is_key(target, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class AdminLinks:
    """The admin page of a record, for a user who may open it: what a duplicate's message links to."""

    def __init__(self, admin_site, request):
        self.admin_site, self.request = admin_site, request

    def __call__(self, record):
        model_admin = self.admin_site._registry.get(type(record))
        if model_admin is None or not model_admin.has_view_or_change_permission(self.request, record):
            return None
        opts = record._meta
        try:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[record.pk],
                current_app=self.admin_site.name,
            )
        except NoReverseMatch:
            return None


class AdminForm(DuplicateLinksMixin, VersionedForm):
    """The form of every project admin: versioned, and a natural-key clash links to the record."""


EMPTY_CHOICE = _("— Choose —")


def name_empty_choice(formfield):
    """A list's empty choice reads "— Chọn —", not Django's "---------"."""
    if isinstance(formfield, forms.ModelChoiceField) and formfield.empty_label is not None:
        formfield.empty_label = EMPTY_CHOICE
    elif isinstance(formfield, forms.ChoiceField):
        choices = list(formfield.choices)
        if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("-") == "":
            formfield.choices = [(choices[0][0], EMPTY_CHOICE), *choices[1:]]


class FormFieldsMixin:
    """
    Every admin form field (model admins and inlines) answers bad input with its own
    error: text inputs refuse control characters, autocompletes survive a typed id.
    """

    def get_action_choices(self, request, default_choices=None):
        """The actions list opens on "— Chọn thao tác —", not Django's dashes."""
        return super().get_action_choices(request, default_choices=[("", _("— Choose an action —"))])

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField):
            refuse_controls(formfield)
        if isinstance(formfield, forms.TypedChoiceField) and not isinstance(db_field, models.CharField):
            # A number chosen from a list (a quarter) left empty is None, not "", which
            # no integer column takes; the model then says what is missing.
            formfield.empty_value = None
        name_empty_choice(formfield)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedFormMixin(FormFieldsMixin):
    """
    Rows and foreign-key choices limited to what the user may see (ModelAdmin and
    inlines); forms that carry the record's version, so that a stale copy is refused.
    """

    form = AdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        # The hidden version goes with the last group of fields.
        *rest, (name, options) = fieldsets
        return [*rest, (name, {**options, "fields": [*options["fields"], "version"]})]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Django's default choices are the whole table, and a POST naming another
        # unit's id would pass; limit them, so that the form refuses it.
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "visible_to"):
            kwargs["queryset"] = manager.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.link_to = AdminLinks(self.admin_site, request)
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.link_to = AdminLinks(self.admin_site, request)
        return formset


class HistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        # simple-history shows a foreign key set to nothing as "deleted (pk=None)".
        if isinstance(value, DeletedObject) and value.pk is None:
            return "—"
        return super().prepare_delta_change_value(change, value)


class CountPaginator(Paginator):
    """
    The changelist's paginator for a million rows.

    On PostgreSQL a list the planner expects to hold many rows is not counted: the
    planner's estimate is taken (counting a million rows costs more than the page
    itself), `estimated` says so, and the page says "khoảng". A list expected to be
    small is counted exactly, as is every list on SQLite.

    A page far down the list reads its rows' keys first, in order, from the index
    alone, then those rows: otherwise every skipped row is read from the table.
    """

    estimate_from = 10_000
    keys_first_from = 1_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimated = False

    @cached_property
    def count(self):
        if connections[self.object_list.db].vendor == "postgresql" and not self.object_list.query.is_empty():
            plan = json.loads(self.object_list.order_by().explain(format="json"))
            rows = int(plan[0]["Plan"]["Plan Rows"])
            if rows >= self.estimate_from:
                self.estimated = True
                return rows
        return super().count

    def page(self, number):
        page = super().page(number)
        if (page.number - 1) * self.per_page >= self.keys_first_from:
            keys = list(page.object_list.values_list("pk", flat=True))
            rows = self.object_list.filter(pk__in=keys).in_bulk()
            page.object_list = [rows[key] for key in keys if key in rows]
        return page


def history_object_with_relations(record):
    """
    The record as it was, with the related rows its history query already read: the
    history page names each entry, and a name such as a session's reads its unit,
    which would otherwise be a query per entry.
    """
    obj = record.history_object
    for field in obj._meta.concrete_fields:
        if not field.many_to_one:
            continue
        try:
            tracked = record._meta.get_field(field.name)
        except FieldDoesNotExist:
            continue
        if tracked.is_cached(record):
            field.set_cached_value(obj, tracked.get_cached_value(record))
    return obj


class BaseAdmin(ScopedFormMixin, SimpleHistoryAdmin):
    """
    Every model admin of the project: scoped by unit in lists, forms, autocomplete
    (which reads the related admin's queryset), filters, actions and history, and
    object by object, so that a guessed id finds nothing.
    """

    list_per_page = 100
    paginator = CountPaginator
    # Django would count the whole list a second time, beside the filtered count.
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        field = search_text_field(self.model)
        if field is None:
            return super().get_search_results(request, queryset, nfc(search_term))
        # The model keeps its searched fields folded in one column (`search_fields`
        # says which), indexed for this lookup on PostgreSQL: as in Django's search,
        # each word typed must be found, here at the start of a word of that column
        # ("tra" finds "Thanh tra" and "trách"; "an" no longer finds every "Thanh").
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            word = search_fold(bit)
            if word:
                queryset = queryset.filter(**{f"{field.name}__contains": f" {word}"})
        return queryset, False

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            record.object_label = str(history_object_with_relations(record))

    def action_checkbox(self, obj):
        # Django renders this box through the form templates, a millisecond a row of
        # the changelist; the same markup, written out.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordChanged:
            # Saved by someone else between this form's checks and its write (the
            # form itself refuses a stale version): nothing was written.
            self.message_user(request, CHANGED_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except RecordChanged:
            self.message_user(request, CHANGED_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "reverting", False):
            # Reverting writes an old copy over the record as it is now: it carries
            # the version saved now, not the one of the copy.
            current = self.model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            obj.version = current if current is not None else obj.version
        return super().get_form(request, obj, change, **kwargs)

    def in_scope(self, request, obj):
        if scope_of(request.user) == ALL:
            return True
        return self.model._default_manager.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.in_scope(request, obj))


def search_text_field(model):
    """The model's folded search column (`SearchTextField`), or None."""
    return next((f for f in model._meta.concrete_fields if isinstance(f, SearchTextField)), None)


class ScopedInline(ScopedFormMixin, admin.TabularInline):
    """An inline whose rows and choices are scoped; the parent admin checks the object."""


class UnitSubtreeFilter(admin.SimpleListFilter):
    """
    "This unit and everything under it", by unit code.

    Lists the bloc and the units directly under it (a full list of a thousand
    cells would be useless in a sidebar), or the bloc alone when more than
    `max_listed` units sit under it (a bloc of ten provinces: the search box finds
    a unit by its name); a deeper unit can be chosen from its own page or by URL
    (?unit=CODE) and is then shown as the current choice.
    """

    title = _("unit (with sub-units)")
    parameter_name = "unit"
    max_listed_depth = 1
    max_listed = 200

    def lookups(self, request, model_admin):
        if not shows_choices(request):
            return only_the_chosen(self)
        visible = Unit.objects.visible_to(request.user)
        scope = scope_of(request.user)
        top = 0 if scope == ALL or scope is None else scope.depth
        units = visible.with_depth().in_tree_order()
        rows = list(
            units.filter(tree_depth__lte=top + self.max_listed_depth).values_list("code", "name", "path")[
                : self.max_listed + 1
            ]
        )
        if len(rows) > self.max_listed:
            rows = list(units.filter(tree_depth__lte=top).values_list("code", "name", "path"))
        choices = [(code, "\u2003" * (len(path) // SEGMENT - 1 - top) + name) for code, name, path in rows]
        selected = self.value()
        if selected and selected not in {code for code, _label in choices}:
            # A deeper unit chosen by URL stands outside the listed tree: named with its parent.
            choices += [
                (code, unit_label(name, parent_name, path))
                for code, name, parent_name, path in visible.filter(code=selected).values_list(
                    "code", "name", "parent_name", "path"
                )
            ]
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Unit.objects.visible_to(request.user).filter(code=self.value()).only("path").first()
        if unit is None:
            return queryset.none()
        # Each model's queryset knows its way to the unit tree (ScopedQuerySet).
        return queryset.for_subtree(unit)


def years_on_record(queryset, field):
    """
    The years that have rows, newest first, for an integer year or a date's year
    ("published_on__year"), in at most three queries that each read a few index
    entries: the latest and the earliest, then whether each year between has a row.
    A DISTINCT would read every row (a million sessions, on each request of a list).
    """
    column = field.removesuffix("__year")
    dated = column != field
    rows = queryset.filter(**{f"{column}__isnull": False}).order_by()
    ends = [rows.order_by(order).values_list(column, flat=True).first() for order in (f"-{column}", column)]
    if ends[0] is None:
        return []
    latest, earliest = (value.year if dated else int(value) for value in ends)
    between = range(latest - 1, earliest, -1)
    lookup = f"{column}__year" if dated else column
    checks = {f"y{year}": Exists(rows.filter(**{lookup: year})) for year in between}
    found = rows.annotate(**checks).values_list(*checks)[:1].get() if checks else ()
    middle = [year for year, has_rows in zip(between, found, strict=True) if has_rows]
    return [latest, *middle, *([earliest] if earliest != latest else [])]


def shows_choices(request):
    """
    Whether a list filter's choices are shown. An export reads the list's rows through
    the admin's ChangeList, which builds every filter: its filters filter the rows, but
    nobody sees their choices, whose queries would be spent for nothing.
    """
    return not getattr(request, "exporting_rows", False)


def only_the_chosen(list_filter):
    # The ChangeList applies only a filter that has choices: the chosen value is one.
    return [(list_filter.value(), list_filter.value())] if list_filter.value() else []


class YearFilter(admin.SimpleListFilter):
    """Years that have records, newest first; works on an integer year or a date field."""

    title = _("year")
    parameter_name = "year"
    field = "year"

    def lookups(self, request, model_admin):
        if not shows_choices(request):
            return only_the_chosen(self)
        years = years_on_record(model_admin.get_queryset(request), self.field)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.field: int(self.value())})
        return queryset


def year_column(field, description):
    """A year in a changelist as written, "2024": Django shows a number column as "2.024"."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        year = getattr(obj, field)
        return None if year is None else str(year)

    column.__name__ = field
    return column


def year_filter(field):
    return type("YearFilter", (YearFilter,), {"field": field})


class QuarterFilter(admin.SimpleListFilter):
    title = _("quarter")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        return [(str(number), _("Quarter %(roman)s") % {"roman": roman}) for number, roman in QUARTER_CHOICES]

    def queryset(self, request, queryset):
        if self.value() in {"1", "2", "3", "4"}:
            return queryset.filter(quarter=int(self.value()))
        return queryset


# The admin index grouped by what people do rather than by Django app, in the order
# they do it. Models of no group (django-axes' for a superuser) follow in their apps.
TASK_GROUPS = [
    (
        "activities",
        _("Recording activities"),
        [
            "activities.studysession",
            "activities.initiative",
            "activities.initiativeevaluation",
            "activities.outreach",
            "activities.exemplar",
        ],
    ),
    ("members", _("Party members"), ["members.member", "members.attendance"]),
    ("figures", _("Figures"), ["activities.declaredfigure", "activities.servicefigure", "units.membercount"]),
    (
        "reporting",
        _("Reporting cycle"),
        ["reporting.submission", "reporting.lockexception", "reporting.deadlinerule"],
    ),
    (
        "reference",
        _("Reference lists"),
        [
            "units.official",
            "units.position",
            "units.unit",
            "activities.directive",
            "activities.theme",
            "activities.source",
        ],
    ),
    ("people", _("Users and roles"), ["auth.user", "auth.group"]),
]

# Shared lists a unit's staff pick from (in the forms' autocompletes) and read on the
# report pages, but never keep: listed only for those who may change them.
KEPT_BY_THE_TOP_UNIT = {
    "units.unit",
    "activities.directive",
    "activities.theme",
    "activities.source",
    "reporting.lockexception",
    "reporting.deadlinerule",
}
# An agency's figures, reported by its committee: a cell's own people never keep them.
NOT_KEPT_BY_A_CELL = {"activities.servicefigure"}


class AdminSite(admin.AdminSite):
    site_header = _("Study and follow Ho Chi Minh — activity tracker")
    site_title = _("Study-and-follow tracker")
    # Changelists need the width; the index page lists the models.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        # The name of the user's own top unit (blocs were renamed in 2025 and may be
        # again; one instance may serve several); the first one for a user without a unit.
        own_top = Membership.objects.filter(user_id=request.user.pk).annotate(
            top=Substr("unit__path", 1, SEGMENT)
        )
        tops = Unit.objects.filter(parent__isnull=True).order_by("path").values_list("name", flat=True)
        top = tops.filter(path=Subquery(own_top.values("top")[:1])).first() or tops.first()
        context = {"title": top or gettext("Site administration"), **(extra_context or {})}
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {}
        apps = self._build_app_dict(request)
        for app in apps.values():
            for model in app["models"]:
                opts = model["model"]._meta
                models[f"{opts.app_label}.{opts.model_name}"] = model
        groups = []
        index_url = reverse("admin:index", current_app=self.name)
        scope = scope_of(request.user)
        in_a_cell = isinstance(scope, Unit) and scope.kind in (Unit.Kind.CELL, Unit.Kind.GRASSROOTS_CELL)
        for slug, name, members in TASK_GROUPS:
            shown = []
            for key in members:
                model = models.pop(key, None)
                if model is None or (in_a_cell and key in NOT_KEPT_BY_A_CELL):
                    continue
                perms = model["perms"]
                if key in KEPT_BY_THE_TOP_UNIT and not (perms["add"] or perms["change"] or perms["delete"]):
                    continue
                shown.append(model)
            if shown:
                groups.append(
                    {
                        "name": name,
                        "app_label": slug,
                        "app_url": f"{index_url}#{slug}",
                        "has_module_perms": True,
                        "models": shown,
                    }
                )
        for app in sorted(apps.values(), key=lambda app: app["name"].lower()):
            rest = [model for model in app["models"] if any(model is left for left in models.values())]
            if rest:
                groups.append({**app, "models": sorted(rest, key=lambda model: model["name"])})
        return groups
