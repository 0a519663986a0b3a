"""Operational endpoints of the project itself (health), not of any one app."""

import logging
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_status() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any driver error means "down"
        logger.warning("healthz: database check failed: %s", exc)
        return {"status": "down", "vendor": connection.vendor}
    return {"status": "ok", "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def _broker_status() -> dict:
    url = settings.CELERY_BROKER_URL
    if not url or settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "eager", "detail": "no broker configured; tasks run in-process"}
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    started = time.monotonic()
    try:
        # A Redis PING over a raw socket: quick, and independent of the Celery connection pool.
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(1)
            if parts.password:
                user = parts.username or "default"
                sock.sendall(f"AUTH {user} {parts.password}\r\n".encode())
                sock.recv(64)
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError as exc:
        return {"status": "down", "detail": str(exc)}
    if not reply.startswith(b"+PONG"):
        return {"status": "down", "detail": reply[:40].decode(errors="replace")}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise; the broker is reported, not required."""
    database = _database_status()
    broker = _broker_status()
    healthy = database["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "down", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's answer when a client sends too many requests (RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted with a missing or stale CSRF token, usually an expired page on a phone.

    The reason is logged, not shown: the visitor only needs to reload the form.
    """
    logger.warning("CSRF failure: %s", reason)
    return render(request, "403_csrf.html", status=403)


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer once an account is locked for this address (AXES_LOCKOUT_CALLABLE)."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": max(1, int(cooloff.total_seconds() // 60)),
    }
    return render(request, "locked_out.html", context, status=429)
