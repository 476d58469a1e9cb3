"""Rate limits per client address, kept in Django's cache (the database cache, so that every
web worker counts together).

A limit counts hits in a fixed window that starts with the first hit. The count is read and
written without a lock: two requests at the same instant may count once, which a limit meant
to make guessing slow can afford.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    scope: str
    hits: int
    seconds: int


# Guessing personal links: failed look-ups of a token.
TOKEN_LOOKUPS = Limit("follow-token", hits=20, seconds=10 * 60)
# The "I lost my link" form: every request counts, so it cannot be used to mail-bomb.
LOST_LINK = Limit("lost-link", hits=5, seconds=60 * 60)


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind our reverse proxy (``BEHIND_TLS_PROXY``) it
    is the last address in X-Forwarded-For: the one the proxy itself saw, which a client
    cannot forge; the earlier entries can be."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(limit: Limit, request: HttpRequest) -> str:
    # Hashed: an IPv6 address holds characters some cache back ends refuse in keys.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"ratelimit:{limit.scope}:{address}"


def _window(limit: Limit, request: HttpRequest, now: float) -> tuple[int, float]:
    """The hits so far in the current window and when that window started."""
    stored = cache.get(_key(limit, request))
    if stored is None:
        return 0, now
    count, started = stored
    if now - started >= limit.seconds:
        return 0, now
    return int(count), float(started)


def is_limited(limit: Limit, request: HttpRequest) -> bool:
    count, _started = _window(limit, request, time.time())
    return count >= limit.hits


def hit(limit: Limit, request: HttpRequest) -> int:
    """Counts one hit; returns the number of hits in the current window."""
    now = time.time()
    count, started = _window(limit, request, now)
    count += 1
    remaining = max(1, int(started + limit.seconds - now + 1))
    cache.set(_key(limit, request), (count, started), timeout=remaining)
    return count


def retry_after(limit: Limit, request: HttpRequest) -> int:
    """Seconds until the current window ends."""
    now = time.time()
    _count, started = _window(limit, request, now)
    return max(1, int(started + limit.seconds - now + 1))
