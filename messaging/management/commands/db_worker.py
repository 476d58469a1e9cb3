"""``db_worker``, as django-tasks-db runs it, made to last: it beats (so a task it leaves
"running" when killed is reclaimed) and it waits out a database outage instead of exiting."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks_db.management.commands import db_worker

from messaging.processes import Heartbeat, become_worker, retry_database

logger = logging.getLogger(__name__)


class Worker(db_worker.Worker):
    def run(self) -> None:
        become_worker(self.worker_id)
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            # The library's loop ends on a database error; this starts it again once the
            # database answers. A task interrupted by the outage is reclaimed by the scheduler.
            retry_database(super().run, what=f"worker {self.worker_id}")
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = "Runs background tasks (mail delivery, sweeps); waits out database outages."

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]  # the library's handle() builds it
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
