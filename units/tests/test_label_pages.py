"""
Where a unit is listed outside its tree it is named with its parent: admin lists,
their search, the subtree filter, autocomplete, the staff session form. The parent's
name is on the unit's own row, so the lists' queries do not grow with their rows.
"""

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from activities.forms import SessionForm
from activities.models import StudySession
from activities.tests.factories import make_session
from conftest import populate
from tracker.tests.formposts import form_data
from units.models import Official, Role, Unit
from units.services import user_grant
from units.tests.factories import make_official, make_position

VP = "Chi bộ VP STP — Đảng bộ Sở Tư pháp"
# Session, user, permissions, membership, the filters' choices (the year filter's up to
# three index reads), the count (on PostgreSQL the planner's estimate first) and the
# rows: 11 at most for a bloc administrator, the same at 10 rows and at 40.
MAX_QUERIES = 11


def url(model, view="changelist"):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def listed(client, path, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, query)
    assert response.status_code == 200
    return response, len(queries)


def column(response, name):
    """The text of a changelist column, row by row, as the admin renders it."""
    cl = response.context["cl"]
    index = list(cl.list_display).index(name)
    return [strip_tags(list(items_for_result(cl, row, None))[index]) for row in cl.result_list]


@pytest.fixture
def boss(client, tree):
    user = user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0]
    client.force_login(user)
    return user


class TestSessionChangelist:
    def test_unit_column_shows_the_label(self, client, boss, tree):
        make_session(tree["STP-VP"], topic="Một")
        make_session(tree["STP"], topic="Hai")
        response, _queries = listed(client, url(StudySession))
        assert sorted(column(response, "unit")) == [
            "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
            "Đảng bộ Sở Tư pháp",
        ]

    def test_query_count_is_the_same_at_two_sizes(self, client, boss, tree):
        populate(tree, 10)
        _response, with_10 = listed(client, url(StudySession))
        populate(tree, 30)
        response, with_40 = listed(client, url(StudySession))
        assert len(response.context["cl"].result_list) == 40
        assert with_40 == with_10
        assert with_40 <= MAX_QUERIES

    def test_search_by_the_parents_name_finds_its_cells_sessions(self, client, boss, tree):
        make_session(tree["KBNN-1"], topic="Của chi bộ 1")
        make_session(tree["STP-VP"], topic="Của chi bộ VP")
        response, _queries = listed(client, url(StudySession), q="Kho bạc")
        assert [s.topic for s in response.context["cl"].result_list] == ["Của chi bộ 1"]


class TestUnitChangelist:
    def test_parent_column_shows_the_parents_name_without_a_join(self, client, boss, tree):
        response, _queries = listed(client, url(Unit))
        names = dict(zip(column(response, "code"), column(response, "parent_unit"), strict=True))
        assert names == {
            "BLOC": "—",
            "STP": "Đảng bộ Khối các cơ quan tỉnh",
            "STP-VP": "Đảng bộ Sở Tư pháp",
            "STP-TT": "Đảng bộ Sở Tư pháp",
            "KBNN": "Đảng bộ Khối các cơ quan tỉnh",
            "KBNN-1": "Đảng bộ Kho bạc Nhà nước tỉnh",
            "KBNN-2": "Đảng bộ Kho bạc Nhà nước tỉnh",
            "BDV": "Đảng bộ Khối các cơ quan tỉnh",
        }

    def test_query_count_is_the_same_at_two_sizes(self, client, boss, tree):
        populate(tree, 10)
        _response, with_10 = listed(client, url(Unit))
        populate(tree, 30)
        response, with_40 = listed(client, url(Unit))
        assert len(response.context["cl"].result_list) == Unit.objects.count() == 48
        assert with_40 == with_10
        assert with_40 <= MAX_QUERIES

    def test_search_by_the_parents_name_finds_the_unit_and_its_children(self, client, boss, tree):
        response, _queries = listed(client, url(Unit), q="Sở Tư pháp")
        assert sorted(u.code for u in response.context["cl"].result_list) == ["STP", "STP-TT", "STP-VP"]

    def test_sorting_by_the_parent_column_follows_the_tree(self, client, boss, tree):
        index = ["code", "tree_name", "kind", "parent_unit", "host_agency", "is_active"].index("parent_unit")
        response, _queries = listed(client, url(Unit), o=str(index + 1))
        codes = [u.code for u in response.context["cl"].result_list]
        # Under the bloc first, then under STP, then under KBNN (the parents' tree order).
        assert codes[0] == "BLOC"
        assert codes[-4:-2] in (["STP-VP", "STP-TT"], ["STP-TT", "STP-VP"])
        assert sorted(codes[-2:]) == ["KBNN-1", "KBNN-2"]

    def test_subtree_filter_names_a_deep_unit_chosen_by_url_with_its_parent(self, client, boss, tree):
        response, _queries = listed(client, url(StudySession), unit="STP-VP")
        (subtree,) = [
            spec
            for spec in response.context["cl"].filter_specs
            if getattr(spec, "parameter_name", "") == "unit"
        ]
        assert subtree.lookup_choices[-1] == ("STP-VP", VP)
        assert ("STP", "\u2003Đảng bộ Sở Tư pháp") in subtree.lookup_choices


class TestRenameInTheAdmin:
    def test_renaming_a_committee_in_the_admin_relabels_its_cells(self, client, boss, tree):
        change = reverse("admin:units_unit_change", args=[tree["STP"].pk])
        data = form_data(client.get(change).content.decode(), "unit_form")
        data["name"] = ["Đảng bộ Sở Y tế"]
        response = client.post(change, data)
        assert response.status_code == 302, response.context["adminform"].errors
        response, _queries = listed(client, url(Unit), q="Sở Y tế")
        assert sorted(str(u) for u in response.context["cl"].result_list) == [
            "Chi bộ TT STP — Đảng bộ Sở Y tế",
            "Chi bộ VP STP — Đảng bộ Sở Y tế",
            "Đảng bộ Sở Y tế",
        ]


class TestOtherLists:
    def test_member_count_and_position_lists_show_the_label(self, client, boss, tree):
        official = make_official(full_name="Trần Văn Bình")
        make_position(official, tree["STP-VP"], title="Bí thư chi bộ")
        response, _queries = listed(client, reverse("admin:units_position_changelist"))
        assert column(response, "unit") == [VP]
        response, _queries = listed(client, url(Official))
        assert column(response, "titles") == [f"Bí thư chi bộ ({VP})"]

    def test_position_search_by_parent_name(self, client, boss, tree):
        make_position(make_official(), tree["KBNN-2"], title="Bí thư chi bộ")
        make_position(make_official(), tree["STP-VP"], title="Bí thư chi bộ")
        response, _queries = listed(client, reverse("admin:units_position_changelist"), q="Kho bạc")
        assert [p.unit.code for p in response.context["cl"].result_list] == ["KBNN-2"]

    def test_users_list_shows_the_label_and_finds_by_parent_name(self, client, boss, tree):
        user_grant(username="vp", unit_code="STP-VP", role=Role.UNIT_EDITOR)
        user_grant(username="kb", unit_code="KBNN-1", role=Role.UNIT_EDITOR)
        response, _queries = listed(client, reverse("admin:auth_user_changelist"), q="Sở Tư pháp")
        assert [u.username for u in response.context["cl"].result_list] == ["vp"]
        assert column(response, "unit") == [VP]


class TestChoosers:
    def test_unit_autocomplete_shows_labels_and_searches_parent_names(self, client, boss, tree):
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "activities", "model_name": "studysession", "field_name": "unit", "term": "Sở Tư"},
        )
        assert sorted(item["text"] for item in response.json()["results"]) == [
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            VP,
            "Đảng bộ Sở Tư pháp",
        ]

    def test_staff_session_form_offers_units_by_label(self, boss, tree):
        form = SessionForm(user=boss)
        options = [label for value, label in form.fields["unit"].choices if value]
        assert options == [
            "Đảng bộ Khối các cơ quan tỉnh",
            "Đảng bộ Sở Tư pháp",
            "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
            "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
            "Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ 1 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ 2 KBNN — Đảng bộ Kho bạc Nhà nước tỉnh",
            "Chi bộ Ban Dân vận Tỉnh ủy",
        ]
        assert f">{VP}</option>" in str(form["unit"])

    def test_staff_session_form_lists_units_in_one_query(self, boss, tree):
        form = SessionForm(user=boss)
        with CaptureQueriesContext(connection) as queries:
            str(form["unit"])
        assert len(queries) == 1
