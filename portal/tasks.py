"""The public side's background jobs."""

from __future__ import annotations

from django.tasks import task

from portal import ratelimit


@task()
def prune_rate_windows() -> int:
    """Removes the rate-limit windows that have ended (a row per address and e-mail address
    that filed, otherwise kept for ever)."""
    return ratelimit.prune()
