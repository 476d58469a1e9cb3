"""A database that stops answering instead of refusing (packets dropped, not refused: a
firewall, a pulled cable, a middlebox that takes the bytes and passes nothing on). The visitor
gets the translated 503 within 15 s, never a request that hangs until the web worker is
killed; the worker and the scheduler wait as they do for a refused connection and carry on
when it answers again. PostgreSQL only: the web reaches it through the test's TCP proxy."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from tests.conftest import MailServer, free_port
from tests.helpers import file_complaint
from tests.processes import Process, TcpProxy, database_for_processes, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a database behind a TCP proxy: PostgreSQL only"
    ),
]

type Start = Callable[..., Process]


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    settings_dict = connection.settings_dict
    proxy = TcpProxy(
        (str(settings_dict["HOST"] or "127.0.0.1"), int(settings_dict["PORT"] or 5432))
    )
    proxy.start()
    yield proxy
    proxy.dropping.clear()
    proxy.cut()


@pytest.fixture
def start(tmp_path: Path, smtp_down: MailServer, proxy: TcpProxy) -> Iterator[Start]:
    started: list[Process] = []

    def run(*command: str) -> Process:
        log = tmp_path / f"{command[0]}-{len(started)}.log"
        database = database_for_processes(proxy.port)
        process = Process(list(command), log, database, smtp_down.port)
        started.append(process)
        return process

    yield run
    for process in started:
        process.stop()


def fetch(url: str) -> tuple[int, str, float]:
    """Status, page and seconds taken; a client that gives up after 40 s (gunicorn kills a
    worker that hangs for 30 s)."""
    import urllib.error
    import urllib.request

    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=40) as response:  # our own test server
            return int(response.status), response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started
    except OSError:
        return 0, "", time.monotonic() - started


def test_connections_tell_a_silent_server_from_a_slow_one() -> None:
    """TCP keepalives and a user time-out on the socket: a peer that stops acknowledging is
    given up by the kernel, not retried for a quarter of an hour."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raw = connection.connection
    assert raw is not None
    sock = socket.socket(fileno=raw.fileno())
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert 0 < sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) <= 15_000
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) <= 60
    finally:
        sock.detach()  # the connection's socket: not ours to close


def test_a_query_on_a_connection_that_stops_answering_fails_after_the_answer_timeout(
    proxy: TcpProxy,
) -> None:
    """A connection that passed its health check, then a query that is taken and never
    answered: a database error after ``DATABASE_ANSWER_TIMEOUT`` (12 s), and the connection
    is not used again."""
    wrapper = type(connections[DEFAULT_DB_ALIAS])  # Django's wrapper, as settings make it
    through_proxy = wrapper(
        {**connection.settings_dict, "PORT": str(proxy.port)}, alias="through_proxy"
    )
    try:
        with through_proxy.cursor() as cursor:
            cursor.execute("SELECT 1")
        proxy.drop()
        # Should nothing give up, the proxy closes everything after 30 s: the test fails, it
        # does not hang.
        guard = threading.Timer(30, proxy.cut)
        guard.start()
        started = time.monotonic()
        try:
            with (
                pytest.raises(OperationalError, match="did not answer within 12 s"),
                through_proxy.cursor() as cursor,
            ):
                cursor.execute("SELECT 2")
        finally:
            guard.cancel()
        assert 11 < time.monotonic() - started < 14
        assert through_proxy.connection is None or through_proxy.connection.closed
    finally:
        through_proxy.close()


def test_a_database_that_stops_answering_gives_the_visitor_the_503_within_15_seconds(
    client: Client, smtp_down: MailServer, proxy: TcpProxy, start: Start
) -> None:
    smtp_down.start()
    worker = start("db_worker")
    scheduler = start("scheduler")
    file_complaint(client, email="before@example.be")
    wait_until(lambda: len(smtp_down.mails) == 1, timeout=30)
    web_port = free_port()
    web = start("-m", "gunicorn", "querela.wsgi:application", "--bind", f"127.0.0.1:{web_port}")
    home = f"http://127.0.0.1:{web_port}/fr/"
    wait_until(lambda: fetch(home)[0] == 200, timeout=30)
    assert fetch(home)[0] == 200  # the web worker now holds a connection, kept for reuse

    proxy.drop()
    outage_started = time.monotonic()
    file_complaint(client, email="during@example.be")  # the test's own connection still works
    with translation.override("fr"):
        try_again = translation.gettext("Try again in a moment")
    for _ in range(2):  # on the connection it held, then on a new one
        status, page, seconds = fetch(home)
        assert (status, try_again in page) == (503, True), web.output()[-3000:]
        assert seconds < 15
        print(f"503 after {seconds:.1f} s")
    time.sleep(max(0.0, 25 - (time.monotonic() - outage_started)))
    assert worker.alive, worker.output()
    assert scheduler.alive, scheduler.output()
    assert web.alive
    # They waited as for a refused connection: they saw the outage and said so.
    assert "the database is unavailable" in scheduler.output()

    proxy.restore()
    took = wait_until(lambda: len(smtp_down.mails) == 2, timeout=60)
    print(f"delivered {took:.1f} s after the database answered again")
    wait_until(lambda: fetch(home)[0] == 200, timeout=30)
    assert worker.alive and scheduler.alive and web.alive
