"""
A list of members, and a meeting's roll call, as an office saves them: LibreOffice
Calc's XLSX and CSV (UTF-8 and Windows-1258).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from tracker.tests.office import Sheet, save_as
from units.models import Role
from units.services import user_grant

IMPORT_URL = reverse("admin:members_member_import")
CONFIRM_URL = reverse("admin:members_member_process_import")
SHEETS = {
    "members": Sheet(
        # As a secretary types it: a row-number column, the card number as a number, real dates.
        header=(
            "STT",
            "Mã chi bộ",
            "Số thẻ đảng viên",
            "Họ và tên",
            "Ngày sinh",
            "Ngày vào Đảng",
            "Ngày chính thức",
        ),
        rows=(
            (
                1,
                "STP-VP",
                79012345,
                "Nguyễn Thị Hằng",
                datetime.date(1984, 8, 15),
                datetime.date(2010, 2, 3),
                datetime.date(2011, 2, 3),
            ),
            (
                2,
                "stp-tt",
                "79012346",
                "Lê Văn Đức",
                datetime.date(1990, 1, 9),
                datetime.date(2015, 5, 19),
                None,
            ),
        ),
        title="DANH SÁCH ĐẢNG VIÊN CHI BỘ",
        bordered_empty_rows=20,
    ),
    "roll_call": Sheet(
        # The attendance sheet of a meeting: the day as a date, card numbers as numbers.
        header=("STT", "Mã chi bộ", "Ngày họp", "Số thẻ đảng viên", "Họ và tên", "Tình trạng", "Lý do"),
        rows=(
            (1, "STP-VP", datetime.date(2025, 3, 3), 79500001, "Trần Văn An", "có mặt", None),
            (
                2,
                "STP-VP",
                datetime.date(2025, 3, 3),
                79500002,
                "Phạm Thị Bình",
                "Vắng có lý do",
                "Đi công tác",
            ),
            (3, "STP-VP", datetime.date(2025, 3, 3), 79500003, "Hồ Văn Cường", "VẮNG KHÔNG LÝ DO", None),
        ),
        title="ĐIỂM DANH SINH HOẠT CHI BỘ THÁNG 3/2025",
        bordered_empty_rows=20,
    ),
}


@pytest.fixture(scope="session")
def office_files(tmp_path_factory):
    return save_as(SHEETS, tmp_path_factory.mktemp("office-members"))


@pytest.mark.parametrize("target", ["xlsx", "utf8.csv", "cp1258.csv"])
def test_a_list_of_members_saved_by_calc_is_imported_whole(client, tree, office_files, target):
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    suffix = "xlsx" if target == "xlsx" else "csv"
    upload = SimpleUploadedFile(f"dang-vien.{suffix}", office_files[("members", target)])

    preview = client.post(
        IMPORT_URL, {"import_file": upload, "format": "0" if target == "xlsx" else "1", "resource": "0"}
    )
    assert preview.context.get("confirm_form") is not None, [
        row.error_dict for row in preview.context["result"].invalid_rows
    ]
    confirmed = client.post(CONFIRM_URL, {**preview.context["confirm_form"].initial, "resource": "0"})

    assert confirmed.status_code == 302
    assert list(
        Member.objects.order_by("card_number").values_list(
            "unit__code", "card_number", "full_name", "born_on", "joined_on", "official_on"
        )
    ) == [
        (
            "STP-VP",
            "79012345",
            "Nguyễn Thị Hằng",
            datetime.date(1984, 8, 15),
            datetime.date(2010, 2, 3),
            datetime.date(2011, 2, 3),
        ),
        ("STP-TT", "79012346", "Lê Văn Đức", datetime.date(1990, 1, 9), datetime.date(2015, 5, 19), None),
    ]


@pytest.mark.parametrize("target", ["xlsx", "utf8.csv", "cp1258.csv"])
def test_a_roll_call_saved_by_calc_is_imported_whole(client, tree, office_files, target):
    from activities.models import StudySession
    from activities.tests.factories import make_session
    from members.models import Attendance
    from members.tests.factories import make_member

    for number, name in [(79500001, "Trần Văn An"), (79500002, "Phạm Thị Bình"), (79500003, "Hồ Văn Cường")]:
        make_member(tree["STP-VP"], card_number=str(number), full_name=name)
    meeting = make_session(tree["STP-VP"], kind=StudySession.Kind.MONTHLY, date=datetime.date(2025, 3, 3))
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    suffix = "xlsx" if target == "xlsx" else "csv"
    upload = SimpleUploadedFile(f"diem-danh.{suffix}", office_files[("roll_call", target)])

    preview = client.post(
        reverse("admin:members_attendance_import"),
        {"import_file": upload, "format": "0" if target == "xlsx" else "1", "resource": "0"},
    )
    assert preview.context.get("confirm_form") is not None, [
        row.error_dict for row in preview.context["result"].invalid_rows
    ]
    confirmed = client.post(
        reverse("admin:members_attendance_process_import"),
        {**preview.context["confirm_form"].initial, "resource": "0"},
    )

    meeting.refresh_from_db()
    assert confirmed.status_code == 302
    assert list(
        Attendance.objects.order_by("member__card_number").values_list(
            "member__full_name", "status", "reason"
        )
    ) == [
        ("Trần Văn An", "present", ""),
        ("Phạm Thị Bình", "excused", "Đi công tác"),
        ("Hồ Văn Cường", "unexcused", ""),
    ]
    assert (meeting.attended, meeting.expected, meeting.absent_excused, meeting.absent_unexcused) == (
        1,
        3,
        1,
        1,
    )
