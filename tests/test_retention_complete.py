"""Anonymisation leaves nothing of the person (E17): after a complaint that used every feature
is anonymised, no text column of any table and no file holds their name, contact details or
anything they wrote; the files go only once the anonymisation is committed."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from complaints import handling
from complaints.models import Complaint, DecisionKind, Outcome
from complaints.retention import anonymise, complaints_anonymise_expired
from tests.conftest import Cast, MailServer
from tests.database import where_found
from tests.helpers import file_complaint, personal_token

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n% Vandersteenhoven\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSONAL = {
    "first_name": "Anneliese",
    "last_name": "Vandersteenhoven",
    "email": "anneliese.vdsh@example.be",
    "phone": "0470 12 34 56",
    "postal_address": "Kerkstraat 17, 9000 Gent",
    "description": "Mijn leefloon van augustus is nooit op mijn rekening gekomen.",
    "desired_outcome": "Uitbetaling van het achterstallige bedrag",
    "own_reference": "MIJN-REF-4711",
}
WRITTEN = [
    "Hier is het rekeninguittreksel van september.",  # reply
    "Ik heb geen antwoord meer nodig van de dienst.",  # withdrawal reason
    "Het antwoord kwam veel te laat voor mij.",  # satisfaction comment
    "uittreksel-vandersteenhoven.pdf",  # attachment names
    "bewijs-vandersteenhoven.pdf",
]


def media_texts(root: Path) -> list[str]:
    return [
        path.read_bytes().decode(errors="replace") + str(path)
        for path in root.rglob("*")
        if path.is_file()
    ]


def a_complaint_using_every_feature(
    client: Client, cast: Cast, *, withdraw: bool, last_name: str
) -> Complaint:
    complaint = file_complaint(
        client,
        "nl",
        **{**PERSONAL, "last_name": last_name, "language": "nl"},
        attachments=[SimpleUploadedFile("bewijs-vandersteenhoven.pdf", PDF, "application/pdf")],
    )
    token = personal_token(client, "nl")
    manager = cast.client_for(cast.manager)
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    handling.complaint_request_information(
        complaint=complaint,
        subject=f"Vraag aan {last_name}",
        body=f"Beste {PERSONAL['first_name']} {last_name}, stuur ons uw rekeninguittreksel.",
        by=cast.manager,
    )
    reply = client.post(
        f"/nl/follow/{token}/reply/",
        {
            "text": WRITTEN[0],
            "attachments": SimpleUploadedFile(
                "uittreksel-vandersteenhoven.pdf", PDF, "application/pdf"
            ),
        },
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    complaint.refresh_from_db()
    for attachment in complaint.attachments.all():  # the audit log names the file
        manager.get(reverse("staff:attachment", args=[complaint.pk, attachment.pk]))
    manager.get(reverse("staff:complaint", args=[complaint.pk]))
    handling.note_add(complaint=complaint, text=f"{last_name} belde op.", by=cast.manager)
    handling.ombudsman_request_register(
        complaint=complaint,
        received_on=timezone.localdate(),
        summary=f"De Ombudsman vraagt uitleg over {last_name}.",
        by=cast.manager,
    )
    if withdraw:
        client.post(f"/nl/follow/{token}/withdraw/", {"reason": WRITTEN[1]})
    else:
        complaint.refresh_from_db()
        handling.complaint_answer(
            parts={"findings": "Nagekeken."},
            complaint=complaint,
            outcome=Outcome.UNFOUNDED,
            measure=f"Dossier {last_name} nagekeken.",
            by=cast.manager,
        )
        client.post(f"/nl/follow/{token}/satisfaction/", {"satisfied": "no", "comment": WRITTEN[2]})
    complaint.refresh_from_db()
    assert complaint.closed_at is not None
    return complaint


def test_nothing_of_the_person_is_left_in_any_table_or_file(
    cast: Cast, client: Client, smtp_server: MailServer, settings: Settings
) -> None:
    answered = a_complaint_using_every_feature(
        client, cast, withdraw=False, last_name="Vandersteenhoven"
    )
    withdrawn = a_complaint_using_every_feature(
        Client(HTTP_HOST="localhost"), cast, withdraw=True, last_name="Vandersteenhoven"
    )
    needles = [*PERSONAL.values(), *WRITTEN]
    assert where_found(*needles)  # the search finds what is there
    assert any(needle in text for text in media_texts(settings.MEDIA_ROOT) for needle in needles)

    long_ago = timezone.now() - datetime.timedelta(days=365 * 6)
    Complaint.objects.filter(pk__in=[answered.pk, withdrawn.pk]).update(closed_at=long_ago)
    assert complaints_anonymise_expired() == 2

    assert where_found(*needles) == []
    assert media_texts(settings.MEDIA_ROOT) == []


def test_the_files_stay_when_the_anonymisation_rolls_back(
    cast: Cast, client: Client, settings: Settings
) -> None:
    complaint = file_complaint(
        client,
        attachments=[SimpleUploadedFile("bewijs.pdf", PDF, "application/pdf")],
    )
    [attachment] = complaint.attachments.all()
    with pytest.raises(RuntimeError), transaction.atomic():
        anonymise(complaint, at=timezone.now())
        raise RuntimeError("the night's run fails after anonymising")
    assert complaint.attachments.get() == attachment
    assert attachment.file.storage.exists(str(attachment.file.name))
