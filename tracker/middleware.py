from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import translation

from tracker import db_router


class DefaultLanguageMiddleware:
    """
    Vietnamese unless the user picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on the
    bloc's Windows desktops is often English. Here only the language cookie (set by
    the language switcher) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PrivatePagesMiddleware:
    """
    `Cache-Control: private, no-store` on every response to a signed-in user that sets
    none: pages, reports and downloads show a unit's data, which no shared proxy and
    no browser cache on an office's shared desktop may keep. The admin and the health
    check set their own; static files never reach here (WhiteNoise answers first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class ReplicaMiddleware:
    """
    Lets a GET or HEAD of a view marked @reads_replica read the replica
    (tracker/db_router.py), unless its user wrote something a moment ago.

    Any other request (a save, an import, a login) may have written, so its response
    carries a signed cookie with the time; for REPLICA_STICKY_SECONDS after it, longer
    than the replica takes to catch up, that user's reports read the primary, and what
    they just saved is on the next page they open, whichever app server answers.
    Installed only when REPLICA_DATABASE_URL is set.
    """

    cookie = "recent_write"
    salt = "tracker.middleware.ReplicaMiddleware"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_token", None)
            if token is not None:
                db_router.end_replica_reads(token)
        if token is not None and response.streaming and not response.is_async:
            # A streamed download reads as it is sent, after this returns.
            response.streaming_content = db_router.streaming_from_replica(response.streaming_content)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            response.set_signed_cookie(
                self.cookie,
                "1",
                salt=self.salt,
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            getattr(view_func, "reads_replica", False)
            and request.method in ("GET", "HEAD")
            and not hasattr(request, "_replica_token")
            and not self.wrote_recently(request)
        ):
            request._replica_token = db_router.start_replica_reads()

    def wrote_recently(self, request):
        signed = request.get_signed_cookie(
            self.cookie, default=None, salt=self.salt, max_age=settings.REPLICA_STICKY_SECONDS
        )
        return signed is not None


def client_ip(request):
    """
    The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the
    address the outermost of them saw (X-Forwarded-For can be forged to the left).
    """
    if settings.PROXY_COUNT:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a Vietnamese page, 429 Too Many Requests."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
