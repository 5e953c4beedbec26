"""Views that belong to the deployment rather than to an app."""

import logging

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@never_cache
@require_GET
def healthz(request):
    """Return 200 "ok" when the database answers one query, else 503; for health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def locked_out(request, original_response, credentials):
    """The page of a log-in refused after too many failures: says when to try again."""
    cool_off = get_cool_off(request)
    minutes = max(1, -(-int(cool_off.total_seconds()) // 60)) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "minutes": minutes,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@require_GET
def favicon(request):
    """Serve /favicon.ico, which browsers ask for on every site whatever the page says."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
