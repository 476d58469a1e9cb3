"""Attachments in S3-compatible object storage, against a real S3 server on loopback (moto's
server mode): a complaint filed with an attachment, downloaded by staff, exported by the
complainant; nothing written to the local disk."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto.server import ThreadedMotoServer
from pytest_django.fixtures import Settings

from complaints.models import Complaint, PendingUpload
from querela import settings as project_settings
from tests.conftest import Cast, free_port
from tests.helpers import file_complaint, personal_token, triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Bucket:
    s3: Any  # a boto3 S3 client of the same server
    name: str

    def keys(self) -> list[str]:
        listed = self.s3.list_objects_v2(Bucket=self.name)
        return [item["Key"] for item in listed.get("Contents", [])]

    def read(self, key: str) -> bytes:
        body: bytes = self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body


@pytest.fixture
def object_storage(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bucket]:
    """A real S3-compatible server on a free loopback port, with a new empty bucket (the
    server keeps its buckets for the whole test process); attachments are stored there,
    configured the way the settings read the environment."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    environment = {
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "querela-test",
        "AWS_SECRET_ACCESS_KEY": "querela-test-secret",
        "S3_PREFIX": "attachments-test",
        "S3_ADDRESSING_STYLE": "path",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="querela-test",
        aws_secret_access_key="querela-test-secret",  # moto accepts any
    )
    bucket = Bucket(s3, f"querela-{uuid.uuid4().hex[:16]}")
    s3.create_bucket(
        Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": project_settings.object_storage(bucket.name),
    }
    try:
        yield bucket
    finally:
        server.stop()


def test_an_attachment_goes_to_object_storage_and_comes_back_to_staff_and_complainant(
    object_storage: Bucket, cast: Cast, client: Client, settings: Settings
) -> None:
    complaint = file_complaint(client, attachments=[SimpleUploadedFile("courrier.pdf", PDF)])
    token: str = personal_token(client)
    attachment = complaint.attachments.get()

    keys = object_storage.keys()
    assert keys == [f"attachments-test/{attachment.file.name}"]
    assert object_storage.read(keys[0]) == PDF
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))

    staff = cast.client_for(cast.manager)
    download = staff.get(f"/nl/staff/complaints/{complaint.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    export = client.get(f"/fr/follow/{token}/export/")
    assert export.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    data = json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))
    (entry,) = data["attachments"]
    assert archive.read(entry["file"]) == PDF


def test_a_file_kept_from_a_form_with_errors_waits_in_object_storage(
    object_storage: Bucket, client: Client
) -> None:
    client.post("/fr/complaint/", triage_answers())
    first = client.post(
        "/fr/complaint/form/",
        {**valid_form(description=""), "attachments": [SimpleUploadedFile("lettre.pdf", PDF)]},
    )
    assert first.status_code == 200
    pending = PendingUpload.objects.get()
    assert object_storage.keys() == [f"attachments-test/{pending.file.name}"]

    second = client.post("/fr/complaint/form/", {**valid_form(), "keep_upload": [str(pending.pk)]})
    assert second.status_code == 302
    attachment = Complaint.objects.get().attachments.get()
    # The waiting copy is gone; the complaint's own copy is in the bucket.
    assert object_storage.keys() == [f"attachments-test/{attachment.file.name}"]
    assert attachment.file.read() == PDF
