"""Reads the service's mailbox, for ever (``--once``: one round): replies go on their
complaints, new e-mails wait in the intake queue, bounces mark their delivery failed. The
mailbox is IMAP (``MAILBOX_HOST``) or, in the demo, a folder (``MAILBOX_DIRECTORY``)."""

from __future__ import annotations

import contextlib
import logging
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inbox.reader import open_source, read_forever, read_once, record


class Command(BaseCommand):
    help = "Reads the service's mailbox (IMAP): replies, new complaints, bounces."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Read once, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MAILBOX_HOST and not settings.MAILBOX_DIRECTORY:
            raise CommandError("MAILBOX_HOST is not set: there is no mailbox to read.")
        logging.basicConfig(level=logging.INFO)
        if options["once"]:
            source = open_source()
            try:
                taken = read_once(source)
                record(taken=taken)
            finally:
                source.close()
            self.stdout.write(f"took {taken} mail(s)")
            return
        where = (
            f"{settings.MAILBOX_USER}@{settings.MAILBOX_HOST}:{settings.MAILBOX_PORT}"
            if settings.MAILBOX_HOST
            else f"the folder {settings.MAILBOX_DIRECTORY}"
        )
        self.stdout.write(f"Reading {where} every {settings.MAILBOX_INTERVAL} s")
        with contextlib.suppress(KeyboardInterrupt):
            read_forever()
