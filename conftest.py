import pytest

# Every response of every test is read for tracebacks, server paths and constraint names.
pytest_plugins = ["tracker.tests.response_scanner"]


@pytest.fixture
def tree(db):
    """
    A small bloc: two grassroots committees with two cells each, and a grassroots cell.

        BLOC
        ├── STP (committee) ── STP-VP, STP-TT
        ├── KBNN (committee) ── KBNN-1, KBNN-2
        └── BDV (grassroots cell)
    """
    from units.models import Unit
    from units.tests.factories import make_bloc, make_unit

    bloc = make_bloc(code="BLOC", name="Đảng bộ Khối các cơ quan tỉnh")
    units = {"BLOC": bloc}
    for code, name in [("STP", "Đảng bộ Sở Tư pháp"), ("KBNN", "Đảng bộ Kho bạc Nhà nước tỉnh")]:
        committee = make_unit(bloc, code=code, name=name)
        units[code] = committee
        for suffix in ("VP", "TT") if code == "STP" else ("1", "2"):
            units[f"{code}-{suffix}"] = make_unit(
                committee, code=f"{code}-{suffix}", name=f"Chi bộ {suffix} {code}"
            )
    units["BDV"] = make_unit(
        bloc, code="BDV", name="Chi bộ Ban Dân vận Tỉnh ủy", kind=Unit.Kind.GRASSROOTS_CELL
    )
    return units


def populate(tree, copies):
    """`copies` rows of every kind of record, spread over the tree's units; callable again."""
    import datetime

    from django.utils import timezone

    from activities.models import Outreach
    from activities.tests import factories as af
    from members.tests import factories as mf
    from reporting.models import DeadlineRule, LockException, Submission
    from units.models import Official
    from units.tests import factories as uf

    cells = [tree["STP-VP"], tree["STP-TT"], tree["KBNN-1"], tree["KBNN-2"], tree["BDV"]]
    directive = None
    first = Official.objects.count()
    now = timezone.now()
    for n in range(first, first + copies):
        unit = cells[n % len(cells)]
        uf.make_unit(tree["KBNN"] if n % 2 else tree["STP"])
        source = af.make_source()
        directive = af.make_directive(source=source, continues=directive)
        official = uf.make_official(source=source)
        uf.make_position(official, unit, title=f"Bí thư {n}")
        uf.make_position(official, unit.parent, kind="agency", title=f"Phó giám đốc {n}")
        uf.make_member_count(unit, year=2000 + n // len(cells))
        theme = af.make_theme(year=2024, quarter=n % 4 + 1, directive=directive)
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        session = af.make_session(unit, theme=theme, chair=official, source=source, date=day)
        session.tasks.create(description=f"Nhiệm vụ {n}", assignee="Chi ủy", due_on=day)
        session.scores.create(item="conduct", points=25)
        initiative = af.make_initiative(unit, source=source)
        af.make_evaluation(initiative)
        af.make_outreach(unit, channel=Outreach.Channel.SOCIAL_MEDIA)
        af.make_exemplar(unit, official=official)
        af.make_service_figure(unit, agency=f"Cơ quan {n}")
        af.make_declared_figure(unit, period_end=datetime.date(2024, 3, 1) + datetime.timedelta(days=n))
        member = mf.make_member(unit, official=official, source=source)
        mf.make_member_status(member)
        mf.make_attendance(session, member, status="excused", reason=f"Công tác {n}")
        # The reporting cycle: a rule from a day far ahead (it locks nothing here), a report, a reopened period.
        DeadlineRule.objects.create(
            period_kind="quarter",
            level=("cell", "committee", "bloc")[n % 3],
            valid_from=datetime.date(2099, 1, 1) + datetime.timedelta(days=n),
            deadline_days=5,
            closing_days=30,
        )
        Submission.objects.create(
            unit=unit,
            period_kind="quarter",
            year=2024 + n // 20,
            number=n // len(cells) % 4 + 1,
            status="submitted",
            submitted_at=now,
            first_submitted_at=now,
        )
        LockException.objects.create(
            unit=unit,
            period_kind="quarter",
            year=2024 + n // 20,
            number=n // len(cells) % 4 + 1,
            reason=f"Bổ sung số liệu {n}",
            until=datetime.date(2024, 5, 1),
        )
