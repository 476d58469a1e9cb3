"""Backup and restore: the database through Django's serialisation (so a backup taken on
SQLite restores on PostgreSQL and back) and the attachments through the storage API (so they
come from and go to the file system or object storage alike), in one ``.tar.gz``.

Not in a backup: sessions, the task queue (the outbox sweep delivers what was waiting), the
rate-limit windows, and no working personal link (the database holds hashes only)."""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import transaction

from complaints.models import Complaint

DATA = "data.json"
MEDIA = "media"
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "admin.logentry",
]
# These belong to the running processes: leases, workers' beats, rate-limit windows.
EXCLUDED += ["messaging.lease", "messaging.workerbeat", "common.ratewindow"]


# Models that moved to another app since a backup may have been made: its rows load under the
# new name (the tables did not change).
MOVED = {
    "staff.staffmember": "access.staffmember",
    "staff.auditentry": "access.auditentry",
    "portal.ratewindow": "common.ratewindow",
}


def _current_labels(payload: bytes) -> bytes:
    rows = json.loads(payload)
    if not any(row.get("model") in MOVED for row in rows):
        return payload
    for row in rows:
        row["model"] = MOVED.get(row["model"], row["model"])
    return json.dumps(rows).encode()


class RestoreError(Exception):
    pass


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def backup(target: Path, storage: Storage = default_storage) -> tuple[int, int]:
    """Writes the database and every stored file to ``target``; returns (rows, files)."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        natural_primary=True,
        stdout=data,
    )
    payload = data.getvalue().encode()
    files = 0
    with tarfile.open(target, "w:gz") as archive:
        _add(archive, DATA, payload)
        for name in stored_files(storage):
            with storage.open(name, "rb") as stored:
                _add(archive, f"{MEDIA}/{name}", stored.read())
            files += 1
    return len(json.loads(payload)), files


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(content))


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise RestoreError(f"{name} in the backup is not a file")
    return extracted.read()


def restore(source: Path, storage: Storage = default_storage) -> tuple[int, int]:
    """Loads a backup into a migrated, empty database and an empty storage; returns
    (rows, files). Refuses to mix a backup into data that is already there."""
    if Complaint.objects.exists():
        raise RestoreError("the database already holds complaints; restore into an empty one")
    with tarfile.open(source, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        if DATA not in {member.name for member in members}:
            raise RestoreError(f"{source} is not a backup: no {DATA}")
        payload = _read(archive, DATA)
        files = []
        for member in members:
            path = PurePosixPath(member.name)
            if path.parts[0] != MEDIA or ".." in path.parts or len(path.parts) < 2:
                continue
            name = str(PurePosixPath(*path.parts[1:]))
            if storage.exists(name):
                raise RestoreError(f"the storage already holds {name}; restore into an empty one")
            files.append((name, _read(archive, member.name)))
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "backup.json"  # loaddata reads files named *.json
        fixture.write_bytes(_current_labels(payload))
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
    for name, content in files:
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise RestoreError(f"{name} was stored as {saved}")
    return len(json.loads(payload)), len(files)
