"""
Adopted minutes are locked: the admin and the staff form change them only with a
reason, which the history keeps; an import refuses to change them, beside the cell.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from tracker.tests.test_versioning import admin_post as versioning_post
from units.models import Role
from units.services import user_grant

MINUTES = "Chi bộ thống nhất triển khai chuyên đề quý I."
LOCKED = "Biên bản đã được thông qua ngày 06/02/2024: hãy ghi lý do sửa."


@pytest.fixture
def adopted(tree):
    return make_session(
        tree["STP-VP"], version=1, minutes=MINUTES, minutes_adopted_on=datetime.date(2024, 2, 6)
    )


def admin_post(session, **fields):
    """The session's form as posted back, its adopted minutes as stored (test_versioning's post)."""
    stored = {"minutes": session.minutes, "minutes_adopted_on": "06/02/2024", "version": str(session.version)}
    return versioning_post(session, **{**stored, **fields})


def staff_post(session, **fields):
    return {**admin_post(session), "format": "in_person", **fields}


def reasons(session):
    return list(session.history.order_by("-history_id").values_list("minutes", "history_change_reason")[:1])


def test_the_admin_asks_why_adopted_minutes_change_and_the_history_keeps_it(admin_client, adopted):
    url = reverse("admin:activities_studysession_change", args=[adopted.pk])

    refused = admin_client.post(url, admin_post(adopted, minutes="Sửa lại."))
    accepted = admin_client.post(
        url, admin_post(adopted, minutes="Sửa lại.", change_reason="Ghi sai tên người phát biểu")
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"change_reason": [LOCKED]}
    assert accepted.status_code == 302
    assert reasons(adopted) == [("Sửa lại.", "Ghi sai tên người phát biểu")]
    history = admin_client.get(reverse("admin:activities_studysession_history", args=[adopted.pk]))
    assert "Ghi sai tên người phát biểu" in history.content.decode()


def test_other_fields_of_an_adopted_meeting_change_without_a_reason(admin_client, adopted):
    url = reverse("admin:activities_studysession_change", args=[adopted.pk])

    response = admin_client.post(url, admin_post(adopted, attended="19"))

    adopted.refresh_from_db()
    assert (response.status_code, adopted.attended, adopted.minutes) == (302, 19, MINUTES)


def test_the_staff_form_asks_too_and_shows_the_reason_field_only_when_adopted(client, tree, adopted):
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    other = make_session(tree["STP-VP"], minutes="Nháp")
    url = f"/sessions/{adopted.pk}/edit/"

    page = client.get(url).content.decode()
    draft_page = client.get(f"/sessions/{other.pk}/edit/").content.decode()
    refused = client.post(url, staff_post(adopted, minutes_adopted_on="07/02/2024"))
    accepted = client.post(
        url, staff_post(adopted, minutes_adopted_on="07/02/2024", change_reason="Ngày ghi nhầm")
    )

    assert 'name="change_reason"' in page and 'name="change_reason"' not in draft_page
    assert refused.context["form"].errors == {"change_reason": [LOCKED]}
    adopted.refresh_from_db()
    assert (accepted.status_code, adopted.minutes_adopted_on) == (302, datetime.date(2024, 2, 7))
    assert reasons(adopted) == [(MINUTES, "Ngày ghi nhầm")]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"minutes_adopted_on": "31/02/2024"},
            {"minutes_adopted_on": ["Nhập một ngày hợp lệ."]},
        ),
        (
            {"minutes_adopted_on": "04/02/2024", "change_reason": "Ngày ghi nhầm"},
            {
                "minutes_adopted_on": [
                    "Biên bản chỉ được thông qua khi đã có nội dung, vào hoặc sau ngày họp."
                ]
            },
        ),
        (
            {"minutes": "", "change_reason": "Xóa"},
            {
                "minutes_adopted_on": [
                    "Biên bản chỉ được thông qua khi đã có nội dung, vào hoặc sau ngày họp."
                ]
            },
        ),
        (
            {"minutes": "Sửa", "change_reason": "x" * 101},
            {"change_reason": ["Giá trị này chỉ có tối đa 100 kí tự (hiện có 101)"]},
        ),
    ],
)
def test_malformed_values_are_refused_beside_their_field(admin_client, adopted, fields, error):
    url = reverse("admin:activities_studysession_change", args=[adopted.pk])

    response = admin_client.post(url, admin_post(adopted, **fields))

    assert response.context["adminform"].form.errors == error
    assert StudySession.objects.get(pk=adopted.pk).minutes == MINUTES


def test_an_import_does_not_change_adopted_minutes(admin_client, adopted):
    headers = "Mã đơn vị,Loại buổi,Ngày,Chủ đề,Số có mặt,Số được triệu tập,Biên bản"
    row = f"STP-VP,Sinh hoạt chuyên đề,05/02/2024,{adopted.topic},18,20,Biên bản khác"
    upload = SimpleUploadedFile("buoi.csv", f"{headers}\r\n{row}\r\n".encode())

    preview = admin_client.post(
        reverse("admin:activities_studysession_import"),
        {"import_file": upload, "format": "1", "resource": "0"},
    )

    errors = [(row.number, row.error_dict) for row in preview.context["result"].invalid_rows]
    assert errors == [
        (
            2,
            {
                "Biên bản": [
                    "Biên bản đã được thông qua ngày 06/02/2024: hãy sửa trên trang của buổi sinh hoạt, kèm lý do."
                ]
            },
        )
    ]
