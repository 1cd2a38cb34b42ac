"""Pages that leak, one per kind of leak the response scanner must catch."""

import json

from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import path
from django.views.generic import RedirectView

LEAKS = {
    "traceback": 'Traceback (most recent call last):\n  File "views.py", line 3',
    "project-path": f"Không đọc được {settings.BASE_DIR / 'var' / 'tracker.sqlite3'}",
    "site-packages": "/srv/venv/lib/python3.11/site-packages/django/db/backends/utils.py",
    "system-python": "/usr/lib/python3.11/json/decoder.py",
    "constraint": "Lỗi: session_natural_key_dated",
    "index": "session_unit_period_idx",
    "unique-together": "auth_permission_content_type_id_codename_01ab375a_uniq",
    "sqlite-error": "UNIQUE constraint failed: activities_studysession.unit_id",
    "postgresql-error": 'duplicate key value violates unique constraint "theme_natural_key"',
    "exception-name": "IntegrityError",
    "stock-english": "Please correct the error below.",
    "stock-constraint": "Constraint “x” is violated.",
}


def html(request, kind):
    return HttpResponse(f"<p>{LEAKS[kind]}</p>")


def plain(request, kind):
    return HttpResponse(LEAKS[kind], content_type="text/plain; charset=utf-8")


def as_json(request, kind):
    return JsonResponse({"error": LEAKS[kind]})


def csv(request, kind):
    return HttpResponse(LEAKS[kind], content_type="text/csv")


def stream(request, kind):
    return FileResponse(iter([LEAKS[kind].encode()]), content_type="text/html")


def invalid_json(request, kind):
    return HttpResponse(json.dumps({"error": LEAKS[kind]})[:-1], content_type="application/json")


urlpatterns = [
    path("html/<str:kind>/", html),
    path("plain/<str:kind>/", plain),
    path("json/<str:kind>/", as_json),
    path("csv/<str:kind>/", csv),
    path("stream/<str:kind>/", stream),
    path("invalid-json/<str:kind>/", invalid_json),
    path("moved/", RedirectView.as_view(url="/html/traceback/")),
]
