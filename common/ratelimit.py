"""Rate limits per client address (or per another identity, such as an e-mail address),
counted in a table (``common.models.RateWindow``) that every web process shares.

A limit counts hits in a fixed window that starts with the first hit. Each hit is one upsert,
so hits at the same instant are each counted, and a window is only removed once it has ended
(``prune``): no other traffic can push a count out, as a cache that evicts entries would.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from common.models import RateWindow


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


def _key(limit: Limit, request: HttpRequest, identity: str | None) -> str:
    # Hashed: of one length whatever the address (IPv6 ones are long), and an e-mail address
    # is personal data.
    who = client_address(request) if identity is None else identity
    return f"ratelimit:{limit.scope}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"


def _running(limit: Limit, request: HttpRequest, identity: str | None) -> RateWindow | None:
    """The window counting now for the client's address (or ``identity``), if any."""
    return RateWindow.objects.filter(
        key=_key(limit, request, identity), ends__gt=time.time()
    ).first()


def is_limited(limit: Limit, request: HttpRequest, identity: str | None = None) -> bool:
    """Whether the client's address (or ``identity``) has used up ``limit``."""
    window = _running(limit, request, identity)
    return window is not None and window.hits >= limit.hits


def hit(limit: Limit, request: HttpRequest, identity: str | None = None) -> int:
    """Counts one hit; returns the number of hits in the current window."""
    [(_counted, hits, _ends)] = _count({_key(limit, request, identity): limit}, time.time())
    return hits


def retry_after(limit: Limit, request: HttpRequest, identity: str | None = None) -> int:
    """Seconds until the current window ends."""
    window = _running(limit, request, identity)
    return max(1, int(window.ends - time.time() + 1)) if window else 1


def login_failures_per_address() -> Limit:
    """Failed staff logins from one address (per account, django-axes locks sooner)."""
    return Limit(
        "login-address",
        hits=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        seconds=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def filing_per_address() -> Limit:
    """Complaints filed from one address in an hour (a library computer serves many people)."""
    return Limit("filing-address", hits=settings.FILING_LIMIT_PER_ADDRESS, seconds=60 * 60)


def filing_per_email() -> Limit:
    """Complaints that mail one e-mail address in a day: the form must not be a way to flood
    someone else's mailbox with acknowledgements."""
    return Limit("filing-email", hits=settings.FILING_LIMIT_PER_EMAIL, seconds=24 * 60 * 60)


def take(request: HttpRequest, limits: list[tuple[Limit, str | None]]) -> int:
    """Counts one hit against every limit (each for the client's address, or for the identity
    given); answers the seconds to wait when one of them is used up (0: the hit is allowed).

    One statement for all the limits: an upsert that starts a new window where the old one has
    ended and counts one more hit where it has not. A refused try counts too, so that hammering
    a limit does not shorten the wait; the window's end does not move."""
    now = time.time()
    keyed = {_key(limit, request, identity): limit for limit, identity in limits}
    return max(
        (int(ends - now + 1) for key, hits, ends in _count(keyed, now) if hits > keyed[key].hits),
        default=0,
    )


def _count(keyed: dict[str, Limit], now: float) -> list[tuple[str, int, float]]:
    """One more hit in each window of ``keyed``: an upsert that starts a new window where the
    old one has ended. Returns each window's key, hits and end."""
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    rows = ", ".join(["(%s, 1, %s)"] * len(keyed))
    sql = (
        f"INSERT INTO {table} (key, hits, ends) VALUES {rows} "  # noqa: S608  # names, not values
        f"ON CONFLICT (key) DO UPDATE SET "
        f"hits = CASE WHEN {table}.ends <= %s THEN 1 ELSE {table}.hits + 1 END, "
        f"ends = CASE WHEN {table}.ends <= %s THEN excluded.ends ELSE {table}.ends END "
        f"RETURNING key, hits, ends"
    )
    params: list[str | float] = []
    for key, limit in keyed.items():
        params += [key, now + limit.seconds]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, now, now])
        return [(key, int(hits), float(ends)) for key, hits, ends in cursor.fetchall()]


def prune() -> int:
    """Removes the windows that have ended."""
    deleted, _by_model = RateWindow.objects.filter(ends__lt=time.time()).delete()
    return deleted


def take_filing(request: HttpRequest, email: str) -> int:
    """Counts a complaint about to be filed against the address's and the e-mail address's
    limits; returns the seconds this person must wait instead (0: they may file now)."""
    limits: list[tuple[Limit, str | None]] = [(filing_per_address(), None)]
    if email:
        limits.append((filing_per_email(), email.lower()))
    return take(request, limits)
