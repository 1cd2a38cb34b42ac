import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.locks import PeriodLocked, day_place, span_place
from tracker.constraints import (
    CHOICE_MESSAGE,
    YEAR_MESSAGE,
    Check,
    Unique,
    choices_check,
    not_blank,
    unique_allowing_null,
    year_check,
)
from tracker.periods import QUARTER_CHOICES, Quarter, QuarterOf, YearOf, quarter_label
from tracker.text import CodeField, DocumentCodeField, NFCCharField, NFCTextField, SearchTextField
from tracker.versioning import Versioned
from units.models import ReferenceQuerySet, ScopedQuerySet, source_field


class Qualifier(models.TextChoices):
    """How exactly a declared number was stated: "over 80,000", "nearly 77,000"."""

    EXACT = "exact", _("exactly")
    OVER = "over", _("over")
    NEARLY = "nearly", _("nearly")
    ABOUT = "about", _("about")


def percent_check(field, name):
    return Check(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        field=field,
        message=_("A percentage lies between 0 and 100."),
    )


def period_check(start, end, name):
    return Check(
        condition=models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        field=end,
        message=_("The period must end on or after its start."),
    )


QUARTER_MESSAGE = _("Choose quarter I, II, III or IV.")
ON_TIME_MESSAGE = _("Dossiers resolved on time cannot exceed those resolved or received.")
SESSION_REMEDY = _(
    "Correct that session rather than logging it again; another session on the same day needs a topic of its own."
)


class UnitRecordQuerySet(ScopedQuerySet):
    """Reads shared by every record that belongs to a unit."""

    def for_unit(self, unit):
        return self.filter(unit=unit)


class EvaluationQuerySet(ScopedQuerySet):
    scope_path = "initiative__unit__path"


class SessionPartQuerySet(ScopedQuerySet):
    """What belongs to a session (its tasks, its scores): seen with the session's unit."""

    scope_path = "session__unit__path"


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("Press article")
    DOCUMENT = "document", _("Party document")
    UNIT_REPORT = "unit_report", _("Unit report")
    IMPORT = "import", _("Imported file")
    SYNTHETIC = "synthetic", _("Synthetic demo data")


class Source(Versioned):
    Kind = SourceKind

    code = CodeField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = NFCCharField(_("title"), max_length=500)
    publisher = NFCCharField(_("publisher"), max_length=255, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    date_note = NFCCharField(
        _("date as stated"),
        max_length=255,
        blank=True,
        help_text=_("When the exact date is unknown, what the text tells, e.g. after 15/03/2024."),
    )
    location = NFCCharField(_("where to read it"), max_length=500, blank=True)
    note = NFCTextField(_("note"), blank=True)

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            choices_check("kind", SourceKind, "source_kind_valid"),
            not_blank("code", "source_code_not_blank"),
            not_blank("title", "source_title_not_blank"),
        ]

    def __str__(self):
        return self.title


class DirectiveKind(models.TextChoices):
    DIRECTIVE = "directive", _("Directive")
    CONCLUSION = "conclusion", _("Conclusion")
    RESOLUTION = "resolution", _("Resolution")
    MOVEMENT = "movement", _("Movement")


class Directive(Versioned):
    Kind = DirectiveKind

    code = DocumentCodeField(_("number or code"), max_length=64, unique=True, help_text=_("e.g. 05-CT/TW"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = NFCCharField(_("title"), max_length=500)
    issued_by = NFCCharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues or is linked to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
    )
    note = NFCTextField(_("note"), blank=True)
    source = source_field()

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["issued_on", "code"]
        constraints = [
            choices_check("kind", DirectiveKind, "directive_kind_valid"),
            not_blank("code", "directive_code_not_blank"),
            not_blank("title", "directive_title_not_blank"),
            Check(
                condition=~models.Q(continues=models.F("pk")),
                name="directive_not_self_linked",
                field="continues",
                message=_("A document cannot continue itself."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Theme(Versioned):
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        choices=QUARTER_CHOICES,
        null=True,
        blank=True,
        help_text=_("Empty for a theme of the whole year."),
    )
    title = NFCCharField(_("title"), max_length=500)
    directive = models.ForeignKey(
        Directive,
        verbose_name=_("directive"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
    )
    description = NFCTextField(_("description"), blank=True)
    source = source_field()

    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-year", "-quarter", "title"]
        constraints = [
            year_check("year", "theme_year_range"),
            Check(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="theme_quarter_range",
                field="quarter",
                message=QUARTER_MESSAGE,
            ),
            not_blank("title", "theme_title_not_blank"),
            *unique_allowing_null(
                "year",
                "title",
                optional="quarter",
                name="theme_natural_key",
                field="title",
                message=_("Quarter %(quarter)s/%(year)s already has the theme “%(title)s”."),
                message_when_null=_("The year %(year)s already has the whole-year theme “%(title)s”."),
            ),
        ]

    def __str__(self):
        return f"{self.period_label}: {self.title}"

    @property
    def period_label(self):
        return quarter_label(self.year, self.quarter)


class StudySessionQuerySet(UnitRecordQuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def in_quarter(self, year, quarter):
        """Sessions of a quarter, dated or placed there without a date (indexed)."""
        return self.filter(year=year, quarter=quarter)

    def of_kind(self, kind):
        return self.filter(kind=kind)


class SessionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic session")
    MONTHLY = "monthly", _("Monthly meeting")
    FIRST_MONDAY = "first_monday", _("First-Monday study")
    TRAINING = "training", _("Training class")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("In person and online")


class MeetingGrade(models.TextChoices):
    """A meeting's grade on its 100-point self-assessment (thresholds: rules.GRADES)."""

    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


# A session's columns derived from its records (StudySession.derive_meeting_flags,
# members.scoring.rescore): kept out of its history, which records what people changed.
DERIVED_FIELDS = ("absent_excused", "absent_unexcused", "is_short", "documents_late", "score", "grade")


class StudySession(PeriodLocked, Versioned):
    Kind = SessionKind
    Format = SessionFormat

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="study_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Leave empty when only the quarter is known.")
    )
    # Derived from the date when there is one; entered only for undated sessions.
    year = models.PositiveSmallIntegerField(_("year"), blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTER_CHOICES, blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    topic = NFCCharField(_("topic"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, blank=True)
    chair = models.ForeignKey(
        "units.Official",
        verbose_name=_("chaired by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_sessions",
    )
    attended = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    expected = models.PositiveIntegerField(_("expected"), null=True, blank=True)
    has_self_criticism = models.BooleanField(_("self-criticism and criticism"), default=False)
    reviews_study = models.BooleanField(_("reviewed study-and-follow"), default=False)
    minutes = NFCTextField(_("minutes"), blank=True)
    minutes_adopted_on = models.DateField(
        _("minutes adopted on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the cell adopted the minutes. From then on, changing them needs a reason, "
            "kept in the history."
        ),
    )
    # The meeting itself (Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW; activities/rules.py).
    starts_at = models.TimeField(_("started at"), null=True, blank=True)
    ends_at = models.TimeField(_("ended at"), null=True, blank=True)
    also_thematic = models.BooleanField(
        _("thematic meeting held together"),
        default=False,
        help_text=_(
            "A monthly meeting that also held the quarter's thematic meeting: it counts once for each, "
            "and lasts at least 120 minutes."
        ),
    )
    documents_posted_on = models.DateField(
        _("documents posted on Sổ tay"),
        null=True,
        blank=True,
        help_text=_("The day the meeting's documents were posted on the Sổ tay đảng viên app."),
    )
    resolution_published_on = models.DateField(
        _("resolution published on Sổ tay"),
        null=True,
        blank=True,
        help_text=_("The day the meeting's resolution was published on the Sổ tay đảng viên app."),
    )
    # What the reports read of the meeting, derived here and by members.scoring.rescore
    # (never typed): the absences of its roll call (None when it has only a headcount),
    # whether it was short or its documents late under rules.MEETING_RULES (None when
    # unknown), and its score and grade on rules.QUALITY_ITEMS once the cell assessed it.
    absent_excused = models.PositiveSmallIntegerField(_("absent with leave"), null=True, editable=False)
    absent_unexcused = models.PositiveSmallIntegerField(_("absent without leave"), null=True, editable=False)
    is_short = models.BooleanField(_("shorter than the minimum"), null=True, editable=False)
    documents_late = models.BooleanField(_("documents posted late"), null=True, editable=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, editable=False)
    grade = models.CharField(
        _("grade"), max_length=8, choices=MeetingGrade.choices, blank=True, editable=False
    )
    source = source_field()
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # What the admin's search finds the session by, folded: its topic and its unit's
    # code, name and parent's name (units.models refolds it when a unit is renamed).
    search_text = SearchTextField(_("search text"))

    objects = StudySessionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "search_text", *DERIVED_FIELDS])
    search_related = ("unit",)

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-year", "-quarter", "-date", "unit__path"]
        indexes = [
            models.Index(fields=["year", "quarter", "kind"], name="session_period_kind_idx"),
            models.Index(fields=["unit", "year", "quarter"], name="session_unit_period_idx"),
            # The admin's list, in its order (newest first, then by unit): a page far
            # down is read from this index alone, the unit joined for its tree order.
            models.Index(fields=["year", "quarter", "date", "unit", "id"], name="session_listing_idx"),
        ]
        constraints = [
            choices_check("kind", SessionKind, "session_kind_valid"),
            Check(
                condition=models.Q(format="") | models.Q(format__in=SessionFormat.values),
                name="session_format_valid",
                field="format",
                message=CHOICE_MESSAGE,
            ),
            year_check("year", "session_year_range"),
            Check(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="session_quarter_range",
                field="quarter",
                message=QUARTER_MESSAGE,
            ),
            # The quarter is derived, never typed twice: a dated session's year and
            # quarter must be those of its date.
            Check(
                condition=models.Q(date__isnull=True)
                | models.Q(year=YearOf("date"), quarter=QuarterOf("date")),
                name="session_period_matches_date",
                field="quarter",
                message=_(
                    "The year and quarter must be those of the date; leave them empty when the date is given."
                ),
            ),
            Check(
                condition=models.Q(attended__isnull=True)
                | models.Q(expected__isnull=True)
                | models.Q(attended__lte=models.F("expected")),
                name="session_attended_within_expected",
                field="attended",
                message=_("Attendance cannot exceed the number expected."),
            ),
            Check(
                condition=models.Q(starts_at__isnull=True, ends_at__isnull=True)
                | models.Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="session_times_ordered",
                field="ends_at",
                message=_("Give both the start and the end time, the end after the start."),
            ),
            Check(
                condition=models.Q(also_thematic=False) | models.Q(kind=SessionKind.MONTHLY),
                name="session_combined_is_monthly",
                field="also_thematic",
                message=_("Only a monthly meeting can hold the thematic meeting together with it."),
            ),
            Check(
                condition=models.Q(resolution_published_on__isnull=True)
                | models.Q(date__isnull=True)
                | models.Q(resolution_published_on__gte=models.F("date")),
                name="session_resolution_after_meeting",
                field="resolution_published_on",
                message=_("The resolution cannot be published before the meeting."),
            ),
            Check(
                condition=models.Q(minutes_adopted_on__isnull=True)
                | (
                    ~models.Q(minutes="")
                    & (models.Q(date__isnull=True) | models.Q(minutes_adopted_on__gte=models.F("date")))
                ),
                name="session_minutes_adopted_after_meeting",
                field="minutes_adopted_on",
                message=_("Minutes are adopted once written, on or after the day of the meeting."),
            ),
            Check(
                condition=models.Q(score__isnull=True, grade="")
                | models.Q(score__lte=100, grade__in=MeetingGrade.values),
                name="session_score_graded",
                field="score",
                message=_("A meeting's score is at most 100 points and comes with its grade."),
            ),
            Unique(
                fields=["unit", "kind", "date", "topic"],
                condition=models.Q(date__isnull=False),
                name="session_natural_key_dated",
                field="date",
                message=_("This unit already has a %(kind)s session on %(date)s."),
                remedy=SESSION_REMEDY,
            ),
            Unique(
                fields=["unit", "kind", "year", "quarter", "topic"],
                condition=models.Q(date__isnull=True),
                name="session_natural_key_undated",
                field="quarter",
                message=_(
                    "This unit already has an undated %(kind)s session in quarter %(quarter)s/%(year)s."
                ),
                remedy=SESSION_REMEDY,
            ),
        ]

    def __str__(self):
        when = self.date.strftime("%d/%m/%Y") if self.date else self.period_label
        return f"{self.get_kind_display()} — {self.unit} — {when}"

    def save(self, *args, **kwargs):
        self.set_period_from_date()
        self.derive_meeting_flags()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"topic", "unit", "unit_id"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        if update_fields is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_short", "documents_late"}
        super().save(*args, **kwargs)

    def derive_meeting_flags(self, meeting_rules=None):
        """Whether the meeting was short and its documents late, by rules.MEETING_RULES; True when either changed."""
        from activities import rules  # rules reads the models' choices

        meeting_rules = meeting_rules or rules.MEETING_RULES
        is_meeting = self.kind in rules.MEETING_KINDS
        flags = (
            rules.is_short(self, meeting_rules) if is_meeting else None,
            rules.documents_late(self, meeting_rules) if is_meeting else None,
        )
        changed = flags != (self.is_short, self.documents_late)
        self.is_short, self.documents_late = flags
        return changed

    def search_parts(self):
        unit = self.unit
        return [self.topic, unit.code, unit.name, unit.parent_name]

    def clean(self):
        super().clean()
        self.set_period_from_date()
        if self.date is None and (self.year is None or self.quarter is None):
            raise ValidationError(
                _("Give the date, or the year and quarter when the date is unknown."), code="no_period"
            )
        if self.attended is not None and self.expected is not None and self.attended > self.expected:
            raise ValidationError({"attended": _("Attendance cannot exceed the number expected.")})
        self.check_period()

    lock_fields = ("unit_id", "date", "year", "quarter")

    def lock_place(self, values):
        """The session's unit and quarter: of its date, else its year and quarter (reporting.locks)."""
        if values["unit_id"] is None:
            return None
        if values["date"] is not None:
            return values["unit_id"], Quarter.of(values["date"]), "date"
        try:
            return values["unit_id"], Quarter(int(values["year"]), int(values["quarter"])), "quarter"
        except (TypeError, ValueError):
            return None

    def check_period(self):
        """
        A session is logged once held: a day to come, or an undated quarter to come, is
        refused; so is a theme of another period than the session's (a year's theme fits
        each of its quarters). Kept here, so that the staff form, the admin and the
        import all keep it.
        """
        today = timezone.localdate()
        if self.date is not None:
            if self.date > today:
                raise ValidationError(
                    {
                        "date": ValidationError(
                            _(
                                "This day has not come yet (today is %(today)s): log a session once it has been held."
                            )
                            % {"today": today.strftime("%d/%m/%Y")},
                            code="future",
                        )
                    }
                )
            period = Quarter.of(self.date)
        else:
            try:
                period = Quarter(self.year, int(self.quarter))
            except (TypeError, ValueError):
                return
            if period.start > today:
                raise ValidationError(
                    {"quarter": _("This quarter has not come yet: log a session once it has been held.")}
                )
        theme = self.theme if self.theme_id is not None else None
        if theme is None or (theme.year == period.year and theme.quarter in (None, period.number)):
            return
        if theme.quarter is None:
            message = _(
                "This theme is for the year %(theme_year)s, the session is in %(period)s: choose a theme of that quarter or of its year."
            )
        else:
            message = _(
                "This theme is for %(theme_period)s, the session is in %(period)s: choose a theme of that quarter or of its year."
            )
        raise ValidationError(
            {
                "theme": ValidationError(
                    message
                    % {"theme_year": theme.year, "theme_period": theme.period_label, "period": period.label},
                    code="other_period",
                )
            }
        )

    def set_period_from_date(self):
        if self.date is not None:
            quarter = Quarter.of(self.date)
            self.year, self.quarter = quarter.year, quarter.number

    @property
    def period(self):
        return Quarter(self.year, self.quarter)

    @property
    def period_label(self):
        return self.period.label

    @property
    def attendance_rate(self):
        """Percentage present, or None when either number is missing."""
        if not self.expected or self.attended is None:
            return None
        return round(100 * self.attended / self.expected, 2)


class MeetingTask(Versioned):
    """A task a meeting assigned, and its result as the next regular meeting reviewed it."""

    session = models.ForeignKey(
        StudySession, verbose_name=_("assigned at"), on_delete=models.CASCADE, related_name="tasks"
    )
    description = NFCTextField(_("task"))
    assignee = NFCCharField(_("who"), max_length=255, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    result = NFCTextField(_("result"), blank=True)
    reviewed_at = models.ForeignKey(
        StudySession,
        verbose_name=_("reviewed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_tasks",
        help_text=_("The meeting that reviewed its result."),
    )

    objects = SessionPartQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view")
        verbose_name = _("meeting task")
        verbose_name_plural = _("meeting tasks")
        ordering = ["session", "pk"]
        constraints = [
            not_blank("description", "task_description_not_blank"),
            Check(
                condition=~models.Q(reviewed_at=models.F("session")),
                name="task_reviewed_at_another_meeting",
                field="reviewed_at",
                message=_("A task is reviewed at a later meeting than the one that assigned it."),
            ),
        ]

    def __str__(self):
        return self.description[:80]


class MeetingScore(Versioned):
    """The points the cell gave its meeting for one item it assesses itself (rules.QUALITY_ITEMS)."""

    session = models.ForeignKey(
        StudySession, verbose_name=_("study session"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.CharField(_("item"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"))

    objects = SessionPartQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view")
        verbose_name = _("meeting score")
        verbose_name_plural = _("meeting scores")
        ordering = ["session", "item"]
        constraints = [
            not_blank("item", "score_item_not_blank"),
            Unique(
                fields=["session", "item"],
                name="score_once_per_item",
                field="item",
                message=_("This meeting already has its points for this item."),
            ),
            Check(
                condition=models.Q(points__lte=100),
                name="score_points_at_most_100",
                field="points",
                message=_("A meeting scores at most 100 points."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"

    def clean(self):
        super().clean()
        from activities import rules  # rules reads the models' choices

        items = {item.key: item for item in rules.QUALITY_ITEMS if not item.computed}
        item = items.get(self.item)
        if item is None:
            raise ValidationError(
                {"item": _("This item is computed from the meeting's records, not entered.")}
            )
        if self.points is not None and self.points > item.points:
            raise ValidationError(
                {"points": _("This item scores at most %(points)s points.") % {"points": item.points}}
            )


class SessionTally(models.Model):
    """
    What the bloc's reports read of a unit's sessions in a quarter, kept by triggers
    in the database (activities/tally.py) whenever a session is written: never edited.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.IntegerField()
    quarter = models.SmallIntegerField()
    sessions = models.IntegerField(default=0)
    # Attendance of the sessions that have both figures.
    attended = models.BigIntegerField(default=0)
    invited = models.BigIntegerField(default=0)
    # Per kind: how many, and the months of the quarter held in (rules.month_bit).
    thematic_count = models.IntegerField(default=0)
    thematic_months = models.SmallIntegerField(default=0)
    monthly_count = models.IntegerField(default=0)
    monthly_months = models.SmallIntegerField(default=0)
    first_monday_count = models.IntegerField(default=0)
    first_monday_months = models.SmallIntegerField(default=0)
    training_count = models.IntegerField(default=0)
    training_months = models.SmallIntegerField(default=0)
    thematic_date = models.DateField(null=True)
    # The meetings (activities/rules.py): attendance of those with a roll call, their
    # absences without leave, how many were short or had their documents posted late,
    # and how many of each grade.
    roll_present = models.BigIntegerField(default=0)
    roll_expected = models.BigIntegerField(default=0)
    unexcused = models.BigIntegerField(default=0)
    short_meetings = models.IntegerField(default=0)
    late_documents = models.IntegerField(default=0)
    grade_good = models.IntegerField(default=0)
    grade_fair = models.IntegerField(default=0)
    grade_average = models.IntegerField(default=0)
    grade_poor = models.IntegerField(default=0)

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        ordering = ["unit_id", "year", "quarter"]
        constraints = [
            Unique(
                fields=["unit", "year", "quarter"],
                name="tally_unit_quarter_key",
                field="unit",
                message=_("A unit's quarter is counted once."),
            )
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="tally_period_idx")]

    def __str__(self):
        return f"{self.unit_id} {quarter_label(self.year, self.quarter)}"


class InitiativeGroup(models.TextChoices):
    ADMIN_REFORM = "admin_reform", _("Administrative reform")
    LEADERSHIP_DUTY = "leadership_duty", _("Duty of heads and officials")
    THRIFT_SOLIDARITY = "thrift_solidarity", _("Thrift and solidarity")
    PARTY_BUILDING = "party_building", _("Building the party organisation")
    PROPAGANDA = "propaganda", _("Propaganda")


class InitiativeStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PRACTICE = "in_practice", _("In practice")
    EVALUATED = "evaluated", _("Evaluated")
    REPLICATED = "replicated", _("Replicated")


class Initiative(Versioned):
    Group = InitiativeGroup
    Status = InitiativeStatus

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )
    title = NFCCharField(_("title"), max_length=500)
    description = NFCTextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=32, choices=Group.choices)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    status = models.CharField(_("stage"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    source = source_field()
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UnitRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("good model")
        verbose_name_plural = _("good models")
        ordering = ["unit__path", "title"]
        constraints = [
            choices_check("group", InitiativeGroup, "initiative_group_valid"),
            choices_check("status", InitiativeStatus, "initiative_status_valid"),
            not_blank("title", "initiative_title_not_blank"),
            Check(
                condition=models.Q(start_year__isnull=True)
                | models.Q(start_year__gte=1930, start_year__lte=2100),
                name="initiative_start_year_range",
                field="start_year",
                message=YEAR_MESSAGE,
            ),
            Unique(
                fields=["unit", "title"],
                name="initiative_natural_key",
                field="title",
                message=_("This unit already has a good model named “%(title)s”."),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._unit_id_read = instance.__dict__.get("unit_id")
        return instance

    def clean(self):
        super().clean()
        self.refuse_moving_locked_evaluations()

    def refuse_moving_locked_evaluations(self):
        """A good model moved to another unit takes its evaluations: not out of, nor into, a locked quarter."""
        from reporting.locks import book

        if self.pk is None:
            return
        before = getattr(self, "_unit_id_read", None)
        if before is None:
            before = Initiative.objects.filter(pk=self.pk).values_list("unit_id", flat=True).first()
        if before is None or before == self.unit_id:
            return
        lock_book = book()
        for day in self.evaluations.values_list("evaluated_on", flat=True):
            for unit in (before, self.unit_id):
                lock = lock_book.lock_of(unit, Quarter.of(day)) if unit else None
                if lock is not None:
                    raise ValidationError({"unit": lock.message})


class InitiativeEvaluation(PeriodLocked, Versioned):
    lock_fields = ("initiative_id", "evaluated_on")

    def lock_place(self, values):
        """The good model's unit and the quarter of the evaluation (reporting.locks)."""
        if values["initiative_id"] is None or not isinstance(values["evaluated_on"], datetime.date):
            return None
        if self.initiative_id == values["initiative_id"]:
            unit = self.initiative.unit_id
        else:
            unit = Initiative.objects.values_list("unit_id", flat=True).get(pk=values["initiative_id"])
        return unit, Quarter.of(values["evaluated_on"]), "evaluated_on"

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("good model"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = NFCCharField(_("evaluated by"), max_length=255)
    result = NFCTextField(_("conclusion"))
    source = source_field()

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["initiative", "-evaluated_on"]
        constraints = [
            not_blank("evaluator", "evaluation_evaluator_not_blank"),
            not_blank("result", "evaluation_result_not_blank"),
            Unique(
                fields=["initiative", "evaluated_on", "evaluator"],
                name="evaluation_natural_key",
                field="evaluator",
                message=_("%(evaluator)s already evaluated this good model on %(evaluated_on)s."),
            ),
        ]

    def __str__(self):
        return f"{self.initiative} — {self.evaluated_on:%d/%m/%Y}"


class OutreachChannel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", _("Social media")
    WEBSITE = "website", _("Agency website")
    BULLETIN = "bulletin", _("Bulletin column")
    PRESS = "press", _("Press")
    OTHER = "other", _("Other")


class Outreach(PeriodLocked, Versioned):
    lock_fields = ("unit_id", "published_on")
    lock_place = day_place("unit_id", "published_on")

    Channel = OutreachChannel

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="outreach"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    title = NFCCharField(_("title"), max_length=500)
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("Empty for a standing column or a regular practice."),
    )
    is_regular = models.BooleanField(
        _("regular"), default=False, help_text=_("A standing column or a habit rather than a single post.")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = NFCTextField(_("description"), blank=True)
    source = source_field()
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)

    objects = UnitRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("outreach")
        verbose_name_plural = _("outreach")
        ordering = ["-published_on", "unit__path", "title"]
        indexes = [models.Index(fields=["published_on"], name="outreach_published_idx")]
        constraints = [
            choices_check("channel", OutreachChannel, "outreach_channel_valid"),
            not_blank("title", "outreach_title_not_blank"),
            # A single post has a date; only a regular column may go without one.
            Check(
                condition=models.Q(published_on__isnull=False) | models.Q(is_regular=True),
                name="outreach_dated_unless_regular",
                field="published_on",
                message=_("Give the date it was published; only a regular column may go without one."),
            ),
            *unique_allowing_null(
                "unit",
                "channel",
                "title",
                optional="published_on",
                name="outreach_natural_key",
                field="title",
                message=_("This unit already has “%(title)s” on %(channel)s, published on %(published_on)s."),
                message_when_null=_("This unit already has the regular column “%(title)s” on %(channel)s."),
            ),
        ]

    def __str__(self):
        return self.title


class Exemplar(PeriodLocked, Versioned):
    lock_fields = ("unit_id", "recognised_on")
    lock_place = day_place("unit_id", "recognised_on")

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="exemplars"
    )
    name = NFCCharField(_("person or collective"), max_length=255)
    is_collective = models.BooleanField(_("collective"), default=False)
    official = models.ForeignKey(
        "units.Official",
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplars",
    )
    deed = NFCTextField(_("good deed"))
    recognised_on = models.DateField(_("recognised on"))
    source = source_field()
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)

    objects = UnitRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplars")
        ordering = ["-recognised_on", "name"]
        indexes = [models.Index(fields=["recognised_on"], name="exemplar_recognised_idx")]
        constraints = [
            not_blank("name", "exemplar_name_not_blank"),
            not_blank("deed", "exemplar_deed_not_blank"),
            Unique(
                fields=["unit", "name", "recognised_on"],
                name="exemplar_natural_key",
                field="name",
                message=_("This unit already recognised “%(name)s” on %(recognised_on)s."),
            ),
        ]

    def __str__(self):
        return self.name


class ServiceFigure(PeriodLocked, Versioned):
    lock_fields = ("unit_id", "period_start", "period_end")
    lock_place = span_place("unit_id", "period_start", "period_end")

    """
    Administrative dossiers an agency handled over a period, as it declared them.

    `received` is everything taken in during the period, including what was carried
    over from before (the article: "over 80,000 received, of which 776 carried over
    from 2020"). Each count keeps the qualifier it was declared with, and the declared
    rates are kept beside the counts rather than recomputed, so that reports can show
    where the two disagree.
    """

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="service_figures"
    )
    agency = NFCCharField(_("agency"), max_length=255)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    received = models.PositiveIntegerField(_("dossiers received (incl. carried over)"))
    received_qualifier = models.CharField(
        _("received: qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    carried_over = models.PositiveIntegerField(_("of which carried over"), default=0)
    carried_over_qualifier = models.CharField(
        _("carried over: qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    resolved = models.PositiveIntegerField(_("resolved"), null=True, blank=True)
    resolved_qualifier = models.CharField(
        _("resolved: qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    on_time = models.PositiveIntegerField(_("resolved on time or early"), null=True, blank=True)
    on_time_qualifier = models.CharField(
        _("on time: qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    on_time_rate = models.DecimalField(
        _("declared on-time rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    one_stop_rate = models.DecimalField(
        _("share on one-stop software (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    one_stop_software = NFCCharField(_("one-stop software"), max_length=255, blank=True)
    source = source_field()

    objects = UnitRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("service figure")
        verbose_name_plural = _("service figures")
        ordering = ["-period_end", "unit__path"]
        constraints = [
            *[
                choices_check(field, Qualifier, f"service_{field}_valid")
                for field in (
                    "received_qualifier",
                    "carried_over_qualifier",
                    "resolved_qualifier",
                    "on_time_qualifier",
                )
            ],
            not_blank("agency", "service_agency_not_blank"),
            period_check("period_start", "period_end", "service_period_ordered"),
            Check(
                condition=models.Q(carried_over__lte=models.F("received")),
                name="service_carried_over_within_received",
                field="carried_over",
                message=_("Carried-over dossiers are part of those received, so cannot exceed them."),
            ),
            Check(
                condition=models.Q(resolved__isnull=True) | models.Q(resolved__lte=models.F("received")),
                name="service_resolved_within_received",
                field="resolved",
                message=_("Resolved dossiers cannot exceed those received."),
            ),
            Check(
                condition=models.Q(on_time__isnull=True) | models.Q(on_time__lte=models.F("received")),
                name="service_on_time_within_received",
                field="on_time",
                message=ON_TIME_MESSAGE,
            ),
            Check(
                condition=models.Q(on_time__isnull=True)
                | models.Q(resolved__isnull=True)
                | models.Q(on_time__lte=models.F("resolved")),
                name="service_on_time_within_resolved",
                field="on_time",
                message=ON_TIME_MESSAGE,
            ),
            percent_check("on_time_rate", "service_on_time_rate_percent"),
            percent_check("one_stop_rate", "service_one_stop_rate_percent"),
            Unique(
                fields=["unit", "agency", "period_start", "period_end"],
                name="service_natural_key",
                field="agency",
                message=_(
                    "This unit already has the figures of %(agency)s from %(period_start)s to %(period_end)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after its start.")
        if self.received is not None and self.carried_over is not None and self.carried_over > self.received:
            errors["carried_over"] = _(
                "Carried-over dossiers are part of those received, so cannot exceed them."
            )
        if self.received is not None and self.resolved is not None and self.resolved > self.received:
            errors["resolved"] = _("Resolved dossiers cannot exceed those received.")
        if self.on_time is not None:
            ceiling = self.resolved if self.resolved is not None else self.received
            if ceiling is not None and self.on_time > ceiling:
                errors["on_time"] = ON_TIME_MESSAGE
        if errors:
            raise ValidationError(errors)

    @property
    def computed_on_time_rate(self):
        """On-time dossiers over those resolved (or received when resolved is unknown), in %."""
        base = self.resolved if self.resolved is not None else self.received
        if self.on_time is None or not base:
            return None
        # To the two decimals the declared rate has, so that equal-looking rates are equal.
        return (Decimal(100) * self.on_time / base).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def rate_differs(self):
        """The declared on-time rate is not the one its own numbers give (at two decimals)."""
        computed = self.computed_on_time_rate
        return computed is not None and self.on_time_rate is not None and computed != self.on_time_rate


class Metric(models.TextChoices):
    THEMATIC_SESSIONS = "thematic_sessions", _("Thematic sessions held")
    MONTHLY_MEETINGS = "monthly_meetings", _("Monthly meetings held")
    FIRST_MONDAY_SESSIONS = "first_monday_sessions", _("First-Monday study sessions")
    TOPICS_STUDIED = "topics_studied", _("Topics studied")
    TRAINING_CLASSES = "training_classes", _("Training classes")
    INITIATIVES = "initiatives", _("Good models")
    OUTREACH_POSTS = "outreach_posts", _("Outreach posts")
    EXEMPLARS = "exemplars", _("Exemplars recognised")
    YEARS_OF_IMPLEMENTATION = "years_of_implementation", _("Years of implementation")


class DeclaredFigure(PeriodLocked, Versioned):
    lock_fields = ("unit_id", "period_start", "period_end")
    lock_place = span_place("unit_id", "period_start", "period_end")

    Metric = Metric

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="declared_figures"
    )
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    directive = models.ForeignKey(
        Directive,
        verbose_name=_("directive"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = NFCTextField(_("note"), blank=True)
    source = source_field()

    objects = UnitRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("declared figure")
        verbose_name_plural = _("declared figures")
        ordering = ["-period_end", "unit__path", "metric"]
        constraints = [
            choices_check("metric", Metric, "declared_metric_valid"),
            choices_check("qualifier", Qualifier, "declared_qualifier_valid"),
            Check(
                condition=models.Q(value__gte=0),
                name="declared_value_not_negative",
                field="value",
                message=_("A declared figure cannot be negative."),
            ),
            period_check("period_start", "period_end", "declared_period_ordered"),
            Unique(
                fields=["unit", "metric", "period_start", "period_end"],
                name="declared_natural_key",
                field="metric",
                message=_("This unit already declared “%(metric)s” from %(period_start)s to %(period_end)s."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_metric_display()}: {self.get_qualifier_display()} {self.value}"
