"""Benchmarks, run by hand (see bench/README.md)."""

import os
import tempfile


def on_throwaway_database(run, args, name):
    """
    Call run(args, connection) on a test database made for it and dropped after:
    a SQLite file in a temporary folder, or one on DATABASE_URL's PostgreSQL.
    """
    workdir = tempfile.mkdtemp(prefix=f"bench-{name}-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/{name}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as in production: no query log
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
