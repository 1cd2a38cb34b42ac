import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from activities.models import (
    DeclaredFigure,
    Initiative,
    InitiativeEvaluation,
    ServiceFigure,
    Source,
    StudySession,
)
from activities.tests.factories import make_session
from seeds.demo import DemoSize
from seeds.services import DemoInUse, demo_generate, demo_purge, seed_article
from units.models import MemberCount, Official, Unit
from units.tests.factories import make_unit

UNTIL = datetime.date(2024, 11, 20)
SMALL = DemoSize(committees=3, cells_per_committee=4, years=2, seed=7, until=UNTIL)


def snapshot():
    """Everything the generator decides, without database ids."""
    return {
        "units": list(Unit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        "sessions": sorted(
            StudySession.objects.values_list(
                "unit__code", "kind", "date", "year", "quarter", "topic", "attended", "expected", "created_at"
            ),
            key=str,
        ),
        "officials": list(Official.objects.order_by("code").values_list("code", "full_name")),
        "initiatives": sorted(Initiative.objects.values_list("unit__code", "title", "status"), key=str),
        "declared": sorted(DeclaredFigure.objects.values_list("unit__code", "period_end", "value"), key=str),
    }


@pytest.fixture
def demo(db):
    seed_article()
    demo_generate(size=SMALL)


def test_builds_the_requested_tree_under_the_seeded_bloc(demo):
    demo_units = Unit.objects.filter(source__code="DEMO")
    assert demo_units.filter(kind="grassroots_committee", parent__code="DBK").count() == 3
    assert demo_units.filter(kind="cell").count() == 12
    assert sorted(Unit.objects.get(code="DEMO-002").children.values_list("code", flat=True)) == [
        "DEMO-002-01",
        "DEMO-002-02",
        "DEMO-002-03",
        "DEMO-002-04",
    ]
    assert Unit.objects.for_subtree(Unit.objects.get(code="DBK")).count() == 5 + 15


def test_every_demo_row_is_marked_synthetic(demo):
    source = Source.objects.get(code="DEMO")
    assert (source.kind, source.title) == ("synthetic", "Dữ liệu mẫu")
    assert not StudySession.objects.filter(unit__source=source).exclude(source=source).exists()
    assert StudySession.objects.filter(source=source).count() > 0
    assert MemberCount.objects.exclude(source=source).count() == 0


def test_same_seed_gives_the_same_data(demo):
    first = snapshot()
    demo_purge()
    demo_generate(size=SMALL)
    assert snapshot() == first


def test_another_seed_gives_other_data(demo):
    first = snapshot()
    demo_purge()
    demo_generate(size=DemoSize(**{**SMALL.__dict__, "seed": 8}))
    assert snapshot()["sessions"] != first["sessions"]


def test_sessions_keep_the_campaigns_cadence_with_gaps(demo):
    cells = Unit.objects.filter(source__code="DEMO", kind="cell")
    # At most one thematic session per cell and quarter, one monthly meeting per month.
    per_quarter = (
        StudySession.objects.filter(kind="thematic", unit__in=cells)
        .values("unit", "year", "quarter")
        .annotate(n=Count("id"))
    )
    assert {row["n"] for row in per_quarter} == {1}
    monthly = StudySession.objects.filter(kind="monthly", unit__in=cells)
    assert (
        monthly.values("unit", "date__year", "date__month").annotate(n=Count("id")).filter(n__gt=1).count()
        == 0
    )
    # Gaps: 12 cells over 23 months (01/2023 to 11/2024) would be 276 meetings.
    assert 150 < monthly.count() < 276
    # First-Monday study falls on the first Monday of its month.
    first_monday = StudySession.objects.filter(kind="first_monday")
    assert first_monday.exists()
    assert all(day.weekday() == 0 and day.day <= 7 for day in first_monday.values_list("date", flat=True))
    # Nothing after the end date.
    assert not StudySession.objects.filter(date__gt=UNTIL).exists()


def test_some_sessions_are_logged_after_their_quarter(demo):
    sessions = StudySession.objects.filter(source__code="DEMO", date__isnull=False)
    late = [s for s in sessions if s.created_at.date() > s.period.end]
    assert 0 < len(late) < sessions.count() / 4


def test_attendance_within_expected(demo):
    sessions = StudySession.objects.filter(source__code="DEMO", expected__isnull=False)
    assert sessions.count() > 0
    assert not sessions.filter(attended__gt=F("expected")).exists()
    assert sessions.filter(attended__lt=F("expected")).exists()


def test_good_models_move_through_their_life_cycle_with_evaluations(demo):
    statuses = set(Initiative.objects.filter(source__code="DEMO").values_list("status", flat=True))
    assert {"registered", "in_practice"} <= statuses
    evaluated = Initiative.objects.filter(source__code="DEMO", status__in=["evaluated", "replicated"])
    assert InitiativeEvaluation.objects.filter(initiative__in=evaluated).count() >= evaluated.count()
    assert (
        not InitiativeEvaluation.objects.exclude(initiative__in=evaluated)
        .filter(source__code="DEMO")
        .exists()
    )


def test_some_declared_figures_disagree_with_the_log(db):
    seed_article()
    demo_generate(size=DemoSize(committees=5, cells_per_committee=6, years=3, seed=3, until=UNTIL))
    disagreements = 0
    figures = DeclaredFigure.objects.filter(source__code="DEMO")
    for figure in figures:
        logged = StudySession.objects.filter(
            kind="thematic", unit=figure.unit, year=figure.period_end.year
        ).count()
        disagreements += figure.value != logged
    assert 0 < disagreements < figures.count() / 3


def test_service_figures_keep_their_invariants(demo):
    for figure in ServiceFigure.objects.filter(source__code="DEMO"):
        assert figure.carried_over <= figure.received
        assert figure.on_time <= figure.resolved <= figure.received


def test_purge_removes_exactly_the_demo_rows(demo):
    user_session = make_session(Unit.objects.get(code="STP"), topic="Nhập tay")
    user_unit = make_unit(Unit.objects.get(code="STP"), code="STP-VP", name="Chi bộ Văn phòng")
    demo_purge()
    assert not Source.objects.filter(code="DEMO").exists()
    assert sorted(Unit.objects.values_list("code", flat=True)) == [
        "BDVTU",
        "DBK",
        "HQDN",
        "KBNN",
        "STP",
        "STP-VP",
    ]
    assert sorted(StudySession.objects.values_list("topic", flat=True)) == [
        "Nhập tay",
        "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa",
    ]
    assert Official.objects.count() == 3
    assert MemberCount.objects.count() == 0
    assert user_session.pk and user_unit.pk


def test_purge_refuses_and_removes_nothing_when_real_records_use_demo_units(demo, capsys):
    make_session(Unit.objects.get(code="DEMO-001-01"), topic="Buổi thật trong chi bộ mẫu")
    sessions = StudySession.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("purge_demo")
    assert str(caught.value).startswith("Không xóa gì:")
    assert StudySession.objects.count() == sessions
    assert Source.objects.filter(code="DEMO").exists()


def test_second_generation_is_refused_unless_replacing(demo):
    with pytest.raises(CommandError):
        call_command("generate_demo", committees=1, cells_per_committee=1, years=1, until=UNTIL)
    call_command("generate_demo", committees=1, cells_per_committee=1, years=1, until=UNTIL, replace=True)
    assert Unit.objects.filter(source__code="DEMO").count() == 2


def test_generation_seeds_an_empty_database_first(db, capsys):
    call_command("generate_demo", committees=2, cells_per_committee=2, years=1, seed=1, until=UNTIL)
    assert Unit.objects.get(code="DBK").children.filter(source__code="DEMO").count() == 2
    assert "Đã sinh dữ liệu mẫu trong" in capsys.readouterr().out


def test_purge_with_nothing_to_remove(db, capsys):
    call_command("purge_demo")
    assert capsys.readouterr().out == "Không có dữ liệu mẫu để xóa.\n"


def test_purge_refuses_when_a_real_session_uses_a_demo_theme(demo):
    from activities.models import Theme

    theme = Theme.objects.filter(source__code="DEMO").first()
    make_session(Unit.objects.get(code="STP"), theme=theme, topic="Buổi thật, chuyên đề mẫu")
    with pytest.raises(DemoInUse) as caught:
        demo_purge()
    assert caught.value.models == ["buổi sinh hoạt"]
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_purge_leaves_the_history_of_real_rows(demo):
    from units.models import Unit as U

    stp = U.objects.get(code="STP")
    stp.name = "Đảng bộ Sở Tư pháp (sửa)"
    stp.save()
    before = U.history.count()
    demo_purge()
    assert U.history.count() == before


@pytest.fixture
def meetings_demo(db):
    """A small bloc up to the end of 2025: its last two quarters follow the 2025 rules."""
    seed_article()
    demo_generate(
        size=DemoSize(committees=2, cells_per_committee=5, years=1, seed=1, until=datetime.date(2025, 12, 31))
    )


def test_the_registers_roll_calls_and_figures_agree(meetings_demo):
    from members.models import Attendance, Member

    sessions = StudySession.objects.filter(unit__code__startswith="DEMO-", attended__isnull=False)
    marks = {
        row["session"]: row
        for row in Attendance.objects.values("session").annotate(
            rows=Count("pk"),
            present=Count("pk", filter=Q(status="present")),
            called=Count("pk", filter=~Q(status="exempt")),
            excused=Count("pk", filter=Q(status="excused")),
            unexcused=Count("pk", filter=Q(status="unexcused")),
        )
    }
    registers = dict(Member.objects.values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    called = [s for s in sessions if s.pk in marks]

    # Every session of a cell with a register has its roll call, a row per member, and its figures from it.
    assert called and all(s.unit_id in registers for s in called)
    assert [s for s in sessions if s.unit_id in registers and s.pk not in marks] == []
    assert {s.pk: marks[s.pk]["rows"] for s in called} == {s.pk: registers[s.unit_id] for s in called}
    assert {s.pk: (s.attended, s.expected, s.absent_excused, s.absent_unexcused) for s in called} == {
        s.pk: (m["present"], m["called"], m["excused"], m["unexcused"]) for s in called for m in [marks[s.pk]]
    }
    # A leave always has its reason.
    assert Attendance.objects.filter(status="excused", reason="").count() == 0


def test_the_meetings_since_the_2025_rules_fill_every_new_column(meetings_demo, capsys):
    from activities.models import MeetingScore, MeetingTask, SessionTally

    totals = SessionTally.objects.filter(year=2025, quarter__in=[3, 4]).aggregate(
        roll=Sum("roll_expected"),
        short=Sum("short_meetings"),
        late=Sum("late_documents"),
        graded=Sum("grade_good") + Sum("grade_fair") + Sum("grade_average") + Sum("grade_poor"),
    )
    before_rules = StudySession.objects.filter(date__lt=datetime.date(2025, 7, 23))

    assert all(value > 0 for value in totals.values()), totals
    assert before_rules.filter(starts_at__isnull=False).count() == 0
    assert MeetingTask.objects.filter(session__date__lt=datetime.date(2025, 7, 23)).count() == 0
    assert MeetingScore.objects.exists()
    # What was stored is what the rules give: counting and scoring again change nothing.
    call_command("recount_sessions")
    call_command("rescore_meetings")
    out = capsys.readouterr().out
    assert "; 0 khác với số đã lưu." in out
    assert (
        "Đã tính lại các buổi họp: 0 buổi đổi đánh giá thời lượng hoặc đăng tài liệu, 0 buổi đổi điểm" in out
    )


def test_purge_removes_the_registers_and_roll_calls_too(meetings_demo):
    from activities.models import MeetingScore, MeetingTask
    from members.models import Attendance, Member, MemberStatus

    demo_purge()

    assert [
        model.objects.count() for model in (Member, MemberStatus, Attendance, MeetingTask, MeetingScore)
    ] == [0, 0, 0, 0, 0]
