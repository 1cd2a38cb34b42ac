import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_ok_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}


def test_healthz_takes_only_get(client):
    assert client.post("/healthz").status_code == 405


# A process of its own with DATABASE_URL naming a SQLite file (the test database lives
# in memory): settings decide at start how that file is opened.
HEALTH_CHECK = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="localhost")
print(response.status_code, response.content.decode())
"""


def run(env, *args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "tracker.sqlite3"
    env = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    return path, env


def test_a_missing_sqlite_file_is_unhealthy_and_not_created(sqlite_file):
    path, env = sqlite_file
    result = run(env, "-c", HEALTH_CHECK)
    assert result.stdout == '503 {"status": "error", "database": "unavailable"}\n', result.stderr
    assert not path.exists()


def test_an_empty_database_is_unhealthy(sqlite_file):
    path, env = sqlite_file
    sqlite3.connect(path).close()  # what a missing file became before: a database without tables
    assert path.exists()
    result = run(env, "-c", HEALTH_CHECK)
    assert result.stdout == '503 {"status": "error", "database": "unavailable"}\n', result.stderr


MIGRATE_FROM_CODE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""


@pytest.mark.parametrize(
    "migrate", [["manage.py", "migrate", "--noinput"], ["-c", MIGRATE_FROM_CODE]], ids=["command", "code"]
)
def test_migrate_creates_the_missing_file_and_then_all_is_well(sqlite_file, migrate):
    path, env = sqlite_file
    result = run(env, *migrate)
    assert result.returncode == 0, result.stderr
    assert path.exists()
    result = run(env, "-c", HEALTH_CHECK)
    assert result.stdout == '200 {"status": "ok", "database": "ok"}\n', result.stderr
