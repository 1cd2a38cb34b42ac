"""
The reporting cycle's steps: submit, accept, return, excuse; who may take each; and
what a unit's report for a period holds (the figures the reports show). Each step
writes the submission once, in a transaction, and its audit history keeps the rest.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import reports
from reporting.deadlines import Deadlines, level_of, periods_ending_with
from reporting.models import Submission, SubmissionStatus
from reporting.periods import Period
from tracker.periods import Quarter
from units.models import ALL, SEGMENT, Role, Unit, UnitKind, membership_of, scope_of

EDITING_ROLES = {Role.UNIT_EDITOR, Role.BLOC_ADMIN}
DONE = {SubmissionStatus.ACCEPTED, SubmissionStatus.EXCUSED}


def may_submit(user, unit):
    """An editor of the unit or of a unit above it (who logs for a cell without an account)."""
    scope = scope_of(user)
    if scope == ALL:
        return True
    membership = membership_of(user)
    return (
        scope is not None
        and membership.role in EDITING_ROLES
        and unit.is_within(scope)
        and user.has_perm("activities.change_studysession")
    )


def may_review(user, unit):
    """
    The level above: an editor of a unit the unit's parent lies within (a committee's
    clerk reviews its cells, the bloc's administrator everything). The bloc's own
    report is accepted by its administrator: that closes the period for the bloc.
    """
    scope = scope_of(user)
    if scope == ALL:
        return True
    membership = membership_of(user)
    if scope is None or membership.role not in EDITING_ROLES:
        return False
    if unit.parent_id is None:
        return membership.role == Role.BLOC_ADMIN and unit.is_within(scope)
    return unit.path[:-SEGMENT].startswith(scope.path)


@dataclass
class Content:
    """What a unit's report for a period holds: the figures of its subtree and what is missing."""

    period: Period
    total: reports.Figures
    behind: list  # (unit label, gaps) of the units behind in a quarter of the period

    @property
    def is_empty(self):
        return not (self.total.sessions or self.total.outreach or self.total.exemplars)

    def snapshot(self):
        tallies = self.total.tallies
        return {
            "sessions": self.total.sessions,
            "held": {str(kind): [tally.held, tally.full] for kind, tally in tallies.items()},
            "attendance_rate": None
            if self.total.attendance_rate is None
            else float(self.total.attendance_rate),
            "good_models": self.total.initiative_count,
            "outreach": self.total.outreach,
            "exemplars": self.total.exemplars,
            "units": self.total.units,
            "behind_units": len(self.behind),
        }


def content_of(unit, period: Period, today=None):
    """The figures of `unit`'s subtree over the period's quarters, as the reports count them."""
    total, behind = reports.Figures(), []
    for quarter in period.quarters:
        overview = reports.quarter_overview(unit, quarter, today=today)
        if not overview.rows:
            continue
        total = total + overview.rows[0].total
        for row in overview.rows:
            if row.own.behind_units:
                label = (
                    row.unit.label
                    if len(period.quarters) == 1
                    else f"{row.unit.label} ({quarter.short_label})"
                )
                behind.append((label, row.gaps))
    return Content(period=period, total=total, behind=behind)


def submission_of(unit, period):
    return (
        Submission.objects.filter(unit=unit, **period.filter())
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


def deadline_of(unit, period, deadlines=None):
    return (deadlines or Deadlines()).due_on(period, level_of(unit.kind))


@transaction.atomic
def submit(*, unit, period: Period, user, now=None):
    """
    The unit's report for the period, handed in: who and when, on time or not (by
    the first submission, so that a report returned for a correction stays on time),
    its figures as they stand. Refused once accepted or excused; a second click
    changes nothing.
    """
    if not may_submit(user, unit):
        raise PermissionDenied(_("Only an editor of this unit or of a unit above it can submit its report."))
    now = now or timezone.now()
    submission = Submission.objects.select_for_update().filter(unit=unit, **period.filter()).first()
    if submission is not None and submission.status == SubmissionStatus.SUBMITTED:
        return submission, False
    if submission is not None and submission.status in DONE:
        raise ValidationError(
            _("This report is already %(status)s: it cannot be submitted again.")
            % {"status": submission.get_status_display().lower()}
        )
    today = timezone.localdate(now)
    if today < period.end:
        # Accepting it would lock the rest of the period's records before they happen.
        raise ValidationError(
            _("The report for %(period)s can be submitted from %(day)s, its last day.")
            % {"period": period.label, "day": period.end.strftime("%d/%m/%Y")}
        )
    content = content_of(unit, period, today=today)
    deadline = deadline_of(unit, period)
    submission = submission or Submission(unit=unit, **period.filter())
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by = user
    submission.submitted_at = now
    if not content.is_empty:
        # On time is judged by the first report with something in it: an empty one returned
        # and filled in after the deadline is late.
        submission.first_submitted_at = submission.first_submitted_at or now
    submission.deadline = deadline
    # No deadline (a period before the cycle): nothing to be late for.
    handed_in = timezone.localtime(submission.first_submitted_at or now).date()
    submission.on_time = deadline is None or handed_in <= deadline
    submission.is_empty = content.is_empty
    submission.figures = json.dumps(content.snapshot(), ensure_ascii=False)
    submission.reviewed_by = submission.reviewed_at = None
    submission.reason = ""  # a former return's reason stays in the history
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # Submitted at the same moment in another tab: that one stands.
        return submission_of(unit, period), False
    return submission, True


def waiting_below(unit, period):
    """The active units directly under `unit` whose report for the period is neither accepted nor excused."""
    return list(
        Unit.objects.filter(parent=unit, is_active=True)
        .exclude(pk__in=Submission.objects.filter(status__in=DONE, **period.filter()).values("unit"))
        .order_by("path")
    )


def reviewed(submission, user, status, reason="", now=None):
    submission.status = status
    submission.reason = reason
    submission.reviewed_by = user
    submission.reviewed_at = now or timezone.now()
    submission.save()
    return submission


def locked_submission(unit, period):
    submission = Submission.objects.select_for_update().filter(unit=unit, **period.filter()).first()
    return submission


@transaction.atomic
def accept(*, unit, period: Period, user, version=None, now=None):
    """
    The level above accepts the report: only a submitted one, and a committee's (or
    the bloc's) only once every unit under it is accepted or excused.
    """
    if not may_review(user, unit):
        raise PermissionDenied(_("Only the level above can accept or return this report."))
    submission = locked_submission(unit, period)
    if submission is not None and submission.status == SubmissionStatus.ACCEPTED:
        return submission, False
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    check_version(submission, version)
    waiting = waiting_below(unit, period)
    if waiting:
        raise ValidationError(
            _("Not yet: these units' reports are neither accepted nor excused: %(units)s.")
            % {"units": ", ".join(child.label for child in waiting)}
        )
    return reviewed(submission, user, SubmissionStatus.ACCEPTED, now=now), True


@transaction.atomic
def return_(*, unit, period: Period, user, reason, version=None, now=None):
    """The report goes back to the unit with the reason, which its secretary reads on their home page."""
    if not may_review(user, unit):
        raise PermissionDenied(_("Only the level above can accept or return this report."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the report is returned: the unit reads it to correct it.")}
        )
    submission = locked_submission(unit, period)
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    check_version(submission, version)
    return reviewed(submission, user, SubmissionStatus.RETURNED, reason, now=now), True


@transaction.atomic
def excuse(*, unit, period: Period, user, reason, now=None):
    """
    The level above excuses a unit from reporting the period (newly formed, merged
    away, no members that quarter): it is not expected in the rates, and its committee
    can be accepted without it.
    """
    if not may_review(user, unit):
        raise PermissionDenied(_("Only the level above can excuse this unit."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the unit is excused from this report.")})
    submission = locked_submission(unit, period)
    if submission is not None and submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This report is already accepted: it cannot be excused."))
    submission = submission or Submission(unit=unit, **period.filter())
    return reviewed(submission, user, SubmissionStatus.EXCUSED, reason, now=now), True


def check_version(submission, version):
    """A review posted from a page older than the last submission is refused: the unit resubmitted since."""
    if version is not None and str(version) != str(submission.version):
        raise ValidationError(
            _(
                "The report changed since this page was opened (submitted again): read it again before deciding."
            )
        )


# The rates: accepted over expected, and on time over expected, never above 100 %.


def units_reporting_to(root):
    """The units whose reports the level of `root` follows: every unit under it (under every bloc for None)."""
    if root is None:
        return Unit.objects.exclude(kind=UnitKind.BLOC)
    return Unit.objects.for_subtree(root).exclude(pk=root.pk)


def with_submission(units, period):
    return units.annotate(
        sub=FilteredRelation(
            "submissions",
            condition=Q(
                submissions__period_kind=period.kind,
                submissions__year=period.year,
                submissions__number=period.number,
            ),
        )
    )


# Expected: units active now, or which handed in a non-empty report for the period
# (a unit dissolved since still counts for the periods it reported); never the excused.
EXPECTED = (Q(is_active=True) | Q(sub__is_empty=False, sub__status__isnull=False)) & (
    Q(sub__status__isnull=True) | ~Q(sub__status=SubmissionStatus.EXCUSED)
)
ACCEPTED_NOT_EMPTY = Q(sub__status=SubmissionStatus.ACCEPTED, sub__is_empty=False)


@dataclass
class Rates:
    expected: int = 0
    accepted: int = 0
    on_time: int = 0
    submitted: int = 0
    returned: int = 0
    excused: int = 0
    empty: int = 0
    not_submitted: int = 0

    @staticmethod
    def percent(part, whole):
        return round(100 * part / whole, 1) if whole else None

    @property
    def rate(self):
        return self.percent(self.accepted, self.expected)

    @property
    def on_time_rate(self):
        return self.percent(self.on_time, self.expected)

    def __add__(self, other):
        return Rates(
            **{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__}
        )


def rates(root, period):
    """
    The reporting rates of the units under `root` for the period, in all and by level
    ({"cell": Rates, "committee": Rates}): counted in the database, one query.
    """
    units = with_submission(units_reporting_to(root), period)
    rows = units.values("kind").annotate(
        expected=Count("pk", filter=EXPECTED),
        accepted=Count("pk", filter=EXPECTED & ACCEPTED_NOT_EMPTY),
        on_time=Count("pk", filter=EXPECTED & ACCEPTED_NOT_EMPTY & Q(sub__on_time=True)),
        submitted=Count("pk", filter=Q(sub__status=SubmissionStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(sub__status=SubmissionStatus.RETURNED)),
        excused=Count("pk", filter=Q(sub__status=SubmissionStatus.EXCUSED)),
        empty=Count("pk", filter=Q(sub__is_empty=True) & ~Q(sub__status=SubmissionStatus.EXCUSED)),
        not_submitted=Count("pk", filter=Q(is_active=True, sub__status__isnull=True)),
    )
    by_level = {}
    for row in rows.order_by():
        kind = row.pop("kind")
        level = level_of(kind)
        by_level[level] = by_level.get(level, Rates()) + Rates(**row)
    total = sum(by_level.values(), Rates())
    return total, by_level


def status_list(root, period):
    """Every unit under `root` with its submission for the period (or none), in tree order: one query."""
    units = with_submission(units_reporting_to(root), period).filter(
        Q(is_active=True) | Q(sub__status__isnull=False)
    )
    return list(
        units.order_by("path").values(
            "pk",
            "code",
            "name",
            "parent_name",
            "path",
            "kind",
            "is_active",
            "sub__status",
            "sub__is_empty",
            "sub__on_time",
            "sub__deadline",
            "sub__reason",
            "sub__submitted_at",
            "sub__reviewed_at",
        )
    )


def status_list_below(unit, period):
    """The units directly under `unit` with their submission for the period (a committee's page)."""
    units = with_submission(Unit.objects.filter(parent=unit), period).filter(
        Q(is_active=True) | Q(sub__status__isnull=False)
    )
    return list(
        units.order_by("path").values(
            "pk", "code", "name", "is_active", "sub__status", "sub__reason", "sub__on_time"
        )
    )


def quarter_panel(user, unit, quarter):
    """The reports that end with this quarter (its own, the half's, the year's), for the unit's quarter page."""
    deadlines = Deadlines()
    level = level_of(unit.kind)
    panel = []
    for period in periods_ending_with(quarter):
        submission = submission_of(unit, period)
        status = submission.status if submission else None
        panel.append(
            {
                "period": period,
                "submission": submission,
                "deadline": deadlines.due_on(period, level),
                "can_submit": may_submit(user, unit)
                and status in (None, SubmissionStatus.RETURNED)
                and timezone.localdate() >= period.end,
                "can_review": may_review(user, unit) and status == SubmissionStatus.SUBMITTED,
                "opens_on": period.end,
                "open": timezone.localdate() >= period.end,
            }
        )
    return panel


def outstanding(unit, today, deadlines=None):
    """
    The unit's reports that need something from it now: those of the quarter just
    ended and of the one under way (with their half and year), not yet accepted or
    excused, with their deadline; a returned one keeps its reason.
    """
    deadlines = deadlines or Deadlines()
    level = level_of(unit.kind)
    quarter = Quarter.of(today)
    periods = periods_ending_with(quarter.previous()) + periods_ending_with(quarter)
    found = {
        submission.period: submission
        for submission in Submission.objects.filter(
            unit=unit, year__in={period.year for period in periods}
        ).select_related("reviewed_by")
    }
    items = []
    for period in periods:
        submission = found.get(period)
        if submission is not None and submission.status in DONE:
            continue
        deadline = deadlines.due_on(period, level)
        items.append(
            {
                "period": period,
                "submission": submission,
                "deadline": deadline,
                "late": deadline is not None and today > deadline and submission is None,
            }
        )
    return items


def awaiting_review(user):
    """How many submitted reports this user may accept or return."""
    scope = scope_of(user)
    if scope is None:
        return 0
    membership = membership_of(user)
    if scope != ALL and membership.role not in EDITING_ROLES:
        return 0
    submitted = Submission.objects.visible_to(user).filter(status=SubmissionStatus.SUBMITTED)
    if scope != ALL and membership.role != Role.BLOC_ADMIN:
        submitted = submitted.exclude(unit=scope)
    return submitted.count()


def rates_of(root, periods):
    """[{"period", "rates"}] of the units under `root`: the overview's line per period, a query each."""
    return [{"period": period, "rates": rates(root, period)[0]} for period in periods]
