"""The periodic jobs. Each app marks its own in its ``tasks`` module (``@every(seconds)``
above ``@task()``); the scheduler (``manage.py scheduler``) imports every app's ``tasks`` and
enqueues what is due, so it names no app's jobs itself and imports no layer above it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.tasks import Task
from django.utils.module_loading import autodiscover_modules

T = TypeVar("T", bound=Task[Any, Any])

# (task, every so many seconds), in the order the apps' tasks modules were imported.
_JOBS: dict[str, tuple[Task[[], int], int]] = {}


def every(seconds: int) -> Callable[[T], T]:
    """Marks a task without arguments as a job the scheduler enqueues every ``seconds``."""

    def register(job: T) -> T:
        _JOBS[job.name] = (job, seconds)
        return job

    return register


def jobs() -> list[tuple[Task[[], int], int]]:
    """Every app's periodic jobs (imports each installed app's ``tasks`` module once)."""
    autodiscover_modules("tasks")
    return list(_JOBS.values())
