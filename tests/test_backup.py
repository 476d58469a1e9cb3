"""Backup and restore (E19): a backup restored into an empty database and an empty media
folder gives back every complaint, attachment and message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pytest_django.fixtures import Settings

from common.models import RateWindow
from complaints.models import Attachment, Complaint, Message
from configuration.models import Organisation
from messaging.models import OutboxMessage
from tests.helpers import file_complaint, personal_token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

PDF = b"%PDF-1.4\n% a statement\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_backup_restores_into_an_empty_database_and_media_folder(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    for number in range(3):
        file_complaint(
            Client(HTTP_HOST="localhost"),
            email=f"person{number}@example.be",
            attachments=[SimpleUploadedFile(f"proof{number}.pdf", PDF, "application/pdf")],
        )
    complaint = file_complaint(client, email="", postal_address="Rue Haute 1, 1000 Bruxelles")
    token = personal_token(client)
    before = {
        "complaints": sorted(Complaint.objects.values_list("reference", "last_name")),
        "messages": sorted(Message.objects.values_list("complaint__reference", "kind", "body")),
        "outbox": OutboxMessage.objects.count(),
        "attachments": sorted(
            (a.complaint.reference, a.original_name, a.file.read())
            for a in Attachment.objects.select_related("complaint")
        ),
    }
    archive = tmp_path / "querela.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    # A new machine: an empty, migrated database and an empty media folder.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert not Complaint.objects.exists() and not Organisation.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())
    after = {
        "complaints": sorted(Complaint.objects.values_list("reference", "last_name")),
        "messages": sorted(Message.objects.values_list("complaint__reference", "kind", "body")),
        "outbox": OutboxMessage.objects.count(),
        "attachments": sorted(
            (a.complaint.reference, a.original_name, a.file.read())
            for a in Attachment.objects.select_related("complaint")
        ),
    }
    assert after == before
    assert Attachment.objects.count() == 3
    # The filing limits' windows belong to the running site, not to the backup.
    assert not RateWindow.objects.exists()
    assert Organisation.objects.exists()
    # The complainant's link still opens their complaint (only its hash was in the backup).
    assert client.get(f"/fr/follow/{token}/").status_code == 200
    assert complaint.reference in client.get(f"/fr/follow/{token}/").content.decode()

    with pytest.raises(CommandError, match="empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
