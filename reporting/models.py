"""
The reporting cycle: a unit submits a period, the level above accepts it or returns
it with a reason, and the period closes. What is accepted, or closed, is locked
(reporting.locks); a bloc administrator reopens one unit's period with a reason
(LockException). Deadlines are the rules' (activities.rules.REPORTING_DEADLINES)
unless a bloc administrator set others here (DeadlineRule).
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.periods import PER_YEAR, Period, PeriodKind
from tracker.constraints import Check, Unique, choices_check, not_blank, year_check
from tracker.text import NFCTextField
from tracker.versioning import Versioned
from units.models import ReferenceQuerySet, ScopedQuerySet


class Level(models.TextChoices):
    CELL = "cell", _("Party cells")
    COMMITTEE = "committee", _("Grassroots committees")
    BLOC = "bloc", _("The bloc committee")


def period_number_check(name):
    """A quarter 1–4, a half 1–2, a year 1."""
    condition = models.Q()
    for kind, count in PER_YEAR.items():
        condition |= models.Q(period_kind=kind, number__gte=1, number__lte=count)
    return Check(
        condition=condition,
        name=name,
        field="number",
        message=_("A quarter is numbered 1 to 4, a half 1 or 2, a year 1."),
    )


class PeriodFields(models.Model):
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("number"), default=1, help_text=_("1–4 for a quarter, 1–2 for a half, 1 for a year.")
    )

    class Meta:
        abstract = True

    @property
    def period(self):
        return Period(self.year, self.period_kind, self.number)

    @property
    def period_label(self):
        try:
            return self.period.label
        except ValueError:
            return ""


class DeadlineRule(Versioned):
    """When a level's report for a kind of period is due, and when the period closes, from a date on."""

    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    valid_from = models.DateField(
        _("applies from"), help_text=_("To periods ending on or after this day, until a later rule.")
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("due days after the period"),
        help_text=_("5 after a quarter is the 5th of the month that follows it."),
    )
    closing_days = models.PositiveSmallIntegerField(
        _("closes days after the period"),
        help_text=_("After this day the period's records are locked."),
    )
    note = NFCTextField(
        _("note"), blank=True, help_text=_("The document that sets it, e.g. Hướng dẫn 42-HD/BTCTW.")
    )

    # The bloc's rules: every member reads them (the pages show the deadlines); the bloc's administrator sets them.
    objects = ReferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        ordering = ["period_kind", "level", "-valid_from"]
        constraints = [
            choices_check("period_kind", PeriodKind, "deadline_period_kind_valid"),
            choices_check("level", Level, "deadline_level_valid"),
            Check(
                condition=models.Q(closing_days__gte=models.F("deadline_days")),
                name="deadline_closes_after_due",
                field="closing_days",
                message=_("The period cannot close before the report is due."),
            ),
            Unique(
                fields=["period_kind", "level", "valid_from"],
                name="deadline_one_per_day",
                field="valid_from",
                message=_("A rule for this period and level already applies from %(valid_from)s."),
            ),
        ]

    def __str__(self):
        return f"{self.get_period_kind_display()} — {self.get_level_display()} ({self.valid_from:%d/%m/%Y})"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    EXCUSED = "excused", _("Excused")


class Submission(Versioned, PeriodFields):
    """A unit's report for a period, through its review."""

    Status = SubmissionStatus

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), default=False)
    is_empty = models.BooleanField(
        _("empty"),
        default=False,
        help_text=_("Nothing was logged for the period: it does not count as reported."),
    )
    # JSON text, not a JSONField: that field's system check opens the database, which
    # `migrate` may not have created yet (tracker/tests/test_health.py).
    figures = models.TextField(_("figures submitted"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = NFCTextField(_("reason"), blank=True, help_text=_("Why it was returned or excused."))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-year", "period_kind", "-number", "unit__path"]
        indexes = [
            models.Index(fields=["year", "period_kind", "number", "status"], name="submission_period_idx")
        ]
        constraints = [
            choices_check("period_kind", PeriodKind, "submission_period_kind_valid"),
            choices_check("status", SubmissionStatus, "submission_status_valid"),
            year_check("year", "submission_year_range"),
            period_number_check("submission_number_valid"),
            Unique(
                fields=["unit", "period_kind", "year", "number"],
                name="submission_one_per_unit_period",
                field="unit",
                message=_("This unit already has a submission for this period."),
            ),
            Check(
                condition=~models.Q(status__in=[SubmissionStatus.RETURNED, SubmissionStatus.EXCUSED])
                | ~models.Q(reason=""),
                name="submission_reason_given",
                field="reason",
                message=_("Say why the report is returned or excused."),
            ),
            Check(
                condition=models.Q(status=SubmissionStatus.EXCUSED) | models.Q(submitted_at__isnull=False),
                name="submission_submitted_at_set",
                field="submitted_at",
                message=_("A submission records when it was submitted."),
            ),
            Check(
                condition=models.Q(status=SubmissionStatus.SUBMITTED) | models.Q(reviewed_at__isnull=False),
                name="submission_reviewed_at_set",
                field="reviewed_at",
                message=_("A reviewed submission records when it was reviewed."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period_label}"

    @property
    def figures_data(self):
        return json.loads(self.figures) if self.figures else {}

    @property
    def counts(self):
        """Reported in the rates: accepted and not empty."""
        return self.status == SubmissionStatus.ACCEPTED and not self.is_empty


class LockException(Versioned, PeriodFields):
    """One unit's period opened again by a bloc administrator, with a reason, until a day."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="lock_exceptions"
    )
    reason = NFCTextField(_("reason"))
    until = models.DateField(_("open until"), help_text=_("The last day its records can be changed."))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("lock exception")
        verbose_name_plural = _("lock exceptions")
        ordering = ["-until", "unit__path"]
        constraints = [
            choices_check("period_kind", PeriodKind, "lock_exception_period_kind_valid"),
            year_check("year", "lock_exception_year_range"),
            period_number_check("lock_exception_number_valid"),
            not_blank("reason", "lock_exception_reason_not_blank"),
            Unique(
                fields=["unit", "period_kind", "year", "number"],
                name="lock_exception_one_per_unit_period",
                field="unit",
                message=_("This unit's period is already opened again: change that exception instead."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period_label}"

    def is_open(self, day):
        return day <= self.until


class Notice(models.Model):
    """
    A message to one user about the reporting cycle: shown on their home page, and
    emailed unless they turned emails off. `key` makes sending idempotent: a notice
    is written once per user and key, whatever runs send_reminders again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(_("key"), max_length=120)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        constraints = [
            Unique(
                fields=["user", "key"],
                name="notice_once_per_user",
                field="key",
                message=_("This notice was already sent to this user."),
            )
        ]

    def __str__(self):
        return self.subject


class EmailPreference(models.Model):
    """Whether a user gets the reporting cycle's emails (the home page shows them either way)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_preference",
    )
    reminders = models.BooleanField(_("email me reminders and summaries"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self):
        return str(self.user)
