"""
The read replica for real: a PostgreSQL hot standby streaming from the primary
(`bin/replica start`, REPLICA_DATABASE_URL=postgres://postgres@127.0.0.1:5433/<name>).
Pausing the standby's replay makes it lag on purpose, so a page shows from which
database it was read. Without a replica these tests are skipped with that message; in
CI (REPLICA_REQUIRED=1, set by .ci/run) they fail instead.
"""

import datetime
import os
import re
import socket
import time

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from activities.models import StudySession
from activities.tests.factories import make_session
from tracker.db_router import replica_reads
from units.models import Role
from units.services import user_grant

START = "Start a streaming replica with `bin/replica start` and set REPLICA_DATABASE_URL to it (see README)."
UNIT_PAGE = "/units/STP-TT/2026/q4/"

# Transactional: the replica sees only what the primary committed.
pytestmark = pytest.mark.django_db(
    transaction=True, databases=["default", "replica"] if "replica" in settings.DATABASES else ["default"]
)


def configured_replica():
    """The replica's own settings, or None when none is configured apart from the primary."""
    replica, primary = settings.DATABASES.get("replica"), settings.DATABASES[DEFAULT_DB_ALIAS]
    if replica is None or replica["ENGINE"] != "django.db.backends.postgresql":
        return None
    if (replica["HOST"], str(replica["PORT"])) == (primary["HOST"], str(primary["PORT"])):
        return None
    return replica


@pytest.fixture
def replica():
    """The "replica" connection, opened on the streaming replica, caught up with the primary."""
    configured = configured_replica()
    if configured is None:
        if os.environ.get("REPLICA_REQUIRED") == "1":
            pytest.fail(f"REPLICA_REQUIRED=1 but no streaming replica is configured. {START}")
        pytest.skip(START)
    connection = connections["replica"]
    mirror = connection.settings_dict
    # In tests Django points the replica alias at the primary's test database (TEST MIRROR
    # in settings), which the test run created as test_<name> on the primary. The standby
    # replays the whole cluster, so it holds that database too: open the same settings on
    # the replica's host and port. MIRROR stays, so that Django never flushes the standby.
    standby = {
        **mirror,
        "HOST": configured["HOST"],
        "PORT": configured["PORT"],
        "TEST": {**mirror["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }
    connection.close()
    connection.settings_dict = standby
    catch_up(connection)
    yield connection
    connection.close()
    connection.settings_dict = standby
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    connection.close()
    connection.settings_dict = mirror


def one(connection, statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def catch_up(connection, timeout=30):
    """Wait until the replica has replayed everything the primary has written so far."""
    written = one(connections[DEFAULT_DB_ALIAS], "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not one(connection, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]):
        assert time.monotonic() < deadline, "the replica did not catch up with the primary"
        time.sleep(0.05)


def pause_replay(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    while one(connection, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.05)


def signed_in(people, name):
    client = Client()
    client.force_login(people[name])
    return client


def apps(queries):
    """The apps whose tables the captured queries read: 'activities', 'units', 'auth', 'django', …"""
    return {
        app
        for query in queries
        for app in re.findall(r"\b(activities|units|auth|django|axes)_[a-z]", query["sql"])
    }


def test_the_replica_is_a_hot_standby_on_its_own_port(replica):
    assert one(replica, "SELECT pg_is_in_recovery()") is True
    assert one(replica, "SELECT inet_server_port()") == int(configured_replica()["PORT"])
    assert one(replica, "SELECT current_database()") == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]


def test_a_report_page_is_read_from_the_replica_and_the_admin_from_the_primary(people, replica):
    catch_up(replica)
    carol = signed_in(people, "carol")
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = carol.get("/reports/2024/q1/?unit=STP")
    assert response.status_code == 200
    assert [row.unit.code for row in response.context["rows"]] == ["STP", "STP-VP", "STP-TT"]
    # (The user's membership is ordered by the user's name: a join of auth_user.)
    assert apps(on_replica.captured_queries) == {"units", "activities", "auth"}
    assert apps(on_primary.captured_queries) == {"django", "auth"}  # the session, the user

    dana = Client()
    dana.force_login(user_grant(username="dana", unit_code="BLOC", role=Role.BLOC_ADMIN)[0])
    with CaptureQueriesContext(replica) as on_replica:
        assert dana.get("/admin/activities/studysession/").status_code == 200
        assert dana.get("/admin/units/unit/").status_code == 200
        assert dana.get("/sessions/new/").status_code == 200
    assert on_replica.captured_queries == []


def test_who_saved_reads_the_primary_and_the_others_the_replica_until_it_catches_up(
    people, save_session, replica
):
    catch_up(replica)
    pause_replay(replica)  # the replica lags from here on
    alice = signed_in(people, "alice")
    saved = save_session(alice)
    assert (saved.status_code, saved["Location"]) == (302, UNIT_PAGE)

    with CaptureQueriesContext(replica) as on_replica:
        own = alice.get(UNIT_PAGE)
    assert [s.date.isoformat() for s in own.context["page"].sessions] == ["2026-11-25"]
    assert on_replica.captured_queries == []

    carol = signed_in(people, "carol")
    with CaptureQueriesContext(replica) as on_replica:
        stale = carol.get(UNIT_PAGE)
    assert list(stale.context["page"].sessions) == []
    assert len(on_replica.captured_queries) > 0

    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    catch_up(replica)
    fresh = carol.get(UNIT_PAGE)
    assert [s.date.isoformat() for s in fresh.context["page"].sessions] == ["2026-11-25"]


def test_a_read_inside_a_transaction_sees_the_primary(people, tree, replica):
    catch_up(replica)
    before = StudySession.objects.count()
    pause_replay(replica)
    make_session(tree["STP-TT"], date=datetime.date(2026, 11, 25))
    with replica_reads():
        assert StudySession.objects.count() == before  # the lagging replica
        with transaction.atomic():
            assert StudySession.objects.count() == before + 1


def test_a_replica_that_does_not_answer_leaves_the_reports_on_the_primary(people, replica, caplog):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    replica.close()
    replica.settings_dict = {**replica.settings_dict, "PORT": port}
    carol = signed_in(people, "carol")
    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = carol.get("/reports/2024/q1/?unit=KBNN")
    assert response.status_code == 200
    assert [row.unit.code for row in response.context["rows"]] == ["KBNN", "KBNN-1", "KBNN-2"]
    assert {"units", "activities"} <= apps(on_primary.captured_queries)
    assert [record.getMessage() for record in caplog.records if record.name == "tracker.db_router"] == [
        "The read replica does not answer; this request reads the primary."
    ]
