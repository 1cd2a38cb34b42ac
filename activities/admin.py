from django import forms
from django.contrib import admin
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from activities import rules
from activities.forms import AdoptedMinutesMixin, change_reason_field
from members.scoring import rescore
from reporting.admin import LockedInlineFormSet, LockedRowForm, PeriodLockedAdminMixin
from tracker.admin import (
    EMPTY_CHOICE,
    AdminForm,
    BaseAdmin,
    QuarterFilter,
    ScopedInline,
    UnitSubtreeFilter,
    year_column,
    year_filter,
)
from tracker.imports.admin import TrackerImportExportMixin

from .models import (
    DeclaredFigure,
    Directive,
    Exemplar,
    Initiative,
    InitiativeEvaluation,
    MeetingScore,
    MeetingTask,
    Outreach,
    ServiceFigure,
    Source,
    StudySession,
    Theme,
)
from .resources import (
    DeclaredFigureResource,
    ExemplarResource,
    InitiativeResource,
    OutreachResource,
    ServiceFigureResource,
    StudySessionResource,
)


def with_qualifier(value, qualifier_display, qualifier):
    """ "over 80.000" — a declared number as it was stated."""
    if value is None:
        return "—"
    number = number_format(value, force_grouping=True)
    return number if qualifier == "exact" else f"{qualifier_display} {number}"


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    list_display = ["title", "code", "kind", "publisher", "published_on", "date_note"]
    list_filter = ["kind"]
    search_fields = ["title", "code", "publisher"]


@admin.register(Directive)
class DirectiveAdmin(BaseAdmin):
    list_display = ["code", "title", "kind", "issued_by", "issued_on", "continues"]
    list_filter = ["kind"]
    list_select_related = ["continues"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["continues", "source"]


@admin.register(Theme)
class ThemeAdmin(BaseAdmin):
    list_display = ["title", year_column("year", _("year")), "quarter", "directive"]
    list_filter = [year_filter("year"), QuarterFilter]
    list_select_related = ["directive"]
    search_fields = ["title"]
    autocomplete_fields = ["directive", "source"]


class MeetingTaskInline(ScopedInline):
    model = MeetingTask
    fk_name = "session"
    extra = 0
    fields = ["description", "assignee", "due_on", "result", "reviewed_at"]
    autocomplete_fields = ["reviewed_at"]
    verbose_name_plural = _("Tasks assigned at this meeting")


class MeetingScoreInline(ScopedInline):
    """The items the cell scores itself (activities.rules.QUALITY_ITEMS); the others are computed."""

    model = MeetingScore
    extra = 0
    fields = ["item", "points"]
    verbose_name_plural = _("The meeting's self-assessment (items the cell scores)")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "item":
            choices = [("", EMPTY_CHOICE)] + [
                (item.key, f"{item.label} ({item.points})")
                for item in rules.QUALITY_ITEMS
                if not item.computed
            ]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StudySessionAdminForm(AdoptedMinutesMixin, AdminForm):
    change_reason = change_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.minutes_locked:
            del self.fields["change_reason"]

    def clean(self):
        cleaned = super().clean()
        self.clean_adopted_minutes()
        return cleaned


@admin.register(StudySession)
class StudySessionAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    form = StudySessionAdminForm
    inlines = [MeetingTaskInline, MeetingScoreInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.minutes_adopted_on:
            return fieldsets
        # Adopted minutes: their change says why (AdoptedMinutesMixin).
        return [
            *fieldsets[:-1],
            (None, {"fields": ["minutes", "minutes_adopted_on", "change_reason", "source"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "quality"]
        if obj is not None and obj.attendance.exists():
            # Counted from the roll call (members.services.attendance_record): changed there.
            readonly += ["attended", "expected"]
        return readonly

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Its tasks and points are saved: the cell's scores follow (and the former cell's, if moved).
        cells = {form.instance.unit_id}
        if change and "unit" in form.changed_data and form.initial.get("unit"):
            cells.add(form.initial["unit"])
        rescore(cells)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        rescore([obj.unit_id])  # the next meeting's streak and tasks reviewed

    def delete_queryset(self, request, queryset):
        cells = set(queryset.values_list("unit_id", flat=True))
        super().delete_queryset(request, queryset)
        rescore(cells)

    @admin.display(description=_("score"), ordering="score")
    def quality(self, session):
        if session.score is None:
            return "—"
        return f"{session.score} ({session.get_grade_display()})"

    resource_classes = [StudySessionResource]
    list_display = ["unit", "kind", "when", "topic", "attended", "expected", "attendance", "quality"]
    list_filter = [UnitSubtreeFilter, "kind", year_filter("year"), QuarterFilter, "format"]
    list_select_related = ["unit"]
    search_fields = ["topic", "unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "theme", "chair", "source"]
    fieldsets = [
        (None, {"fields": ["unit", "kind", "theme", "topic", "format", "chair"]}),
        (
            _("When"),
            {
                "fields": ["date", ("year", "quarter")],
                "description": _(
                    "Give the date. Only when the date is unknown, give the year and quarter instead."
                ),
            },
        ),
        (_("Attendance"), {"fields": [("attended", "expected"), "has_self_criticism", "reviews_study"]}),
        (
            _("The meeting"),
            {
                "fields": [
                    ("starts_at", "ends_at"),
                    "also_thematic",
                    ("documents_posted_on", "resolution_published_on"),
                    "quality",
                ],
                "description": _(
                    "The score is computed when the items the cell scores itself are all given below, "
                    "from them and from the meeting's records."
                ),
            },
        ),
        (None, {"fields": ["minutes", "minutes_adopted_on", "source"]}),
    ]

    @admin.display(description=_("date or quarter"), ordering="date")
    def when(self, session):
        return session.date.strftime("%d/%m/%Y") if session.date else session.period_label

    @admin.display(description=_("attendance rate"))
    def attendance(self, session):
        rate = session.attendance_rate
        return "—" if rate is None else f"{number_format(rate, 2)}%"


class EvaluationInline(ScopedInline):
    model = InitiativeEvaluation
    form = LockedRowForm
    formset = LockedInlineFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["evaluated_on", "evaluator", "result", "source"]


@admin.register(Initiative)
class InitiativeAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["title", "unit", "group", "status", year_column("start_year", _("start year"))]
    list_filter = [UnitSubtreeFilter, "group", "status", year_filter("start_year")]
    list_select_related = ["unit"]
    search_fields = ["title", "description", "unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "source"]
    inlines = [EvaluationInline]

    def lock_subjects(self, obj):
        return list(obj.evaluations.all())  # deleted with it


@admin.register(InitiativeEvaluation)
class InitiativeEvaluationAdmin(PeriodLockedAdminMixin, BaseAdmin):
    list_display = ["initiative", "unit", "evaluated_on", "evaluator"]
    list_filter = [UnitSubtreeFilter, year_filter("evaluated_on__year")]
    list_select_related = ["initiative__unit"]
    search_fields = [
        "initiative__title",
        "evaluator",
        "result",
        "initiative__unit__name",
        "initiative__unit__parent_name",
    ]
    autocomplete_fields = ["initiative", "source"]

    @admin.display(description=_("unit"), ordering="initiative__unit__path")
    def unit(self, evaluation):
        return evaluation.initiative.unit


@admin.register(Outreach)
class OutreachAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    resource_classes = [OutreachResource]
    list_display = ["title", "unit", "channel", "published_on", "is_regular"]
    list_filter = [UnitSubtreeFilter, "channel", "is_regular", year_filter("published_on__year")]
    list_select_related = ["unit"]
    search_fields = ["title", "description", "unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "source"]


@admin.register(Exemplar)
class ExemplarAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    resource_classes = [ExemplarResource]
    list_display = ["name", "unit", "is_collective", "recognised_on"]
    list_filter = [UnitSubtreeFilter, "is_collective", year_filter("recognised_on__year")]
    list_select_related = ["unit"]
    search_fields = ["name", "deed", "unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "official", "source"]


@admin.register(ServiceFigure)
class ServiceFigureAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    resource_classes = [ServiceFigureResource]
    list_display = [
        "agency",
        "unit",
        "period_start",
        "period_end",
        "received_as_declared",
        "on_time_as_declared",
        "on_time_rate",
        "computed_rate",
        "one_stop_rate",
    ]
    list_filter = [UnitSubtreeFilter, year_filter("period_end__year")]
    list_select_related = ["unit"]
    search_fields = ["agency", "unit__code", "unit__name", "unit__parent_name"]
    autocomplete_fields = ["unit", "source"]

    @admin.display(description=_("received"))
    def received_as_declared(self, figure):
        return with_qualifier(
            figure.received, figure.get_received_qualifier_display(), figure.received_qualifier
        )

    @admin.display(description=_("on time"))
    def on_time_as_declared(self, figure):
        return with_qualifier(
            figure.on_time, figure.get_on_time_qualifier_display(), figure.on_time_qualifier
        )

    @admin.display(description=_("computed on-time rate (%)"))
    def computed_rate(self, figure):
        rate = figure.computed_on_time_rate
        return "—" if rate is None else number_format(rate, 2)


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(PeriodLockedAdminMixin, TrackerImportExportMixin, BaseAdmin):
    resource_classes = [DeclaredFigureResource]
    list_display = ["unit", "metric", "as_declared", "period_start", "period_end", "source"]
    list_filter = [UnitSubtreeFilter, "metric", "qualifier", year_filter("period_end__year")]
    list_select_related = ["unit", "source"]
    search_fields = ["unit__code", "unit__name", "unit__parent_name", "note"]
    autocomplete_fields = ["unit", "directive", "source"]

    @admin.display(description=_("value"), ordering="value")
    def as_declared(self, figure):
        value = int(figure.value) if figure.value == figure.value.to_integral() else figure.value
        return with_qualifier(value, figure.get_qualifier_display(), figure.qualifier)
