"""
The import's confirm step taken twice, by someone else, on another server, too late,
or naming an upload the preview never stored. One import at most, never a 500.
"""

import contextlib
import os
import tempfile
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.urls import reverse

from activities.models import StudySession
from activities.tests.test_import_export import CONFIRM_URL, CSV, csv_file, dry_run, row
from tracker.imports.storage import PendingUpload, UploadState
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:activities_studysession_changelist")
IMPORTED = "Tệp này đã được nhập rồi; không nhập lại lần nữa."
BEING_IMPORTED = "Tệp này đang được nhập. Vui lòng chờ trong giây lát rồi xem lại danh sách."
UNKNOWN = "Tệp tải lên này không còn: đã hết hạn hoặc chưa từng được gửi. Vui lòng tải tệp lên lại."
TWO_ADDED = "Đã nhập xong: 2 thêm mới, 0 cập nhật, 0 xóa và 0 không đổi (buổi sinh hoạt)."


@pytest.fixture(autouse=True)
def empty_uploads_table():
    yield
    # A transactional test commits its rows, and flushing after it empties only models' tables.
    caches["imports"].clear()


def stored_keys():
    """What waits in the uploads' cache table, as the storage names it (without the cache's version)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM tracker_import_uploads ORDER BY cache_key")
        return [key.split(":", 2)[2] for (key,) in cursor.fetchall()]


@pytest.fixture(autouse=True)
def no_uploads_of_other_tests(db):
    # The cache table is no model: the flush after a test on a live server (the browser
    # journeys, the two servers) leaves their checks there until they expire.
    caches["imports"].clear()


@pytest.fixture
def people(tree):
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "carol": user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }


def two_rows():
    return csv_file(
        [row(topic="Về văn hóa"), row(kind="Sinh hoạt định kỳ", date="26/02/2024", topic="Tháng 2")]
    )


def preview(client, user):
    client.force_login(user)
    response = dry_run(client, two_rows(), CSV)
    return {**response.context["confirm_form"].initial, "resource": "0"}


def messages_after(client, response):
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL
    return [str(message) for message in client.get(CHANGELIST_URL).context["messages"]]


def test_a_second_confirm_of_the_same_upload_says_it_was_imported(client, people):
    confirm = preview(client, people["alice"])
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [TWO_ADDED]
    assert StudySession.objects.count() == 2
    history = StudySession.history.count()

    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [IMPORTED]
    assert StudySession.objects.count() == 2
    assert StudySession.history.count() == history
    token = f"import:{people['alice'].pk}:{confirm['import_file_name']}"
    assert stored_keys() == [f"{token}:check", f"{token}:imported"]  # the preview's check stays to its end


def test_a_confirm_while_the_first_is_still_importing_is_told_to_wait(client, people):
    confirm = preview(client, people["alice"])
    first = PendingUpload(name=confirm["import_file_name"], user=people["alice"])
    assert first.claim()  # the first confirm has the upload and has not finished

    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [BEING_IMPORTED]
    assert StudySession.objects.count() == 0
    assert first.read().startswith("tracker-import-table:1\n")  # the first one still reads the checked rows


def test_another_users_token_finds_nothing_and_leaves_the_upload_alone(client, people):
    # Dave edits the same unit as Alice and may import its rows: only the token's owner stops him.
    dave = user_grant(username="dave", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    confirm = preview(client, people["alice"])
    client.force_login(dave)
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
    assert (
        PendingUpload(name=confirm["import_file_name"], user=people["alice"]).state() is UploadState.WAITING
    )

    client.force_login(people["alice"])
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [TWO_ADDED]
    assert StudySession.objects.count() == 2


def test_the_upload_waits_in_the_database_not_on_this_servers_disk(client, people, tmp_path, monkeypatch):
    # Another app server shares the database, not this one's temporary folder.
    local = tmp_path / "this-server"
    local.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(local))
    confirm = preview(client, people["alice"])
    token = f"import:{people['alice'].pk}:{confirm['import_file_name']}"
    assert stored_keys() == [token, f"{token}:check"]
    assert list(local.iterdir()) == []

    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [TWO_ADDED]
    assert StudySession.objects.count() == 2
    assert list(local.iterdir()) == []


def test_an_upload_not_confirmed_in_time_expires(client, people, settings):
    settings.IMPORT_UPLOAD_TTL = 1
    confirm = preview(client, people["alice"])
    time.sleep(1.1)  # the cache keeps whole seconds
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
    token = f"import:{people['alice'].pk}:{confirm['import_file_name']}"
    assert stored_keys() == [f"{token}:check"]  # read after its time, the upload's row went
    assert PendingUpload(name=confirm["import_file_name"], user=people["alice"]).read_check() is None
    assert stored_keys() == []  # and so did the check's


def test_a_preview_with_errors_keeps_only_its_check(client, people):
    client.force_login(people["alice"])
    response = dry_run(client, csv_file([row(unit="KBNN-1")]), CSV)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    token = response.context["check_url"].split("/")[-2]
    assert stored_keys() == [f"import:{people['alice'].pk}:{token}:check"]


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_the_same_moment_claim_the_upload_once(tree, monkeypatch):
    alice = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0]
    stored = PendingUpload(user=alice)
    stored.save("tracker-import-table:1\n{}")
    confirms = 8
    # Every confirm has read the upload before any of them deletes it: only the
    # delete's answer can tell them apart.
    all_read = threading.Barrier(confirms, timeout=30)
    # SQLite's in-memory test database is shared between the threads' connections, and
    # there a second writer is refused at once ("database table is locked") instead of
    # waiting as it does on a database file (busy timeout): on SQLite the cache's calls
    # take turns, as SQLite's single writer makes them do anyway. The deletes still come
    # after every confirm has read the upload, so only the delete's answer decides.
    turns = threading.RLock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def in_turn(method):
        def call(*args, **kwargs):
            with turns:
                return method(*args, **kwargs)

        return call

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(DatabaseCache, name, in_turn(getattr(DatabaseCache, name)))
    delete = in_turn(DatabaseCache.delete)

    def delete_when_all_have_read(cache, key, version=None):
        if key.endswith(stored.name):
            all_read.wait()
        return delete(cache, key, version=version)

    monkeypatch.setattr(DatabaseCache, "delete", delete_when_all_have_read)
    claims, errors = [], []

    def confirm():
        try:
            claims.append(PendingUpload(name=stored.name, user=alice).claim())
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(confirms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(claims) == [False] * (confirms - 1) + [True]
    assert PendingUpload(name=stored.name, user=alice).state() is UploadState.BEING_IMPORTED


def test_a_refused_confirm_asks_for_the_file_again_and_keeps_nothing(client, people):
    # Alice moves to another unit between the preview and the confirm: every row now fails.
    confirm = preview(client, people["alice"])
    user_grant(username="alice", unit_code="KBNN", role=Role.UNIT_EDITOR)
    response = client.post(CONFIRM_URL, confirm)
    assert response["Location"] == reverse("admin:activities_studysession_import")
    shown = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert shown == [
        "Không nhập dòng nào: dòng 2 bị lỗi (Tổ chức đảng “STP-VP” không thuộc các đơn vị của bạn: "
        "bạn không được nhập dữ liệu cho đơn vị này.). Hãy sửa tệp rồi nhập lại."
    ]
    assert StudySession.objects.count() == 0
    assert stored_keys() == [f"import:{people['alice'].pk}:{confirm['import_file_name']}:check"]
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0


def test_a_confirm_needs_the_import_permission(client, people):
    confirm = preview(client, people["alice"])
    client.logout()
    response = client.post(CONFIRM_URL, confirm)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(people["carol"])
    assert client.post(CONFIRM_URL, confirm).status_code == 403
    assert StudySession.objects.count() == 0


@pytest.fixture
def file_in_temp_folder():
    """A CSV the library's own storage would have read by its name from the temporary folder."""
    handle, path = tempfile.mkstemp(prefix="tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(two_rows().read().decode())
    yield os.path.basename(path)
    os.remove(path)


@pytest.mark.parametrize(
    "name",
    [
        "invented",
        "../../etc/passwd",
        "/etc/passwd",
        "0123456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF",
        "",
        "import:1:0123456789abcdef0123456789abcdef",
        "TEMP-FILE",
    ],
)
def test_a_confirm_naming_an_upload_the_preview_did_not_store_is_refused_unread(
    client, people, name, file_in_temp_folder
):
    confirm = preview(client, people["alice"])
    token = confirm["import_file_name"]
    confirm["import_file_name"] = {"TEMP-FILE": file_in_temp_folder}.get(name, name)
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
    assert PendingUpload(name=token, user=people["alice"]).state() is UploadState.WAITING


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("format", "9"),
        ("format", "-1"),
        ("format", "x"),
        ("format", "²"),
        ("resource", "3"),
        ("resource", "²"),
    ],
)
def test_a_confirm_with_a_tampered_choice_is_refused(client, people, field, value):
    confirm = preview(client, people["alice"])
    confirm[field] = value
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
    # Still there for the real confirm.
    assert (
        PendingUpload(name=confirm["import_file_name"], user=people["alice"]).state() is UploadState.WAITING
    )


def test_a_confirm_without_its_fields_or_by_get_is_refused(client, people):
    confirm = preview(client, people["alice"])
    assert messages_after(client, client.post(CONFIRM_URL, {})) == [UNKNOWN]
    assert messages_after(client, client.get(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
