"""
The error pages, reached by real requests: Vietnamese, in the site's look, with a way home.

With DEBUG on, Django answers a 404, a 400 and a 500 with its technical pages for the
developer; the 403 and the expired-form page are the project's in both modes.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from units.models import Role
from units.services import user_grant

HOME_LINK = '<a class="button" href="/">Về trang chủ</a>'
STYLESHEET = '<link rel="stylesheet" href="/static/tracker/site.css">'
NOT_ATTACHED = "Tài khoản của bạn chưa được gắn với đơn vị nào. Hãy liên hệ quản trị viên."
GENERIC_403 = (
    "Tài khoản của bạn không được phép mở trang này. Nếu công việc cần đến, "
    "hãy đề nghị quản trị viên cấp quyền."
)
EXPIRED = "Trang đã hết hạn, hãy tải lại trang rồi gửi lại."


def assert_error_page(response, status, heading):
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Language"] == "vi"
    assert f"<h1>{heading}</h1>" in body
    assert HOME_LINK in body
    assert STYLESHEET in body
    return body


@pytest.fixture
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x")


@pytest.fixture
def unattached(db):
    """Staff, with no unit: the staff pages refuse them with a reason."""
    return get_user_model().objects.create_user("lan", is_staff=True)


def test_404_for_an_unknown_address(client):
    body = assert_error_page(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")
    assert "Trang bạn tìm không có hoặc đã bị gỡ bỏ." in body


def test_404_from_a_view(client, superuser):
    client.force_login(superuser)
    assert_error_page(client.get("/reports/1900/q1/"), 404, "Không tìm thấy trang")


def test_404_for_an_unknown_admin_page(client, superuser):
    client.force_login(superuser)
    assert_error_page(client.get("/admin/nonexistent/"), 404, "Không tìm thấy trang")


def test_admin_sends_a_guessed_record_home_with_a_vietnamese_message(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/activities/studysession/999999/change/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Không tìm thấy buổi sinh hoạt số 999999 trong các đơn vị của bạn: "
        "bản ghi đã bị xóa, hoặc thuộc đơn vị khác."
    ]


@pytest.mark.parametrize("debug", [False, True], indirect=True)
def test_403_on_a_staff_page_says_why(client, unattached, debug):
    client.force_login(unattached)
    body = assert_error_page(client.get("/"), 403, "Không có quyền truy cập")
    assert f"<p>{NOT_ATTACHED}</p>" in body
    assert GENERIC_403 not in body


@pytest.mark.parametrize("debug", [False, True], indirect=True)
def test_403_in_the_admin_says_the_generic_sentence(client, tree, debug):
    viewer, _created = user_grant(username="vy", unit_code="STP", role=Role.UNIT_VIEWER)
    client.force_login(viewer)
    body = assert_error_page(client.get("/admin/auth/user/"), 403, "Không có quyền truy cập")
    assert f"<p>{GENERIC_403}</p>" in body


def test_403_never_shows_a_library_message(client, settings):
    """CommonMiddleware refuses a listed user agent with the English "Forbidden user agent"."""
    import re

    settings.DISALLOWED_USER_AGENTS = [re.compile("BadBot")]
    body = assert_error_page(client.get("/", HTTP_USER_AGENT="BadBot/1.0"), 403, "Không có quyền truy cập")
    assert f"<p>{GENERIC_403}</p>" in body
    assert "Forbidden" not in body


def test_400_for_a_host_not_served(client):
    body = assert_error_page(client.get("/", HTTP_HOST="evil.example"), 400, "Yêu cầu không hợp lệ")
    assert "Máy chủ không hiểu được yêu cầu này." in body


@pytest.mark.urls("tracker.tests.error_urls")
def test_500_when_a_view_breaks():
    response = Client(raise_request_exception=False).get("/broken/")
    body = assert_error_page(response, 500, "Lỗi máy chủ")
    assert "RuntimeError" not in body
    assert "a bug in a view" not in body


@pytest.mark.urls("tracker.tests.error_urls")
def test_500_page_without_its_stylesheet_when_the_manifest_lacks_it(settings, tmp_path):
    """With DEBUG off, static files come from collectstatic's manifest; a missing entry raises."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    response = Client(raise_request_exception=False).get("/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Language"] == "vi"
    assert "<h1>Lỗi máy chủ</h1>" in body
    assert HOME_LINK in body
    assert "stylesheet" not in body


@pytest.mark.parametrize("debug", [False, True], indirect=True)
def test_expired_form_on_a_staff_page(tree, debug):
    alice, _created = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/sessions/new/", {"topic": "Chuyên đề"}, HTTP_REFERER="http://testserver/sessions/new/"
    )
    body = assert_error_page(response, 403, "Trang đã hết hạn")
    assert f"<p>{EXPIRED}</p>" in body
    assert '<a class="button" href="http://testserver/sessions/new/">Tải lại trang</a>' in body


@pytest.mark.parametrize("debug", [False, True], indirect=True)
def test_expired_sign_in_form(db, debug):
    """No referer from another site is followed back: the link reloads the form's own page."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/?next=/",
        {"username": "alice", "password": "x"},
        HTTP_REFERER="https://elsewhere.example/",
    )
    body = assert_error_page(response, 403, "Trang đã hết hạn")
    assert '<a class="button" href="/admin/login/?next=/">Tải lại trang</a>' in body
