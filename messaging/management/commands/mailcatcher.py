"""A local SMTP server that keeps every message it receives, for the demo and development.

Messages land as ``.eml`` files in ``var/mailbox``; staff read them at ``/demo/mailbox/``.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand

from messaging.mailbox import MailboxHandler


class Command(BaseCommand):
    help = "Runs a local SMTP server that stores received mail in var/mailbox."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=1025)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
        directory = settings.VAR_DIR / "mailbox"
        controller = Controller(
            MailboxHandler(directory), hostname=options["host"], port=options["port"]
        )
        controller.start()
        self.stdout.write(f"Mail catcher on {options['host']}:{options['port']} -> {directory}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
