"""Attachments in S3-compatible object storage, against a real S3 server on loopback (moto's
server mode): a complaint filed with an attachment, downloaded by staff, exported by the
complainant; nothing written to the local disk."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto.server import ThreadedMotoServer
from pytest_django.fixtures import Settings

from querela import settings as project_settings
from tests.conftest import Cast, free_port
from tests.helpers import file_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUCKET = "querela-attachments"


@pytest.fixture
def object_storage(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real S3-compatible server on a free loopback port, with an empty bucket; attachments
    are stored there, configured the way the settings read the environment."""
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
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {**settings.STORAGES, "default": project_settings.object_storage(BUCKET)}
    try:
        yield s3
    finally:
        server.stop()


def stored_keys(s3: Any) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_an_attachment_goes_to_object_storage_and_comes_back_to_staff_and_complainant(
    object_storage: Any, cast: Cast, client: Client, settings: Settings
) -> None:
    complaint = file_complaint(client, attachments=[SimpleUploadedFile("courrier.pdf", PDF)])
    token: str = client.session["filed_complaint"]["token"]
    attachment = complaint.attachments.get()

    keys = stored_keys(object_storage)
    assert keys == [f"attachments-test/{attachment.file.name}"]
    body = object_storage.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body == PDF
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
