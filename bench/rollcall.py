"""
The roll call as a cell secretary saves it: the staff session form posted over HTTP
with 10 and with 40 members on the register, timed and its queries counted.

    python -m bench.rollcall [--committees 100] [--cells 10] [--years 5] [--repeat 5]

The target: the same number of queries whatever the number of members (issue 19), and
each save within 500 ms, beside the form posted without a register (a headcount only).
"""

import datetime
import itertools
import re
import sys

from bench import on_throwaway_database, side_by_side
from bench.province import built, province_parser
from bench.reports import queries_of

SAVE_SECONDS = 0.5
DAY = datetime.date(2025, 12, 29)


def main():
    args = province_parser(__doc__.splitlines()[1]).parse_args()
    on_throwaway_database(run, args, "rollcall")


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}, median of {args.repeat} runs")
    print_table(cases(province, args.repeat, connection))


def register_of(cell, size):
    """The cell's register made `size` members long (the demo's, cut or topped up)."""
    from members.models import Attendance, Member

    members = list(Member.objects.filter(unit=cell).order_by("card_number"))
    extra = [member.pk for member in members[size:]]
    Attendance.objects.filter(member__in=extra).delete()
    Member.objects.filter(pk__in=extra).delete()
    Member.objects.bulk_create(
        Member(unit=cell, card_number=f"7{cell.pk:06d}{n:03d}", full_name=f"Đảng viên {n}")
        for n in range(len(members), size)
    )
    return list(Member.objects.filter(unit=cell).order_by("card_number"))


def poster(client, cell, members):
    """A POST of a new regular meeting with its roll call: two absent, the rest present."""
    numbers = itertools.count(1)

    def post():
        data = {
            "unit": cell.pk,
            "kind": "monthly",
            "date": DAY.strftime("%d/%m/%Y"),
            "topic": f"Sinh hoạt thử {next(numbers)}",
            "format": "in_person",
            # Many meetings of one cell on one day: each is meant (the form would ask).
            "not_duplicate": "on",
        }
        if members:
            data["attendance-cell"] = cell.pk
            for n, member in enumerate(members):
                status = "excused" if n == 0 else "unexcused" if n == 1 else "present"
                data[f"attendance-status_{member.pk}"] = status
                data[f"attendance-reason_{member.pk}"] = "Ốm" if n == 0 else ""
        else:
            data.update({"attended": 9, "expected": 10})
        response = client.post(f"/sessions/new/?unit={cell.code}", data)
        assert response.status_code == 302, re.findall(
            r"errorlist[^<]*<li>([^<]*)", response.content.decode()
        )

    return post


def cases(province, repeat, connection):
    from django.test import Client

    from bench.__main__ import CONSTANT, SECONDS, Result
    from members.models import Attendance, Member
    from units.models import Role
    from units.services import user_grant

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    editor, _ = user_grant(username="bench-rollcall", unit_code=province.root.code, role=Role.UNIT_EDITOR)
    client.force_login(editor)
    cells = province.cells[:3]
    headcount_cell = cells[2]
    Attendance.objects.filter(member__unit=headcount_cell).delete()
    Member.objects.filter(unit=headcount_cell).delete()
    headcount = poster(client, headcount_cell, [])
    results = []
    counted = {}
    for cell, size in ((cells[0], 10), (cells[1], 40)):
        post = poster(client, cell, register_of(cell, size))
        post(), headcount()  # warm both alike
        seconds, base = side_by_side(post, headcount, repeat)
        counted[size] = queries_of(post, connection)
        results.append(
            Result(
                f"staff session form, roll call of {size} members (HTTP POST)",
                seconds,
                base,
                SAVE_SECONDS,
                counted[size],
                "baseline: the same form with a headcount only",
                measure=SECONDS,
                growth=CONSTANT,
            )
        )
    same = "holds" if counted[10] == counted[40] else "misses"
    print(f"queries of a save: {counted[10]} with 10 members, {counted[40]} with 40 ({same})")
    return results


if __name__ == "__main__":
    sys.exit(main())
