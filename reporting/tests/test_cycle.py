"""
The reporting cycle through its pages, as its users take it: a cell's secretary
submits, the committee's clerk returns it with a reason and accepts it once
resubmitted; the period is then locked in the admin, the staff form and imports,
each saying which lock it is and who can reopen it; the bloc's administrator
reopens it with a lock exception; the audit history keeps every step.
"""

import datetime

import pytest
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from activities.tests.test_import_export import XLSX, dry_run, errors_of, row, xlsx_file
from reporting.models import LockException, Submission
from tracker.tests.formposts import SESSION_INLINES, form_data

pytestmark = pytest.mark.django_db

PAGE = "/units/STP-VP/reports/2026-q4/"
CELL = "Chi bộ VP STP — Đảng bộ Sở Tư pháp"
ACCEPTED_LOCK = (
    f"Báo cáo Quý IV/2026 của {CELL} đã được duyệt ngày 03/01/2027 (người duyệt: clerk): "
    "số liệu của kỳ này đã khóa. Chỉ quản trị viên đảng bộ mới có thể mở lại kỳ này cho đơn vị "
    "(cấp ngoại lệ khóa sổ)."
)


def post(client, user, action, follow=False, **data):
    client.force_login(user)
    return client.post(PAGE, {"action": action, **data}, follow=follow)


def edit_session(client, user, session, topic):
    """The staff form, as the phone posts it, with a new topic."""
    client.force_login(user)
    url = reverse("activities:session-edit", args=[session.pk])
    data = form_data(client.get(url).content.decode())
    data["topic"] = [topic]
    return client.post(url, data)


def edit_in_admin(client, user, session, topic):
    client.force_login(user)
    url = reverse("admin:activities_studysession_change", args=[session.pk])
    data = form_data(client.get(url).content.decode(), "studysession_form")
    data.update(SESSION_INLINES)
    data["topic"] = [topic]
    return client.post(url, data)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_submit_return_resubmit_accept_lock_reopen_and_the_history(client, tree, people, clock):
    session = make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5), topic="Về đạo đức cách mạng")

    # The secretary sees the report to hand in on the quarter page, and submits it.
    client.force_login(people["sec"])
    quarter_page = client.get("/units/STP-VP/2026/q4/").content.decode()
    assert 'id="submit-2026-q4"' in quarter_page
    assert "hạn nộp 05/01/2027" in quarter_page
    response = post(client, people["sec"], "submit")
    assert response.status_code == 302
    submission = Submission.objects.get(unit=tree["STP-VP"])
    assert (submission.status, submission.submitted_by, submission.on_time, submission.is_empty) == (
        "submitted",
        people["sec"],
        True,
        False,
    )
    assert submission.figures_data["sessions"] == 1
    # A second click changes nothing.
    response = post(client, people["sec"], "submit")
    assert messages_of(client.get(PAGE)) == [
        "Đã nộp báo cáo. Cấp trên sẽ xét duyệt.",
        "Không có gì thay đổi: việc này đã được làm rồi.",
    ]
    assert Submission.history.filter(id=submission.pk).count() == 1

    # Returning needs a reason, said beside the box.
    response = post(client, people["clerk"], "return", reason="  ")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Hãy ghi lý do trả lại báo cáo: đơn vị đọc lý do này để sửa."]
    }
    assert Submission.objects.get().status == "submitted"
    post(client, people["clerk"], "return", reason="Thiếu biên bản sinh hoạt tháng 11.")
    assert Submission.objects.get().status == "returned"

    # The secretary reads the reason on the home page, and submits again: still on time.
    client.force_login(people["sec"])
    home = client.get("/").content.decode()
    assert "Trả lại (người trả: clerk): Thiếu biên bản sinh hoạt tháng 11." in home
    clock.set(2027, 1, 4, 8, 0)
    post(client, people["sec"], "submit")
    clock.set(2027, 1, 3, 10, 0)
    post(client, people["clerk"], "accept")
    submission = Submission.objects.get()
    assert (submission.status, submission.reviewed_by, submission.on_time) == (
        "accepted",
        people["clerk"],
        True,
    )

    # Locked: the staff form, the admin's form and an import refuse, each with the same words.
    response = edit_session(client, people["sec"], session, "Sửa sau khi duyệt")
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [ACCEPTED_LOCK]
    response = edit_in_admin(client, people["boss"], session, "Sửa sau khi duyệt")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [ACCEPTED_LOCK]
    client.force_login(people["boss"])
    response = dry_run(client, xlsx_file([row(date="05/11/2026", topic="Buổi mới trong quý đã duyệt")]), XLSX)
    assert errors_of(response) == [(2, "Ngày", ACCEPTED_LOCK)]
    # Nor can it be deleted, on the staff page or in the admin.
    client.force_login(people["sec"])
    response = client.post(reverse("activities:session-delete", args=[session.pk]), follow=True)
    assert messages_of(response) == [ACCEPTED_LOCK]
    client.force_login(people["boss"])
    response = client.post(
        reverse("admin:activities_studysession_delete", args=[session.pk]), {"post": "yes"}, follow=True
    )
    assert messages_of(response)[-1] == ACCEPTED_LOCK
    assert StudySession.objects.get().topic == "Về đạo đức cách mạng"

    # The bloc's administrator reopens the cell's quarter until 10/01, with a reason.
    response = client.post(
        reverse("admin:reporting_lockexception_add"),
        {
            "unit": tree["STP-VP"].pk,
            "period_kind": "quarter",
            "year": "2026",
            "number": "4",
            "reason": "Chi bộ bổ sung buổi sinh hoạt tháng 11.",
            "until": "10/01/2027",
        },
    )
    assert response.status_code == 302
    exception = LockException.objects.get()
    assert exception.granted_by == people["boss"]
    response = edit_session(client, people["sec"], session, "Về đạo đức cách mạng (bổ sung)")
    assert response.status_code == 302
    assert StudySession.objects.get().topic == "Về đạo đức cách mạng (bổ sung)"

    # The history: the edit by the secretary, the exception by the administrator, every step of the report.
    assert StudySession.history.filter(id=session.pk).first().history_user == people["sec"]
    assert exception.history.get().history_user == people["boss"]
    steps = Submission.history.filter(id=submission.pk).order_by("history_id")
    assert [(step.status, step.history_user.username) for step in steps] == [
        ("submitted", "sec"),
        ("returned", "clerk"),
        ("submitted", "sec"),
        ("accepted", "clerk"),
    ]
    # Once the exception runs out, the lock is back.
    clock.set(2027, 1, 11, 8, 0)
    response = edit_session(client, people["sec"], session, "Sửa lần nữa")
    assert response.context["form"].errors["date"] == [ACCEPTED_LOCK]


def test_who_may_take_each_step(client, tree, people, clock):
    make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5))
    # A viewer cannot submit; the cell's own secretary cannot review its own report.
    response = post(client, people["viewer"], "submit", follow=True)
    assert messages_of(response) == [
        "Chỉ biên tập viên của đơn vị này hoặc của đơn vị cấp trên mới nộp được báo cáo của đơn vị."
    ]
    post(client, people["sec"], "submit", follow=True)
    response = post(client, people["sec"], "accept", follow=True)
    assert messages_of(response) == ["Chỉ cấp trên mới duyệt hoặc trả lại được báo cáo này."]
    assert Submission.objects.get().status == "submitted"
    # Another committee's clerk does not even find the unit.
    from units.models import Role
    from units.services import user_grant

    other = user_grant(username="other", unit_code="KBNN", role=Role.UNIT_EDITOR)[0]
    client.force_login(other)
    assert client.post(PAGE, {"action": "accept"}).status_code == 404
    assert client.get("/units/STP-VP/reports/2026-q9/").status_code == 404
    assert client.get("/units/STP-VP/reports/abc/").status_code == 404


def test_a_committee_is_accepted_once_its_cells_are_accepted_or_excused(client, tree, people, clock):
    make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5))
    make_session(tree["STP-TT"], date=datetime.date(2026, 11, 6))
    post(client, people["sec"], "submit")
    client.force_login(people["clerk"])
    client.post("/units/STP/reports/2026-q4/", {"action": "submit"})
    client.force_login(people["boss"])
    response = client.post("/units/STP/reports/2026-q4/", {"action": "accept"})
    assert response.context["form"].non_field_errors() == [
        "Chưa duyệt được: báo cáo của các đơn vị sau chưa được duyệt hoặc miễn: "
        "Chi bộ VP STP — Đảng bộ Sở Tư pháp, Chi bộ TT STP — Đảng bộ Sở Tư pháp."
    ]
    post(client, people["clerk"], "accept")
    client.force_login(people["clerk"])
    response = client.post("/units/STP-TT/reports/2026-q4/", {"action": "excuse", "reason": ""})
    assert response.context["form"].errors == {"reason": ["Hãy ghi lý do miễn nộp báo cáo cho đơn vị."]}
    client.post("/units/STP-TT/reports/2026-q4/", {"action": "excuse", "reason": "Chi bộ mới sáp nhập."})
    client.force_login(people["boss"])
    response = client.post("/units/STP/reports/2026-q4/", {"action": "accept"})
    assert response.status_code == 302
    assert Submission.objects.get(unit=tree["STP"]).status == "accepted"


def test_the_blocs_acceptance_closes_the_period_for_every_unit(client, tree, people, clock):
    from reporting import services
    from reporting.periods import Period

    session = make_session(tree["KBNN-1"], date=datetime.date(2026, 12, 1))
    period = Period(2026, "quarter", 4)
    boss = people["boss"]
    for code in ("STP", "KBNN", "BDV"):
        services.excuse(unit=tree[code], period=period, user=boss, reason="Thử")
    services.submit(unit=tree["BLOC"], period=period, user=boss)
    services.accept(unit=tree["BLOC"], period=period, user=boss)
    response = edit_in_admin(client, boss, session, "Đổi")
    assert response.context["adminform"].form.errors["date"] == [
        "Đảng bộ đã duyệt báo cáo Quý IV/2026 ngày 03/01/2027 (người duyệt: boss), kỳ báo cáo đã đóng với "
        "mọi đơn vị: số liệu này đã khóa. Chỉ quản trị viên đảng bộ mới có thể mở lại kỳ này cho đơn vị "
        "(cấp ngoại lệ khóa sổ)."
    ]


def test_after_the_closing_date_the_records_are_locked_even_unsubmitted(client, tree, people, clock):
    session = make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5))
    clock.set(2027, 1, 30, 23, 59)  # the last day: still open
    assert edit_session(client, people["sec"], session, "Còn kịp").status_code == 302
    clock.set(2027, 1, 31, 0, 1)
    response = edit_session(client, people["sec"], session, "Muộn rồi")
    assert response.context["form"].errors["date"] == [
        f"Quý IV/2026 của {CELL} đã qua ngày khóa sổ 30/01/2027: số liệu đã khóa. Chỉ quản trị viên đảng bộ "
        "mới có thể mở lại kỳ này cho đơn vị (cấp ngoại lệ khóa sổ)."
    ]
    # A quarter from before the cycle (no deadline) never closes by date.
    old = make_session(tree["STP-VP"], date=datetime.date(2026, 8, 5))
    assert edit_session(client, people["sec"], old, "Quý III vẫn sửa được").status_code == 302


def test_on_time_is_decided_on_the_deadline_in_local_time(tree, people, clock):
    from reporting import services
    from reporting.periods import Period

    period = Period(2026, "quarter", 4)
    clock.set(2027, 1, 5, 23, 59)  # 16:59 UTC: still 5 January in Hanoi
    on_time, _ = services.submit(unit=tree["STP-VP"], period=period, user=people["boss"])
    clock.set(2027, 1, 6, 0, 1)  # 17:01 UTC on 5 January, but 6 January in Hanoi
    late, _ = services.submit(unit=tree["STP-TT"], period=period, user=people["boss"])
    assert (on_time.deadline, on_time.on_time) == (datetime.date(2027, 1, 5), True)
    assert (late.deadline, late.on_time) == (datetime.date(2027, 1, 5), False)


def test_one_lock_book_reads_units_and_years_in_any_order(tree, people, clock):
    """A book asked about several units and years answers each as a fresh one would."""
    from reporting import services
    from reporting.locks import LockBook
    from reporting.periods import Period
    from tracker.periods import Quarter

    boss = people["boss"]
    for code, year in (("STP-VP", 2026), ("STP-TT", 2025)):
        period = Period(year, "quarter", 4)
        services.submit(unit=tree[code], period=period, user=boss)
        services.accept(unit=tree[code], period=period, user=boss)
    book = LockBook()
    book.preload_units([tree["STP-VP"]])
    asked = [(code, Quarter(year, 4)) for code in ("STP-VP", "STP-TT") for year in (2025, 2026)]
    found = [(code, quarter.year, book.lock_of(tree[code], quarter) is not None) for code, quarter in asked]
    assert found == [
        ("STP-VP", 2025, False),
        ("STP-VP", 2026, True),
        ("STP-TT", 2025, True),
        ("STP-TT", 2026, False),
    ]
    assert [LockBook().lock_of(tree[code], quarter) is not None for code, quarter in asked] == [
        False,
        True,
        True,
        False,
    ]
