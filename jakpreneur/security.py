"""Who is asking: the client address and login name that lockouts and rate limits key on."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    Each of the DJANGO_TRUSTED_PROXY_COUNT proxies appends the address it saw, so the client
    is that many entries from the right; anything further left is what the client claimed.
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind address
    hops = settings.DJANGO_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The login name as axes should count it: the site and admin forms post `username`
    (our users log in by email), the value is case-folded so `Alice@x` and `alice@x` are
    one account for the lockout as they are for authentication."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") or source.get("email")
    if not isinstance(value, str):
        return None
    return value.strip().lower()[:255] or None
