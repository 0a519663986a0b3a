"""Per-IP rate limits on the public POSTs (registration, login, password reset).

django-ratelimit counts in the default cache. Limits come from settings at request time
(RATELIMIT_REGISTER, RATELIMIT_LOGIN, RATELIMIT_PASSWORD_RESET), so they can be tuned per
deployment. A cache outage must never block a resident: any error while counting is logged
and the request goes through (fail open).
"""

import functools
import logging
import re

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger("registrations.ratelimit")

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate such as "20/10m", in seconds."""
    match = re.fullmatch(r"\s*\d+/(\d*)([smhd]?)\s*", rate or "")
    if not match:
        return 3600
    multiplier, unit = match.groups()
    return int(multiplier or 1) * _PERIOD_SECONDS[unit or "s"]


def _limited(request, *, group: str, setting: str) -> bool:
    try:
        return is_ratelimited(
            request,
            group=group,
            key="ip",
            rate=lambda _group, _request: getattr(settings, setting),
            method="POST",
            increment=True,
        )
    except Exception:  # noqa: BLE001 - the cache being down must not turn into a 500
        if not getattr(settings, "RATELIMIT_FAIL_OPEN", True):
            raise
        logger.warning("Rate limit %s not checked: the cache is unavailable", group, exc_info=True)
        return False


def rate_limited(*, group: str, setting: str):
    """Answer POSTs over the limit with a friendly 429 page instead of calling the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and _limited(request, group=group, setting=setting):
                logger.info("Rate limit %s reached for %s", group, request.META.get("REMOTE_ADDR"))
                response = render(request, "registrations/rate_limited.html", {"group": group}, status=429)
                response["Retry-After"] = str(period_seconds(getattr(settings, setting)))
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
