"""
Two app servers on one database, as behind a load balancer: a file previewed on one
is confirmed on the other, over real HTTP with the browser's session cookie, and its
rows are written once. Each server is `manage.py runserver --noreload` in a process of
its own; they share only the database (the checked upload waits in its cache table):
a SQLite file, or, when DATABASE_URL names PostgreSQL, a database made beside it.
"""

import contextlib
import http.cookiejar
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mật-khẩu-thử-1"
SETUP = f"""
import django
django.setup()
from units.models import Role
from units.services import user_grant
from units.tests.factories import make_bloc, make_unit

bloc = make_bloc(code="BLOC", name="Đảng bộ Khối các cơ quan tỉnh")
committee = make_unit(bloc, code="STP", name="Đảng bộ Sở Tư pháp")
make_unit(committee, code="STP-VP", name="Chi bộ VP STP")
user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR, password={PASSWORD!r})
"""
CSV = (
    "Mã đơn vị,Loại buổi,Ngày,Chủ đề,Số có mặt,Số được triệu tập\r\n"
    "STP-VP,Sinh hoạt chuyên đề,05/02/2024,Về văn hóa,18,20\r\n"
    "STP-VP,Sinh hoạt định kỳ,26/02/2024,Tháng 2,17,20\r\n"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def wait_for(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server on port {port} did not answer")


@contextlib.contextmanager
def shared_database(folder):
    """The URL of an empty database both servers use, dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{folder / 'tracker.sqlite3'}"
        return
    import psycopg

    base, _, name = url.rpartition("/")
    name = f"{name}_two_servers"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    with shared_database(folder) as database:
        yield from serving(folder, database)


def serving(folder, database):
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for both, as in a deployment
        "STATIC_ROOT": str(folder / "static"),
    }
    manage(env, "manage.py", "migrate", "--noinput")
    manage(env, "manage.py", "createcachetable")
    manage(env, "-c", SETUP)
    ports, processes, logs = [free_port(), free_port()], [], []
    try:
        for port in ports:
            log = (folder / f"server-{port}.log").open("w")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_for(port, process)
        yield ports, database
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        for log in logs:
            log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: one cookie jar, whichever server answers."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def open(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx and 4xx, not followed
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self, url):
        status, _headers, page = self.open(url)
        assert status == 200, status
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, url, fields):
        return self.open(url, urllib.parse.urlencode(fields).encode())

    def post_file(self, url, fields, name, content):
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.open(url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def sessions_in(database):
    query = "SELECT topic FROM activities_studysession ORDER BY topic"
    if database.startswith("sqlite:///"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as connection:
            return connection.execute(query).fetchall()
    import psycopg

    with psycopg.connect(database) as connection:
        return connection.execute(query).fetchall()


def test_a_preview_made_on_one_server_is_confirmed_on_the_other_once(servers):
    (a, b), database = servers
    server_a, server_b = f"http://127.0.0.1:{a}", f"http://127.0.0.1:{b}"
    browser = Browser()

    token = browser.csrf(f"{server_a}/admin/login/")
    status, headers, _page = browser.post(
        f"{server_a}/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "alice", "password": PASSWORD, "next": "/admin/"},
    )
    assert (status, headers["Location"]) == (302, "/admin/")

    import_url = "/admin/activities/studysession/import/"
    token = browser.csrf(f"{server_a}{import_url}")
    status, _headers, page = browser.post_file(
        f"{server_a}{import_url}",
        {"csrfmiddlewaretoken": token, "format": "1", "encoding": "auto", "resource": "0"},
        "buoi.csv",
        CSV.encode(),
    )
    assert status == 200
    assert "<li>Dòng mới: <strong>2</strong></li>" in page
    form = re.search(r'<form id="confirm-import".*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert set(fields) >= {"csrfmiddlewaretoken", "import_file_name", "format"}
    assert sessions_in(database) == []  # the preview wrote nothing

    confirm_url = "/admin/activities/studysession/process_import/"
    changelist = "/admin/activities/studysession/"
    status, headers, _page = browser.post(f"{server_b}{confirm_url}", {**fields, "resource": "0"})
    assert (status, headers["Location"]) == (302, changelist)
    status, _headers, page = browser.open(f"{server_b}{changelist}")
    assert "Đã nhập xong: 2 thêm mới, 0 cập nhật, 0 xóa và 0 không đổi (buổi sinh hoạt)." in page
    assert sessions_in(database) == [("Tháng 2",), ("Về văn hóa",)]

    # The same confirm again, on either server: told it was imported, nothing written twice.
    for server in (server_a, server_b):
        status, headers, _page = browser.post(f"{server}{confirm_url}", {**fields, "resource": "0"})
        assert (status, headers["Location"]) == (302, changelist)
        _status, _headers, page = browser.open(f"{server}{changelist}")
        assert "Tệp này đã được nhập rồi; không nhập lại lần nữa." in page
    assert sessions_in(database) == [("Tháng 2",), ("Về văn hóa",)]
