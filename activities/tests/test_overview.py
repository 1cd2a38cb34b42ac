"""The quarter overview's finder: behind units, search, collapsed committees, sorting, downloads."""

import csv
import io

import pytest

from activities.models import DeclaredFigure
from activities.tests.conftest import as_user
from conftest import populate

pytestmark = pytest.mark.django_db

URL = "/reports/2024/q1/"


def codes(response, key="shown_rows"):
    assert response.status_code == 200
    return [row.unit.code for row in response.context[key]]


def test_committees_are_collapsed_to_one_row_with_their_cells_on_demand(client, people):
    as_user(client, people, "carol")
    response = client.get(URL)
    assert codes(response) == ["BLOC", "STP", "KBNN", "BDV"]
    assert codes(response, "rows") == ["BLOC", "STP", "STP-VP", "STP-TT", "KBNN", "KBNN-1", "KBNN-2", "BDV"]
    body = response.content.decode()
    assert (
        '<a class="toggle" href="?open=STP#u-STP" aria-expanded="false">Xem các đơn vị trực thuộc</a>' in body
    )
    assert '<a href="/units/STP/2024/q1/">Đảng bộ Sở Tư pháp</a> <small>(3 đơn vị)</small>' in body
    opened = client.get(URL + "?open=STP")
    assert codes(opened) == ["BLOC", "STP", "STP-VP", "STP-TT", "KBNN", "BDV"]
    assert '<a class="toggle" href="?#u-STP" aria-expanded="true">Thu gọn</a>' in opened.content.decode()
    assert codes(client.get(URL + "?open=STP&open=kbnn")) == codes(response, "rows")
    assert codes(client.get(URL + "?all=1")) == codes(response, "rows")


def test_a_committee_user_sees_the_cells_of_their_own_committee(client, people):
    assert codes(as_user(client, people, "alice").get(URL)) == ["STP", "STP-VP", "STP-TT"]


def test_the_behind_count_links_to_the_units_behind_with_their_committees(client, people):
    as_user(client, people, "carol")
    body = client.get(URL).content.decode()
    assert '<a class="button" href="?behind=1">2 đơn vị chậm: xem danh sách</a>' in body
    response = client.get(URL + "?behind=1")
    # STP-TT (no thematic session, two monthly) and KBNN-2 (two first-Monday sessions).
    assert codes(response) == ["BLOC", "STP", "STP-TT", "KBNN", "KBNN-2"]
    assert "Đang hiện 5 dòng: các đơn vị chậm và đảng bộ cấp trên của chúng." in response.content.decode()


def test_search_is_blind_to_accents_and_case_over_names_and_codes(client, people):
    as_user(client, people, "carol")
    assert codes(client.get(URL + "?q=ban+dan+VAN")) == ["BLOC", "BDV"]
    assert codes(client.get(URL + "?q=kho bạc")) == ["BLOC", "KBNN"]
    assert codes(client.get(URL + "?q=stp-t")) == ["BLOC", "STP", "STP-TT"]
    body = client.get(URL + "?q=zzz").content.decode()
    assert "Không có đơn vị nào phù hợp bộ lọc." in body


def test_filters_combine(client, people):
    as_user(client, people, "carol")
    assert codes(client.get(URL + "?q=chi+bo&behind=1")) == ["BLOC", "STP", "STP-TT", "KBNN", "KBNN-2"]
    assert codes(client.get(URL + "?q=stp&behind=1")) == ["BLOC", "STP", "STP-TT"]
    assert codes(client.get(URL + "?kind=cell&behind=1")) == ["STP-TT", "KBNN-2"]
    assert codes(client.get(URL + "?unit=KBNN&behind=1&sort=-name")) == ["KBNN", "KBNN-2"]
    # The behind link keeps the search and the scope.
    body = client.get(URL + "?unit=STP&q=tt").content.decode()
    assert 'href="?unit=STP&amp;q=tt&amp;behind=1"' in body


def test_sorting_by_name_and_by_a_tracked_kind(client, people):
    as_user(client, people, "carol")
    by_name = codes(client.get(URL + "?all=1&sort=name"))
    assert by_name == ["BLOC", "BDV", "KBNN", "KBNN-1", "KBNN-2", "STP", "STP-TT", "STP-VP"]
    by_name_down = codes(client.get(URL + "?all=1&sort=-name"))
    assert by_name_down == ["BLOC", "STP", "STP-VP", "STP-TT", "KBNN", "KBNN-2", "KBNN-1", "BDV"]
    # First-Monday sessions, the least on track first: STP (1/2 cells), KBNN (1/2), BDV (1/1);
    # within KBNN, KBNN-2 (2/3) before KBNN-1 (3/3).
    by_kind = codes(client.get(URL + "?all=1&sort=first_monday"))
    assert by_kind == ["BLOC", "STP", "STP-TT", "STP-VP", "KBNN", "KBNN-2", "KBNN-1", "BDV"]
    # Thematic date: units without a date (committees, the undated and the missing) last.
    by_date = codes(client.get(URL + "?all=1&sort=date"))
    assert by_date == ["BLOC", "BDV", "STP", "STP-VP", "STP-TT", "KBNN", "KBNN-2", "KBNN-1"]
    body = client.get(URL + "?sort=name").content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-name" class="sort sorted"' in body


def test_downloads_honour_the_filters_and_the_sort(client, people):
    as_user(client, people, "carol")
    response = client.get(URL + "?q=chi+bo&behind=1&sort=-name&format=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:6]] == ["BLOC", "STP", "STP-TT", "KBNN", "KBNN-2"]
    assert lines[6][0] == "Số đơn vị đạt / số đơn vị phải tổ chức"  # the rows end here


def test_a_committee_page_names_its_cells_behind(client, people):
    as_user(client, people, "carol")
    body = client.get("/units/STP/2024/q1/").content.decode()
    section = body[body.index('<section class="behind-units">') : body.index("</section>")]
    assert "1 đơn vị trực thuộc chậm" in section
    assert section.count("<li>") == 1
    assert (
        '<a href="/units/STP-TT/2024/q1/">Chi bộ TT STP — Đảng bộ Sở Tư pháp</a>: sinh hoạt chuyên đề: '
        "chưa tổ chức trong quý; sinh hoạt định kỳ: thiếu tháng 3; học tập sáng thứ Hai đầu tháng: "
        "thiếu tháng 1, 2, 3</li>"
    ) in section
    assert '<section class="behind-units">' not in client.get("/units/BDV/2024/q1/").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?sort=zzz",
        "?sort=-",
        "?sort=--name",
        "?q=" + "ả" * 10000,
        "?q=%00%01",
        "?open=../&open=%00",
        "?open=" + "&open=".join(["X"] * 500),
        "?behind=yes&all=2&kind=zzz",
        "?kind=cell&sort=-attendance&q=chi&behind=1&open=STP&all=1",
    ],
)
def test_malformed_filters_are_ignored(client, people, query):
    response = as_user(client, people, "carol").get(URL + query)
    assert response.status_code == 200


@pytest.mark.parametrize("unit", ["../", "KBNN", "BLOC", "%00", "x" * 5000])
def test_another_subtree_or_a_malformed_scope_is_not_found(client, people, unit):
    response = as_user(client, people, "alice").get(URL, {"unit": unit})
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["", "?all=1", "?behind=1&sort=-thematic", "?q=chi&sort=attendance"])
def test_the_overview_runs_the_same_queries_for_a_small_and_a_larger_dataset(
    client, people, tree, django_assert_num_queries, query
):
    DeclaredFigure.objects.filter(unit=tree["BDV"]).delete()
    as_user(client, people, "carol")
    with django_assert_num_queries(8):
        assert client.get(URL + query).status_code == 200
    populate(tree, 40)
    with django_assert_num_queries(8):
        assert client.get(URL + query).status_code == 200
