"""
A pytest plugin (loaded by the root conftest.py) that reads every response the suite's
test clients receive and fails the test when a page shows what no user should see:
a traceback, a path on the server, a database constraint's name, the database's own
error text, or Django's stock English on a Vietnamese page.

Every test is scanned, not only the error cases, so a leak is found wherever it shows.
There is no way to let a text through: a page that shows one is fixed, not excused.
"""

import contextlib
import json
from functools import cache

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

SCANNED_TYPES = {"text/html", "text/plain", "application/json"}

# Whatever the language: Python's and the databases' own words.
INTERNALS = [
    "Traceback",
    "site-packages",
    "/usr/lib/python",
    "IntegrityError",
    "OperationalError",
    "ProgrammingError",
    # SQLite: "UNIQUE constraint failed: …", "CHECK constraint failed: …", "NOT NULL …"
    "constraint failed",
    # PostgreSQL: "… violates unique constraint …", "… violates check constraint …"
    "violates unique constraint",
    "violates check constraint",
    "violates foreign key constraint",
    "violates not-null constraint",
]

# Django's stock English that the Vietnamese catalogue lacks; a page in English may say it.
ENGLISH_STOCK = [
    "is violated",
    "Please correct the error",
    "Constraint “",
]


@cache
def constraint_names():
    """
    The name of every constraint and index the models declare, and the names Django
    gives the unique_together indexes it creates (PostgreSQL puts them in its errors).
    """
    editor = connection.schema_editor()
    names = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        names.update(constraint.name for constraint in meta.constraints)
        names.update(index.name for index in meta.indexes)
        for fields in meta.unique_together:
            columns = [meta.get_field(field).column for field in fields]
            names.add(editor._create_index_name(meta.db_table, columns, suffix="_uniq"))
    return sorted(names)


def forbidden_texts(language):
    texts = [*INTERNALS, str(settings.BASE_DIR), *constraint_names()]
    if language == "vi":
        texts += ENGLISH_STOCK
    return texts


def response_text(response):
    """The body as a user reads it, or None for what is not scanned (files, streams)."""
    if response.streaming:
        return None
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in SCANNED_TYPES:
        return None
    text = response.content.decode(response.charset or "utf-8", errors="replace")
    if content_type == "application/json":
        # JSON escapes "“" and other non-ASCII characters; compare them as shown.
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def leaks(response):
    """Each forbidden text the response shows, with a little of what surrounds it."""
    text = response_text(response)
    if text is None:
        return []
    found = []
    for forbidden in forbidden_texts(response.get("Content-Language", settings.LANGUAGE_CODE)):
        at = text.find(forbidden)
        if at < 0:
            continue
        around = " ".join(text[max(at - 60, 0) : at + len(forbidden) + 60].split())
        found.append(f"{forbidden!r} in “…{around}…”")
    return found


@pytest.fixture(autouse=True)
def response_scanner(monkeypatch):
    """Every request a django.test.Client (or a subclass) makes in this test is scanned."""
    send = Client.request

    def scanned_request(client, **environ):
        response = send(client, **environ)
        found = leaks(response)
        if found:
            url = f"{response.wsgi_request.method} {response.wsgi_request.get_full_path()}"
            pytest.fail(
                f"The response to {url} ({response.status_code}) shows what no user should see:\n  "
                + "\n  ".join(found),
                pytrace=False,
            )
        return response

    monkeypatch.setattr(Client, "request", scanned_request)
