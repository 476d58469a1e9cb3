"""A real IMAP server on loopback for the mailbox tests: Debian's dovecot, started with its
own configuration in a temporary directory, on a free port (no system service)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from imapclient import IMAPClient
from pytest_django.fixtures import Settings

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "klachten", "mailbox-secret"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ImapServer:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(USER, PASSWORD)
        client.select_folder("INBOX")
        return client

    def append(self, raw: bytes, *, flags: tuple[bytes, ...] = ()) -> None:
        client = self.client()
        try:
            client.append("INBOX", raw, flags=flags)
        finally:
            client.logout()

    def keywords(self) -> list[tuple[bytes, ...]]:
        client = self.client()
        try:
            return [flags for _uid, flags in sorted(client.get_flags(client.search()).items())]
        finally:
            client.logout()


@pytest.fixture
def imap_server(settings: Settings) -> Iterator[ImapServer]:
    """A running dovecot; the mailbox settings point at it."""
    if not os.path.exists(DOVECOT):
        pytest.fail("dovecot is not installed (apt-get install dovecot-imapd)")
    server, stop = start_dovecot(settings)
    try:
        yield server
    finally:
        stop()


def start_dovecot(settings: Any) -> tuple[ImapServer, Callable[[], None]]:
    """Starts dovecot on a free port, points ``settings`` at it; returns it and its stop."""
    # dovecot refuses mail for root: as root the mail belongs to its own user, under a
    # directory that user can reach.
    root = Path(tempfile.mkdtemp(prefix="querela-imap-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("dovecot")
        uid, gid, users = owner.pw_uid, owner.pw_gid, ""
    else:
        uid, gid = os.getuid(), os.getgid()
        me = pwd.getpwuid(uid).pw_name
        users = f"default_internal_user = {me}\ndefault_login_user = {me}"
    (root / "mail").mkdir()
    os.chown(root / "mail", uid, gid)
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, uid=uid, gid=gid, port=port, users=users))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)])  # noqa: S603
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                log = root / "dovecot.log"
                said = log.read_text() if log.exists() else ""
                raise RuntimeError(f"dovecot did not start: {said}") from None
            time.sleep(0.05)
    settings.MAILBOX_HOST = "127.0.0.1"
    settings.MAILBOX_PORT = port
    settings.MAILBOX_TLS = False
    settings.MAILBOX_USER = USER
    settings.MAILBOX_PASSWORD = PASSWORD
    settings.MAILBOX_OAUTH2_TOKEN_FILE = ""
    settings.MAILBOX_FOLDER = "INBOX"
    settings.MAILBOX_REPLY_ADDRESS = "klachten@example.org"

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)

    return ImapServer(root, port), stop
