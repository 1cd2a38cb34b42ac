"""
The import's confirm step taken twice: a double click, a reload, two tabs, or a
confirm naming a file the preview never stored. One import at most, never a 500.
"""

import os
import tempfile
import threading

import pytest
from django.urls import reverse

from activities.models import StudySession
from activities.tests.test_import_export import CONFIRM_URL, CSV, csv_file, dry_run, row
from tracker.imports.storage import ClaimableTempStorage, UploadState
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:activities_studysession_changelist")
IMPORTED = "Tệp này đã được nhập rồi; không nhập lại lần nữa."
BEING_IMPORTED = "Tệp này đang được nhập. Vui lòng chờ trong giây lát rồi xem lại danh sách."
UNKNOWN = "Tệp tải lên này không còn: đã hết hạn hoặc chưa từng được gửi. Vui lòng tải tệp lên lại."


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    monkeypatch.setattr(ClaimableTempStorage, "directory", str(tmp_path))
    return tmp_path


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


def test_a_second_confirm_of_the_same_upload_says_it_was_imported(client, people, uploads):
    confirm = preview(client, people["alice"])
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [
        "Đã nhập xong: 2 thêm mới, 0 cập nhật, 0 xóa và 0 không đổi (buổi sinh hoạt)."
    ]
    assert StudySession.objects.count() == 2
    history = StudySession.history.count()

    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [IMPORTED]
    assert StudySession.objects.count() == 2
    assert StudySession.history.count() == history
    assert sorted(os.listdir(uploads)) == [confirm["import_file_name"] + ".imported"]


def test_a_confirm_while_the_first_is_still_importing_is_told_to_wait(client, people):
    confirm = preview(client, people["alice"])
    first = ClaimableTempStorage(name=confirm["import_file_name"], read_mode="r", encoding="utf-8")
    assert first.claim()  # the first confirm has the file and has not finished

    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [BEING_IMPORTED]
    assert StudySession.objects.count() == 0
    assert first.read().startswith("tracker-import-table:1\n")  # the first one still reads the checked rows


def test_two_confirms_at_the_same_moment_claim_the_upload_once(uploads):
    stored = ClaimableTempStorage(read_mode="rb")
    stored.save(b"Ma don vi\r\nSTP\r\n")
    start = threading.Barrier(8)
    claims = []

    def confirm():
        storage = ClaimableTempStorage(name=stored.name, read_mode="rb")
        start.wait()
        claims.append(storage.claim())

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims) == [False] * 7 + [True]
    assert ClaimableTempStorage(name=stored.name).state() is UploadState.BEING_IMPORTED


def test_a_refused_confirm_asks_for_the_file_again_and_keeps_nothing(client, people, uploads):
    # Bob confirms Alice's upload: its units are not his, every row fails, nothing is written.
    confirm = preview(client, people["alice"])
    client.force_login(people["bob"])
    response = client.post(CONFIRM_URL, confirm)
    assert response["Location"] == reverse("admin:activities_studysession_import")
    shown = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert shown == [
        "Không nhập dòng nào: dòng 2 bị lỗi (Tổ chức đảng “STP-VP” không thuộc các đơn vị của bạn: "
        "bạn không được nhập dữ liệu cho đơn vị này.). Hãy sửa tệp rồi nhập lại."
    ]
    assert StudySession.objects.count() == 0
    assert os.listdir(uploads) == []
    client.force_login(people["alice"])
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
    ["invented", "../../etc/passwd", "/etc/passwd", "0123456789abcdef0123456789abcdef", "", "TEMP-FILE"],
)
def test_a_confirm_naming_a_file_the_preview_did_not_store_is_refused_unread(
    client, people, name, file_in_temp_folder
):
    confirm = preview(client, people["alice"])
    confirm["import_file_name"] = file_in_temp_folder if name == "TEMP-FILE" else name
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"), [("format", "9"), ("format", "-1"), ("format", "x"), ("resource", "3")]
)
def test_a_confirm_with_a_tampered_choice_is_refused(client, people, field, value, uploads):
    confirm = preview(client, people["alice"])
    confirm[field] = value
    assert messages_after(client, client.post(CONFIRM_URL, confirm)) == [UNKNOWN]
    assert StudySession.objects.count() == 0
    assert os.listdir(uploads) == [confirm["import_file_name"]]  # still there for the real confirm
