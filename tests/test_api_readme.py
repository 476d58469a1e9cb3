"""The README's curl command files a complaint, as written, against a running server."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from complaints.models import Complaint
from configuration.models import Category

README = Path(__file__).resolve().parent.parent / "README.md"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_the_readmes_curl_files_a_complaint(
    demo: None, live_server: LiveServer, tmp_path: Path
) -> None:
    found = re.search(
        r"```sh\n(curl -X POST http://127\.0\.0\.1:8000/api/v1/complaints.*?)```",
        README.read_text(),
        re.DOTALL,
    )
    assert found is not None, "the README shows no curl that files a complaint"
    category = Category.objects.filter(active=True).order_by("position", "pk").first()
    assert category is not None
    command = (
        found.group(1)
        .replace("\\\n", " ")
        .replace("http://127.0.0.1:8000", live_server.url)
        .replace("category=1", f"category={category.pk}")
    )
    (tmp_path / "courrier.pdf").write_bytes(PDF)
    done = subprocess.run(  # noqa: S603  # the README's own command, on loopback
        [*shlex.split(command), "--silent", "--show-error"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        timeout=60,
    )
    filed = json.loads(done.stdout)
    complaint = Complaint.objects.get(reference=filed["reference"])
    assert complaint.language == "fr"
    assert [a.original_name for a in complaint.attachments.all()] == ["courrier.pdf"]
    assert filed["personal_token"]
