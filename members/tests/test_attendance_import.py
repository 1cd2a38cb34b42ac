"""
The roll call through the admin's import and export: an exported file imports back
unchanged; a new file sets the meetings' figures and scores; every wrong cell is named
by row and column and nothing is written; exporting the roll calls needs its own permission.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from members.models import Attendance
from members.services import attendance_record
from members.tests.factories import make_member
from units.models import Role
from units.services import user_grant

IMPORT_URL = reverse("admin:members_attendance_import")
CONFIRM_URL = reverse("admin:members_attendance_process_import")
EXPORT_URL = reverse("admin:members_attendance_export")
CSV = "1"
HEADERS = [
    "Mã chi bộ",
    "Ngày họp",
    "Loại buổi",
    "Chủ đề",
    "Số thẻ đảng viên",
    "Họ và tên",
    "Tình trạng",
    "Lý do",
]
MONTHLY = StudySession.Kind.MONTHLY
Status = Attendance.Status


@pytest.fixture
def cell(tree):
    """STP-VP with four members and two monthly meetings, and a user of STP who may export roll calls."""
    unit = tree["STP-VP"]
    members = [
        make_member(unit, full_name=name, card_number=number)
        for name, number in [
            ("An", "79400001"),
            ("Bình", "79400002"),
            ("Cường", "79400003"),
            ("Dũng", "79400004"),
        ]
    ]
    make_member(tree["KBNN-1"], full_name="Khánh", card_number="79400009")
    january = make_session(
        unit, kind=MONTHLY, date=datetime.date(2025, 1, 6), topic="Tháng 1", attended=4, expected=4
    )
    make_session(unit, kind=MONTHLY, date=datetime.date(2025, 2, 3), topic="Tháng 2", attended=3, expected=4)
    attendance_record(
        session=january,
        marks={
            member: (Status.EXCUSED, "Công tác") if member.full_name == "Bình" else (Status.PRESENT, "")
            for member in members
        },
    )
    alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    alice.user_permissions.add(Permission.objects.get(codename="export_attendance"))
    return {"unit": unit, "alice": type(alice).objects.get(pk=alice.pk)}


def csv_upload(rows, headers=HEADERS):
    lines = [",".join(headers)] + [",".join(f'"{value}"' for value in values) for values in rows]
    return SimpleUploadedFile("diem-danh.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def preview_of(client, upload):
    return client.post(IMPORT_URL, {"import_file": upload, "format": CSV, "resource": "0"})


def figures(topic):
    session = StudySession.objects.get(topic=topic)
    return (session.attended, session.expected, session.absent_excused, session.absent_unexcused)


def test_the_roll_calls_export_then_import_back_unchanged(client, cell):
    client.force_login(cell["alice"])

    exported = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})
    text = b"".join(exported.streaming_content).decode("utf-8-sig")

    assert text.splitlines() == [
        '"Mã chi bộ","Ngày họp","Loại buổi","Chủ đề","Số thẻ đảng viên","Họ và tên","Tình trạng","Lý do"',
        '"STP-VP","06/01/2025","Sinh hoạt định kỳ","Tháng 1","79400001","An","Có mặt",""',
        '"STP-VP","06/01/2025","Sinh hoạt định kỳ","Tháng 1","79400002","Bình","Vắng có lý do","Công tác"',
        '"STP-VP","06/01/2025","Sinh hoạt định kỳ","Tháng 1","79400003","Cường","Có mặt",""',
        '"STP-VP","06/01/2025","Sinh hoạt định kỳ","Tháng 1","79400004","Dũng","Có mặt",""',
    ]
    again = preview_of(client, SimpleUploadedFile("diem-danh.csv", text.encode("utf-8")))
    totals = again.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 4)


def test_a_roll_call_file_sets_the_meetings_figures(client, cell):
    client.force_login(cell["alice"])
    rows = [
        ["STP-VP", "03/02/2025", "", "", "79400001", "", "Có mặt", ""],
        ["STP-VP", "03/02/2025", "", "", "79400002", "", "Vắng không lý do", ""],
        ["STP-VP", "03/02/2025", "", "", "79400003", "", "vắng có lý do", "Ốm"],
        ["STP-VP", "03/02/2025", "", "", "79400004", "", "Miễn sinh hoạt", ""],
        # Bình was in fact present in January.
        ["STP-VP", "06/01/2025", "Sinh hoạt định kỳ", "", "79400002", "", "Có mặt", ""],
    ]

    preview = preview_of(client, csv_upload(rows))
    confirmed = client.post(CONFIRM_URL, {**preview.context["confirm_form"].initial, "resource": "0"})

    assert confirmed.status_code == 302
    assert figures("Tháng 2") == (1, 3, 1, 1)
    assert figures("Tháng 1") == (4, 4, 0, 0)


def test_every_wrong_cell_is_named_and_nothing_is_written(client, cell):
    client.force_login(cell["alice"])
    rows = [
        ["STP-VP", "04/03/2025", "", "", "79400001", "", "Có mặt", ""],  # no meeting that day
        ["STP-VP", "31/02/2025", "", "", "79400001", "", "Có mặt", ""],
        ["STP-VP", "03/02/2025", "", "", "79400009", "", "Có mặt", ""],  # another unit's member
        ["STP-VP", "03/02/2025", "", "", "79400003", "", "Vắng có lý do", ""],
        ["STP-VP", "03/02/2025", "", "", "79400004", "", "Đi muộn", ""],
        ["KBNN-1", "03/02/2025", "", "", "79400001", "", "Có mặt", ""],
        ["STP-VP", "03/02/2025", "", "", "", "", "Có mặt", ""],
        ["STP-VP", "", "", "", "79400002", "", "Có mặt", ""],
    ]

    preview = preview_of(client, csv_upload(rows))

    errors = sorted(
        (row.number, column, message)
        for row in preview.context["result"].invalid_rows
        for column, messages in row.error_dict.items()
        for message in messages
    )
    assert errors == [
        (
            2,
            "Ngày họp",
            "STP-VP không có buổi sinh hoạt nào ngày 04/03/2025: hãy ghi buổi họp trước, rồi điểm danh.",
        ),
        (3, "Ngày họp", "“31/02/2025” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."),
        (4, "Số thẻ đảng viên", "Không có đảng viên nào trong các đơn vị của bạn có số thẻ “79400009”."),
        (5, "Lý do", "Hãy ghi lý do vắng có lý do."),
        (
            6,
            "Tình trạng",
            "“Đi muộn” không phải là một trong: Có mặt, Vắng có lý do, Vắng không lý do, Miễn sinh hoạt.",
        ),
        (
            7,
            "Mã chi bộ",
            "Tổ chức đảng “KBNN-1” không thuộc các đơn vị của bạn: bạn không được nhập dữ liệu cho đơn vị này.",
        ),
        (8, "Số thẻ đảng viên", "Cột này không được để trống."),
        (9, "Ngày họp", "Cột này không được để trống."),
    ]
    assert preview.context.get("confirm_form") is None
    assert Attendance.objects.filter(session__topic="Tháng 2").count() == 0


def test_exporting_roll_calls_needs_its_own_permission(client, cell, tree):
    bob = user_grant(username="bob", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(bob)

    refused = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})

    assert (refused.status_code, bob.has_perm("members.import_attendance")) == (403, True)


def test_a_roll_call_row_deleted_in_the_admin_recounts_its_meeting(client, cell):
    client.force_login(cell["alice"])
    row = Attendance.objects.get(member__full_name="Bình", session__topic="Tháng 1")

    response = client.post(reverse("admin:members_attendance_delete", args=[row.pk]), {"post": "yes"})

    # Three present of three called, the leave gone with its row.
    assert (response.status_code, figures("Tháng 1")) == (302, (3, 3, 0, 0))
