"""The ways round a lock a review found, each closed: a revert from history, a good model's inline and move, early reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import InitiativeEvaluation
from activities.tests.factories import make_evaluation, make_initiative, make_service_figure, make_session
from reporting import services
from reporting.models import Submission
from reporting.periods import Period
from tracker.tests.formposts import form_data

pytestmark = pytest.mark.django_db

Q4 = Period(2026, "quarter", 4)
LOCKED = (
    "Báo cáo Quý IV/2026 của Chi bộ VP STP — Đảng bộ Sở Tư pháp đã được duyệt ngày 03/01/2027 "
    "(người duyệt: boss): số liệu của kỳ này đã khóa. Chỉ quản trị viên đảng bộ mới có thể mở lại kỳ này "
    "cho đơn vị (cấp ngoại lệ khóa sổ)."
)


def accept(tree, people, code="STP-VP"):
    services.submit(unit=tree[code], period=Q4, user=people["boss"])
    services.accept(unit=tree[code], period=Q4, user=people["boss"])


def test_a_copy_from_the_history_cannot_move_a_record_out_of_a_locked_quarter(tree, people, clock):
    session = make_session(tree["STP-VP"], date=datetime.date(2027, 1, 2), topic="Ghi nhầm ngày")
    session.date = datetime.date(2026, 12, 2)
    session.save()
    accept(tree, people)
    # What "Khôi phục" in the admin's history builds: the first version, not read from the table.
    copy = session.history.earliest().instance
    assert copy.date == datetime.date(2027, 1, 2)
    with pytest.raises(ValidationError) as refused:
        copy.full_clean()
    assert refused.value.message_dict["date"] == [LOCKED]


def test_a_good_models_page_keeps_its_locked_evaluations(client, tree, people, clock):
    initiative = make_initiative(tree["STP-VP"], title="Một cửa thân thiện")
    locked = make_evaluation(
        initiative, evaluated_on=datetime.date(2026, 12, 1), evaluator="Đảng ủy", result="Tốt"
    )
    accept(tree, people)
    admin_client = client
    admin_client.force_login(people["boss"])  # after the clock is set: a login from before would have expired
    url = reverse("admin:activities_initiative_change", args=[initiative.pk])
    data = form_data(admin_client.get(url).content.decode(), "initiative_form")
    # Unchanged, the locked row does not stop a new evaluation in an open quarter.
    data.update({"evaluations-1-evaluated_on": ["02/01/2027"], "evaluations-1-evaluator": ["Chi ủy"]})
    data.update({"evaluations-1-result": ["Khá"]})
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:activities_initiative_changelist")
    assert InitiativeEvaluation.objects.count() == 2
    # Its delete box is refused, and so is deleting the good model with it.
    data = form_data(admin_client.get(url).content.decode(), "initiative_form")
    first = next(key for key, values in data.items() if key.endswith("-id") and values == [str(locked.pk)])
    data[first.replace("-id", "-DELETE")] = ["on"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert [
        str(error) for error in response.context["inline_admin_formsets"][0].formset.non_form_errors()
    ] == [LOCKED]
    response = admin_client.post(
        reverse("admin:activities_initiative_delete", args=[initiative.pk]), {"post": "yes"}, follow=True
    )
    assert [str(message) for message in response.context["messages"]][-1] == LOCKED
    assert InitiativeEvaluation.objects.filter(pk=locked.pk).exists()
    # Nor can it move to another unit, taking the evaluation out of the accepted quarter.
    initiative.refresh_from_db()
    initiative.unit = tree["STP-TT"]
    with pytest.raises(ValidationError) as refused:
        initiative.full_clean()
    assert refused.value.message_dict["unit"] == [LOCKED]


def test_a_figure_is_locked_in_every_quarter_it_spans(tree, people, clock):
    figure = make_service_figure(
        tree["STP-VP"], period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2027, 3, 31)
    )
    accept(tree, people)
    figure.refresh_from_db()
    figure.received = 1200
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert refused.value.message_dict["period_end"] == [LOCKED]


def test_a_period_is_submitted_from_its_last_day(tree, people, clock):
    clock.set(2026, 12, 30, 10, 0)
    with pytest.raises(ValidationError) as refused:
        services.submit(unit=tree["STP-VP"], period=Q4, user=people["boss"])
    assert refused.value.messages == ["Báo cáo Quý IV/2026 nộp được từ ngày 31/12/2026, ngày cuối của kỳ."]
    clock.set(2026, 12, 31, 8, 0)
    submission, _made = services.submit(unit=tree["STP-VP"], period=Q4, user=people["boss"])
    assert submission.status == "submitted"


def test_an_empty_report_filled_in_after_the_deadline_is_late(tree, people, clock):
    services.submit(unit=tree["STP-VP"], period=Q4, user=people["boss"])  # 03/01, nothing logged
    services.return_(unit=tree["STP-VP"], period=Q4, user=people["boss"], reason="Chưa có số liệu.")
    make_session(tree["STP-VP"], date=datetime.date(2026, 12, 7))
    clock.set(2027, 1, 20, 9, 0)
    services.submit(unit=tree["STP-VP"], period=Q4, user=people["boss"])
    submission = Submission.objects.get()
    assert (submission.is_empty, submission.on_time, submission.first_submitted_at.date()) == (
        False,
        False,
        datetime.date(2027, 1, 20),
    )
