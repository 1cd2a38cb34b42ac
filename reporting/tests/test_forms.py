"""The reporting forms, posted empty and malformed field by field: a Vietnamese error beside each, nothing written."""

import datetime

import pytest

from activities.tests.factories import make_session
from reporting.models import EmailPreference, Submission
from tracker.tests.formposts import CONTROL_VALUES, NUMBER_VALUES

pytestmark = pytest.mark.django_db

PAGE = "/units/STP-VP/reports/2026-q4/"
STALE = ["Trang này đã cũ: hãy tải lại trang rồi làm lại."]


@pytest.fixture
def submitted(client, tree, people, clock):
    make_session(tree["STP-VP"], date=datetime.date(2026, 11, 5))
    client.force_login(people["sec"])
    client.post(PAGE, {"action": "submit"})
    client.force_login(people["clerk"])
    return Submission.objects.get()


@pytest.mark.parametrize("value", ["", "không-có", "delete"])
def test_a_wrong_action_is_a_stale_page(client, submitted, value):
    response = client.post(PAGE, {"action": value, "reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == STALE
    assert Submission.objects.get().status == "submitted"


@pytest.mark.parametrize("value", NUMBER_VALUES)
def test_a_wrong_version_is_a_stale_page(client, submitted, value):
    response = client.post(PAGE, {"action": "accept", "version": value})
    assert response.context["form"].non_field_errors() == STALE
    assert Submission.objects.get().status == "submitted"


def test_a_version_older_than_the_last_submission_is_refused(client, submitted):
    response = client.post(PAGE, {"action": "return", "reason": "Sai", "version": submitted.version + 1})
    assert response.context["form"].non_field_errors() == [
        "Báo cáo đã thay đổi từ khi mở trang này (đơn vị đã nộp lại): hãy xem lại trước khi quyết định."
    ]
    assert Submission.objects.get().status == "submitted"


@pytest.mark.parametrize("value", CONTROL_VALUES)
def test_a_reason_with_control_characters_is_refused(client, submitted, value):
    response = client.post(PAGE, {"action": "return", "reason": value})
    assert response.context["form"].errors == {
        "reason": [
            "Nội dung có ký tự điều khiển không hiển thị được, thường do dán từ chương trình khác. "
            "Hãy xóa phần vừa dán và gõ lại."
        ]
    }
    assert Submission.objects.get().status == "submitted"


def test_a_reason_too_long_is_refused(client, submitted):
    response = client.post(PAGE, {"action": "return", "reason": "x" * 2001})
    assert response.context["form"].errors == {
        "reason": ["Giá trị này chỉ có tối đa 2000 kí tự (hiện có 2001)"]
    }


@pytest.mark.parametrize("value", ["", "abc", "0", "on"])
def test_the_email_choice_takes_any_box_value(client, tree, people, value):
    client.force_login(people["sec"])
    response = client.post("/account/email/", {"reminders": value} if value else {})
    assert response.status_code == 302
    # A box is on when anything but nothing (or "false") is posted, as browsers post it.
    assert EmailPreference.objects.get(user=people["sec"]).reminders is (value != "")
