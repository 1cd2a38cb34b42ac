"""The response scanner (tracker/tests/response_scanner.py) catches each kind of leak."""

import pytest
from django.test import Client

from tracker.tests.leaky_urls import LEAKS
from tracker.tests.response_scanner import constraint_names

pytestmark = pytest.mark.urls("tracker.tests.leaky_urls")

CAUGHT = pytest.fail.Exception


@pytest.mark.parametrize("kind", LEAKS)
@pytest.mark.parametrize("page", ["html", "plain", "json"])
def test_scanner_fails_the_test_that_received_a_leak(client, page, kind):
    with pytest.raises(CAUGHT) as caught:
        client.get(f"/{page}/{kind}/")
    assert f"The response to GET /{page}/{kind}/ (200) shows what no user should see" in str(caught.value)


def test_scanner_names_the_url_and_the_text():
    with pytest.raises(CAUGHT) as caught:
        Client().post("/html/constraint/?step=2")
    assert str(caught.value) == (
        "The response to POST /html/constraint/?step=2 (200) shows what no user should see:\n"
        "  'session_natural_key_dated' in “…<p>Lỗi: session_natural_key_dated</p>…”"
    )


def test_scanner_reads_the_admin_client_too(admin_client):
    with pytest.raises(CAUGHT):
        admin_client.get("/html/traceback/")


def test_scanner_reads_pages_a_redirect_leads_to(client):
    with pytest.raises(CAUGHT):
        client.get("/moved/", follow=True)


def test_scanner_reads_json_that_does_not_parse(client):
    with pytest.raises(CAUGHT):
        client.get("/invalid-json/constraint/")


def test_scanner_lets_english_stock_through_on_an_english_page(client):
    client.cookies["django_language"] = "en"
    assert client.get("/html/stock-english/").status_code == 200
    with pytest.raises(CAUGHT):
        client.get("/html/constraint/")


@pytest.mark.parametrize("page", ["csv", "stream"])
def test_scanner_leaves_downloads_alone(client, page):
    assert client.get(f"/{page}/constraint/").status_code == 200


def test_scanner_knows_every_declared_constraint_and_index():
    names = constraint_names()
    assert {
        "session_attended_within_expected",
        "declared_value_not_negative",
        "outreach_published_idx",
        "session_listing_idx",
    } <= set(names)
    assert "django_content_type_app_label_model_76bd3d3b_uniq" in names
    assert len(names) == 128
