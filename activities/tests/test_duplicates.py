"""
One meeting logged twice, by a clerk's import and a secretary's form, with the topic
spelled differently: the form warns and asks, the import preview marks the rows and
asks, and a unit editor can delete the wrong entry from the staff pages.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import StudySession
from activities.tests.conftest import as_user
from activities.tests.factories import make_session
from activities.tests.test_import_export import CONFIRM_URL, XLSX, dry_run, row, xlsx_file
from activities.tests.test_views import session_post

pytestmark = pytest.mark.django_db

NOT_DUPLICATE = "Vẫn lưu: đây không phải buổi trùng"
ASK = (
    "Hãy xem lại buổi đã ghi nhận ở trên. Nếu đây là một buổi khác, hãy đánh dấu "
    "“Vẫn lưu: đây không phải buổi trùng” rồi lưu lại."
)


def stored(unit, kind, date):
    return StudySession.objects.get(unit=unit, kind=kind, date=date)


class TestSessionForm:
    def test_a_meeting_already_logged_that_day_is_named_and_not_saved(self, client, people, tree):
        existing = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        before = StudySession.objects.count()
        as_user(client, people, "alice")
        post = session_post(tree["STP-VP"], kind="monthly", date="25/01/2024", topic="Họp chi bộ tháng Một")
        response = client.post("/sessions/new/", post)
        assert response.status_code == 200
        form = response.context["form"]
        assert form.duplicates == [existing]
        assert (
            form.duplicate_notice
            == "Chi bộ VP STP — Đảng bộ Sở Tư pháp đã có buổi “Sinh hoạt định kỳ” ngày 25/01/2024:"
        )
        assert form.errors == {"not_duplicate": [ASK]}
        body = response.content.decode()
        link = (
            f'<a href="/sessions/{existing.pk}/edit/">Sinh hoạt định kỳ — Chi bộ VP STP — Đảng bộ Sở Tư pháp — 25/01/2024: '
            "monthly 2024-01-25</a>"
        )
        assert link in body
        assert f'<label for="id_not_duplicate">{NOT_DUPLICATE}</label>' in body
        assert StudySession.objects.count() == before

        saved = client.post("/sessions/new/", {**post, "not_duplicate": "on"})
        assert saved.status_code == 302
        assert StudySession.objects.filter(unit=tree["STP-VP"], date=datetime.date(2024, 1, 25)).count() == 2

    def test_a_second_thematic_session_in_the_quarter_is_a_possible_duplicate(self, client, people, tree):
        existing = stored(tree["STP-VP"], "thematic", datetime.date(2024, 2, 15))
        as_user(client, people, "alice")
        response = client.post(
            "/sessions/new/", session_post(tree["STP-VP"], date="28/03/2024", topic="Khác")
        )
        form = response.context["form"]
        assert form.duplicates == [existing]
        assert (
            form.duplicate_notice
            == "Chi bộ VP STP — Đảng bộ Sở Tư pháp đã có buổi sinh hoạt chuyên đề trong Quý I/2024:"
        )
        # An undated thematic session in the same quarter is one too.
        response = client.post(
            "/sessions/new/",
            session_post(tree["STP-VP"], date="", year="2024", quarter="1", topic="Không ngày"),
        )
        assert response.context["form"].duplicates == [existing]

    def test_another_day_or_kind_or_quarter_is_saved_without_asking(self, client, people, tree):
        as_user(client, people, "alice")
        for post in [
            session_post(tree["STP-VP"], kind="monthly", date="24/01/2024", topic="A"),
            session_post(tree["STP-VP"], kind="training", date="25/01/2024", topic="B"),
            session_post(tree["STP-VP"], date="01/04/2024", topic="C"),
            session_post(tree["STP-TT"], kind="monthly", date="31/03/2024", topic="D"),
        ]:
            assert client.post("/sessions/new/", post).status_code == 302

    def test_a_correction_that_keeps_the_day_is_not_asked_again(self, client, people, tree):
        first = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        second = make_session(
            tree["STP-VP"], kind="monthly", date=datetime.date(2024, 1, 25), topic="Lần hai"
        )
        as_user(client, people, "alice")
        post = session_post(
            tree["STP-VP"],
            kind="monthly",
            date="25/01/2024",
            topic="Lần hai",
            attended="9",
            version=second.version,
        )
        assert client.post(f"/sessions/{second.pk}/edit/", post).status_code == 302
        # Moved onto another day that already has one: asked.
        response = client.post(f"/sessions/{first.pk}/edit/", {**post, "date": "26/02/2024", "version": 1})
        assert response.context["form"].duplicates == [
            stored(tree["STP-VP"], "monthly", datetime.date(2024, 2, 26))
        ]

    def test_another_units_sessions_are_never_named(self, client, people, tree):
        # Bob picks Alice's unit: refused as a choice, and nothing of hers is shown.
        as_user(client, people, "bob")
        response = client.post(
            "/sessions/new/", session_post(tree["STP-VP"], kind="monthly", date="25/01/2024")
        )
        assert response.status_code == 200
        assert response.context["form"].duplicates == []
        assert "monthly 2024-01-25" not in response.content.decode()
        # His own unit's meeting is named to him.
        response = client.post(
            "/sessions/new/", session_post(tree["KBNN-1"], kind="monthly", date="25/01/2024")
        )
        assert response.context["form"].duplicates == [
            stored(tree["KBNN-1"], "monthly", datetime.date(2024, 1, 25))
        ]

    def test_an_anonymous_visitor_is_asked_to_log_in(self, client, people, tree):
        response = client.post(
            "/sessions/new/", session_post(tree["STP-VP"], kind="monthly", date="25/01/2024")
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/sessions/new/"


class TestDelete:
    def test_an_editor_deletes_a_wrong_entry_of_their_unit_after_confirming(self, client, people, tree):
        session = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        as_user(client, people, "alice")
        edit = client.get(f"/sessions/{session.pk}/edit/").content.decode()
        assert f'<a class="button" href="/sessions/{session.pk}/delete/">Xóa</a>' in edit

        page = client.get(f"/sessions/{session.pk}/delete/")
        assert page.status_code == 200
        assert "Xóa buổi sinh hoạt này của Chi bộ VP STP — Đảng bộ Sở Tư pháp?" in page.content.decode()
        assert StudySession.objects.filter(pk=session.pk).exists()  # asking deletes nothing

        response = client.post(f"/sessions/{session.pk}/delete/")
        assert response.status_code == 302
        assert response["Location"] == "/units/STP-VP/2024/q1/"
        assert [str(m) for m in client.get(response["Location"]).context["messages"]] == [
            "Đã xóa buổi sinh hoạt. Bản ghi vẫn được lưu trong lịch sử thay đổi."
        ]
        assert not StudySession.objects.filter(pk=session.pk).exists()
        deleted = StudySession.history.filter(id=session.pk).latest()
        assert (deleted.history_type, deleted.history_user.username, deleted.topic) == (
            "-",
            "alice",
            "monthly 2024-01-25",
        )

    def test_another_units_session_is_not_found(self, client, people, tree):
        session = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        as_user(client, people, "bob")
        assert client.get(f"/sessions/{session.pk}/delete/").status_code == 404
        assert client.post(f"/sessions/{session.pk}/delete/").status_code == 404
        assert StudySession.objects.filter(pk=session.pk).exists()

    def test_a_viewer_cannot_delete_and_sees_no_button(self, client, people, tree):
        session = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        as_user(client, people, "carol")
        assert client.get(f"/sessions/{session.pk}/delete/").status_code == 403
        assert client.post(f"/sessions/{session.pk}/delete/").status_code == 403
        assert StudySession.objects.filter(pk=session.pk).exists()

    def test_an_anonymous_visitor_is_asked_to_log_in(self, client, people, tree):
        session = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        response = client.post(f"/sessions/{session.pk}/delete/")
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next=/sessions/{session.pk}/delete/"
        assert StudySession.objects.filter(pk=session.pk).exists()

    def test_only_get_and_post_are_answered(self, client, people, tree):
        session = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        as_user(client, people, "alice")
        assert client.put(f"/sessions/{session.pk}/delete/").status_code == 405
        assert StudySession.objects.filter(pk=session.pk).exists()


def duplicate_file():
    """Rows 2-6 as in the spreadsheet: two repeat stored sessions, two repeat each other, one is new."""
    return xlsx_file(
        [
            row(unit="STP-VP", kind="Sinh hoạt định kỳ", date="25/01/2024", topic="Họp chi bộ tháng Một"),
            row(unit="STP-VP", date="28/03/2024", topic="Về đạo đức"),
            row(unit="STP-TT", kind="Sinh hoạt định kỳ", date="27/03/2024", topic="Họp tháng Ba"),
            row(unit="STP-TT", kind="Sinh hoạt định kỳ", date="27/03/2024", topic="Sinh hoạt tháng 3"),
            row(unit="STP-TT", kind="Học tập sáng thứ Hai đầu tháng", date="04/03/2024", topic="Thứ Hai"),
        ]
    )


def marks(result):
    return [
        (
            row.row_in_file if hasattr(row, "row_in_file") else None,
            [session.pk for session in getattr(row, "duplicate_sessions", [])],
            getattr(row, "duplicate_rows", []),
        )
        for row in result.valid_rows()
    ]


class TestImport:
    def test_the_preview_marks_possible_duplicates_with_links(self, client, people, tree):
        monthly = stored(tree["STP-VP"], "monthly", datetime.date(2024, 1, 25))
        thematic = stored(tree["STP-VP"], "thematic", datetime.date(2024, 2, 15))
        as_user(client, people, "alice")
        response = dry_run(client, duplicate_file(), XLSX)
        result = response.context["result"]
        assert result.possible_duplicates == 4
        assert marks(result) == [
            (2, [monthly.pk], []),
            (3, [thematic.pk], []),
            (4, [], [5]),
            (5, [], [4]),
            (6, [], []),
        ]
        body = response.content.decode()
        assert body.count("<strong>có thể trùng</strong>") == 4
        assert (
            f'<a href="/admin/activities/studysession/{monthly.pk}/change/">'
            "Sinh hoạt định kỳ — Chi bộ VP STP — Đảng bộ Sở Tư pháp — 25/01/2024: monthly 2024-01-25</a>"
        ) in body
        assert "<li>dòng 5 của tệp</li>" in body
        assert (
            "4 dòng có thể trùng với buổi sinh hoạt đã ghi nhận hoặc với dòng khác trong tệp "
            "(được đánh dấu “có thể trùng” bên dưới)."
        ) in body
        assert 'name="accept_duplicates"' in body

    def test_confirming_without_the_choice_answers_the_preview_again_and_writes_nothing(self, client, people):
        as_user(client, people, "alice")
        before, history = StudySession.objects.count(), StudySession.history.count()
        confirm = {**dry_run(client, duplicate_file(), XLSX).context["confirm_form"].initial, "resource": "0"}
        response = client.post(CONFIRM_URL, confirm)
        assert response.status_code == 200
        assert response.context["confirm_form"].errors == {
            "accept_duplicates": [
                "Một số dòng có thể trùng với buổi sinh hoạt đã ghi nhận (được đánh dấu “có thể trùng”). "
                "Hãy kiểm tra lại; nếu đó là những buổi khác nhau, hãy đánh dấu vào ô bên dưới rồi xác nhận lại. "
                "Chưa có dữ liệu nào được nhập."
            ]
        }
        assert response.content.decode().count("<strong>có thể trùng</strong>") == 4
        assert (StudySession.objects.count(), StudySession.history.count()) == (before, history)

        # Ticked, the same upload is imported, once.
        response = client.post(CONFIRM_URL, {**confirm, "accept_duplicates": "on"})
        assert response.status_code == 302
        assert StudySession.objects.count() == before + 5
        assert client.post(CONFIRM_URL, {**confirm, "accept_duplicates": "on"}).status_code == 302
        assert StudySession.objects.count() == before + 5

    def test_a_file_without_possible_duplicates_needs_no_choice(self, client, people):
        as_user(client, people, "alice")
        before = StudySession.objects.count()
        response = dry_run(client, xlsx_file([row(unit="STP-TT", date="05/02/2024")]), XLSX)
        assert response.context["result"].possible_duplicates == 0
        assert 'name="accept_duplicates"' not in response.content.decode()
        confirm = {**response.context["confirm_form"].initial, "resource": "0"}
        assert client.post(CONFIRM_URL, confirm).status_code == 302
        assert StudySession.objects.count() == before + 1

    def test_another_units_sessions_are_not_named(self, client, people, tree):
        # Bob's file names only his units; Alice's meeting on the same day is not his to see.
        make_session(tree["STP-VP"], kind="monthly", date=datetime.date(2024, 3, 27), topic="Của Alice")
        as_user(client, people, "bob")
        upload = xlsx_file([row(unit="KBNN-1", kind="Sinh hoạt định kỳ", date="27/03/2024", topic="Của Bob")])
        response = dry_run(client, upload, XLSX)
        assert response.context["result"].possible_duplicates == 0
        assert "Của Alice" not in response.content.decode()

    def test_the_lookup_runs_the_same_queries_for_a_small_and_a_larger_file(self, client, people):
        as_user(client, people, "alice")

        def queries(copies):
            rows = []
            for n in range(copies):
                # Each repeats the stored meeting of 25/01 and the file's other rows of its kind.
                rows.append(row(unit="STP-VP", kind="Sinh hoạt định kỳ", date="25/01/2024", topic=f"Lần {n}"))
                rows.append(row(unit="STP-TT", date=f"{n % 28 + 1:02d}/02/2024", topic=f"Chuyên đề {n}"))
            with CaptureQueriesContext(connection) as captured:
                response = dry_run(client, xlsx_file(rows), XLSX)
            assert response.context["result"].possible_duplicates == 2 * copies
            return len(captured.captured_queries)

        queries(2)  # caches filled once per process (content types) are not the lookup's
        assert queries(2) == queries(20)
