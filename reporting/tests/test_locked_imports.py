"""Every import refuses rows of an accepted quarter beside their date, and writes nothing; an unchanged row passes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import InitiativeEvaluation, Outreach
from activities.tests.factories import make_evaluation, make_initiative, make_session
from activities.tests.test_import_export import errors_of
from members.models import Attendance
from members.tests.factories import make_member
from reporting import services
from reporting.periods import Period

pytestmark = pytest.mark.django_db

LOCK = (
    "Báo cáo Quý IV/2026 của Chi bộ VP STP — Đảng bộ Sở Tư pháp đã được duyệt ngày 03/01/2027 "
    "(người duyệt: boss): số liệu của kỳ này đã khóa. Chỉ quản trị viên đảng bộ mới có thể mở lại kỳ này "
    "cho đơn vị (cấp ngoại lệ khóa sổ)."
)


def csv(headers, *rows):
    lines = [",".join(headers)] + [",".join(f'"{value}"' for value in row) for row in rows]
    return SimpleUploadedFile("tep.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def preview(client, model, upload):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    return client.post(url, {"import_file": upload, "format": "1", "resource": "0"})


@pytest.fixture
def accepted(client, tree, people, clock):
    """STP-VP's quarter IV/2026 accepted, with a meeting, a member and a good model evaluated in it."""
    unit = tree["STP-VP"]
    meeting = make_session(unit, kind="monthly", date=datetime.date(2026, 11, 2), topic="Tháng 11")
    make_member(unit, full_name="An", card_number="79400001")
    initiative = make_initiative(unit, title="Một cửa thân thiện")
    make_evaluation(initiative, evaluated_on=datetime.date(2026, 12, 1), evaluator="Đảng ủy", result="Tốt")
    period = Period(2026, "quarter", 4)
    services.submit(unit=unit, period=period, user=people["boss"])
    services.accept(unit=unit, period=period, user=people["boss"])
    client.force_login(people["boss"])
    return meeting


def test_outreach_of_the_locked_quarter_is_refused(client, accepted):
    upload = csv(
        ["Mã đơn vị", "Kênh", "Tiêu đề", "Ngày đăng", "Thường xuyên", "Đường dẫn", "Mô tả"],
        ["STP-VP", "Mạng xã hội", "Bài tháng 12", "05/12/2026", "Không", "", ""],
        ["STP-VP", "Mạng xã hội", "Bài tháng 1", "05/01/2027", "Không", "", ""],
    )
    response = preview(client, Outreach, upload)
    assert errors_of(response) == [(2, "Ngày đăng", LOCK)]
    assert Outreach.objects.count() == 0


def test_a_new_evaluation_in_the_locked_quarter_is_refused_an_unchanged_one_passes(client, accepted):
    headers = ["Mã đơn vị", "Tên mô hình", "Nhóm", "Ngày đánh giá", "Cơ quan đánh giá", "Kết luận đánh giá"]
    upload = csv(
        headers,
        ["STP-VP", "Một cửa thân thiện", "Cải cách hành chính", "01/12/2026", "Đảng ủy", "Tốt"],
        ["STP-VP", "Một cửa thân thiện", "Cải cách hành chính", "15/12/2026", "Chi ủy", "Khá"],
    )
    response = preview(client, InitiativeEvaluation.initiative.field.related_model, upload)
    assert errors_of(response) == [(3, "Ngày đánh giá", LOCK)]
    assert InitiativeEvaluation.objects.count() == 1


def test_a_roll_call_of_a_locked_meeting_is_refused(client, accepted):
    upload = csv(
        [
            "Mã chi bộ",
            "Ngày họp",
            "Loại buổi",
            "Chủ đề",
            "Số thẻ đảng viên",
            "Họ và tên",
            "Tình trạng",
            "Lý do",
        ],
        ["STP-VP", "02/11/2026", "", "", "79400001", "", "Có mặt", ""],
    )
    response = preview(client, Attendance, upload)
    assert errors_of(response) == [(2, "Ngày họp", LOCK)]
    assert Attendance.objects.count() == 0
