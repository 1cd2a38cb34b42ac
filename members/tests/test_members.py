"""
The register of members: its rules in the database and in forms, who is on the
register and exempt on a day, who sees members, who may export them, and the
round trip of the list through the admin's import and export.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import Member, MemberStatus
from members.tests.factories import make_member, make_member_status
from units.models import Role
from units.services import user_grant

Status = MemberStatus.Kind
LIST_URL = reverse("admin:members_member_changelist")
IMPORT_URL = reverse("admin:members_member_import")
CONFIRM_URL = reverse("admin:members_member_process_import")
EXPORT_URL = reverse("admin:members_member_export")
CSV = "1"
HEADERS = [
    "Mã chi bộ",
    "Số thẻ đảng viên",
    "Họ và tên",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Ghi chú",
]


def refused(obj):
    """The database's answer to saving `obj` as it is, without Django's checks."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"born_on": datetime.date(2010, 1, 1), "joined_on": datetime.date(2009, 1, 1)},
            "joined_on",
            "Ngày vào Đảng phải sau ngày sinh.",
        ),
        (
            {"joined_on": datetime.date(2012, 1, 1), "official_on": datetime.date(2011, 6, 1)},
            "official_on",
            "Ngày chính thức không thể trước ngày vào Đảng.",
        ),
        ({"full_name": ""}, "full_name", "Trường này không được để trắng."),
    ],
)
def test_a_members_dates_and_name_are_checked_by_the_database_and_the_form(tree, fields, field, message):
    member = make_member(tree["STP-VP"])
    for name, value in fields.items():
        setattr(member, name, value)

    with pytest.raises(ValidationError) as error:
        member.full_clean()

    assert error.value.message_dict[field] == [message]
    assert refused(member)


def test_a_card_number_is_digits_and_belongs_to_one_member(tree):
    make_member(tree["STP-VP"], card_number="79000123")
    other = Member(unit=tree["KBNN-1"], card_number="79000123", full_name="Trần Thị Bình")
    malformed = Member(unit=tree["KBNN-1"], card_number="79.000 124", full_name="Lê Văn Cường")

    with pytest.raises(ValidationError) as taken:
        other.full_clean()
    with pytest.raises(ValidationError) as bad:
        malformed.full_clean()

    assert taken.value.message_dict["card_number"] == ["Đã có đảng viên khác mang số thẻ đảng viên này."]
    assert bad.value.message_dict["card_number"] == [
        "Số thẻ đảng viên gồm 6 đến 12 chữ số, không có dấu cách hay dấu chấm."
    ]
    assert refused(other)


def test_a_member_belongs_to_a_cell_not_a_committee(tree):
    member = Member(unit=tree["STP"], card_number="79000200", full_name="Phạm Văn Dũng")

    with pytest.raises(ValidationError) as error:
        member.full_clean()

    assert error.value.message_dict["unit"] == ["Đảng viên thuộc một chi bộ, không thuộc đảng bộ."]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": Status.EXEMPT, "reason": ""}, "reason", "Hãy ghi lý do miễn sinh hoạt."),
        (
            {"kind": Status.TRANSFERRED_OUT, "ends_on": datetime.date(2024, 5, 1)},
            "ends_on",
            "Chỉ miễn sinh hoạt mới có ngày kết thúc.",
        ),
        (
            {"starts_on": datetime.date(2024, 5, 1), "ends_on": datetime.date(2024, 4, 30)},
            "ends_on",
            "Ngày kết thúc không thể trước ngày bắt đầu.",
        ),
        ({"kind": "retired"}, "kind", "Giá trị 'retired' không phải là lựa chọn hợp lệ."),
    ],
)
def test_a_status_is_checked_by_the_database_and_the_form(tree, fields, field, message):
    status = make_member_status(make_member(tree["STP-VP"]))
    for name, value in fields.items():
        setattr(status, name, value)

    with pytest.raises(ValidationError) as error:
        status.full_clean()

    assert error.value.message_dict[field] == [message]
    assert refused(status)


def test_the_register_on_a_day_follows_joining_transfers_exemptions_and_deaths(tree):
    cell = tree["STP-VP"]
    an = make_member(cell, full_name="An", joined_on=datetime.date(2010, 1, 1))
    binh = make_member(
        cell, full_name="Bình", joined_on=datetime.date(2024, 7, 1), official_on=None
    )  # joins mid-year
    cuong = make_member(cell, full_name="Cường")
    make_member_status(cuong, kind=Status.TRANSFERRED_OUT, starts_on=datetime.date(2024, 3, 15), ends_on=None)
    dung = make_member(cell, full_name="Dũng")
    make_member_status(dung, kind=Status.TRANSFERRED_IN, starts_on=datetime.date(2024, 5, 2), ends_on=None)
    em = make_member(cell, full_name="Em")
    make_member_status(em, kind=Status.DECEASED, starts_on=datetime.date(2024, 8, 9), ends_on=None)
    make_member_status(an, starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2024, 6, 30))
    make_member_status(em, starts_on=datetime.date(2024, 1, 1), ends_on=None)

    def names(queryset):
        return sorted(queryset.values_list("full_name", flat=True))

    assert names(Member.objects.on_register(datetime.date(2024, 2, 1))) == ["An", "Cường", "Em"]
    assert names(Member.objects.on_register(datetime.date(2024, 6, 1))) == ["An", "Dũng", "Em"]
    assert names(Member.objects.on_register(datetime.date(2024, 9, 1))) == ["An", "Bình", "Dũng"]
    assert names(Member.objects.exempt_on(datetime.date(2024, 6, 30))) == ["An", "Em"]
    assert names(Member.objects.exempt_on(datetime.date(2024, 7, 1))) == ["Em"]
    assert binh.statuses.count() == 0


@pytest.fixture
def people(tree):
    make_member(tree["STP-VP"], full_name="Nguyễn Văn ALICEMEMBER", card_number="79100001")
    make_member(tree["KBNN-1"], full_name="Trần Thị BOBMEMBER", card_number="79100002")
    make_member(tree["BDV"], full_name="Lê Văn BDVMEMBER", card_number="79100003")
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "carol": user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("alice", ["Nguyễn Văn ALICEMEMBER"]),
        ("bob", ["Trần Thị BOBMEMBER"]),
        ("carol", ["Lê Văn BDVMEMBER", "Nguyễn Văn ALICEMEMBER", "Trần Thị BOBMEMBER"]),
    ],
)
def test_each_user_sees_the_members_of_their_subtree_only(client, people, user, sees):
    client.force_login(people[user])

    page = client.get(LIST_URL).content.decode()

    shown = sorted(
        name for name in ["Nguyễn Văn ALICEMEMBER", "Trần Thị BOBMEMBER", "Lê Văn BDVMEMBER"] if name in page
    )
    assert shown == sees
    assert (
        list(
            Member.objects.visible_to(people[user]).order_by("full_name").values_list("full_name", flat=True)
        )
        == sees
    )


def test_another_units_member_is_not_found_by_its_id(client, people):
    bobs = Member.objects.get(card_number="79100002")
    client.force_login(people["alice"])

    response = client.get(reverse("admin:members_member_change", args=[bobs.pk]))

    assert response.status_code == 302
    assert "BOBMEMBER" not in client.get(response["Location"]).content.decode()


def test_exporting_members_needs_its_own_permission(client, people):
    alice = people["alice"]
    client.force_login(alice)

    refused_export = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})
    assert refused_export.status_code == 403
    assert not alice.has_perm("members.export_member")

    alice.user_permissions.add(Permission.objects.get(codename="export_member"))
    alice = type(alice).objects.get(pk=alice.pk)  # the permission cache is per instance
    client.force_login(alice)
    allowed = client.post(EXPORT_URL, {"format": CSV, "resource": "0", "export_items": []})

    text = b"".join(allowed.streaming_content).decode("utf-8-sig")
    assert allowed.status_code == 200
    assert text.splitlines() == [
        '"Mã chi bộ","Tên đơn vị","Đơn vị cấp trên","Số thẻ đảng viên","Họ và tên","Ngày sinh",'
        '"Ngày vào Đảng","Ngày chính thức","Ghi chú"',
        '"STP-VP","Chi bộ VP STP","Đảng bộ Sở Tư pháp","79100001","Nguyễn Văn ALICEMEMBER","01/01/1985",'
        '"03/02/2010","03/02/2011",""',
    ]


def csv_upload(rows):
    lines = [",".join(HEADERS)] + [",".join(f'"{value}"' for value in values) for values in rows]
    return SimpleUploadedFile("dang-vien.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def test_a_list_of_members_imports_then_imports_again_unchanged(client, people):
    client.force_login(people["alice"])
    rows = [
        ["STP-VP", "79200001", "Hoàng Văn Giang", "12/03/1980", "19/05/2005", "19/05/2006", ""],
        ["STP-TT", "79200002", "Vũ Thị Hoa", "", "", "", "Chuyển từ chi bộ khác"],
    ]

    preview = client.post(IMPORT_URL, {"import_file": csv_upload(rows), "format": CSV, "resource": "0"})
    confirmed = client.post(CONFIRM_URL, {**preview.context["confirm_form"].initial, "resource": "0"})

    assert confirmed.status_code == 302
    giang = Member.objects.get(card_number="79200001")
    assert (giang.unit.code, giang.full_name, giang.born_on, giang.joined_on, giang.official_on) == (
        "STP-VP",
        "Hoàng Văn Giang",
        datetime.date(1980, 3, 12),
        datetime.date(2005, 5, 19),
        datetime.date(2006, 5, 19),
    )
    assert Member.objects.get(card_number="79200002").note == "Chuyển từ chi bộ khác"
    again = client.post(IMPORT_URL, {"import_file": csv_upload(rows), "format": CSV, "resource": "0"})
    totals = again.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 2)


def test_a_member_of_another_unit_or_a_committee_is_refused_with_the_row_and_column(client, people):
    client.force_login(people["alice"])
    rows = [
        ["KBNN-1", "79300001", "Đỗ Văn Khánh", "", "", "", ""],
        ["STP", "79300002", "Ngô Thị Lan", "", "", "", ""],
        ["STP-VP", "79.300.003", "Bùi Văn Minh", "", "", "", ""],
    ]

    preview = client.post(IMPORT_URL, {"import_file": csv_upload(rows), "format": CSV, "resource": "0"})

    errors = {
        (row.number, column, message)
        for row in preview.context["result"].invalid_rows
        for column, messages in row.error_dict.items()
        for message in messages
    }
    assert errors == {
        (
            2,
            "Mã chi bộ",
            "Tổ chức đảng “KBNN-1” không thuộc các đơn vị của bạn: bạn không được nhập dữ liệu cho đơn vị này.",
        ),
        (3, "Mã chi bộ", "Đảng viên thuộc một chi bộ, không thuộc đảng bộ."),
        (4, "Số thẻ đảng viên", "Số thẻ đảng viên gồm 6 đến 12 chữ số, không có dấu cách hay dấu chấm."),
    }
    assert preview.context.get("confirm_form") is None
    assert Member.objects.filter(card_number__startswith="793").count() == 0
