"""
Which database each read goes to when a read replica is configured (tracker/db_router.py,
ReplicaMiddleware), tried with real requests on the one test database: the router's
choices are recorded and every query still runs on the primary. The streaming replica
itself is tried in test_replica_streaming.py.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory, override_settings

from activities import reports
from activities.models import StudySession
from activities.tests.conftest import as_user
from tracker import db_router
from tracker.middleware import ReplicaMiddleware
from units.models import Role, Unit
from units.services import user_grant

ROOT = Path(__file__).resolve().parents[2]


class RecordingRouter(db_router.ReplicaRouter):
    """The replica router's choices, recorded; every query runs on the test database."""

    reads = []

    def db_for_read(self, model, **hints):
        chosen = super().db_for_read(model, **hints)
        self.reads.append((model._meta.label, chosen))
        return DEFAULT_DB_ALIAS


@pytest.fixture
def reads(settings, monkeypatch):
    """The (model, database) of every read, with the router and middleware a replica brings."""
    settings.DATABASE_ROUTERS = [RecordingRouter()]
    if "tracker.middleware.ReplicaMiddleware" not in settings.MIDDLEWARE:  # no REPLICA_DATABASE_URL
        settings.MIDDLEWARE = ["tracker.middleware.ReplicaMiddleware", *settings.MIDDLEWARE]
    monkeypatch.setattr(db_router, "replica_usable", lambda reads: True)
    RecordingRouter.reads = []
    return RecordingRouter.reads


def on(reads, database):
    return {label for label, chosen in reads if chosen == database}


# Beside the report apps' tables, what every page reads from the primary: the session and
# the user, and for a page (not a download) the user's permissions, for the menu.
SIGNED_IN = {"sessions.Session", "auth.User"}
MENU = {"auth.Permission"}

REPORTS = [
    ("/", SIGNED_IN | MENU),
    ("/reports/2024/q1/", SIGNED_IN | MENU),
    ("/reports/2024/q1/?format=xlsx", SIGNED_IN),
    ("/reports/2024/q1/?format=csv", SIGNED_IN),
    ("/reports/2024/", SIGNED_IN | MENU),
    ("/reports/2024/?format=xlsx", SIGNED_IN),
    ("/units/STP/2024/q1/", SIGNED_IN | MENU),
    ("/units/STP/2024/q1/?format=csv", SIGNED_IN),
    ("/units/STP/2024/q1/report/", SIGNED_IN | MENU),
    ("/units/STP/2024/q1/report/?format=docx", SIGNED_IN),
]


# Transactional: inside the test's own transaction every read stays on the primary.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url", "primary"), REPORTS)
def test_report_pages_and_downloads_read_the_report_tables_from_the_replica(
    client, people, reads, url, primary
):
    response = as_user(client, people, "alice").get(url)
    assert response.status_code == 200
    replica = on(reads, "replica")
    assert {"units.Unit", "units.Membership"} <= replica
    assert {label.split(".")[0] for label in replica} <= {"units", "activities", "members", "reporting"}
    assert on(reads, "default") == primary


@pytest.mark.django_db(transaction=True)
def test_the_overview_s_own_query_reads_the_replica(client, people, reads, monkeypatch):
    asked = []

    class Connections:
        def __getitem__(self, alias):
            asked.append(alias)
            return connections[DEFAULT_DB_ALIAS]

    # The raw GROUP BY of the overview reads where the ORM reads the units.
    monkeypatch.setattr(reports, "connections", Connections())
    monkeypatch.setattr(reports, "router", db_router.ReplicaRouter())
    assert as_user(client, people, "carol").get("/reports/2024/q1/").status_code == 200
    assert asked == ["replica"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url",
    [
        "/sessions/new/",
        "/admin/",
        "/admin/activities/studysession/",
        "/admin/activities/studysession/?q=chuyên",
        "/admin/units/unit/",
        "/admin/activities/studysession/import/",
        "/admin/activities/studysession/export/",
    ],
)
def test_forms_and_the_admin_never_read_the_replica(client, people, reads, url):
    client.force_login(user_grant(username="dana", unit_code="BLOC", role=Role.BLOC_ADMIN)[0])
    reads.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert reads and on(reads, "replica") == set()


@pytest.mark.django_db(transaction=True)
def test_after_a_save_the_user_reads_the_primary_and_sees_it(client, people, reads, save_session):
    response = save_session(as_user(client, people, "alice"))
    assert response.status_code == 302
    cookie = response.cookies["recent_write"]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (5, True, "Lax")

    reads.clear()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [s.date.isoformat() for s in page.context["page"].sessions] == ["2026-11-25"]
    assert on(reads, "replica") == set()
    # Someone else, who saved nothing, reads the replica.
    reads.clear()
    as_user(Client(), people, "carol").get(response["Location"])
    assert "units.Unit" in on(reads, "replica")


@pytest.mark.django_db(transaction=True)
def test_a_post_keeps_the_user_on_the_primary_only_for_the_sticky_window(client, people, reads, settings):
    settings.REPLICA_STICKY_SECONDS = 1
    as_user(client, people, "alice")
    # Any POST pins, even one that writes nothing.
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    reads.clear()
    client.get("/reports/2024/q1/")
    assert on(reads, "replica") == set()
    time.sleep(2.1)
    reads.clear()
    client.get("/reports/2024/q1/")
    assert "units.Unit" in on(reads, "replica")


@pytest.mark.django_db(transaction=True)
def test_a_forged_cookie_does_not_pin_and_a_failed_save_still_does(client, people, reads):
    as_user(client, people, "alice")
    client.cookies["recent_write"] = "1"  # not signed: ignored
    client.get("/reports/2024/q1/")
    assert "units.Unit" in on(reads, "replica")
    refused = client.post("/sessions/new/", {"unit": "", "kind": "monthly"})
    assert refused.status_code == 200
    assert "recent_write" in refused.cookies
    reads.clear()
    client.get("/reports/2024/q1/")
    assert on(reads, "replica") == set()


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_and_of_other_apps_use_the_primary(monkeypatch):
    monkeypatch.setattr(db_router, "replica_usable", lambda reads: True)
    chosen = db_router.ReplicaRouter()
    assert chosen.db_for_read(StudySession) == "default"  # outside a report view
    with db_router.replica_reads():
        assert chosen.db_for_read(StudySession) == "replica"
        assert chosen.db_for_read(Unit) == "replica"
        assert chosen.db_for_read(StudySession.history.model) == "replica"
        # Sessions, users, the lockout and the uploads waiting for their confirm.
        for model in (Session, User, AccessAttempt, caches["imports"].cache_model_class):
            assert chosen.db_for_read(model) == "default"
        with transaction.atomic():
            assert chosen.db_for_read(StudySession) == "default"
        assert chosen.db_for_read(StudySession) == "replica"
        assert chosen.db_for_write(StudySession) == "default"
    assert chosen.db_for_read(StudySession) == "default"
    assert chosen.allow_migrate("default", "activities") is True
    assert chosen.allow_migrate("replica", "activities") is False
    assert chosen.allow_relation(object(), object()) is True


@pytest.mark.django_db
def test_the_suite_s_own_transaction_keeps_every_read_on_the_primary(client, people, reads):
    # A test (not transactional) runs in a transaction: the suite with a replica
    # configured reads the primary, where its rows are.
    as_user(client, people, "alice").get("/reports/2024/q1/")
    assert reads and on(reads, "replica") == set()


def test_a_streamed_download_reads_the_replica_while_it_is_sent(monkeypatch):
    monkeypatch.setattr(db_router, "replica_usable", lambda reads: True)
    chosen = db_router.ReplicaRouter()

    def chunks():
        yield chosen.db_for_read(StudySession)
        yield chosen.db_for_read(StudySession)

    @db_router.reads_replica
    def download(request):
        return StreamingHttpResponse(chunks())

    def handler(request):
        return middleware.process_view(request, download, (), {}) or download(request)

    middleware = ReplicaMiddleware(handler)
    response = middleware(RequestFactory().get("/"))
    assert chosen.db_for_read(StudySession) == "default"  # the view has returned
    assert b"".join(response.streaming_content) == b"replicareplica"
    assert chosen.db_for_read(StudySession) == "default"


def test_a_head_reads_the_replica_and_an_unmarked_view_does_not(monkeypatch):
    monkeypatch.setattr(db_router, "replica_usable", lambda reads: True)
    chosen = db_router.ReplicaRouter()

    def page(request):
        return HttpResponse(chosen.db_for_read(StudySession))

    marked = db_router.reads_replica(lambda request: page(request))

    def answer(view, request):
        middleware = ReplicaMiddleware(lambda r: middleware.process_view(r, view, (), {}) or view(r))
        return middleware(request).content

    factory = RequestFactory()
    assert answer(marked, factory.head("/")) == b"replica"
    assert answer(page, factory.get("/")) == b"default"
    with override_settings(REPLICA_STICKY_SECONDS=5):
        assert answer(marked, factory.post("/")) == b"default"


def settings_in_a_fresh_process(**env):
    base = {key: value for key, value in os.environ.items() if key != "REPLICA_DATABASE_URL"}
    code = (
        "from django.conf import settings as s;"
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, s.MIDDLEWARE[0], s.REPLICA_STICKY_SECONDS);"
        "print(s.DATABASES.get('replica', {}).get('PORT'), s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**base, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_without_a_replica_url_nothing_is_added():
    assert settings_in_a_fresh_process() == (
        "['default'] [] django.middleware.security.SecurityMiddleware 5\nNone None\n"
    )


def test_a_replica_url_adds_the_database_its_router_and_middleware():
    output = settings_in_a_fresh_process(
        REPLICA_DATABASE_URL="postgres://tracker@10.0.0.2:5433/tracker", REPLICA_STICKY_SECONDS="8"
    )
    assert output == (
        "['default', 'replica'] ['tracker.db_router.ReplicaRouter'] tracker.middleware.ReplicaMiddleware 8\n"
        "5433 default\n"
    )
