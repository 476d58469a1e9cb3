"""Faults (E19), against real processes: a worker killed mid-delivery, four workers at once,
two schedulers, a database cut through a proxy, an SMTP server that is down for a while. The
mail always leaves, once."""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from messaging.mailbox import MailboxHandler
from messaging.models import Lease, OutboxMessage, State
from tests.conftest import Cast, MailServer, free_port
from tests.helpers import file_complaint
from tests.processes import Process, TcpProxy, database_for_processes, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

type Start = Callable[..., Process]


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings: Settings) -> None:
    """The test files complaints as the web does: delivery is a row in the task queue."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def start(tmp_path: Path, smtp_down: MailServer) -> Iterator[Start]:
    """Starts ``manage.py <command>`` on the test database; stops them all at the end."""
    started: list[Process] = []

    def run(*command: str, port: int | None = None, **environment: str) -> Process:
        log = tmp_path / f"{command[0]}-{len(started)}.log"
        database = database_for_processes(port)
        process = Process(list(command), log, database, smtp_down.port, **environment)
        started.append(process)
        return process

    yield run
    for process in started:
        process.stop()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # our own test URL
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def delivered_ids(server: MailServer) -> Counter[str]:
    return Counter(str(mail.message["Message-ID"]) for mail in server.mails)


class StallFirstRecipient(MailboxHandler):
    """Holds the first delivery at RCPT (before any DATA) for ``seconds``."""

    def __init__(self, directory: Path, seconds: float = 60) -> None:
        super().__init__(directory)
        self.seconds = seconds
        self.stalled = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(self.seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def recorded_as_sent() -> None:
    """The worker records the mail as sent once the server has taken it: the server holds the
    mail a moment before the worker's row says so."""
    wait_until(lambda: OutboxMessage.objects.get().state == State.SENT, timeout=10, step=0.1)


def test_a_worker_killed_mid_delivery_the_mail_leaves_once_within_a_minute(
    client: Client, smtp_down: MailServer, start: Start
) -> None:
    handler = StallFirstRecipient(smtp_down.directory)
    smtp_down.start()
    assert smtp_down.controller is not None
    smtp_down.controller.handler = handler
    file_complaint(client, email="anne@example.be")
    doomed = start("db_worker")
    assert handler.stalled.wait(30), doomed.output()
    doomed.kill()

    start("db_worker")
    start("scheduler")
    took = wait_until(lambda: len(smtp_down.mails) == 1, timeout=60)
    print(f"delivered {took:.1f} s after the worker was killed")
    recorded_as_sent()
    # The killed worker's task row does not stay "running".
    from django_tasks_db.models import DBTaskResult

    wait_until(lambda: not DBTaskResult.objects.running().exists(), timeout=60)
    assert DBTaskResult.objects.failed().filter(exception_class_path__endswith="WorkerLost")
    assert list(delivered_ids(smtp_down).values()) == [1]


def test_a_slow_mail_server_never_has_a_live_workers_mail_taken_over(
    client: Client, smtp_down: MailServer, start: Start
) -> None:
    handler = StallFirstRecipient(smtp_down.directory, seconds=25)  # a tarpit, longer than LOST
    smtp_down.start()
    assert smtp_down.controller is not None
    smtp_down.controller.handler = handler
    file_complaint(client, email="anne@example.be")
    for _ in range(2):
        start("db_worker", EMAIL_TIMEOUT="60")
    start("scheduler")
    assert handler.stalled.wait(30)
    wait_until(lambda: OutboxMessage.objects.get().state == State.SENT, timeout=60)
    time.sleep(5)
    assert list(delivered_ids(smtp_down).values()) == [1]
    assert OutboxMessage.objects.get().attempts == 1


class StallFirstData(MailboxHandler):
    """Stores the first message, then waits before saying so: the server has the message
    while the worker still waits for the answer."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.stalled = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(5)
        return answer


def test_a_worker_killed_while_the_server_takes_the_mail_never_sends_it_twice(
    client: Client, smtp_down: MailServer, start: Start, cast: Cast
) -> None:
    handler = StallFirstData(smtp_down.directory)
    smtp_down.start()
    assert smtp_down.controller is not None
    smtp_down.controller.handler = handler
    complaint = file_complaint(client, email="anne@example.be")
    doomed = start("db_worker")
    assert handler.stalled.wait(30), doomed.output()
    doomed.kill()

    start("db_worker")
    start("scheduler")
    # The mail may have arrived (here it did): it is not sent again, it is marked failed and
    # the manager sees why.
    wait_until(lambda: OutboxMessage.objects.get().state == State.FAILED, timeout=60)
    assert len(smtp_down.mails) == 1
    page = cast.client_for(cast.manager).get(f"/nl/staff/complaints/{complaint.pk}/")
    assert "may have arrived" in page.content.decode()


def test_four_workers_never_send_a_mail_twice(
    client: Client, smtp_down: MailServer, start: Start
) -> None:
    smtp_down.start()
    for number in range(20):
        file_complaint(client, email=f"person{number}@example.be")
    for _ in range(4):
        start("db_worker")
    start("scheduler")
    wait_until(lambda: len(smtp_down.mails) >= 20, timeout=90)
    wait_until(lambda: not OutboxMessage.objects.exclude(state=State.SENT).exists(), timeout=30)
    counts = delivered_ids(smtp_down)
    assert len(counts) == 20
    assert set(counts.values()) == {1}


def test_exactly_one_scheduler_runs_and_a_stand_by_takes_over(start: Start) -> None:
    first = start("scheduler")
    wait_until(lambda: Lease.objects.filter(name="scheduler").exists(), timeout=30)
    holder = Lease.objects.get(name="scheduler").holder
    second = start("scheduler")
    wait_until(lambda: "standing by" in second.output(), timeout=30)
    assert Lease.objects.get(name="scheduler").holder == holder
    assert first.alive and second.alive

    first.kill()
    wait_until(lambda: Lease.objects.get(name="scheduler").holder != holder, timeout=30)
    assert "took over" in second.output()


def test_mail_waits_out_an_smtp_outage(client: Client, smtp_down: MailServer, start: Start) -> None:
    start("db_worker")
    start("scheduler")
    file_complaint(client, email="anne@example.be")
    wait_until(lambda: OutboxMessage.objects.get().attempts >= 1, timeout=30)
    smtp_down.start()
    wait_until(lambda: len(smtp_down.mails) == 1, timeout=60)
    recorded_as_sent()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a database behind a TCP proxy: PostgreSQL only"
)
def test_the_worker_and_scheduler_ride_out_a_35_second_database_outage(
    client: Client, smtp_down: MailServer, start: Start
) -> None:
    settings_dict = connection.settings_dict
    proxy = TcpProxy(
        (str(settings_dict["HOST"] or "127.0.0.1"), int(settings_dict["PORT"] or 5432))
    )
    proxy.start()
    smtp_down.start()
    worker = start("db_worker", port=proxy.port)
    scheduler = start("scheduler", port=proxy.port)
    file_complaint(client, email="before@example.be")
    wait_until(lambda: len(smtp_down.mails) == 1, timeout=30)

    web_port = free_port()
    web = start(
        "-m",
        "gunicorn",
        "querela.wsgi:application",
        "--bind",
        f"127.0.0.1:{web_port}",
        port=proxy.port,
    )
    home = f"http://127.0.0.1:{web_port}/fr/"
    wait_until(lambda: status_of(home) == 200, timeout=30)

    proxy.cut()
    outage_started = time.monotonic()
    file_complaint(client, email="during@example.be")  # the test's own connection still works
    started = time.monotonic()
    assert status_of(home) == 503  # the translated "try again in a moment" page
    assert time.monotonic() - started < 10
    time.sleep(35 - (time.monotonic() - outage_started))
    assert worker.alive, worker.output()
    assert scheduler.alive, scheduler.output()
    proxy.restore()
    took = wait_until(lambda: len(smtp_down.mails) == 2, timeout=60)
    print(f"delivered {took:.1f} s after the database came back")
    assert worker.alive and scheduler.alive
    wait_until(lambda: status_of(home) == 200, timeout=30)
    assert web.alive
    proxy.cut()
