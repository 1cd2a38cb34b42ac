"""
The staff session form, posted with an empty or malformed value in each field: a
200 with the field's error, nothing written; a clash or a broken rule is said in
Vietnamese beside its field, never by a constraint's name.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.factories import make_session, make_theme
from tracker.periods import Quarter
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


def today_text():
    return timezone.localdate().strftime("%d/%m/%Y")


def test_a_future_date_is_refused_beside_the_date(client, people, tree):
    as_user(client, people, "alice")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = state()
    for typed in (tomorrow.strftime("%d/%m/%Y"), tomorrow.isoformat()):
        response = client.post("/sessions/new/", session_post(tree["STP-TT"], date=typed))
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "date": [f"Ngày này chưa tới (hôm nay là {today_text()}): chỉ ghi buổi sinh hoạt đã diễn ra."]
        }
    assert state() == before


def test_today_is_accepted(client, people, tree):
    as_user(client, people, "alice")
    response = client.post(
        "/sessions/new/", session_post(tree["STP-TT"], date=timezone.localdate().isoformat())
    )
    assert response.status_code == 302
    assert (
        StudySession.objects.get(unit=tree["STP-TT"], kind="monthly", date=timezone.localdate()).attended
        == 15
    )


def test_an_undated_session_in_a_quarter_still_to_come_is_refused(client, people, tree):
    as_user(client, people, "alice")
    coming = Quarter.current().next()
    before = state()
    response = client.post(
        "/sessions/new/",
        session_post(tree["STP-TT"], date="", year=str(coming.year), quarter=str(coming.number)),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quarter": ["Quý này chưa tới: chỉ ghi buổi sinh hoạt đã diễn ra."]
    }
    assert state() == before


def test_the_date_picker_value_and_a_typed_day_are_both_read(client, people, tree):
    as_user(client, people, "alice")
    for typed, day in (("2024-02-06", datetime.date(2024, 2, 6)), ("07/02/2024", datetime.date(2024, 2, 7))):
        response = client.post("/sessions/new/", session_post(tree["STP-TT"], date=typed))
        assert response.status_code == 302
        assert response["Location"] == "/units/STP-TT/2024/q1/"
        assert StudySession.objects.filter(unit=tree["STP-TT"], kind="monthly", date=day).count() == 1


def test_the_form_shows_a_date_picker_marked_fields_and_named_empty_choices(client, people, tree):
    as_user(client, people, "alice")
    response = client.get("/sessions/new/?unit=STP-TT")
    body = response.content.decode()
    max_day = timezone.localdate().isoformat()
    assert (
        f'<input type="date" name="date" autocomplete="off" max="{max_day}" aria-describedby="id_date_helptext" id="id_date">'
        in body
    )
    assert '<select name="unit" aria-required="true" required id="id_unit">' in body
    assert '<select name="kind" aria-required="true" required id="id_kind">' in body
    assert (
        '<label for="id_unit" class="required">Đơn vị<span class="required-mark" aria-hidden="true">*</span></label>'
        in body
    )
    assert '<label for="id_date">Ngày</label>' in body
    assert '<option value="">— Chọn đơn vị —</option>' in body
    assert '<option value="" selected>— Chọn loại buổi —</option>' in body
    assert '<option value="" selected>— Chọn quý —</option>' in body
    assert '<option value="" selected>— Chọn chuyên đề —</option>' in body
    assert '<option value="" selected>— Chọn hình thức —</option>' in body
    assert '<option value="" selected>— Chọn người chủ trì —</option>' in body
    assert "---------" not in body
    assert '<details class="unknown-date">\n    <summary>Không nhớ ngày?</summary>' in body
    quarter = Quarter.current()
    assert f'<a class="button" href="/units/STP-TT/{quarter.year}/q{quarter.number}/">Hủy</a>' in body
    assert "autofocus" not in body


def test_cancel_goes_to_the_users_unit_or_to_the_sessions_quarter_when_correcting(client, people, tree):
    as_user(client, people, "alice")
    body = client.get("/sessions/new/").content.decode()
    quarter = Quarter.current()
    assert f'<a class="button" href="/units/STP/{quarter.year}/q{quarter.number}/">Hủy</a>' in body
    session = StudySession.objects.filter(unit=tree["STP-VP"]).order_by("pk").first()
    body = client.get(f"/sessions/{session.pk}/edit/").content.decode()
    assert f'<a class="button" href="/units/STP-VP/{session.year}/q{session.quarter}/">Hủy</a>' in body
    # A post with errors that names another day keeps the way back to where the session is.
    body = client.post(f"/sessions/{session.pk}/edit/", {"date": "05/05/2025"}).content.decode()
    assert f'<a class="button" href="/units/STP-VP/{session.year}/q{session.quarter}/">Hủy</a>' in body


def test_a_day_typed_by_hand_comes_back_in_the_pickers_form(client, people, tree):
    as_user(client, people, "alice")
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], date="07/02/2024", attended="abc"))
    body = response.content.decode()
    assert 'name="date" value="2024-02-07"' in body
    assert (
        '<input type="number" name="attended" value="abc" min="0" autofocus aria-invalid="true" aria-describedby="id_attended_error" id="id_attended">'
        in body
    )


def test_the_unknown_date_opens_for_an_undated_session_or_an_error_there(client, people, tree):
    as_user(client, people, "alice")
    undated = make_session(tree["STP-TT"], kind="monthly", date=None, year=2024, quarter=1, topic="")
    body = client.get(f"/sessions/{undated.pk}/edit/").content.decode()
    assert '<details class="unknown-date" open>' in body
    dated = StudySession.objects.filter(unit=tree["STP-VP"]).order_by("pk").first()
    body = client.get(f"/sessions/{dated.pk}/edit/").content.decode()
    assert '<details class="unknown-date">' in body
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], date=""))
    body = response.content.decode()
    assert '<details class="unknown-date" open>' in body
    # Neither date nor quarter: the cursor goes to the date.
    assert 'name="date" value="" autocomplete="off" max="' in body
    assert 'autocomplete="off" max="' + timezone.localdate().isoformat() + '" autofocus ' in body
    assert body.count("autofocus") == 1
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], date="", year="2024", quarter="9"))
    assert '<details class="unknown-date" open>' in response.content.decode()
    assert list(response.context["form"].errors) == ["quarter"]


def test_the_cursor_goes_to_the_first_field_with_an_error(client, people, tree):
    as_user(client, people, "alice")
    response = client.post("/sessions/new/", session_post(tree["STP-TT"], kind="", attended="abc"))
    form = response.context["form"]
    assert list(form.errors) == ["kind", "attended"]
    assert [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")] == ["kind"]
    assert response.content.decode().count("autofocus") == 1


def test_a_theme_of_another_quarter_is_refused_beside_the_theme(client, people, tree):
    as_user(client, people, "alice")
    second = make_theme(year=2024, quarter=2, title="Chuyên đề quý II")
    before = state()
    response = client.post(
        "/sessions/new/", session_post(tree["STP-TT"], kind="thematic", date="05/02/2024", theme=second.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "theme": [
            "Chuyên đề này của Quý II/2024, còn buổi sinh hoạt thuộc Quý I/2024: "
            "hãy chọn chuyên đề của quý đó hoặc của cả năm đó."
        ]
    }
    response = client.post(
        "/sessions/new/",
        session_post(tree["STP-TT"], kind="thematic", date="", year="2024", quarter="1", theme=second.pk),
    )
    assert list(response.context["form"].errors) == ["theme"]
    assert state() == before


def test_a_theme_of_another_year_is_refused_and_a_theme_of_the_year_fits_each_quarter(client, people, tree):
    as_user(client, people, "alice")
    last_year = make_theme(year=2023, quarter=None, title="Chuyên đề năm 2023")
    response = client.post(
        "/sessions/new/", session_post(tree["STP-TT"], kind="thematic", date="05/02/2024", theme=last_year.pk)
    )
    assert response.context["form"].errors == {
        "theme": [
            "Chuyên đề này của năm 2023, còn buổi sinh hoạt thuộc Quý I/2024: "
            "hãy chọn chuyên đề của quý đó hoặc của cả năm đó."
        ]
    }
    whole_year = make_theme(year=2024, quarter=None, title="Chuyên đề năm 2024")
    response = client.post(
        "/sessions/new/",
        session_post(tree["STP-TT"], kind="thematic", date="05/02/2024", theme=whole_year.pk),
    )
    assert response.status_code == 302
    assert StudySession.objects.get(unit=tree["STP-TT"], theme=whole_year).topic == "Chuyên đề năm 2024"


def test_a_secretary_records_the_meeting_itself_on_the_staff_form(client, people, tree):
    as_user(client, people, "alice")

    response = client.post(
        "/sessions/new/",
        session_post(
            tree["STP-TT"],
            date="20/11/2026",
            starts_at="07:30",
            ends_at="09:10",  # 100 minutes, held with the thematic meeting: 120 owed
            also_thematic="on",
            documents_posted_on="20/11/2026",  # the same day: late
            resolution_published_on="21/11/2026",
        ),
    )

    session = StudySession.objects.get(unit=tree["STP-TT"], date=datetime.date(2026, 11, 20))
    assert response.status_code == 302
    assert (session.starts_at, session.ends_at, session.also_thematic) == (
        datetime.time(7, 30),
        datetime.time(9, 10),
        True,
    )
    assert (session.is_short, session.documents_late, session.resolution_published_on) == (
        True,
        True,
        datetime.date(2026, 11, 21),
    )
    page = client.get("/units/STP-TT/2026/q4/").content.decode()
    assert 'chưa đủ thời gian tối thiểu</small><br><small class="behind">đăng tài liệu muộn</small>' in page


def test_an_end_before_the_start_is_said_beside_the_end(client, people, tree):
    as_user(client, people, "alice")

    response = client.post("/sessions/new/", session_post(tree["STP-TT"], starts_at="09:00", ends_at="08:00"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_at": ["Hãy ghi cả giờ bắt đầu và giờ kết thúc, giờ kết thúc sau giờ bắt đầu."]
    }
