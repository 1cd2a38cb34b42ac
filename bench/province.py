"""The demo province every benchmark measures on, built once per run."""

import argparse
import datetime
from dataclasses import dataclass


@dataclass
class Province:
    root: object  # the bloc committee
    committee: object  # the first demo committee
    cells: list
    units: int
    sessions: int
    attendance: int  # roll-call rows (members.Attendance)
    superuser: object
    editor: object  # a unit editor of `committee`


def province_parser(description, years=5, repeat=5):
    """The command-line options every benchmark on the demo province takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--cells", type=int, default=10)
    parser.add_argument("--years", type=int, default=years)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


def built(args, connection):
    """The demo province of the parsed options, and the first line of the report."""
    province = build_province(args.committees, args.cells, args.years, connection)
    header = (
        f"{connection.vendor}, {province.units:,} units, {province.sessions:,} sessions, "
        f"{province.attendance:,} roll-call rows"
    )
    return province, header


def build_province(committees, cells, years, connection):
    from django.contrib.auth import get_user_model

    from activities.models import Source, StudySession
    from members.models import Attendance
    from seeds.demo import DemoBuilder, DemoSize
    from seeds.services import DEMO_SOURCE, seed_article
    from units.models import Role, Unit
    from units.services import user_grant

    seed_article()
    root = Unit.objects.get(code="DBK")
    size = DemoSize(
        committees=committees,
        cells_per_committee=cells,
        years=years,
        seed=1,
        until=datetime.date(2025, 12, 31),
    )
    DemoBuilder(size, Source.objects.create(**DEMO_SOURCE), root).build()
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, as autovacuum or a nightly ANALYZE gives.
        cursor.execute("ANALYZE")
    demo = Unit.objects.filter(code__startswith="DEMO").order_by("path")
    committee = demo.filter(kind=Unit.Kind.GRASSROOTS_COMMITTEE).first()
    editor, _ = user_grant(username="bench-editor", unit_code=committee.code, role=Role.UNIT_EDITOR)
    return Province(
        root=root,
        committee=committee,
        cells=list(demo.exclude(kind=Unit.Kind.GRASSROOTS_COMMITTEE)),
        units=Unit.objects.count(),
        sessions=StudySession.objects.count(),
        attendance=Attendance.objects.count(),
        superuser=get_user_model().objects.create_superuser("bench", password="x"),
        editor=editor,
    )
