"""The themes jobs, run by the worker: the nightly run over the last twelve months, a run the
complaints manager asks for, and the matching of new complaints to themes."""

import datetime

from django.tasks import task
from django.utils import timezone

from common.schedule import every

NIGHTLY_DAYS = 365


@task()
def refresh_themes(start: str, end: str) -> int:
    """Groups the complaints received from ``start`` to ``end`` (ISO dates) into themes."""
    from improvement.themes import themes_refresh

    run = themes_refresh(
        start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end)
    )
    return run.themes


@every(24 * 3600)
@task()
def refresh_themes_nightly() -> int:
    from improvement.themes import themes_refresh

    today = timezone.localdate()
    run = themes_refresh(start=today - datetime.timedelta(days=NIGHTLY_DAYS), end=today)
    return run.themes


@every(15 * 60)
@task()
def assign_new_complaints() -> int:
    from improvement.themes import new_complaints_assign

    return new_complaints_assign()
