"""Shared fixtures: the demo configuration, a real SMTP server on loopback, a fixed cast."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client, override_settings
from pytest_django.fixtures import Settings

from configuration.demo import load_demo_configuration
from messaging.mailbox import MailboxHandler, StoredMail, read_mailbox

# The browser fixtures (``browser``, ``page``) for the tests marked ``browser``; a real IMAP
# server (``imap_server``, dovecot) for the mailbox reader.
pytest_plugins = ["tests.browser", "tests.imap"]

# The live test server listens with a backlog of 10; the burst of 50 simultaneous submissions
# in test_concurrent_submissions would be reset by the kernel before Django sees it.
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Settings) -> None:
    """Tasks run in the request that enqueues them, unless a test asks for the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db: None) -> None:
    """POD MI's configuration, as ``load_demo`` installs it."""
    load_demo_configuration()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def point_mail_at(settings: Settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


class MailServer:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.port = port
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(
            MailboxHandler(self.directory), hostname="127.0.0.1", port=self.port
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def mails(self) -> list[StoredMail]:
        return list(reversed(read_mailbox(self.directory)))  # oldest first

    def to(self, address: str) -> list[StoredMail]:
        return [mail for mail in self.mails if address in str(mail.message["To"])]


@pytest.fixture
def smtp_server(settings: Settings, tmp_path: Path) -> Iterator[MailServer]:
    """A running SMTP server; Django's mail settings point at it."""
    server = MailServer(tmp_path / "mailbox", free_port())
    point_mail_at(settings, server.port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings: Settings, tmp_path: Path) -> MailServer:
    """An SMTP server that is not running yet: delivery fails until the test starts it."""
    server = MailServer(tmp_path / "mailbox", free_port())
    point_mail_at(settings, server.port)
    return server


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


class Cast:
    """The fixed cast of the back-office tests (demo accounts, as ``demo_accounts`` makes them)."""

    def __init__(self) -> None:
        from django.contrib.auth.models import User

        self.manager = User.objects.get(username="beheerder")
        self.handler = User.objects.get(username="behandelaar")  # unit front-office
        self.other_handler = User.objects.get(username="behandelaar2")  # social-integration
        self.management = User.objects.get(username="directie")
        self.administrator = User.objects.get(username="admin")

    def client_for(self, user: object) -> Client:
        """A client logged in as ``user``, second factor given (as after the login pages)."""
        from tests.helpers import pass_second_factor

        client = Client(HTTP_HOST="localhost")
        if user is not None:
            client.force_login(user)  # type: ignore[arg-type]
            pass_second_factor(client, user)  # type: ignore[arg-type]
        return client


def make_demo_accounts() -> None:
    """``demo_accounts``, which runs only in demo mode."""
    from django.core.management import call_command

    with override_settings(DEMO_MODE=True):
        call_command("demo_accounts", stdout=io.StringIO())


@pytest.fixture
def cast(demo: None) -> Cast:
    make_demo_accounts()
    return Cast()


@pytest.fixture
def handled(cast: Cast, client: Client) -> Any:
    """A complaint in handling, with the front office's handler (``cast.handler``)."""
    from django.utils import timezone

    from complaints.models import Complaint, Status
    from configuration.models import Unit
    from tests.helpers import file_complaint

    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.IN_HANDLING,
        handler=cast.handler,
        unit=Unit.objects.get(code="front-office"),
        acknowledged_at=timezone.now(),
    )
    complaint.refresh_from_db()
    return complaint
