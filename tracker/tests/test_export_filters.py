"""
An admin export takes the list's filters from its address. A parameter the list does
not know, or a filter value it cannot use (a hand-edited or stale address), is refused
with a 400 that says so, and the export form offered below exports without them.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from activities.tests.factories import make_session
from activities.tests.test_import_export import CSV
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db

REFUSED = (
    "Không xuất được dữ liệu: địa chỉ trang có điều kiện lọc mà danh sách này không nhận. "
    "Hãy mở lại danh sách, chọn bộ lọc tại đó rồi xuất lại."
)
EXPORTS = [
    "activities_studysession",
    "activities_initiative",
    "activities_outreach",
    "activities_exemplar",
    "activities_servicefigure",
    "activities_declaredfigure",
    "units_unit",
    "units_membercount",
    "units_official",
]


@pytest.fixture
def alice(client, tree):
    user = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    client.force_login(user)
    return user


def shown(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("admin", EXPORTS)
@pytest.mark.parametrize("query", ["?foo=bar", "?id__gte=abc", "?foo=bar&q=x"])
def test_an_export_with_a_filter_the_list_does_not_accept_is_a_clear_400(client, alice, admin, query):
    url = reverse(f"admin:{admin}_export")
    for response in (client.get(url + query), client.post(url + query, {"format": "0", "resource": "0"})):
        assert response.status_code == 400
        assert shown(response) == [REFUSED]
        assert response.context["export_url"] == url
        assert f'<form action="{url}" method="POST">' in response.content.decode()


def test_the_export_offered_after_a_refused_address_exports_the_users_rows(client, alice, tree):
    make_session(tree["STP-VP"], topic="Của STP-VP")
    make_session(tree["KBNN-1"], topic="Của KBNN")
    url = reverse("admin:activities_studysession_export")
    assert client.post(url + "?foo=bar", {"format": "0", "resource": "0"}).status_code == 400
    response = client.post(url, {"format": CSV, "resource": "0"})
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")
    assert "Của STP-VP" in text
    assert "Của KBNN" not in text


def test_an_export_keeps_the_lists_year_and_unit_filters_without_reading_their_choices(
    client, alice, tree, django_assert_max_num_queries
):
    make_session(tree["STP-VP"], topic="VP 2024", date=datetime.date(2024, 3, 4))
    make_session(tree["STP-VP"], topic="VP 2023", date=datetime.date(2023, 3, 6))
    make_session(tree["STP-TT"], topic="TT 2024", date=datetime.date(2024, 3, 5))
    url = reverse("admin:activities_studysession_export")
    with django_assert_max_num_queries(7):
        response = client.post(url + "?unit=STP-VP&year=2024", {"format": CSV, "resource": "0"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Chủ đề"] for row in rows] == ["VP 2024"]
