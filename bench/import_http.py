"""
Importing study sessions as users do it: through the admin's HTTP views, against a plain bulk_create.

    python -m bench.import_http [--rows 10000] [--memory-rows 50000] [--repeat 3]
                                [--committees 100] [--cells 10] [--years 5]

On a throwaway database (SQLite, or DATABASE_URL's PostgreSQL) with the demo province:
an XLSX of --rows new sessions, written as the admin's export writes it (made once,
outside the timing), is posted to the import view by a logged-in user with
django.test.Client (upload, reading, checking, storing, the preview page), then the
preview's confirm form is posted (the rows written with their history). Each run is
rolled back. Beside it, in turns, bulk_create of the same rows. Targets: 3× each, and
the preview page under 1 MB.

The memory case runs the same preview and confirm of --memory-rows rows in a process
of its own (`python -m bench.import_http --worker`, against a copy of the database):
its high-water RSS as the operating system counts it, over the RSS of the same process
once set up and warmed by one small request (an idle worker). Target: 300 MB.
"""

import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import on_throwaway_database
from bench.province import built, province_parser

ROOT = Path(__file__).resolve().parent.parent
IMPORT_URL = "/admin/activities/studysession/import/"
CONFIRM_URL = "/admin/activities/studysession/process_import/"
PAGE_LIMIT = 2**20
MEMORY_LIMIT = 300 * 2**20


def main():
    parser = province_parser(__doc__.splitlines()[1], repeat=3)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--memory-rows", type=int, default=50000)
    parser.add_argument("--worker", help=argparse_hidden())
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    on_throwaway_database(run, args, "import-http")


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def run(args, connection):
    from bench.__main__ import print_table

    province, header = built(args, connection)
    print(f"{header}; {args.rows:,} rows to import, median of {args.repeat} runs")
    print_table(cases(province, args.repeat, connection, rows=args.rows, memory_rows=args.memory_rows))


def export_file(cells, rows, user):
    """An XLSX of `rows` new sessions as the admin's export writes it, and the same rows as model fields."""
    import tablib

    from activities.models import StudySession
    from activities.resources import StudySessionResource
    from bench.imports import new_sessions
    from tracker.imports.formats import SafeXLSX

    _dataset, objects = new_sessions(cells, rows, user)
    resource = StudySessionResource(user=user)
    exported = tablib.Dataset(headers=resource.get_export_headers())
    for values in objects:
        exported.append(resource.export_resource(StudySession(**values)))
    return SafeXLSX().export_data(exported), objects


def preview(client, data):
    """Post the file to the import view; the confirm form's fields, and the page's size."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("buoi.xlsx", data), "format": "0", "resource": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    form = re.search(r'<form id="confirm-import".*?</form>', page, re.S)
    assert form, "the preview offers no confirm: " + " | ".join(re.findall(r"<li>(.*?)</li>", page))[:3000]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))
    return fields, len(response.content)


def confirm(client, fields):
    # The file repeats monthly meetings the province holds: the user ticks the box that says so.
    response = client.post(CONFIRM_URL, {**fields, "resource": "0", "accept_duplicates": "on"})
    assert response.status_code == 302, response.status_code
    assert response["Location"].endswith("/admin/activities/studysession/"), response["Location"]


class Rollback(Exception):
    pass


def cases(province, repeat, connection, rows=10000, memory_rows=50000):
    from django.db import transaction
    from django.test import Client

    from activities.models import StudySession
    from bench.__main__ import CONSTANT, Result

    data, objects = export_file(province.cells, rows, province.superuser)
    client = Client()
    client.force_login(province.superuser)
    before = StudySession.objects.count()
    timings = {"bulk": [], "preview": [], "confirm": []}
    sizes = []
    for _ in range(repeat):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                StudySession.objects.bulk_create(
                    [StudySession(**fields) for fields in objects], batch_size=2000
                )
                timings["bulk"].append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
        try:
            with transaction.atomic():
                start = time.perf_counter()
                fields, size = preview(client, data)
                timings["preview"].append(time.perf_counter() - start)
                sizes.append(size)
                start = time.perf_counter()
                confirm(client, fields)
                timings["confirm"].append(time.perf_counter() - start)
                assert StudySession.objects.count() == before + rows
                raise Rollback
        except Rollback:
            pass
    baseline = statistics.median(timings["bulk"])
    results = [
        Result(
            f"admin import of {rows:,} sessions over HTTP, upload + preview",
            statistics.median(timings["preview"]),
            baseline,
            3,
            note=f"preview page {max(sizes) / 1024:,.0f} kB (≤ {PAGE_LIMIT / 1024:,.0f} kB: "
            f"{'holds' if max(sizes) <= PAGE_LIMIT else 'misses'})",
            growth=CONSTANT,
        ),
        Result(
            f"admin import of {rows:,} sessions over HTTP, confirm",
            statistics.median(timings["confirm"]),
            baseline,
            3,
            note=f"{rows / statistics.median(timings['confirm']):,.0f} rows/s",
            growth=CONSTANT,
        ),
    ]
    if memory_rows:
        results.append(memory_case(province, connection, memory_rows))
    return results


def memory_case(province, connection, rows):
    """The RSS high-water mark of a process of its own doing the preview and confirm of `rows` rows."""
    from bench.__main__ import BYTES, CONSTANT, Result

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-memory-"))
    data, _objects = export_file(province.cells, rows, province.superuser)
    upload = workdir / "upload.xlsx"
    upload.write_bytes(data)
    url, drop = database_copy(connection, workdir)
    try:
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-m", "bench.import_http", "--worker", str(upload)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        report = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        drop()
    grown = report["peak"] - report["idle"]
    return Result(
        f"memory of the process importing {rows:,} rows (preview and confirm), over idle",
        grown,
        target=MEMORY_LIMIT,
        measure=BYTES,
        growth=CONSTANT,
        note=f"RSS high-water {report['peak'] / 2**20:,.0f} MB, idle {report['idle'] / 2**20:,.0f} MB",
    )


def database_copy(connection, workdir):
    """A database another process can open holding what this one has: (its URL, a function that drops it)."""
    if connection.vendor == "sqlite":
        # The throwaway SQLite database lives in this process's memory: copy it to a file.
        path = workdir / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", lambda: None
    import psycopg

    settings = connection.settings_dict
    base = os.environ["DATABASE_URL"].rpartition("/")[0]
    name = f"{settings['NAME']}_memory"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.close()  # a template must have no other connection
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {settings['NAME']}")

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop


def rss():
    """(current RSS, high-water RSS) of this process in bytes, as the kernel counts them."""
    status = Path("/proc/self/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return int(found["VmRSS"]) * 1024, int(found["VmHWM"]) * 1024


def worker(upload):
    """In a process of its own: warm up, then preview and confirm the file; print the RSS as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as in production: no query log

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    assert client.get(IMPORT_URL).status_code == 200  # a worker that has served a page
    idle, _peak = rss()
    fields, _size = preview(client, Path(upload).read_bytes())
    confirm(client, fields)
    _current, peak = rss()
    print(json.dumps({"idle": idle, "peak": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
