"""
The staff session form, posted with an empty or malformed value in each field: a
200 with the field's error, nothing written; a clash or a broken rule is said in
Vietnamese beside its field, never by a constraint's name.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.factories import make_session
from tracker.tests.formposts import bad_values, form_data, with_value
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db

ENGLISH_OR_NAMES = ["Constraint", "is violated", "session_", "Please correct"]


def session_post(unit, **fields):
    return {
        "unit": unit.pk,
        "kind": "monthly",
        "date": "25/11/2026",
        "year": "",
        "quarter": "",
        "topic": "",
        "format": "in_person",
        "attended": "15",
        "expected": "16",
        **fields,
    }


def form_urls(tree):
    own = StudySession.objects.filter(unit=tree["STP-VP"]).order_by("pk").first()
    return {"new": "/sessions/new/", "edit": f"/sessions/{own.pk}/edit/"}


def state():
    return StudySession.objects.count(), list(StudySession.objects.order_by("pk").values())


@pytest.mark.parametrize("view", ["new", "edit"])
def test_every_field_refuses_a_bad_value(client, people, tree, view):
    as_user(client, people, "alice")
    url = form_urls(tree)[view]
    page = client.get(url)
    baseline = form_data(page.content.decode(), form_id="")
    if view == "new":
        baseline.update({name: [str(value)] for name, value in session_post(tree["STP-TT"]).items()})
    failures, tried = [], 0
    for bound_field in page.context["form"]:
        if bound_field.is_hidden:
            continue
        queryset = getattr(bound_field.field, "queryset", None)
        others = []
        if queryset is not None:
            hidden = queryset.model._default_manager.exclude(pk__in=queryset.values("pk"))
            others = [str(pk) for pk in hidden.order_by("pk").values_list("pk", flat=True)[:1]]
        for label, value in bad_values(bound_field.field, others):
            tried += 1
            before = state()
            response = client.post(url, with_value(baseline, bound_field, value))
            if response.status_code != 200:
                failures.append(f"{bound_field.name}={value!r} ({label}): {response.status_code}")
            elif state() != before:
                failures.append(f"{bound_field.name}={value!r} ({label}): wrote")
            elif bound_field.name not in response.context["form"].errors:
                failures.append(
                    f"{bound_field.name}={value!r} ({label}): {dict(response.context['form'].errors)}"
                )
    assert tried >= 30
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("view", ["new", "edit"])
def test_the_form_posted_empty_answers_with_errors(client, people, tree, view):
    as_user(client, people, "alice")
    url = form_urls(tree)[view]
    before = state()
    response = client.post(url, dict.fromkeys(session_post(tree["STP"]), ""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["unit"] == ["Trường này là bắt buộc."]
    assert errors["kind"] == ["Trường này là bắt buộc."]
    assert state() == before


def test_no_date_and_no_quarter_is_said_plainly(client, people, tree):
    as_user(client, people, "alice")
    before = state()
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], date=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Hãy nhập ngày, hoặc năm và quý khi không rõ ngày."]
    }
    assert state() == before


def test_a_session_the_unit_already_has_is_named_with_a_link_beside_the_date(client, people, tree):
    existing = make_session(tree["STP-TT"], kind="monthly", date=datetime.date(2026, 11, 25), topic="")
    as_user(client, people, "alice")
    before = state()
    response = client.post("/sessions/new/", session_post(tree["STP-TT"]))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date": [
            "Đơn vị này đã có một buổi Sinh hoạt định kỳ ngày 25/11/2026. Hãy sửa buổi đó thay vì nhập lại; "
            "nếu là một buổi khác trong cùng ngày, hãy ghi chủ đề riêng cho buổi này. "
            f'<a href="/sessions/{existing.pk}/edit/">Mở bản ghi đã có</a>'
        ]
    }
    body = response.content.decode()
    assert body.index('id="field-date"') < body.index(f'href="/sessions/{existing.pk}/edit/"')
    assert body.index(f'href="/sessions/{existing.pk}/edit/"') < body.index('id="field-year"')
    assert not [word for word in ENGLISH_OR_NAMES if word in body]
    assert state() == before


def test_the_clash_links_only_for_someone_who_may_correct_it(client, tree):
    make_session(tree["STP-TT"], kind="monthly", date=datetime.date(2026, 11, 25), topic="")
    clerk, _created = user_grant(username="clerk", unit_code="STP", role=Role.UNIT_VIEWER)
    clerk.user_permissions.add(Permission.objects.get(codename="add_studysession"))
    client.force_login(clerk)
    response = client.post("/sessions/new/", session_post(tree["STP-TT"]))
    assert response.status_code == 200
    [message] = response.context["form"].errors["date"]
    assert message.startswith("Đơn vị này đã có một buổi Sinh hoạt định kỳ ngày 25/11/2026.")
    assert "<a" not in message


def test_attendance_above_the_number_expected_is_said_beside_attended(client, people, tree):
    as_user(client, people, "alice")
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], attended="30", expected="20"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attended": ["Số có mặt không được vượt quá số được triệu tập."]
    }
    body = response.content.decode()
    assert not [word for word in ENGLISH_OR_NAMES if word in body]


def test_a_control_character_in_the_minutes_is_refused_in_vietnamese(client, people, tree):
    as_user(client, people, "alice")
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], minutes="Biên bản\x0bhọp"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "minutes": [
            "Nội dung có ký tự điều khiển không hiển thị được, thường do dán từ chương trình khác. "
            "Hãy xóa phần vừa dán và gõ lại."
        ]
    }
