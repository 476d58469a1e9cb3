"""The scheduler: wakes up every ``SCHEDULER_INTERVAL`` seconds and enqueues the periodic jobs
that are due. The worker (``db_worker``) does the work; the scheduler only says when."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.tasks import Task

from complaints.tasks import (
    anonymise_expired_complaints,
    purge_pending_uploads,
    send_deadline_reminders,
)
from improvement.tasks import assign_new_complaints, refresh_themes_nightly
from messaging.tasks import deliver_due_messages

# (task, every so many seconds)
JOBS: list[tuple[Task[[], int], int]] = [
    (deliver_due_messages, 60),
    (purge_pending_uploads, 3600),
    (send_deadline_reminders, 900),
    (anonymise_expired_complaints, 24 * 3600),
    (assign_new_complaints, 900),
    (refresh_themes_nightly, 24 * 3600),
]


class Command(BaseCommand):
    help = "Enqueues periodic jobs (outbox sweep, reminders, clean-up) when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for job, every in JOBS:
                if options["once"] or now - last_run.get(job.name, -every) >= every:
                    job.enqueue()
                    last_run[job.name] = now
            if options["once"]:
                return
            time.sleep(settings.SCHEDULER_INTERVAL)
