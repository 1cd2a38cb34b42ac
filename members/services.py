"""Writes that span members and sessions."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activities.models import StudySession
from units.models import MemberCount

from .models import LEAVE_REASON_MESSAGE, Attendance, AttendanceStatus, Member
from .scoring import rescore


@transaction.atomic
def attendance_record(*, session: StudySession, marks: dict, user=None) -> StudySession:
    """
    Record who attended `session`: `marks` is {member: (status, reason)} for members of
    the session's cell. Replaces the session's earlier attendance, and sets its attended
    (present) and expected (everyone but the exempt) from it, so the figures the
    reports read and the register never disagree.
    """
    foreign = [member for member in marks if member.unit_id != session.unit_id]
    if foreign:
        raise ValidationError(
            _("%(name)s is not a member of this session's cell.") % {"name": foreign[0].full_name}
        )
    rows = [
        Attendance(session=session, member=member, status=status, reason=(reason or "").strip())
        for member, (status, reason) in marks.items()
    ]
    for row in rows:
        # The fields' own checks, and the rule of the database's constraint, without a
        # query a row (the database still refuses what slips by).
        row.clean_fields(exclude=["session", "member"])
        if row.status == AttendanceStatus.EXCUSED and not row.reason:
            raise ValidationError({"reason": [LEAVE_REASON_MESSAGE]})
    # Changed in place, so that each row's history reads as its changes, with who made
    # them; a fixed number of queries whatever the number of members.
    stored = {row.member_id: row for row in Attendance.objects.filter(session=session)}
    added, changed = [], []
    for row in rows:
        before = stored.pop(row.member.pk, None)
        if before is None:
            added.append(row)
        elif (before.status, before.reason) != (row.status, row.reason):
            before.status, before.reason = row.status, row.reason
            changed.append(before)
    for gone in stored.values():  # members no longer marked: rare
        gone._history_user = user
        gone.delete()
    bulk_create_with_history(added, Attendance, default_user=user)
    bulk_update_with_history(changed, Attendance, ["status", "reason"], default_user=user)
    counts = Counter(row.status for row in rows)
    session.attended = counts[AttendanceStatus.PRESENT]
    session.expected = len(rows) - counts[AttendanceStatus.EXEMPT]
    session.absent_excused = counts[AttendanceStatus.EXCUSED]
    session.absent_unexcused = counts[AttendanceStatus.UNEXCUSED]
    session.save(update_fields=["attended", "expected", "absent_excused", "absent_unexcused", "version"])
    rescore([session.unit_id])
    return session


def members_to_call(unit_id, day):
    """The members of a cell on the register on `day` (all of them when it is None), with `is_exempt`."""
    members = Member.objects.filter(unit_id=unit_id)
    if day is not None:
        members = members.on_register(day)
    return members.with_exemption(day).order_by("full_name", "card_number")


def attendance_of(session: StudySession):
    """{member id: (status, reason)} as recorded for the session."""
    return {
        member_id: (status, reason)
        for member_id, status, reason in Attendance.objects.filter(session=session).values_list(
            "member_id", "status", "reason"
        )
    }


@dataclass(frozen=True)
class MemberCountCheck:
    """
    A unit's members as its cells' registers count them on a day, beside the count it
    declared for that year (units.MemberCount): reconciled like the declared figures.
    """

    day: datetime.date
    on_register: int  # members on the registers of the subtree's cells on `day`
    cells_with_register: int
    cells: int  # active cells in the subtree
    declared: int | None

    @property
    def complete(self):
        """Whether every cell keeps a register: only then does the register give the unit's count."""
        return bool(self.cells) and self.cells_with_register >= self.cells

    @property
    def difference(self):
        if self.declared is None or not self.complete:
            return None
        return self.on_register - self.declared


def member_count_check(unit, day, cells):
    """The MemberCountCheck of `unit`'s subtree on `day`, whose active cells number `cells` (two queries)."""
    counts = (
        Member.objects.for_subtree(unit)
        .on_register(day)
        .aggregate(members=Count("pk"), cells=Count("unit", distinct=True))
    )
    declared = MemberCount.objects.filter(unit=unit, year=day.year).values_list("members", flat=True).first()
    return MemberCountCheck(
        day=day,
        on_register=counts["members"],
        cells_with_register=counts["cells"],
        cells=cells,
        declared=declared,
    )
