"""What keeps the background processes honest: the scheduler's lease (exactly one scheduler),
the workers' heartbeats (a task left "running" by a dead worker is reclaimed), pruning the task
queue's finished rows, riding out a database outage, and the health of mail delivery."""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messaging.models import Lease, MailboxRead, OutboxMessage, State, WorkerBeat

logger = logging.getLogger(__name__)

# A worker beats every BEAT seconds; one silent for LOST is taken for dead.
BEAT = 3.0
LOST = datetime.timedelta(seconds=15)
# Finished task rows are kept this long (failures long enough to look into), then deleted.
KEEP_SUCCESSFUL = datetime.timedelta(hours=1)  # a sweep every 5 s: 720 rows an hour
KEEP_FAILED = datetime.timedelta(days=7)


def lease_take(name: str, holder: str, ttl: datetime.timedelta) -> bool:
    """Takes or renews the lease ``name`` for ``holder``; False while another holds it."""
    now = timezone.now()
    with transaction.atomic():
        Lease.objects.get_or_create(
            name=name, defaults={"holder": "", "expires_at": now - datetime.timedelta(seconds=1)}
        )
        taken = Lease.objects.filter(Q(holder=holder) | Q(expires_at__lt=now), name=name).update(
            holder=holder, expires_at=now + ttl
        )
    return taken == 1


def lease_release(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).update(expires_at=timezone.now())


def retry_database[T](
    step: Callable[[], T], *, what: str, pause: Callable[[float], None] = time.sleep
) -> T:
    """Runs ``step`` until it gets through: a database that is down, restarting or
    unreachable is waited for (trying again every few seconds), never a reason to stop.
    Inside a transaction (a caller's, or a test's) nothing can be retried: errors propagate."""
    wait = 1.0
    while True:
        try:
            _drop_broken_connections()
            return step()
        except (OperationalError, InterfaceError) as exc:
            if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
                raise
            logger.warning(
                "%s: the database is unavailable (%s); retrying in %.0f s", what, exc, wait
            )
            pause(wait)
            wait = min(wait * 2, 5.0)


def _drop_broken_connections() -> None:
    """Closes connections that failed or grew old, so the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


_worker_id = ""


def current_worker() -> str:
    """The id of the ``db_worker`` this process is, or "" elsewhere."""
    return _worker_id


def become_worker(worker_id: str) -> None:
    global _worker_id  # one worker per process: set once, when it starts
    _worker_id = worker_id


class Heartbeat(threading.Thread):
    """Renews ``WorkerBeat`` for ``worker_id`` every ``BEAT`` seconds, on its own connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    WorkerBeat.objects.update_or_create(
                        worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
                    )
                except DatabaseError as exc:
                    logger.warning("heartbeat of worker %s failed: %s", self.worker_id, exc)
                    connections.close_all()
                self.stopped.wait(BEAT)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()


def tasks_reclaim_stalled() -> int:
    """Marks failed the task rows still "running" on workers that stopped beating (killed,
    out of memory, machine gone). Periodic jobs run again at their next turn, and mail a dead
    worker held is taken over by the outbox sweep once its lease runs out."""
    alive = WorkerBeat.objects.filter(seen_at__gte=timezone.now() - LOST).values_list(
        "worker_id", flat=True
    )
    alive_ids = set(alive)
    stalled = [
        row
        for row in DBTaskResult.objects.running().filter(started_at__lt=timezone.now() - LOST)
        if not row.worker_ids or row.worker_ids[-1] not in alive_ids
    ]
    for row in stalled:
        row.set_failed(WorkerLost(f"worker {', '.join(row.worker_ids)} stopped"))
    WorkerBeat.objects.filter(seen_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    return len(stalled)


class WorkerLost(Exception):
    """The worker running a task stopped without saying how it went."""


def task_results_prune() -> int:
    """Deletes finished task rows: an hour after success, a week after failure."""
    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL).delete()
    )
    failed, _ = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()
    return deleted + failed


@dataclass(frozen=True)
class MailHealth:
    oldest_waiting: datetime.timedelta | None  # the oldest message not yet delivered
    failed: int
    scheduler_alive: bool
    workers_alive: int
    # Since the mailbox reader last read the service's mailbox; None when it never did.
    mailbox_read_ago: datetime.timedelta | None = None
    mailbox_error: str = ""


def mail_health() -> MailHealth:
    now = timezone.now()
    oldest = OutboxMessage.objects.filter(state__in=[State.PENDING, State.SENDING]).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    mailbox = MailboxRead.objects.filter(name="mailbox").first()
    return MailHealth(
        mailbox_read_ago=now - mailbox.read_at if mailbox and mailbox.read_at else None,
        mailbox_error=mailbox.error if mailbox else "",
        oldest_waiting=now - oldest if oldest else None,
        failed=OutboxMessage.objects.filter(state=State.FAILED).count(),
        scheduler_alive=Lease.objects.filter(name="scheduler", expires_at__gte=now).exists(),
        workers_alive=WorkerBeat.objects.filter(seen_at__gte=now - LOST).count(),
    )
