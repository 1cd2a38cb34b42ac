"""Settings as a deployment meets them: run manage.py in a clean environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "tracker.example.vn",
    "DATABASE_URL": "sqlite:///:memory:",
}


# Set by the browser tests for themselves; never part of a deployment.
DEVELOPMENT_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    # A clean environment with the production variables; .env is read but never
    # overrides them.
    base = {
        key: value for key, value in os.environ.items() if key not in PRODUCTION.keys() | DEVELOPMENT_ONLY
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_missing_secret_key_with_debug_off_stops_the_start():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr


def test_empty_variables_copied_from_env_example_fall_back_to_the_defaults():
    empty = {"STATIC_ROOT": "", "BACKUP_DIR": "", "REPORT_PLACE": "", "REPORT_SIGNER_TITLE": ""}
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.STATIC_ROOT, s.BACKUP_DIR, s.REPORT_PLACE, s.REPORT_SIGNER_TITLE)",
        **PRODUCTION,
        **empty,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{ROOT / 'var' / 'static'} {ROOT / 'var' / 'backups'} Đồng Nai Bí thư\n"
