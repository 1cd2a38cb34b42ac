"""Benchmarks, run by hand (see bench/README.md)."""

import os
import statistics
import tempfile
import time


def on_throwaway_database(run, args, name):
    """
    Call run(args, connection) on a test database made for it and dropped after:
    a SQLite file in a temporary folder, or one on DATABASE_URL's PostgreSQL.
    Returns what run returns.
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
        return run(args, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(fn, repeat):
    """The median of `repeat` timings of fn(), in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def side_by_side(fn, baseline, repeat):
    """
    The medians of fn() and baseline(), in seconds, timed in turns so that the
    machine's ups and downs fall on both alike.
    """
    timings = ([], [])
    for _ in range(repeat):
        for fn_, times in zip((fn, baseline), timings, strict=True):
            start = time.perf_counter()
            fn_()
            times.append(time.perf_counter() - start)
    return statistics.median(timings[0]), statistics.median(timings[1])
