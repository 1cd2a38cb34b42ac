"""Pages of the project itself, not of an app: the health check and the error pages."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from units.models import Unit

logger = logging.getLogger(__name__)


class PermissionDeniedWithReason(PermissionDenied):
    """
    A refusal whose message is written for the user (translated, nothing internal):
    the 403 page shows it. Any other PermissionDenied gets the page's generic sentence,
    since Django's and other libraries' messages are English and say nothing useful.
    """


@never_cache
@require_GET
def healthz(request):
    """
    For the load balancer and monitoring: 200 when the database answers with the app's
    tables, 503 when not. `SELECT 1` would answer from any database, even an empty one
    (a database file in the wrong place, or not migrated), where every page fails.
    """
    try:
        Unit.objects.exists()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@requires_csrf_token
def permission_denied(request, exception):
    reason = str(exception) if isinstance(exception, PermissionDeniedWithReason) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def server_error(request):
    """
    Django's 500 page; should even that fail (a stylesheet missing from the static
    files' manifest), the same page without the stylesheet, which needs nothing.
    """
    try:
        return defaults.server_error(request)
    except Exception:
        logger.exception("The 500 page could not be rendered; answering without its stylesheet")
        return HttpResponseServerError(loader.render_to_string("500_unstyled.html"))


def csrf_failure(request, reason=""):
    """
    A form posted without a valid CSRF token: almost always a page left open until its
    token went stale (or a sign-in in another tab), so the user is told to reload it.
    """
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = referer
    else:
        back = request.get_full_path()
    return render(request, "403_csrf.html", {"back": back}, status=403)
