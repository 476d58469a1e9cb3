"""The demo's stand-in for the service's mailbox: a folder of ``.eml`` files, for a laptop
without a mail server (``MAILBOX_DIRECTORY``, set by ``querela.settings_demo``). The demo
mailbox page's reply form writes a complainant's answer here (``messaging.mailbox.store_mail``)
and ``read_mailbox`` takes it by the same path as a mail from IMAP (``inbox.take``). A mail is
moved into ``taken/`` only after it is stored, as an IMAP mail is marked only then."""

from __future__ import annotations

import datetime
from pathlib import Path

from inbox.take import Arrived, digest_of


class FolderSource:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.taken = directory / "taken"
        self.taken.mkdir(parents=True, exist_ok=True)

    def waiting(self) -> list[str]:
        # store_mail names a mail by the nanosecond it was written: the name sorts by age.
        return sorted(path.name for path in self.directory.glob("[0-9]*.eml"))

    def fetch(self, key: str, directory: Path) -> Arrived | None:
        path = self.directory / key
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        return Arrived(
            path=path,
            received_at=datetime.datetime.fromtimestamp(stat.st_mtime, datetime.UTC),
            size=stat.st_size,
            digest=digest_of(path),
        )

    def mark_taken(self, key: str) -> None:
        (self.directory / key).rename(self.taken / key)

    def keep_alive(self) -> None:
        pass

    def close(self) -> None:
        pass
