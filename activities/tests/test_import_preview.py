"""
The preview of a long file: the counts, every error, the first rows, and the full
check as a file to download, for the user who made the preview only.
"""

import csv
import datetime
import io

import pytest
from django.core.cache import caches
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from activities.tests.test_import_export import CSV, HEADERS, csv_file, dry_run, row
from units.models import Role
from units.services import user_grant

pytestmark = pytest.mark.django_db

CHECK_HEADERS = ["Dòng trong tệp", "Kết quả", "Thông báo", *HEADERS]
BAD_DATE = "Ngày: “31/11/2026” không phải là ngày. Hãy ghi ngày/tháng/năm, ví dụ 05/02/2024."
GONE = "Kết quả kiểm tra này không còn: đã hết hạn hoặc chưa từng được tạo. Vui lòng kiểm tra lại tệp."


@pytest.fixture(autouse=True)
def empty_uploads_table():
    yield
    caches["imports"].clear()


@pytest.fixture
def people(tree):
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "carol": user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }


def monthly(count):
    """`count` monthly meetings of one cell, a day apart (no two of them on one occasion)."""
    first = datetime.date(2024, 1, 1)
    return [
        row(
            kind="Sinh hoạt định kỳ",
            date=(first + datetime.timedelta(days=n)).strftime("%d/%m/%Y"),
            topic=f"Sinh hoạt số {n}",
        )
        for n in range(count)
    ]


def check_of(client, response):
    download = client.get(response.context["check_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="kiem-tra-nhap-buoi-sinh-hoat.csv"'
    text = b"".join(download.streaming_content).decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_long_preview_shows_the_first_200_rows_and_says_how_many_are_not_shown(client, people):
    client.force_login(people["alice"])
    response = dry_run(client, csv_file(monthly(250)), CSV)
    page = response.content.decode()
    assert "<li>Dòng mới: <strong>250</strong></li>" in page
    assert page.count('<tr class="new">') == 200
    assert "Đang hiển thị 200 dòng đầu tiên; 50 dòng còn lại không hiển thị ở đây." in page
    assert page.count(f'href="{response.context["check_url"]}"') == 2  # by the counts, and below the rows
    assert 'name="confirm"' in page


def test_the_full_check_has_every_row_with_what_the_import_would_do(client, people):
    client.force_login(people["alice"])
    response = dry_run(client, csv_file(monthly(250)), CSV)
    rows = check_of(client, response)
    assert rows[0] == CHECK_HEADERS
    assert len(rows) == 251
    assert rows[1] == [
        "2",
        "Thêm mới",
        "",
        "STP-VP",
        "Sinh hoạt định kỳ",
        "01/01/2024",
        "Quý I/2024",
        "Sinh hoạt số 0",
        "Trực tiếp",
        "",
        "18",
        "20",
        "Không",
        "Có",
        "",
    ]
    assert [(line[0], line[1], line[7]) for line in rows[-1:]] == [("251", "Thêm mới", "Sinh hoạt số 249")]
    assert StudySession.objects.count() == 0  # neither the preview nor the download wrote anything


def test_the_check_of_a_file_with_errors_has_every_error_beside_its_row_and_column(client, people):
    client.force_login(people["alice"])
    rows = [row(topic="Đúng"), row(date="31/11/2026", topic="Sai ngày"), row(topic="Đúng")]
    response = dry_run(client, csv_file(rows), CSV)
    page = response.content.decode()
    assert "<li>Dòng có lỗi: <strong>2</strong></li>" in page
    assert "confirm_form" not in response.context
    check = check_of(client, response)
    assert [line[:3] for line in check[1:]] == [
        ["2", "Thêm mới", ""],
        ["3", "Lỗi", BAD_DATE],
        ["4", "Lỗi", "Dòng này trùng với dòng 2 của tệp."],
    ]
    assert check[2][7] == "Sai ngày"  # the row's values beside its error


def test_only_the_user_who_made_the_preview_downloads_its_check(client, people):
    client.force_login(people["alice"])
    url = dry_run(client, csv_file(monthly(3)), CSV).context["check_url"]
    import_page = reverse("admin:activities_studysession_import")

    client.force_login(people["bob"])  # another unit's editor: the token is not his
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, import_page)
    assert [str(m) for m in client.get(import_page).context["messages"]] == [GONE]

    client.force_login(people["carol"])  # may read, may not import
    assert client.get(url).status_code == 403

    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    client.force_login(people["alice"])
    assert client.get(url.replace(url.split("/")[-2], "0" * 32)).status_code == 302  # a guessed token
    assert client.get(url.replace(url.split("/")[-2], "not-a-token")).status_code == 302
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [3, 300])
def test_the_download_reads_the_stored_check_in_a_few_queries(
    client, people, django_assert_max_num_queries, count
):
    client.force_login(people["alice"])
    url = dry_run(client, csv_file(monthly(count)), CSV).context["check_url"]
    # The session, the user, the permissions (two), the stored check: the same for any file.
    with django_assert_max_num_queries(5):
        response = client.get(url)
        assert len(b"".join(response.streaming_content).splitlines()) == count + 1


def test_the_preview_page_does_not_grow_with_the_file(client, people):
    client.force_login(people["alice"])
    small = dry_run(client, csv_file(monthly(300)), CSV).content
    large = dry_run(client, csv_file(monthly(1000)), CSV).content
    assert small.count(b'<tr class="new">') == large.count(b'<tr class="new">') == 200
    # Only the numbers differ (counts, row numbers, dates): a 10,000-row page is as small.
    assert abs(len(large) - len(small)) < 2048
    assert len(large) < 200 * 1024


def test_the_check_names_updates_and_possible_duplicates(client, people, tree):
    stored = make_session(tree["STP-VP"], kind=StudySession.Kind.MONTHLY, date=datetime.date(2024, 1, 1))
    updated = make_session(tree["STP-VP"], topic="Về văn hóa", attended=10)
    client.force_login(people["alice"])
    rows = monthly(2) + [row(topic="Về văn hóa")]
    response = dry_run(client, csv_file(rows), CSV)
    check = check_of(client, response)
    assert [line[:3] for line in check[1:]] == [
        [
            "2",
            "Thêm mới",
            f"có thể trùng: {stored}: {stored.topic}",
        ],
        ["3", "Thêm mới", ""],
        ["4", "Cập nhật", ""],
    ]
    assert check[3][10] == "10 → 18"  # Số có mặt, old → new
    assert StudySession.objects.get(pk=updated.pk).attended == 10
