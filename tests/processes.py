"""Real processes for the fault tests: the worker and the scheduler as ``manage.py`` runs
them, on the test's database; and a TCP proxy in front of PostgreSQL that the test can cut."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class Process:
    """``manage.py <command>`` (or ``python -m <module> ...`` when ``command`` starts with
    ``-m``) in its own process, its output in ``log``."""

    def __init__(
        self,
        command: list[str],
        log: Path,
        database: dict[str, object],
        mail_port: int,
        **environment: str,
    ) -> None:
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.process_settings",
            "QUERELA_TEST_DATABASE": json.dumps(database),
            "EMAIL_PORT": str(mail_port),
            "EMAIL_TIMEOUT": "5",
            "SITE_URL": "http://testserver",
            "SCHEDULER_INTERVAL": "1",
            "LOG_LEVEL": "INFO",
            **environment,
        }
        self.popen = subprocess.Popen(  # noqa: S603
            [sys.executable, *(command if command[0] == "-m" else ["manage.py", *command])],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """``kill -9``: no clean-up, no last word."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.alive:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def database_for_processes(port: int | None = None) -> dict[str, object]:
    """The test database's connection settings, for another process; on PostgreSQL through
    ``port`` (a proxy) when given."""
    settings = connection.settings_dict
    database: dict[str, object] = {"ENGINE": settings["ENGINE"], "NAME": settings["NAME"]}
    if connection.vendor == "postgresql":
        database.update(
            HOST="127.0.0.1",
            PORT=str(port or settings["PORT"]),
            USER=settings["USER"],
            PASSWORD=settings["PASSWORD"],
        )
    return database


class TcpProxy:
    """Forwards a local port to ``upstream``. ``cut()`` drops every connection and refuses
    new ones, as a database that went away; ``drop()`` stops forwarding and keeps every
    connection open, as a network that loses packets (a firewall's DROP, a pulled cable);
    ``restore()`` lets them through again."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.dropping = threading.Event()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            if self.listener is not listener:  # accepted while being cut
                client.close()
                return
            if self.dropping.is_set():  # taken, never answered
                with self.lock:
                    self.connections.append(client)
                threading.Thread(target=self._pump, args=(client, None), daemon=True).start()
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket | None) -> None:
        try:
            while data := source.recv(65536):
                if target is not None and not self.dropping.is_set():
                    target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                if end is not None:
                    with contextlib.suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        """What is sent either way is read and thrown away; nothing is closed or refused, so
        only a time-out of the client's tells it that nobody answers."""
        self.dropping.set()

    def cut(self) -> None:
        if self.listener is not None:
            # close() alone does not stop a listener whose accept() waits in another thread:
            # it would go on letting new connections through. shutdown() wakes and stops it.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for end in self.connections:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.connections = []

    def restore(self) -> None:
        if self.dropping.is_set():
            # The network is back; the connections it lost bytes of are of no use any more.
            self.cut()
            self.dropping.clear()
        self.start()


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.5) -> float:
    """Seconds it took ``condition`` to hold; fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(step)
    return time.monotonic() - started
