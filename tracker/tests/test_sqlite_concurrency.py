"""
SQLite for a small office: several people saving at once wait their turn instead of
failing with "database is locked". Real threads, each with its own connection, on a
SQLite file, in a process of their own (the test database lives in memory).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "office.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env


def writers(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "tracker.tests.sqlite_writers", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_eight_people_saving_at_once_all_get_saved(database):
    report = writers(database, "race", "8", "25")
    assert report["errors"] == []
    assert report["topics"] == sorted(f"race {n}-{i}" for n in range(8) for i in range(25))
    assert report["journal_mode"] == "wal"


def test_two_saves_that_both_read_first_wait_for_each_other(database):
    report = writers(database, "crossing")
    assert report["errors"] == []
    assert report["topics"] == ["first", "second"]


def test_without_immediate_transactions_the_second_save_fails(database):
    # What the settings prevent: SQLite's default transactions take the write lock
    # only at the first write, too late to wait for it.
    report = writers(database, "crossing", "--deferred")
    assert report["errors"] == ["database is locked"]
    assert report["topics"] == ["first"]
