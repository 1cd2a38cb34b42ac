"""
What `manage.py send_reminders` sends, once: before a deadline, the day after it,
when a report is returned, and the bloc staff's summary of the week.

Each message is a Notice of one user with a key that names what it is about (the
period, the unit, the review); a Notice is written once per user and key, and only
the run that writes it emails it. Running the command again, the same day or every
day, sends nothing twice. Users who turned emails off still find the messages on
their home page.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities import rules
from reporting.deadlines import Deadlines, reported_periods
from reporting.locks import reviewer_name
from reporting.models import EmailPreference, Notice, Submission, SubmissionStatus
from reporting.periods import Period
from tracker.periods import Quarter
from units.models import BLOC_ROLES, Membership, Role, Unit, UnitKind

logger = logging.getLogger(__name__)

# Kinds of unit each level's reminders go to.
KINDS_OF_LEVEL = {
    "cell": (UnitKind.CELL, UnitKind.GRASSROOTS_CELL),
    "committee": (UnitKind.GRASSROOTS_COMMITTEE,),
    "bloc": (UnitKind.BLOC,),
}
# A returned report is reminded of if it was returned this recently (a first run on an old database stays quiet).
RETURNED_WITHIN = datetime.timedelta(days=14)


@dataclass
class Message:
    users: list
    key: str
    subject: str
    body: str


def unit_url(unit, period):
    return settings.SITE_URL + reverse("reporting:unit-period", args=[unit.code, period.slug])


def day(value):
    return value.strftime("%d/%m/%Y")


def secretaries(unit_ids):
    """{unit id: [users]}: the editors of each unit, active, who answer for its report."""
    found = {}
    memberships = Membership.objects.filter(
        unit_id__in=unit_ids, role=Role.UNIT_EDITOR, user__is_active=True
    ).select_related("user")
    for membership in memberships.order_by("user__username"):
        found.setdefault(membership.unit_id, []).append(membership.user)
    return found


def open_deadlines(today, deadlines):
    """(period, kinds of unit, due, closes) of last year's and this year's reports that have a deadline."""
    for period in reported_periods(today.year - 1) + reported_periods(today.year):
        for level, kinds in KINDS_OF_LEVEL.items():
            due, closes = deadlines.due_on(period, level), deadlines.closes_on(period, level)
            if due is not None:
                yield period, kinds, due, closes


def not_submitted(units, period, kinds):
    """The active units of these kinds with nothing submitted for the period, in tree order."""
    return (
        units.filter(kind__in=kinds, is_active=True)
        .exclude(pk__in=Submission.objects.filter(**period.filter()).values("unit"))
        .order_by("path")
    )


def deadline_messages(today, deadlines):
    """Due in REMINDER_DAYS_BEFORE days or less with nothing submitted; late since yesterday or before."""
    messages = []
    for period, kinds, due, closes in open_deadlines(today, deadlines):
        soon = due - datetime.timedelta(days=rules.REMINDER_DAYS_BEFORE) <= today <= due
        late = due < today <= closes
        if not (soon or late):
            continue
        units = list(not_submitted(Unit.objects.all(), period, kinds))
        people = secretaries([unit.pk for unit in units])
        for unit in units:
            if unit.pk not in people:
                continue
            values = {
                "unit": unit.label,
                "period": period.label,
                "due": day(due),
                "closes": day(closes),
                "url": unit_url(unit, period),
                "days": (due - today).days,
            }
            if soon:
                subject = _("Report for %(period)s due by %(due)s — %(unit)s") % values
                body = (
                    ngettext(
                        "The report of %(unit)s for %(period)s is due by %(due)s (in %(days)s day) and has not "
                        "been submitted.",
                        "The report of %(unit)s for %(period)s is due by %(due)s (in %(days)s days) and has not "
                        "been submitted.",
                        values["days"],
                    )
                    % values
                )
                key = f"due:{period.slug}:{unit.pk}"
            else:
                subject = _("Report for %(period)s is late — %(unit)s") % values
                body = (
                    _(
                        "The report of %(unit)s for %(period)s was due by %(due)s and has not been submitted. "
                        "The period's records lock after %(closes)s."
                    )
                    % values
                )
                key = f"late:{period.slug}:{unit.pk}"
            body += "\n" + _("Submit it from the unit's page: %(url)s") % values
            messages.append(Message(people[unit.pk], key, subject, body))
    return messages


def returned_messages(now):
    messages = []
    returned = (
        Submission.objects.filter(status=SubmissionStatus.RETURNED, reviewed_at__gte=now - RETURNED_WITHIN)
        .select_related("unit", "reviewed_by")
        .order_by("unit__path")
    )
    returned = list(returned)
    people = secretaries([submission.unit_id for submission in returned])
    for submission in returned:
        if submission.unit_id not in people:
            continue
        values = {
            "unit": submission.unit.label,
            "period": submission.period_label,
            "by": reviewer_name(submission.reviewed_by),
            "day": day(timezone.localtime(submission.reviewed_at)),
            "reason": submission.reason,
            "url": unit_url(submission.unit, submission.period),
        }
        subject = _("Report for %(period)s returned — %(unit)s") % values
        body = (
            _("%(by)s returned the report of %(unit)s for %(period)s on %(day)s. The reason: %(reason)s")
            % values
            + "\n"
            + _("Correct it and submit it again from the unit's page: %(url)s") % values
        )
        # The version changes with every step: a report returned a second time is a new message.
        messages.append(
            Message(
                people[submission.unit_id], f"returned:{submission.pk}:{submission.version}", subject, body
            )
        )
    return messages


def weekly_messages(today, now, deadlines):
    """To each bloc's staff, once an ISO week: who is late, who was returned, what changed in seven days."""
    if today.weekday() < rules.WEEKLY_SUMMARY_WEEKDAY:
        return []
    year, week, _weekday = today.isocalendar()
    messages = []
    for bloc in Unit.objects.filter(kind=UnitKind.BLOC, is_active=True).order_by("path"):
        staff = [
            membership.user
            for membership in Membership.objects.filter(unit=bloc, role__in=BLOC_ROLES, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        ]
        if not staff:
            continue
        under = Unit.objects.for_subtree(bloc)
        late = []
        for period, kinds, due, closes in open_deadlines(today, deadlines):
            if due < today <= closes:
                late += [
                    "- "
                    + _("%(unit)s: %(period)s, due by %(due)s")
                    % {"unit": unit.label, "period": period.label, "due": day(due)}
                    for unit in not_submitted(under, period, kinds)
                ]
        returned = [
            f"- {submission.unit.label}: {submission.period_label} — {submission.reason}"
            for submission in Submission.objects.filter(unit__in=under, status=SubmissionStatus.RETURNED)
            .select_related("unit")
            .order_by("unit__path")
        ]
        week_ago = now - datetime.timedelta(days=7)
        changed = [
            f"- {submission.unit.label}: {submission.period_label} — {submission.get_status_display().lower()}"
            for submission in Submission.objects.filter(unit__in=under)
            .filter(Q(submitted_at__gte=week_ago) | Q(reviewed_at__gte=week_ago))
            .select_related("unit")
            .order_by("unit__path")
        ]
        values = {"week": week, "year": year, "bloc": bloc.label}
        subject = _("Reports, week %(week)s/%(year)s — %(bloc)s") % values
        parts = []
        for title, lines in (
            (_("Late, not submitted (%(count)s):"), late),
            (_("Returned, to submit again (%(count)s):"), returned),
            (_("Submitted or reviewed in the last seven days (%(count)s):"), changed),
        ):
            parts.append(title % {"count": len(lines)} + ("\n" + "\n".join(lines) if lines else ""))
        body = (
            "\n\n".join(parts)
            + "\n\n"
            + _("Who has reported: %(url)s")
            % {
                "url": settings.SITE_URL
                + reverse("reporting:status", args=[Period.of_quarter(Quarter.of(today).previous()).slug])
            }
        )
        messages.append(Message(staff, f"weekly:{year}-W{week:02d}:{bloc.pk}", subject, body))
    return messages


def deliver(message, now):
    """Write the message's Notice for each user who has none; email those that were written. Returns the emails sent."""
    sent = 0
    for user in message.users:
        try:
            with transaction.atomic():
                notice, created = Notice.objects.get_or_create(
                    user=user,
                    key=message.key,
                    defaults={"subject": message.subject, "body": message.body, "created_at": now},
                )
        except IntegrityError:
            continue  # written by a run at the same moment: that run emails it
        if not created or not user.email or not wants_email(user):
            continue
        try:
            send_mail(message.subject, message.body, None, [user.email])
        except OSError:
            logger.exception("Could not email notice %s to %s", message.key, user.username)
            continue
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def wants_email(user):
    preference = EmailPreference.objects.filter(user=user).values_list("reminders", flat=True).first()
    return preference is not False


def send_reminders(now=None):
    """Every reminder due now, each once. Returns (notices written, emails sent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deadlines = Deadlines()
    with translation.override(settings.LANGUAGE_CODE):
        messages = (
            deadline_messages(today, deadlines)
            + returned_messages(now)
            + weekly_messages(today, now, deadlines)
        )
        before = Notice.objects.count()
        sent = sum(deliver(message, now) for message in messages)
    return Notice.objects.count() - before, sent
