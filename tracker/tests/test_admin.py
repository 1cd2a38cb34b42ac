"""
Every admin page of the project's models opens for a superuser, with a number of
queries that does not grow with the number of rows.
"""

import unicodedata

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from conftest import populate
from tracker.tests.formposts import SESSION_INLINES
from units.models import Official, Unit
from units.tests.factories import make_official, make_position

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"units", "activities", "members"}
]
# Session, user, filter choices (the year filter's three index reads) and the page's
# own reads, with the planner's row estimate on PostgreSQL: 4 to 9 today; one query
# per row would be 20 and then 40.
MAX_CHANGELIST_QUERIES = 10


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def test_every_model_of_the_domain_has_an_admin():
    assert sorted(model.__name__ for model in MODELS) == [
        "Attendance",
        "DeclaredFigure",
        "Directive",
        "Exemplar",
        "Initiative",
        "InitiativeEvaluation",
        "Member",
        "MemberCount",
        "Official",
        "Outreach",
        "Position",
        "ServiceFigure",
        "Source",
        "StudySession",
        "Theme",
        "Unit",
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, tree, model):
    populate(tree, 20)
    with_20 = count_queries(admin_client, url(model, "changelist"))
    populate(tree, 20)
    with_40 = count_queries(admin_client, url(model, "changelist"))
    assert model.objects.count() >= 20
    assert with_40 == with_20
    assert with_40 <= MAX_CHANGELIST_QUERIES


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_add_and_change_pages_open(admin_client, tree, model):
    populate(tree, 3)
    if model._meta.label_lower != "members.attendance":
        count_queries(admin_client, url(model, "add"))
    else:  # a roll call is taken on the session's form, for the whole cell, or imported
        assert admin_client.get(url(model, "add")).status_code == 403
    obj = model.objects.order_by("pk").first()
    assert count_queries(admin_client, url(model, "change", obj.pk)) <= 25


UNIT_RECORDS = [
    model
    for model, model_admin in admin.site._registry.items()
    if any(getattr(f, "parameter_name", None) == "unit" for f in model_admin.list_filter)
]


@pytest.mark.parametrize("model", UNIT_RECORDS, ids=lambda model: model.__name__)
def test_changelist_filtered_by_subtree_and_searched(admin_client, tree, model):
    populate(tree, 5)
    response = admin_client.get(url(model, "changelist"), {"unit": "STP", "q": "a"})
    assert response.status_code == 200


def test_search_typed_decomposed_finds_the_composed_name(admin_client, tree):
    response = admin_client.get(url(Unit, "changelist"), {"q": unicodedata.normalize("NFD", "Tư pháp")})
    # The committee by its name, its cells by their parent's name.
    assert [unit.code for unit in response.context["cl"].result_list] == ["STP", "STP-VP", "STP-TT"]


def test_subtree_filter_lists_exactly_the_subtree(admin_client, tree):
    for code in ("STP-VP", "STP", "KBNN-1", "BDV"):
        make_session(tree[code], topic=code)
    response = admin_client.get(url(StudySession, "changelist"), {"unit": "STP"})
    assert sorted(s.topic for s in response.context["cl"].result_list) == ["STP", "STP-VP"]


def test_official_with_two_positions_in_the_subtree_is_listed_once(admin_client, tree):
    official = make_official(full_name="Phan Quang Tuấn")
    make_position(official, tree["STP"], title="Phó bí thư Đảng ủy")
    make_position(official, tree["STP"], kind="agency", title="Phó giám đốc Sở Tư pháp")
    response = admin_client.get(url(Official, "changelist"), {"unit": "STP"})
    assert [o.full_name for o in response.context["cl"].result_list] == ["Phan Quang Tuấn"]
    assert "Phó bí thư Đảng ủy (Đảng bộ Sở Tư pháp)" in response.content.decode()


def test_unit_autocomplete_answers_with_matching_units(admin_client, tree):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": "studysession", "field_name": "unit", "term": "kho bạc"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
        "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
    ]
    assert StudySession._meta.get_field("unit").remote_field.model is Unit


def test_admin_is_in_vietnamese_by_default_even_for_an_english_browser(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Tổ chức đảng" in response.content.decode()


def test_english_is_one_click_away(admin_client):
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    response = admin_client.get(reverse("admin:index"))
    assert response["Content-Language"] == "en"
    assert "Party units" in response.content.decode()


def test_dates_show_and_parse_as_dd_mm_yyyy(admin_client, tree):
    session = make_session(tree["BDV"], date=None, year=2024, quarter=1, topic="Về văn hóa")
    response = admin_client.post(
        url(StudySession, "change", session.pk),
        {
            "unit": tree["BDV"].pk,
            "kind": "thematic",
            "topic": "Về văn hóa",
            "date": "03/04/2024",
            "year": "",
            "quarter": "",
            "attended": "12",
            "expected": "15",
            "minutes": "",
            "version": session.version,
            **SESSION_INLINES,
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    session.refresh_from_db()
    assert (session.date.isoformat(), session.year, session.quarter) == ("2024-04-03", 2024, 2)
    listing = admin_client.get(url(StudySession, "changelist")).content.decode()
    assert "03/04/2024" in listing


def test_admin_chrome_missing_from_djangos_catalogue_is_vietnamese(admin_client, tree):
    body = admin_client.get(url(Unit, "changelist")).content.decode()
    assert "Chuyển đến nội dung chính" in body
    assert "Skip to main content" not in body


def test_calendar_day_names_are_vietnamese(admin_client):
    body = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert '"Monday": "Th\\u1ee9 Hai"' in body
    assert '"abbrev. day Sunday\\u0004Sun": "CN"' in body


def test_the_changelist_checkbox_is_the_one_django_writes(tree):
    from django.contrib import admin as django_admin

    session = make_session(tree["BDV"], topic="Về <văn hóa> & đạo đức")
    model_admin = django_admin.site._registry[StudySession]
    assert model_admin.action_checkbox(session) == django_admin.ModelAdmin.action_checkbox(
        model_admin, session
    )
