"""Project-wide middleware: the request log, the staff session policy, private pages kept out
of caches, and input hygiene (NUL characters, absurdly long URLs)."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

from jakpreneur.logging import request_id_var

logger = logging.getLogger("jakpreneur.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id.

    The query string is left out on purpose: it may carry searched NIKs or names.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            status = response.status_code
            level = logging.ERROR if status >= 500 else logging.WARNING if status in (403, 429) else logging.INFO
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path[:300],
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _user_id(request: HttpRequest) -> int | str | None:
    """The user's id if this request already looked it up: logging must not add queries."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", empty)
    if wrapped is not empty and wrapped is not None:
        return wrapped.pk
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return session.get(SESSION_KEY)
    return None


# --- Staff sessions --------------------------------------------------------------------------

STAFF_FLAG = "jp_staff"
LAST_SEEN = "jp_last_seen"
# Refresh the last-seen stamp at most this often, so staff browsing costs no session write
# on every request.
_TOUCH_EVERY = 60


def is_privileged(user) -> bool:
    """Back-office users (centre and Dinas staff, superusers) see personal data of others, so
    their sessions are short. Officials see aggregates only and keep ordinary sessions; the
    check costs no query, which matters on the registration path that logs people in."""
    return user.is_staff or user.is_superuser


@receiver(user_logged_in, dispatch_uid="jp_staff_session_on_login")
def _mark_staff_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session") or not is_privileged(user):
        return
    # Ends when the browser closes; the middleware below also ends it after inactivity.
    request.session.set_expiry(0)
    request.session[STAFF_FLAG] = True
    request.session[LAST_SEEN] = int(time.time())


class StaffSessionMiddleware:
    """Log staff out after STAFF_SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(STAFF_FLAG):
            now = int(time.time())
            last_seen = session.get(LAST_SEEN, 0)
            if now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
            elif now - last_seen >= _TOUCH_EVERY:
                session[LAST_SEEN] = now
        return self.get_response(request)


# --- Private pages ---------------------------------------------------------------------------

# Pages about the signed-in person (or staff work) whatever the user: their own data, account
# and password pages, the back office, the officials' dashboard.
PRIVATE_PREFIXES = ("/me/", "/accounts/", "/admin/", "/dashboard/")


class PrivatePagesMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every private page and on
    every page served to a signed-in person: no proxy keeps a copy, and after signing out on
    a shared computer the browser's Back button shows no one's data."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # _user_id: whether this request already knew its user, without a query of our own.
        if request.path.startswith(PRIVATE_PREFIXES) or _user_id(request) is not None:
            add_never_cache_headers(response)
        return response


# --- Input hygiene ---------------------------------------------------------------------------


class RejectNulBytesMiddleware:
    """Answer 400 to a query string carrying a NUL character.

    No parameter of ours can contain one, and PostgreSQL refuses NUL in text, so a filter or
    search built from such a value would otherwise end in a 500 wherever it reaches a query
    (admin filters, searches, JSON endpoints). Form fields already refuse NUL (Django's
    ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the URL")
        return self.get_response(request)


class RejectLongUrlsMiddleware:
    """Answer a URL longer than MAX_URL_LENGTH characters with a friendly 414 page.

    No page of ours needs one (admin filters and searches stay well under it); a longer one
    is a broken link or a probe, and searching or filtering on it would only cost time.
    gunicorn passes request lines up to 8190 bytes (gunicorn.conf.py), so the visitor gets
    this page in their language instead of gunicorn's bare one.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > settings.MAX_URL_LENGTH:
            # The language switcher goes home from here, not back to the same address.
            return render(request, "414.html", {"language_next": "/"}, status=414)
        return self.get_response(request)
