"""Attachments are scanned by a real ClamAV daemon when one is configured: started here with a
signature database of its own (no download), which knows the EICAR test string."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints.models import Complaint, PendingUpload
from tests.helpers import triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A PDF that carries the EICAR string, as a harmful file would carry its payload.
INFECTED_PDF = PDF + b"% " + EICAR + b"\n"


@pytest.fixture(scope="module")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A clamd on a Unix socket, with a database that knows EICAR: by the EICAR file's hash
    (.hdb) and by the string anywhere in a file (.ndb)."""
    program = shutil.which("clamd") or (
        "/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None
    )
    if program is None:
        pytest.skip("clamd is not installed here (Debian: apt-get install clamav-daemon)")
    root = tmp_path_factory.mktemp("clamd")
    database = root / "db"
    database.mkdir()
    (database / "eicar.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Querela.Test.EICAR-file\n"  # noqa: S324
    )
    (database / "eicar.ndb").write_text(f"Querela.Test.EICAR:0:*:{EICAR.hex()}\n")
    socket_path = root / "clamd.sock"
    config = root / "clamd.conf"
    config.write_text(
        "Foreground yes\n"
        f"DatabaseDirectory {database}\n"
        f"LocalSocket {socket_path}\n"
        f"TemporaryDirectory {root}\n"
        f"LogFile {root / 'clamd.log'}\n"
    )
    process = subprocess.Popen(  # noqa: S603  # Debian's clamd, our own config
        [program, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            assert process.poll() is None, (root / "clamd.log").read_text()
            assert time.monotonic() < deadline, "clamd did not start"
            time.sleep(0.1)
        yield socket_path
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def form_client(client: Client) -> Client:
    client.post("/fr/complaint/", triage_answers())
    return client


def post_with(client: Client, content: bytes) -> Any:
    upload = SimpleUploadedFile("lettre.pdf", content, content_type="application/pdf")
    return client.post("/fr/complaint/form/", {**valid_form(), "attachments": [upload]})


def test_a_file_with_the_eicar_string_is_refused(
    form_client: Client, clamd: Path, settings: Any
) -> None:
    settings.CLAMD_SOCKET = str(clamd)
    response = post_with(form_client, INFECTED_PDF)
    assert response.status_code == 200
    html = response.content.decode()
    assert "lettre.pdf contient un virus et n&#x27;a pas été accepté." in html
    assert "Dupont" in html
    assert not Complaint.objects.exists()
    assert not PendingUpload.objects.exists()


def test_a_clean_file_passes_the_scan(form_client: Client, clamd: Path, settings: Any) -> None:
    settings.CLAMD_SOCKET = str(clamd)
    assert post_with(form_client, PDF).status_code == 302
    assert Complaint.objects.get().attachments.count() == 1


def test_a_configured_scanner_that_does_not_answer_lets_no_file_in(
    form_client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")
    response = post_with(form_client, PDF)
    assert response.status_code == 200
    assert "Nous n&#x27;avons pas pu vérifier" in response.content.decode()
    assert not Complaint.objects.exists()


def test_without_a_scanner_files_are_not_scanned(form_client: Client, settings: Any) -> None:
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    assert post_with(form_client, INFECTED_PDF).status_code == 302
