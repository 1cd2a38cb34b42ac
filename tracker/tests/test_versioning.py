"""Two people editing the same record: the second save is refused with a clear message."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from tracker.tests.formposts import SESSION_INLINES
from tracker.versioning import RecordChanged, VersionedForm

pytestmark = pytest.mark.django_db

CHANGED = (
    "Người khác đã lưu bản ghi này sau khi bạn mở nó. Thay đổi của bạn chưa được lưu: "
    "hãy tải lại trang để xem bản ghi hiện tại rồi sửa lại."
)


def admin_change_url(session):
    return reverse("admin:activities_studysession_change", args=[session.pk])


def admin_post(session, **fields):
    return {
        "unit": session.unit_id,
        "kind": session.kind,
        "topic": session.topic,
        "date": session.date.strftime("%d/%m/%Y"),
        "year": "",
        "quarter": "",
        "attended": str(session.attended),
        "expected": str(session.expected),
        "minutes": "",
        **SESSION_INLINES,
        **fields,
    }


def staff_post(session, **fields):
    return {**admin_post(session), "format": "in_person", **fields}


def someone_saves_after_the_check(session, monkeypatch):
    """Another save of the session lands after the form's version check, before its write."""
    checked = VersionedForm.clean

    def clean(form):
        cleaned = checked(form)
        StudySession.objects.filter(pk=session.pk).update(attended=7, version=2)
        return cleaned

    monkeypatch.setattr(VersionedForm, "clean", clean)


def test_a_save_raises_the_version_and_a_stale_copy_is_refused(tree):
    session = make_session(tree["STP-VP"])
    first, second = StudySession.objects.get(pk=session.pk), StudySession.objects.get(pk=session.pk)
    first.attended = 19
    first.save()
    second.attended = 5
    with pytest.raises(RecordChanged):
        second.save()
    session.refresh_from_db()
    assert (session.attended, session.version) == (19, 2)
    assert session.history.count() == 2  # the refused save left no history either


def test_the_admin_form_carries_the_version_hidden(admin_client, tree):
    session = make_session(tree["STP-VP"])
    session.save()
    body = admin_client.get(admin_change_url(session)).content.decode()
    assert '<input type="hidden" name="version" value="2" id="id_version">' in body


def test_the_second_admin_save_gets_a_message_and_changes_nothing(admin_client, tree):
    session = make_session(tree["STP-VP"])
    opened = admin_post(session, version="1")  # two people open the same page
    first = admin_client.post(admin_change_url(session), {**opened, "attended": "19"})
    assert first.status_code == 302
    second = admin_client.post(admin_change_url(session), {**opened, "attended": "5"})
    assert second.status_code == 200
    assert second.context["adminform"].form.non_field_errors() == [CHANGED]
    assert CHANGED in second.content.decode()
    session.refresh_from_db()
    assert (session.attended, session.version) == (19, 2)


def test_a_save_landing_between_the_admin_check_and_the_write_is_refused(admin_client, tree, monkeypatch):
    session = make_session(tree["STP-VP"])
    someone_saves_after_the_check(session, monkeypatch)
    response = admin_client.post(admin_change_url(session), admin_post(session, version="1", attended="19"))
    assert response.status_code == 302
    assert response["Location"] == admin_change_url(session)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CHANGED]
    session.refresh_from_db()
    # The admin's transaction, which the stand-in for the other save ran inside, was
    # rolled back whole: the record is as it was, without this user's 19.
    assert (session.attended, session.version) == (18, 1)


def test_the_staff_form_refuses_a_stale_correction(admin_client, tree):
    session = make_session(tree["STP-VP"])
    url = reverse("activities:session-edit", args=[session.pk])
    assert 'name="version" value="1"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, staff_post(session, version="1", attended="19")).status_code == 302
    response = admin_client.post(url, staff_post(session, version="1", attended="5"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [CHANGED]
    session.refresh_from_db()
    assert (session.attended, session.version) == (19, 2)


def test_the_staff_form_refuses_a_save_landing_between_check_and_write(admin_client, tree, monkeypatch):
    session = make_session(tree["STP-VP"])
    someone_saves_after_the_check(session, monkeypatch)
    url = reverse("activities:session-edit", args=[session.pk])
    response = admin_client.post(url, staff_post(session, version="1", attended="19"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [CHANGED]
    session.refresh_from_db()
    assert (session.attended, session.version) == (7, 2)


def test_a_form_without_the_version_is_refused(admin_client, tree):
    session = make_session(tree["STP-VP"])
    response = admin_client.post(admin_change_url(session), admin_post(session, attended="19"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [CHANGED]
    session.refresh_from_db()
    assert session.attended == 18


def test_reverting_from_the_history_writes_over_the_current_version(admin_client, tree):
    session = make_session(tree["STP-VP"])
    original = session.history.earliest()
    session.attended = 19
    session.save()
    url = reverse("admin:activities_studysession_simple_history", args=[session.pk, original.history_id])
    form = admin_client.get(url).context["adminform"].form
    assert form.initial["version"] == 2
    response = admin_client.post(url, admin_post(session, attended="18", version="2"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.attended, session.version) == (18, 3)
