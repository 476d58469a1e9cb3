"""Reading the service's mailbox over IMAP (imapclient), and the loop of ``read_mailbox``.

The loop reads a ``Source``: the IMAP mailbox (``ImapSource``), or in the demo a folder of
``.eml`` files (``inbox.folder.FolderSource``), which a laptop has without a mail server.
Both hand each mail to the same ``inbox.take`` and mark it taken only after it is stored.

A mail is taken when it lacks the keyword ``$QuerelaTaken``, not when it is unread: a person
who reads the mailbox in a mail client hides nothing from the system. It is fetched in pieces
into a temporary file (a 30 MB mail is never held in memory by the fetch), stored with its
files in one transaction (``inbox.take``), and only then marked with the keyword (and
``\\Seen``). A crash in between leaves it unmarked: the next round fetches it again, finds its
digest stored, and only marks it. Nothing is lost, nothing is taken twice.
"""

from __future__ import annotations

import datetime
import logging
import socket
import ssl
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from inbox.take import Arrived, TryLater, digest_of, take
from messaging.models import MailboxRead
from messaging.processes import retry_database

logger = logging.getLogger(__name__)

TAKEN = b"$QuerelaTaken"
CHUNK = 1024 * 1024
# The errors of a mailbox that is down, unreachable or refuses us for now.
MAILBOX_ERRORS = (IMAPClientError, OSError, socket.timeout, ssl.SSLError, EOFError)


def connect() -> IMAPClient:
    """A logged-in connection to ``MAILBOX_FOLDER``: TLS unless ``MAILBOX_TLS`` is off (only
    for a server on loopback), a password or an OAuth 2 token (XOAUTH2)."""
    client = IMAPClient(
        settings.MAILBOX_HOST,
        port=settings.MAILBOX_PORT,
        ssl=settings.MAILBOX_TLS,
        ssl_context=ssl.create_default_context() if settings.MAILBOX_TLS else None,
        timeout=settings.MAILBOX_TIMEOUT,
    )
    client.normalise_times = False  # INTERNALDATE with its zone, not as local naive time
    try:
        if settings.MAILBOX_OAUTH2_TOKEN_FILE:
            # Read at every connection: whatever refreshes the token rewrites the file.
            token = Path(settings.MAILBOX_OAUTH2_TOKEN_FILE).read_text(encoding="utf-8")
            client.oauth2_login(settings.MAILBOX_USER, token.strip())
        else:
            client.login(settings.MAILBOX_USER, settings.MAILBOX_PASSWORD)
        client.select_folder(settings.MAILBOX_FOLDER)
    except BaseException:
        client.shutdown()
        raise
    return client


def waiting(client: IMAPClient) -> list[int]:
    """The UIDs of the mails not taken yet, oldest first."""
    return sorted(int(uid) for uid in client.search(["NOT", "KEYWORD", TAKEN.decode()]))


def fetch(client: IMAPClient, uid: int, directory: Path) -> Arrived | None:
    """The mail ``uid`` in a file under ``directory``, fetched in pieces; None when it is gone
    (deleted by a person in the meantime)."""
    info = client.fetch([uid], ["INTERNALDATE", "RFC822.SIZE"]).get(uid)
    if info is None:
        return None
    size = int(info[b"RFC822.SIZE"])
    received_at = info[b"INTERNALDATE"]
    if not isinstance(received_at, datetime.datetime):
        received_at = timezone.now()
    elif timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, datetime.UTC)
    path = directory / f"{uid}.eml"
    with path.open("wb") as target:
        offset = 0
        while offset < size:
            piece = client.fetch([uid], [f"BODY.PEEK[]<{offset}.{CHUNK}>"]).get(uid, {})
            data = piece.get(f"BODY[]<{offset}>".encode()) or b""
            if not data:
                break
            target.write(data)
            offset += len(data)
    return Arrived(path=path, received_at=received_at, size=offset, digest=digest_of(path))


class Source(Protocol):
    """Where mail waits to be taken. A mail is named by a key (an IMAP UID, a file name)."""

    def waiting(self) -> list[str]:
        """The keys of the mails not taken yet, oldest first."""
        ...

    def fetch(self, key: str, directory: Path) -> Arrived | None:
        """The mail in a file under ``directory`` (or where it lies); None when it is gone."""
        ...

    def mark_taken(self, key: str) -> None:
        """Marks the mail taken, after it was stored: it is not offered again."""
        ...

    def keep_alive(self) -> None: ...

    def close(self) -> None: ...


class ImapSource:
    """The service's mailbox over IMAP."""

    def __init__(self, client: IMAPClient) -> None:
        self.client = client

    def waiting(self) -> list[str]:
        return [str(uid) for uid in waiting(self.client)]

    def fetch(self, key: str, directory: Path) -> Arrived | None:
        return fetch(self.client, int(key), directory)

    def mark_taken(self, key: str) -> None:
        self.client.add_flags([int(key)], [TAKEN, b"\\Seen"])

    def keep_alive(self) -> None:
        self.client.noop()

    def close(self) -> None:
        try:
            self.client.logout()
        except MAILBOX_ERRORS:
            self.client.shutdown()


def open_source() -> Source:
    """The configured mailbox: IMAP when ``MAILBOX_HOST`` is set, else the demo's folder
    (``MAILBOX_DIRECTORY``)."""
    if settings.MAILBOX_HOST:
        return ImapSource(connect())
    from inbox.folder import FolderSource

    return FolderSource(Path(settings.MAILBOX_DIRECTORY))


def read_once(source: Source, *, after_store: Callable[[str], None] | None = None) -> int:
    """Takes every mail waiting in ``source``; returns how many were taken. ``after_store``
    runs between storing and marking (tests simulate a crash there)."""
    taken = 0
    for key in source.waiting():
        with tempfile.TemporaryDirectory(prefix="querela-mail-") as directory:
            arrived = source.fetch(key, Path(directory))
            if arrived is None:
                continue
            try:
                retry_database(lambda a=arrived: take(a), what="taking a mail")  # type: ignore[misc]
            except TryLater as exc:
                logger.warning("mail %s left in the mailbox for now: %s", key, exc)
                continue
        if after_store is not None:
            after_store(key)
        source.mark_taken(key)
        taken += 1
    return taken


def record(*, taken: int = 0, error: str = "") -> None:
    """Notes the round on ``MailboxRead`` for ``manage.py health``."""
    now = timezone.now()
    row, _created = MailboxRead.objects.get_or_create(name="mailbox")
    if error:
        row.failed_at, row.error = now, error[:2000]
    else:
        row.read_at, row.error, row.taken = now, "", row.taken + taken
    row.save()


def read_forever(*, stop: Callable[[], bool] = lambda: False) -> None:
    """The loop of ``manage.py read_mailbox``: reads every ``MAILBOX_INTERVAL`` seconds; a
    mailbox that is down is tried again (every few seconds up to a minute), a database that
    is down is waited for (``retry_database``). Neither stops the reader."""
    wait = 1.0
    while not stop():
        try:
            source = open_source()
        except MAILBOX_ERRORS as exc:
            _failed(exc, wait)
            time.sleep(wait)
            wait = min(wait * 2, 60.0)
            continue
        try:
            while not stop():
                taken = read_once(source)
                retry_database(lambda t=taken: record(taken=t), what="noting the mailbox read")  # type: ignore[misc]
                wait = 1.0
                if taken:
                    logger.info("took %s mail(s) from the mailbox", taken)
                time.sleep(settings.MAILBOX_INTERVAL)
                source.keep_alive()
        except MAILBOX_ERRORS as exc:
            _failed(exc, wait)
            time.sleep(wait)
            wait = min(wait * 2, 60.0)
        finally:
            source.close()


def _failed(exc: BaseException, wait: float) -> None:
    logger.warning("the mailbox is unavailable (%s); trying again in %.0f s", exc, wait)
    retry_database(lambda: record(error=f"{type(exc).__name__}: {exc}"), what="noting the error")
