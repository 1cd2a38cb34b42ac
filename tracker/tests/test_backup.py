"""
`manage.py backup`, then a restore as the README gives it, into an empty database:
every table comes back row for row.
"""

import io
import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import populate
from seeds.services import seed_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(tree):
    seed_article()
    populate(tree, 3)


def tables():
    return sorted(connection.introspection.table_names())


def contents(cursor, names, quote):
    """{table: its rows in a stable order}."""
    every = {}
    for name in names:
        cursor.execute(f"SELECT * FROM {quote(name)}")
        every[name] = sorted(cursor.fetchall(), key=repr)
    return every


def backup_to(path):
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup; the PostgreSQL one is below")
def test_a_sqlite_backup_restores_every_table(data, tmp_path):
    message = backup_to(tmp_path / "backup.sqlite3")
    assert message.startswith(f"Đã sao lưu: {tmp_path / 'backup.sqlite3'} (")
    # Restore: copy the file where the database lives (here, an empty folder).
    restored_path = tmp_path / "restored" / "tracker.sqlite3"
    restored_path.parent.mkdir()
    shutil.copy(tmp_path / "backup.sqlite3", restored_path)

    names = tables()
    # Read as Django reads the database, with its converters (booleans, dates).
    restored = sqlite3.connect(restored_path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        restored_names = [
            row[0]
            for row in restored.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        assert restored_names == names
        with connection.cursor() as cursor:
            expected = contents(cursor, names, connection.ops.quote_name)
        assert contents(restored.cursor(), names, connection.ops.quote_name) == expected
    finally:
        restored.close()
    assert len(expected["activities_studysession"]) > 0 and len(expected["units_unit"]) > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backup; the SQLite one is above"
)
def test_a_postgresql_backup_restores_every_table(data, tmp_path):
    import psycopg

    settings = connection.settings_dict
    message = backup_to(tmp_path / "backup.dump")
    assert message.startswith(f"Đã sao lưu: {tmp_path / 'backup.dump'} (")
    target = f"{settings['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {target}")
        cursor.execute(f"CREATE DATABASE {target}")
    try:
        options = []
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                options += [option, str(settings[key])]
        restore = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                target,
                *options,
                tmp_path / "backup.dump",
            ],
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stderr

        def connect(name):
            return psycopg.connect(
                dbname=name, host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"]
            )

        names = tables()
        quote = connection.ops.quote_name
        with connect(settings["NAME"]) as source, connect(target) as restored:
            listed = restored.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
            assert [row[0] for row in listed] == names
            expected = contents(source.cursor(), names, quote)
            assert contents(restored.cursor(), names, quote) == expected
        assert len(expected["activities_studysession"]) > 0 and len(expected["units_unit"]) > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target}")


def test_a_backup_never_overwrites_a_file(data, tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "taken").write_text("keep me")
    with pytest.raises(CommandError, match="exists already"):
        backup_to(tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "keep me"
