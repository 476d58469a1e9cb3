"""The scheduler: wakes up every ``SCHEDULER_INTERVAL`` seconds and enqueues the periodic jobs
that are due. The worker (``db_worker``) does the work; the scheduler only says when.

Exactly one scheduler runs: it holds a lease in the database and renews it at every wake-up; a
second one waits until the lease is free (the first stopped or lost the database). A database
outage is waited out, never a reason to exit."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import socket
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.crypto import get_random_string

from common.schedule import jobs
from messaging.processes import lease_release, lease_take, retry_database

logger = logging.getLogger(__name__)


LEASE = "scheduler"


class Command(BaseCommand):
    help = "Enqueues periodic jobs (outbox sweep, reminders, clean-up) when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop as on Ctrl-C: release
        holder = f"{socket.gethostname()}:{os.getpid()}:{get_random_string(6)}"
        # Long enough to survive a slow wake-up, short enough for a stand-by to take over soon.
        ttl = datetime.timedelta(seconds=max(3 * settings.SCHEDULER_INTERVAL, 15))
        periodic = jobs()  # each app's own (common.schedule)
        last_run: dict[str, float] = {}
        waiting = False
        try:
            while True:
                if retry_database(lambda: lease_take(LEASE, holder, ttl), what="scheduler"):
                    if waiting:
                        logger.info("scheduler %s: took over", holder)
                    waiting = False
                    now = time.monotonic()
                    for job, every in periodic:
                        if options["once"] or now - last_run.get(job.name, -every) >= every:
                            retry_database(job.enqueue, what=f"scheduler: {job.name}")
                            last_run[job.name] = now
                    if options["once"]:
                        return
                elif not waiting:
                    logger.info("scheduler %s: another scheduler runs; standing by", holder)
                    waiting = True
                    if options["once"]:
                        return
                time.sleep(settings.SCHEDULER_INTERVAL)
        finally:
            try:  # a stand-by takes over at once, not when the lease runs out
                lease_release(LEASE, holder)
            except DatabaseError:
                logger.warning("scheduler %s: could not release the lease", holder)
