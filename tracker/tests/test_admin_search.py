"""
The admin's lists at scale: search without accents or case and with a unit's parent,
found through one folded column (indexed on PostgreSQL); the year filter's choices
without reading every row; counts estimated only where the page says so; history
pages in a bounded number of queries.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Outreach, StudySession
from activities.tests.factories import make_outreach, make_session
from tracker.admin import CountPaginator, years_on_record
from tracker.text import search_fold, search_text
from units.models import Role, Unit
from units.services import user_grant
from units.tests.factories import make_unit

SESSIONS = reverse("admin:activities_studysession_changelist")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's index and estimates; CI runs the suite on it too"
)


@pytest.fixture
def searchable(tree):
    """Two cells named "Chi bộ Thanh tra", under the health department and under justice."""
    health = make_unit(tree["BLOC"], code="SYT", name="Đảng bộ Sở Y tế")
    health_inspection = make_unit(health, code="SYT-TT", name="Chi bộ Thanh tra")
    justice_inspection = make_unit(tree["STP"], code="STP-THANHTRA", name="Chi bộ Thanh tra")
    make_session(health_inspection, topic="Học tập chuyên đề năm 2024")
    make_session(justice_inspection, topic="Học tập chuyên đề quý I")
    make_session(tree["STP-VP"], topic="Chuyển đổi số hóa trong công tác Đảng")
    make_session(tree["KBNN-1"], topic="THANH TRA công vụ")
    make_session(tree["KBNN-2"], topic="Đoàn kết, dân chủ")
    return tree


def topics(response):
    assert response.status_code == 200
    return sorted(session.topic for session in response.context["cl"].result_list)


def test_search_folds_text_the_same_way_it_is_stored():
    assert search_fold("Chi bộ Thanh tra", "Đảng bộ Sở Y tế") == "chi bo thanh tra dang bo so y te"
    assert search_fold("05-CT/TW", "", None, "ĐOÀN  kết") == "05 ct tw doan ket"
    # Stored with each word after a space, so that a word is found by its start.
    assert search_text("Sở Y tế") == " so y te"


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("so hoa", ["Chuyển đổi số hóa trong công tác Đảng"]),
        ("SỐ HÓA", ["Chuyển đổi số hóa trong công tác Đảng"]),
        ("doan ket", ["Đoàn kết, dân chủ"]),
        ("ĐOÀN", ["Đoàn kết, dân chủ"]),
        (
            "THANH TRA",
            ["Học tập chuyên đề năm 2024", "Học tập chuyên đề quý I", "THANH TRA công vụ"],
        ),
        ("thanh tra y te", ["Học tập chuyên đề năm 2024"]),
        ("thanh tra tu phap", ["Học tập chuyên đề quý I"]),
        ('"tra cong"', ["THANH TRA công vụ"]),
        ("syt-tt", ["Học tập chuyên đề năm 2024"]),
        ("y tế hóa", []),
    ],
)
def test_session_search_ignores_accents_and_case_and_knows_the_parent(
    admin_client, searchable, term, expected
):
    assert topics(admin_client.get(SESSIONS, {"q": term})) == expected


def test_an_editor_searching_finds_only_their_subtree(client, searchable):
    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    assert topics(client.get(SESSIONS, {"q": "thanh tra"})) == ["Học tập chuyên đề quý I"]
    assert topics(client.get(SESSIONS, {"q": "y te"})) == []


def test_search_is_closed_to_another_unit_and_to_anonymous(client, searchable):
    client.force_login(user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0])
    assert topics(client.get(SESSIONS, {"q": "so hoa"})) == []
    client.logout()
    response = client.get(SESSIONS, {"q": "so hoa"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unit_search_ignores_accents_and_knows_the_parent(admin_client, searchable):
    response = admin_client.get(reverse("admin:units_unit_changelist"), {"q": "thanh tra y te"})
    assert [unit.code for unit in response.context["cl"].result_list] == ["SYT-TT"]


def session_search_text(unit):
    return sorted(StudySession.objects.filter(unit=unit).values_list("search_text", flat=True))


def test_renaming_a_unit_refolds_its_sessions_and_its_sub_units(admin_client, searchable):
    health = Unit.objects.get(code="SYT")
    health.name = "Đảng bộ Sở Y tế và Gia đình"
    health.save()
    cell = Unit.objects.get(code="SYT-TT")
    assert cell.search_text == " syt tt chi bo thanh tra dang bo so y te va gia dinh"
    assert session_search_text(cell) == [
        " hoc tap chuyen de nam 2024 syt tt chi bo thanh tra dang bo so y te va gia dinh"
    ]
    assert topics(admin_client.get(SESSIONS, {"q": "thanh tra gia dinh"})) == ["Học tập chuyên đề năm 2024"]


def test_moving_a_unit_refolds_its_sessions(admin_client, searchable):
    cell = Unit.objects.get(code="STP-THANHTRA")
    cell.parent = Unit.objects.get(code="KBNN")
    cell.save()
    assert session_search_text(cell) == [
        " hoc tap chuyen de quy i stp thanhtra chi bo thanh tra dang bo kho bac nha nuoc tinh"
    ]
    assert topics(admin_client.get(SESSIONS, {"q": "thanh tra kho bac"})) == [
        "Học tập chuyên đề quý I",
        "THANH TRA công vụ",
    ]
    assert topics(admin_client.get(SESSIONS, {"q": "thanh tra tu phap"})) == []


def test_a_unit_renamed_around_save_is_refolded_with_its_parent_names(searchable):
    Unit.objects.filter(code="SYT").update(name="Đảng bộ Sở Y tế tỉnh")
    Unit.objects.sync_parent_names()
    assert session_search_text(Unit.objects.get(code="SYT-TT")) == [
        " hoc tap chuyen de nam 2024 syt tt chi bo thanh tra dang bo so y te tinh"
    ]


def test_a_session_edited_in_the_admin_is_refolded(admin_client, searchable):
    session = StudySession.objects.get(topic="Đoàn kết, dân chủ")
    session.topic = "Nêu gương"
    session.save(update_fields=["topic"])
    session.refresh_from_db()
    assert session.search_text == " neu guong kbnn 2 chi bo 2 kbnn dang bo kho bac nha nuoc tinh"


def test_year_filter_offers_the_years_on_record_newest_first(admin_client, tree):
    for day in (datetime.date(2021, 5, 3), datetime.date(2024, 2, 5), datetime.date(2025, 1, 6)):
        make_session(tree["STP-VP"], date=day)
    make_session(tree["KBNN-1"], date=None, year=2023, quarter=4)
    make_session(tree["KBNN-1"], date=datetime.date(2019, 3, 4))
    response = admin_client.get(SESSIONS)
    year_filter = next(
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "year"
    )
    assert [choice for choice, _label in year_filter.lookup_choices] == [
        "2025",
        "2024",
        "2023",
        "2021",
        "2019",
    ]
    # Scoped: an editor's choices are their subtree's years only.
    editor = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    assert years_on_record(StudySession.objects.visible_to(editor), "year") == [2025, 2024, 2021]


def test_year_filter_on_a_date_reads_a_bounded_number_of_rows(tree):
    for day in (datetime.date(2020, 1, 1), datetime.date(2022, 12, 31), datetime.date(2024, 6, 1)):
        make_outreach(tree["STP-VP"], published_on=day, channel=Outreach.Channel.WEBSITE)
    make_outreach(tree["STP-VP"], published_on=None, is_regular=True, channel=Outreach.Channel.PRESS)
    with CaptureQueriesContext(connection) as queries:
        assert years_on_record(Outreach.objects.all(), "published_on__year") == [2024, 2022, 2020]
    assert len(queries) == 3
    assert years_on_record(Outreach.objects.none(), "published_on__year") == []


def test_year_filter_queries_do_not_grow_with_rows_or_years(admin_client, tree):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(SESSIONS).status_code == 200
        return len(captured)

    for year in (2020, 2022, 2024):
        make_session(tree["STP-VP"], date=datetime.date(year, 3, 2))
    few = queries()
    for year in range(2015, 2025):
        for unit in ("STP-VP", "KBNN-1", "BDV"):
            make_session(tree[unit], date=datetime.date(year, 3, 3))
    assert queries() == few


def test_small_or_filtered_lists_are_counted_exactly(admin_client, searchable):
    response = admin_client.get(SESSIONS)
    assert response.context["cl"].result_count == 5
    assert response.context["cl"].paginator.estimated is False
    assert "khoảng" not in response.content.decode()
    response = admin_client.get(SESSIONS, {"q": "thanh tra"})
    assert response.context["cl"].result_count == 3
    assert "3 kết quả" in response.content.decode()


def test_an_estimated_count_says_about(admin_client, searchable, monkeypatch):
    monkeypatch.setattr(CountPaginator, "estimate_from", 0)
    response = admin_client.get(SESSIONS)
    cl, body = response.context["cl"], response.content.decode()
    if connection.vendor != "postgresql":
        # SQLite has no estimate: the page counts, and says the exact number.
        assert cl.paginator.estimated is False
        assert "khoảng" not in body and "5 buổi sinh hoạt" in body
        return
    # Any list is "large" here: the planner's estimate is shown, and said to be one.
    assert cl.paginator.estimated is True
    number = f"{cl.result_count:,}".replace(",", ".")
    assert f"khoảng {number} buổi sinh hoạt" in body
    assert f"khoảng {number} kết quả" in body
    # A list the planner expects to be small is counted exactly.
    monkeypatch.setattr(CountPaginator, "estimate_from", 10_000)
    response = admin_client.get(SESSIONS, {"q": "thanh tra"})
    assert response.context["cl"].paginator.estimated is False
    assert response.context["cl"].result_count == 3
    assert "khoảng" not in response.content.decode()


@postgresql_only
def test_the_search_reads_the_trigram_index(searchable):
    with connection.cursor() as cursor:
        # A few rows: a scan would win; without it, only the trigram index can serve the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        queryset = StudySession.objects.filter(search_text__contains="thanh").filter(
            search_text__contains="tra"
        )
        plan = json.dumps(json.loads(queryset.explain(format="json")))
    assert "session_search_trgm_idx" in plan


@postgresql_only
def test_the_unit_search_reads_the_trigram_index(searchable):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Unit.objects.filter(search_text__contains=" thanh").order_by().explain()
    assert "unit_search_trgm_idx" in plan


def test_history_page_queries_do_not_grow_with_entries(admin_client, tree):
    counts = {}
    for changes in (3, 12):
        session = make_session(tree["STP-VP"], topic=f"Lịch sử {changes}")
        for n in range(changes):
            session.attended = n
            session.save()
        url = reverse("admin:activities_studysession_history", args=[session.pk])
        admin_client.get(url)  # content types are read once per process
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        table = response.content.decode().split('id="change-history"')[1].split("</table>")[0]
        # Each entry named as the session is, with its unit and that unit's parent.
        label = "Sinh hoạt chuyên đề — Chi bộ VP STP — Đảng bộ Sở Tư pháp — 05/02/2024"
        assert table.count(label) == changes + 1
        counts[changes] = len(queries)
    # Login, the session, the entries and their count, the title's unit: none per entry.
    assert counts == {3: 6, 12: 6}


def test_imported_sessions_are_found_by_the_search(client, tree):
    from activities.tests.test_import_export import XLSX, import_file, row, xlsx_file

    client.force_login(user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0])
    import_file(client, xlsx_file([row(topic="Số hóa hồ sơ Đảng viên")]), XLSX)
    session = StudySession.objects.get()
    assert session.search_text == " so hoa ho so dang vien stp vp chi bo vp stp dang bo so tu phap"
    # A row read again updates the session in bulk: its search text is folded again.
    StudySession.objects.update(search_text="")
    import_file(client, xlsx_file([row(topic="Số hóa hồ sơ Đảng viên", **{"Số có mặt": "15"})]), XLSX)
    session.refresh_from_db()
    assert (session.attended, session.search_text) == (
        15,
        " so hoa ho so dang vien stp vp chi bo vp stp dang bo so tu phap",
    )
    assert topics(client.get(SESSIONS, {"q": "dang vien so hoa"})) == ["Số hóa hồ sơ Đảng viên"]


def test_unit_filter_lists_the_bloc_alone_when_too_many_units_sit_under_it(admin_client, tree, monkeypatch):
    from tracker.admin import UnitSubtreeFilter

    def choices():
        response = admin_client.get(SESSIONS)
        spec = next(
            s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == "unit"
        )
        return [code for code, _label in spec.lookup_choices]

    assert choices() == ["BLOC", "STP", "KBNN", "BDV"]
    monkeypatch.setattr(UnitSubtreeFilter, "max_listed", 2)
    assert choices() == ["BLOC"]
    # A unit chosen by URL is still shown as the current choice.
    response = admin_client.get(SESSIONS, {"unit": "KBNN"})
    spec = next(s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == "unit")
    assert [code for code, _label in spec.lookup_choices] == ["BLOC", "KBNN"]
