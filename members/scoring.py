"""
A meeting's quality from what the tracker records of it (activities.rules holds the
items, their points and the grades): the facts its computed items read, in a fixed
number of queries, and the members absent with leave meeting after meeting.
"""

from collections import defaultdict
from itertools import groupby

from django.db.models import Count, F, Window
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


# What the scoring reads of a regular meeting.
MEETING_COLUMNS = (
    "unit",
    "kind",
    "date",
    "starts_at",
    "ends_at",
    "also_thematic",
    "documents_posted_on",
    "resolution_published_on",
    "attended",
    "expected",
    "absent_unexcused",
    "score",
    "grade",
)


def score_cards(cell_ids, meeting_rules=None, items=None, grades=None, streak=None):
    """
    The ScoreCard of every regular meeting of the cells, in five queries whatever their
    number: [(meeting, card)], each cell's meetings in the order they were held. A
    meeting's computed items read it and the meetings before it (members absent with
    leave `streak` meetings running, the last meeting's tasks it reviewed). The rules
    are activities.rules' unless given.
    """
    meeting_rules = meeting_rules or rules.MEETING_RULES
    items, grades = items or rules.QUALITY_ITEMS, grades or rules.GRADES
    streak = streak or rules.ABSENCE_STREAK
    meetings = list(
        StudySession.objects.filter(unit_id__in=cell_ids, kind=rules.SCORED_KIND, date__isnull=False)
        .order_by("unit_id", "date", "pk")
        .only(*MEETING_COLUMNS)
    )
    scope = {"session__unit_id__in": cell_ids, "session__kind": rules.SCORED_KIND}
    entered = defaultdict(dict)
    for session_id, item, points in MeetingScore.objects.filter(**scope).values_list(
        "session_id", "item", "points"
    ):
        entered[session_id][item] = points
    excused = defaultdict(set)
    for session_id, member_id in Attendance.objects.filter(
        **scope, status=AttendanceStatus.EXCUSED
    ).values_list("session_id", "member_id"):
        excused[session_id].add(member_id)
    tasks = defaultdict(list)
    for session_id, reviewed_at in MeetingTask.objects.filter(**scope).values_list(
        "session_id", "reviewed_at_id"
    ):
        tasks[session_id].append(reviewed_at)
    scored = []
    for _unit, group in groupby(meetings, key=lambda meeting: meeting.unit_id):
        group = list(group)
        for at, meeting in enumerate(group):
            recent = group[at - streak + 1 : at + 1] if at + 1 >= streak else []
            on_leave = set.intersection(*(excused[other.pk] for other in recent)) if recent else set()
            assigned = tasks[group[at - 1].pk] if at else []
            facts = rules.MeetingFacts(
                minutes_short=rules.is_short(meeting, meeting_rules),
                present=meeting.attended or 0,
                expected=meeting.expected or 0,
                unexcused=meeting.absent_unexcused or 0,
                on_leave_streaks=len(on_leave),
                documents_on_time=rules.documents_on_time(meeting, meeting_rules),
                resolution_on_time=rules.resolution_on_time(meeting, meeting_rules),
                tasks_assigned_last_time=len(assigned),
                tasks_reviewed=sum(reviewed_at == meeting.pk for reviewed_at in assigned),
            )
            scored.append((meeting, rules.score_card(facts, entered[meeting.pk], items, grades)))
    return scored


def session_score(session, meeting_rules=None, items=None, grades=None):
    """The meeting's ScoreCard: computed items from its records, the others as the cell entered them."""
    for meeting, card in score_cards([session.unit_id], meeting_rules, items, grades):
        if meeting.pk == session.pk:
            return card
    raise ValueError("only a dated regular meeting is scored")


def rescore(cell_ids, meeting_rules=None, items=None, grades=None):
    """
    Store the score and grade of every regular meeting of the cells that the cell has
    assessed (every entered item given), for the reports to count; a meeting not yet
    assessed has none. Run after any write that moves a score: the roll call, the
    meeting's fields, its tasks or entered points, a meeting added or removed before a
    later one. Returns how many meetings changed.
    """
    changed = []
    for meeting, card in score_cards(cell_ids, meeting_rules, items, grades):
        score, grade = (card.total, card.grade) if card.assessed else (None, "")
        if (meeting.score, meeting.grade) != (score, grade):
            meeting.score, meeting.grade = score, grade
            changed.append(meeting)
    StudySession.objects.bulk_update(changed, ["score", "grade"], batch_size=500)
    return len(changed)


def absent_on_leave_in(unit, day, streak=None):
    """
    Members of the cells in `unit`'s subtree absent with leave at each of their cell's
    last `streak` regular meetings up to `day`, with their cell (one query). Personal
    data: shown only on the pages of that subtree, to its users.
    """
    streak = streak or rules.ABSENCE_STREAK
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
