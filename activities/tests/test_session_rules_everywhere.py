"""
A session is logged once held, with a theme of its own period, however it comes in:
the staff form, the admin's form and an import keep the same rules (StudySession.clean).
And the admin index is titled with the user's own top unit.
"""

import datetime

import pytest
from django.utils import timezone

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.factories import make_theme

pytestmark = pytest.mark.django_db


def admin_post(unit, **fields):
    return {
        "unit": unit.pk,
        "kind": "monthly",
        "theme": "",
        "topic": "Sinh hoạt chi bộ",
        "format": "in_person",
        "chair": "",
        "date": "25/11/2026",
        "year": "",
        "quarter": "",
        "attended": "15",
        "expected": "16",
        "minutes": "",
        "source": "",
        **fields,
    }


def test_the_admin_session_form_refuses_a_future_day_as_the_staff_form_does(client, people, tree):
    as_user(client, people, "alice")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = StudySession.objects.count()
    response = client.post(
        "/admin/activities/studysession/add/",
        admin_post(tree["STP-TT"], date=tomorrow.strftime("%d/%m/%Y")),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["date"]
    assert StudySession.objects.count() == before


def test_the_admin_session_form_refuses_a_theme_of_another_quarter(client, people, tree):
    as_user(client, people, "alice")
    second = make_theme(year=2024, quarter=2, title="Chuyên đề quý II")
    before = StudySession.objects.count()
    response = client.post(
        "/admin/activities/studysession/add/",
        admin_post(tree["STP-TT"], kind="thematic", date="05/02/2024", theme=second.pk, topic=""),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["theme"]
    assert StudySession.objects.count() == before


def test_the_admin_index_is_titled_with_the_users_own_top_unit_not_another_blocs(client, tree):
    from units.models import Role
    from units.services import user_grant
    from units.tests.factories import make_bloc

    make_bloc(code="UBND", name="Đảng bộ Ủy ban nhân dân tỉnh")
    user = user_grant(username="ubnd-admin", unit_code="UBND", role=Role.BLOC_ADMIN)[0]
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["title"] == "Đảng bộ Ủy ban nhân dân tỉnh"


def test_an_import_refuses_a_day_to_come_and_a_theme_of_another_quarter_beside_their_columns(client, tree):
    from activities.tests.test_import_export import CSV, csv_file, dry_run, errors_of, row
    from units.models import Role
    from units.services import user_grant

    make_theme(year=2024, quarter=2, title="Chuyên đề quý II")
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    before = StudySession.objects.count()
    response = dry_run(client, csv_file([row(date=tomorrow, topic="Sắp tới")]), CSV)
    assert [(number, column) for number, column, _message in errors_of(response)] == [(2, "Ngày")]
    assert errors_of(response)[0][2].startswith("Ngày này chưa tới (hôm nay là ")
    assert StudySession.objects.count() == before
