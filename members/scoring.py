"""
A meeting's quality from what the tracker records of it (activities.rules holds the
items, their points and the grades): the facts its computed items read, in a fixed
number of queries, and the members absent with leave meeting after meeting.
"""

from collections import Counter

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from activities import rules
from activities.models import MeetingScore, MeetingTask, SessionKind, StudySession

from .models import Attendance, AttendanceStatus, Member


def absent_at_each(meetings, streak):
    """Members absent with leave at each of `meetings` (a query of a cell's last `streak` meetings, or several cells')."""
    absent = (
        Attendance.objects.filter(session__in=meetings, status=AttendanceStatus.EXCUSED)
        .values("member_id")
        .annotate(times=Count("pk"))
        .filter(times=streak)
        .values("member_id")
    )
    return Member.objects.filter(pk__in=absent)


def absent_on_leave_streak(session, streak=rules.ABSENCE_STREAK):
    """Members absent with leave at each of the cell's last `streak` regular meetings, this one's included."""
    if session.date is None:
        return Member.objects.none()
    meetings = list(
        StudySession.objects.filter(unit_id=session.unit_id, kind=SessionKind.MONTHLY, date__lte=session.date)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)[:streak]
    )
    if len(meetings) < streak or session.pk not in meetings:
        return Member.objects.none()
    return absent_at_each(meetings, streak).order_by("full_name")


def meeting_facts(session, meeting_rules=rules.MEETING_RULES):
    """What the computed items of rules.QUALITY_ITEMS read of one meeting."""
    marks = Counter(Attendance.objects.filter(session=session).values_list("status", flat=True))
    if marks:
        present = marks[AttendanceStatus.PRESENT]
        expected = sum(marks.values()) - marks[AttendanceStatus.EXEMPT]
    else:  # a headcount only
        present, expected = session.attended or 0, session.expected or 0
    previous = (
        StudySession.objects.filter(unit_id=session.unit_id, kind=SessionKind.MONTHLY, date__lt=session.date)
        .order_by("-date", "-pk")
        .first()
        if session.date is not None
        else None
    )
    tasks = (
        MeetingTask.objects.filter(session=previous).aggregate(
            assigned=Count("pk"), reviewed=Count("pk", filter=Q(reviewed_at=session))
        )
        if previous is not None
        else {"assigned": 0, "reviewed": 0}
    )
    return rules.MeetingFacts(
        minutes_short=rules.is_short(session, meeting_rules),
        present=present,
        expected=expected,
        unexcused=marks[AttendanceStatus.UNEXCUSED],
        on_leave_streaks=absent_on_leave_streak(session).count(),
        documents_on_time=rules.documents_on_time(session, meeting_rules),
        resolution_on_time=rules.resolution_on_time(session, meeting_rules),
        tasks_assigned_last_time=tasks["assigned"],
        tasks_reviewed=tasks["reviewed"],
    )


def session_score(session, meeting_rules=rules.MEETING_RULES, items=rules.QUALITY_ITEMS, grades=rules.GRADES):
    """The meeting's ScoreCard: computed items from its records, the others as the cell entered them."""
    entered = dict(MeetingScore.objects.filter(session=session).values_list("item", "points"))
    return rules.score_card(meeting_facts(session, meeting_rules), entered, items, grades)


def absent_on_leave_in(unit, day, streak=rules.ABSENCE_STREAK):
    """
    Members of the cells in `unit`'s subtree absent with leave at each of their cell's
    last `streak` regular meetings up to `day`, with their cell (one query). Personal
    data: shown only on the pages of that subtree, to its users.
    """
    recent = (
        StudySession.objects.for_subtree(unit)
        .filter(kind=SessionKind.MONTHLY, date__lte=day)
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("unit_id")], order_by=[F("date").desc(), F("pk").desc()]
            )
        )
        .filter(recency__lte=streak)
        .values("pk")
    )
    return list(absent_at_each(recent, streak).select_related("unit").order_by("unit__path", "full_name"))
