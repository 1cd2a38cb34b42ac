"""`send_reminders`: each message once, to the right people, with the right words; home pages show them too."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from activities.tests.factories import make_session
from reporting import services
from reporting.models import EmailPreference, Notice
from reporting.periods import Period
from units.models import Role
from units.services import user_grant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]

Q4 = Period(2026, "quarter", 4)
SITE = "https://theodoi.example.vn"


@pytest.fixture
def site():
    with override_settings(SITE_URL=SITE, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


@pytest.fixture
def cells(tree, people, clock):
    def secretary(name, code):
        user = user_grant(username=name, unit_code=code, role=Role.UNIT_EDITOR)[0]
        user.email = f"{name}@example.vn"
        user.save(update_fields=["email"])
        return user

    kb1 = secretary("kb1", "KBNN-1")
    EmailPreference.objects.create(user=kb1, reminders=False)
    secretary("bdv", "BDV")
    # BDV's report, returned on New Year's Day.
    clock.set(2027, 1, 1, 15, 0)
    make_session(tree["BDV"], date=datetime.date(2026, 10, 5))
    services.submit(unit=tree["BDV"], period=Q4, user=people["boss"])
    services.return_(unit=tree["BDV"], period=Q4, user=people["boss"], reason="Thiếu số liệu tháng 12.")
    mail.outbox = []
    return tree


def run():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip()


def sent():
    return [(message.to, message.subject, message.body) for message in mail.outbox]


def test_three_days_before_the_deadline_and_a_return_and_the_weekly_summary_each_once(
    client, cells, clock, people
):
    clock.set(2027, 1, 2, 9, 0)  # a Saturday; cells' reports for quarter IV are due by 05/01
    assert run() == "Đã ghi 5 thông báo, đã gửi 4 thư."
    assert run() == "Đã ghi 0 thông báo, đã gửi 0 thư."
    weekly = (
        "Quá hạn, chưa nộp (0):\n\n"
        "Bị trả lại, chờ nộp lại (1):\n"
        "- Chi bộ Ban Dân vận Tỉnh ủy: Quý IV/2026 — Thiếu số liệu tháng 12.\n\n"
        "Đã nộp hoặc đã xét trong bảy ngày qua (1):\n"
        "- Chi bộ Ban Dân vận Tỉnh ủy: Quý IV/2026 — bị trả lại\n\n"
        f"Xem đơn vị đã nộp, chưa nộp: {SITE}/reporting/2026-q4/"
    )
    assert sent() == [
        (
            ["sec@example.vn"],
            "Sắp đến hạn nộp báo cáo Quý IV/2026 (hạn 05/01/2027) — Chi bộ VP STP — Đảng bộ Sở Tư pháp",
            "Báo cáo Quý IV/2026 của Chi bộ VP STP — Đảng bộ Sở Tư pháp phải nộp trước hết ngày 05/01/2027 "
            "(còn 3 ngày) và chưa được nộp.\n"
            f"Nộp báo cáo tại trang của đơn vị: {SITE}/units/STP-VP/reports/2026-q4/",
        ),
        (
            ["bdv@example.vn"],
            "Báo cáo Quý IV/2026 bị trả lại — Chi bộ Ban Dân vận Tỉnh ủy",
            "boss đã trả lại báo cáo Quý IV/2026 của Chi bộ Ban Dân vận Tỉnh ủy ngày 01/01/2027. "
            "Lý do: Thiếu số liệu tháng 12.\n"
            f"Sửa và nộp lại tại trang của đơn vị: {SITE}/units/BDV/reports/2026-q4/",
        ),
        (["boss@example.vn"], "Tình hình nộp báo cáo tuần 53/2026 — Đảng bộ Khối các cơ quan tỉnh", weekly),
        (["viewer@example.vn"], "Tình hình nộp báo cáo tuần 53/2026 — Đảng bộ Khối các cơ quan tỉnh", weekly),
    ]
    # The secretary who turned emails off has the message on the home page only.
    notices = Notice.objects.order_by("user__username", "key")
    assert [(n.user.username, n.key, n.emailed_at is not None) for n in notices] == [
        ("bdv", f"returned:{services.submission_of(cells['BDV'], Q4).pk}:2", True),
        ("boss", f"weekly:2026-W53:{cells['BLOC'].pk}", True),
        ("kb1", f"due:2026-q4:{cells['KBNN-1'].pk}", False),
        ("sec", f"due:2026-q4:{cells['STP-VP'].pk}", True),
        ("viewer", f"weekly:2026-W53:{cells['BLOC'].pk}", True),
    ]
    client.force_login(Notice.objects.get(user__username="kb1").user)
    home = client.get("/").content.decode()
    assert (
        "Sắp đến hạn nộp báo cáo Quý IV/2026 (hạn 05/01/2027) — Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh"
        in home
    )


def test_the_day_after_the_deadline_the_late_reminder_once(cells, clock):
    clock.set(2027, 1, 2, 9, 0)
    run()
    mail.outbox = []
    clock.set(2027, 1, 6, 7, 0)  # Wednesday, week 1 of 2027
    run()
    clock.set(2027, 1, 7, 7, 0)
    run()
    late = [message for message in sent() if message[0] == ["sec@example.vn"]]
    assert late[:1] == [
        (
            ["sec@example.vn"],
            "Quá hạn nộp báo cáo Quý IV/2026 — Chi bộ VP STP — Đảng bộ Sở Tư pháp",
            "Báo cáo Quý IV/2026 của Chi bộ VP STP — Đảng bộ Sở Tư pháp phải nộp trước hết ngày 05/01/2027 nhưng "
            "chưa được nộp. Số liệu của kỳ sẽ khóa sau ngày 30/01/2027.\n"
            f"Nộp báo cáo tại trang của đơn vị: {SITE}/units/STP-VP/reports/2026-q4/",
        ),
    ]
    weekly = [message for message in sent() if message[0] == ["boss@example.vn"]]
    assert len(weekly) == 1
    assert weekly[0][1] == "Tình hình nộp báo cáo tuần 1/2027 — Đảng bộ Khối các cơ quan tỉnh"
    assert weekly[0][2].startswith(
        "Quá hạn, chưa nộp (4):\n"
        "- Chi bộ VP STP — Đảng bộ Sở Tư pháp: Quý IV/2026, hạn 05/01/2027\n"
        "- Chi bộ TT STP — Đảng bộ Sở Tư pháp: Quý IV/2026, hạn 05/01/2027\n"
        "- Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh: Quý IV/2026, hạn 05/01/2027\n"
        "- Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh: Quý IV/2026, hạn 05/01/2027\n\n"
    )
    # On 06/01: late to the secretary, the summary to two staff. On 07/01: the year's report to the
    # cells' secretaries who get emails, the committees' quarter report (due 10/01) to the clerk.
    assert [(message[0], message[1]) for message in sent()[3:]] == [
        (["clerk@example.vn"], "Sắp đến hạn nộp báo cáo Quý IV/2026 (hạn 10/01/2027) — Đảng bộ Sở Tư pháp"),
        (
            ["sec@example.vn"],
            "Sắp đến hạn nộp báo cáo Năm 2026 (hạn 10/01/2027) — Chi bộ VP STP — Đảng bộ Sở Tư pháp",
        ),
        (
            ["bdv@example.vn"],
            "Sắp đến hạn nộp báo cáo Năm 2026 (hạn 10/01/2027) — Chi bộ Ban Dân vận Tỉnh ủy",
        ),
    ]
