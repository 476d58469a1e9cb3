"""The public side's background jobs."""

from __future__ import annotations

from django.tasks import task

from common import ratelimit
from common.schedule import every


@every(3600)
@task()
def prune_rate_windows() -> int:
    """Removes the rate-limit windows that have ended (a row per address and e-mail address
    that filed, otherwise kept for ever)."""
    return ratelimit.prune()
