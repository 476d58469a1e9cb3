"""Says whether mail is flowing: exit code 0 when it is, 1 when it is not (for a monitoring
probe or a systemd timer). Mail is not flowing when the oldest undelivered message is older
than ``--max-age`` seconds, when no scheduler holds its lease or when no worker is alive; and,
when a mailbox is configured (``MAILBOX_HOST``), when the reader has not read it for
``--max-mailbox-age`` seconds."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from messaging.processes import mail_health


class Command(BaseCommand):
    help = "Says whether mail is flowing; exits with 1 when it is not."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=600,
            help="Seconds the oldest undelivered message may wait (default 600).",
        )
        parser.add_argument(
            "--max-mailbox-age",
            type=int,
            default=600,
            help="Seconds since the mailbox was last read (default 600).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        health = mail_health()
        oldest = health.oldest_waiting.total_seconds() if health.oldest_waiting else 0.0
        problems = []
        if oldest > options["max_age"]:
            problems.append(f"the oldest undelivered message waits for {oldest:.0f} s")
        if not health.scheduler_alive:
            problems.append("no scheduler is running")
        if health.workers_alive == 0:
            problems.append("no worker is running")
        self.stdout.write(
            f"oldest undelivered: {oldest:.0f} s; failed: {health.failed}; "
            f"scheduler: {'running' if health.scheduler_alive else 'none'}; "
            f"workers: {health.workers_alive}"
        )
        if settings.MAILBOX_HOST or settings.MAILBOX_DIRECTORY:
            ago = health.mailbox_read_ago
            self.stdout.write(
                "mailbox last read: "
                + (f"{ago.total_seconds():.0f} s ago" if ago is not None else "never")
                + (f"; last error: {health.mailbox_error}" if health.mailbox_error else "")
            )
            if ago is None or ago.total_seconds() > options["max_mailbox_age"]:
                problems.append("the mailbox is not being read")
        if problems:
            self.stderr.write("mail is not flowing: " + "; ".join(problems))
            sys.exit(1)
        self.stdout.write("mail is flowing")
