"""Small builders for tests: each makes a valid row, overridable by keyword."""

import datetime
import itertools

from members.models import Member, MemberStatus

_numbers = itertools.count(1)


def make_member(unit, **fields):
    n = next(_numbers)
    fields = {
        "card_number": f"{79000000 + n}",
        "full_name": f"Đảng viên {n}",
        "born_on": datetime.date(1985, 1, 1),
        "joined_on": datetime.date(2010, 2, 3),
        "official_on": datetime.date(2011, 2, 3),
        **fields,
    }
    return Member.objects.create(unit=unit, **fields)


def make_member_status(member, **fields):
    fields = {
        "kind": MemberStatus.Kind.EXEMPT,
        "starts_on": datetime.date(2024, 1, 1),
        "ends_on": datetime.date(2024, 12, 31),
        "reason": "Tuổi cao, sức khỏe yếu",
        **fields,
    }
    return MemberStatus.objects.create(member=member, **fields)


def make_attendance(session, member, **fields):
    from members.models import Attendance

    fields = {"status": Attendance.Status.PRESENT, **fields}
    return Attendance.objects.create(session=session, member=member, **fields)
