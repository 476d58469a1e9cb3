"""The demo mailbox: an aiosmtpd handler that stores each message as an ``.eml`` file, and the
functions that read them back. Tests use the same handler as their SMTP server. The demo's
stand-in for the service's mailbox is a folder of the same files (``store_mail``), which the
mailbox reader takes from (``inbox.folder``)."""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any


class MailboxHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    # aiosmtpd calls this hook by this name.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        store_mail(self.directory, envelope.content)
        return "250 Message accepted for delivery"


def store_mail(directory: Path, content: bytes) -> str:
    """Stores one message as ``<nanoseconds>.eml`` in ``directory``; returns its name."""
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}.eml"
    temporary = directory / f".{name}"
    temporary.write_bytes(content)
    temporary.rename(directory / name)  # readers never see half a message
    return name


@dataclass(frozen=True)
class StoredMail:
    name: str
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


def read_mailbox(directory: Path) -> list[StoredMail]:
    """Every stored message, newest first."""
    if not directory.exists():
        return []
    files = sorted(directory.glob("[0-9]*.eml"), reverse=True)
    return [
        StoredMail(
            name=path.stem,
            message=email.message_from_bytes(path.read_bytes(), policy=email.policy.default),
        )
        for path in files
    ]
