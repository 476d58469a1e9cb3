"""Filing is all or nothing (E19): when the database refuses part of it, no complaint and no
attachment file is left behind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from complaints.models import Complaint, Message
from messaging.models import OutboxMessage
from tests.conftest import Cast
from tests.helpers import file_complaint, personal_token, triage_answers, valid_form

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def inserts_refused(table: str) -> Iterator[None]:
    """The database refuses every new row of ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER refuse ON {table}")
            cursor.execute("DROP FUNCTION refuse()")
        else:
            cursor.execute("DROP TRIGGER refuse")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_filing_that_rolls_back_leaves_no_attachment_file(settings: Settings) -> None:
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.post("/fr/complaint/", triage_answers())
    form = valid_form(attachments=SimpleUploadedFile("preuve.pdf", PDF, "application/pdf"))
    with inserts_refused(Message._meta.db_table):  # the acknowledgement, after the files
        response = client.post("/fr/complaint/form/", form)
    assert response.status_code == 500
    assert not Complaint.objects.exists()
    assert files_under(Path(settings.MEDIA_ROOT) / "complaints") == []


def test_a_reply_that_rolls_back_leaves_no_attachment_file(
    client: Client, settings: Settings, cast: Cast
) -> None:
    complaint = file_complaint(client)
    token = personal_token(client)
    replying = Client(HTTP_HOST="localhost", raise_request_exception=False)
    with inserts_refused(OutboxMessage._meta.db_table):  # telling staff, after the files
        response = replying.post(
            f"/fr/follow/{token}/reply/",
            {"text": "Voici.", "attachments": SimpleUploadedFile("x.pdf", PDF, "application/pdf")},
        )
    assert response.status_code == 500
    assert not complaint.attachments.exists()
    assert files_under(Path(settings.MEDIA_ROOT) / "complaints") == []
