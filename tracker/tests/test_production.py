"""
The production run as the README gives it: bin/deploy, then bin/serve (gunicorn with
WhiteNoise), with DEBUG off and the production variables, on a throwaway database.
"""

import gzip
import http.client
import json
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            return get(port, "/healthz")
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer")


@pytest.fixture
def production(tmp_path):
    port = free_port()
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "XDG_RUNTIME_DIR")
        },
        "HOME": str(tmp_path / "home"),
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PYTHON": sys.executable,
        "SKIP_INSTALL": "1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "",
    }
    deploy = subprocess.run([ROOT / "bin" / "deploy"], env=env, capture_output=True, text=True, timeout=300)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([ROOT / "bin" / "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield port, server, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_deploy_then_serve_with_gunicorn_and_whitenoise(production):
    port, server, folder = production
    status, headers, body = wait_for(port, server)
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

    # Plain http is sent to https, except the health check above.
    status, headers, _ = get(port, "/admin/login/")
    assert (status, headers["Location"]) == (301, "https://127.0.0.1/admin/login/")

    # Behind the TLS proxy: the Vietnamese login page.
    status, headers, body = get(port, "/admin/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Đăng nhập" in body.decode()

    # Static files under their hashed names, compressed, cached for a year.
    manifest = json.loads((folder / "static" / "staticfiles.json").read_text())
    stylesheet = manifest["paths"]["tracker/site.css"]
    assert stylesheet != "tracker/site.css"
    status, headers, body = get(
        port, f"/static/{stylesheet}", **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (ROOT / "static" / "tracker" / "site.css").read_bytes()

    # A wrong address: the Vietnamese 404 page, its stylesheet under the hashed name.
    status, headers, body = get(port, "/khong-co-trang-nay/", **{"X-Forwarded-Proto": "https"})
    assert (status, headers["Content-Language"]) == (404, "vi")
    assert "<h1>Không tìm thấy trang</h1>" in body.decode()
    assert f'<link rel="stylesheet" href="/static/{stylesheet}">' in body.decode()
    assert server.poll() is None
    assert not (folder / "home" / ".gunicorn").exists()  # no control socket


def test_gunicorn_opens_no_control_socket():
    # gunicorn 25.1+ opens a control socket under $XDG_RUNTIME_DIR or ~/.gunicorn by
    # default; every name the file sets must be one of gunicorn's own settings.
    from gunicorn.config import Config

    config = Config()
    names = {
        name: value
        for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items()
        if not name.startswith("_") and not isinstance(value, type(os))
    }
    assert set(names) <= set(config.settings)
    for name, value in names.items():
        config.set(name, value)
    assert config.control_socket_disable is True
