"""
A consistent snapshot of the whole database, taken while the app runs: SQLite's
online backup, or pg_dump for PostgreSQL. `manage.py backup` calls it; the README
says how to restore.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils import timezone

SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    pass


def default_path(folder, vendor):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"tracker-{stamp}{SUFFIX[vendor]}"


def backup(path=None, folder=None, using="default"):
    """Write the snapshot of database `using` to path (or a dated file in folder); return the path."""
    connection = connections[using]
    if connection.vendor not in SUFFIX:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    path = Path(path) if path else default_path(folder, connection.vendor)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already.")
    if connection.vendor == "sqlite":
        backup_sqlite(connection, path)
    else:
        backup_postgresql(connection, path)
    return path


def backup_sqlite(connection, path):
    """SQLite's online backup: page by page, consistent even while others write."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        (check,) = target.execute("PRAGMA integrity_check").fetchone()
    finally:
        target.close()
    if check != "ok":
        path.unlink()
        raise BackupError(f"The copy failed its integrity check: {check}")


def backup_postgresql(connection, path):
    """pg_dump's custom format (compressed; pg_restore reads it), one snapshot of every table."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [pg_dump, "--format=custom", "--no-owner", "--file", str(path), "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
