"""The demo's mailbox without a mail server: a newcomer answers a letter as the complainant on
the demo mailbox page, and the mailbox reader takes the answer from the demo's folder by the
same path as a reply read from IMAP (``inbox.take``)."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from complaints.models import IncomingMail, Message
from complaints.notify import notify_staff
from messaging.models import OutboxMessage
from messaging.outbox import outbox_deliver
from tests.conftest import Cast, MailServer
from tests.helpers import MAILED_COMPLAINANT, mailed_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPLAINANT = MAILED_COMPLAINANT


def demo_settings(settings: Settings, tmp_path: Path) -> Path:
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path  # the demo mailbox page reads what the SMTP server stored
    settings.MAILBOX_HOST = ""
    settings.MAILBOX_DIRECTORY = str(tmp_path / "service-mailbox")
    settings.MAILBOX_REPLY_ADDRESS = "klachten@example.org"
    return tmp_path / "service-mailbox"


def test_an_answer_written_on_the_demo_mailbox_page_arrives_on_the_complaint(
    cast: Cast, smtp_server: MailServer, settings: Settings, tmp_path: Path
) -> None:
    folder = demo_settings(settings, tmp_path)
    complaint = mailed_complaint()
    assert outbox_deliver(OutboxMessage.objects.get(complaint=complaint).pk)
    letter = smtp_server.to(COMPLAINANT)[0]
    page = f"/en/staff/demo-mailbox/?mail={letter.name}"
    client = cast.client_for(cast.manager)
    assert "Answer as the complainant" in client.get(page).content.decode()

    sent = client.post(
        page,
        {
            "text": "Voici le courrier que vous attendiez.",
            "attachment": SimpleUploadedFile("courrier.pdf", PDF, "application/pdf"),
        },
    )
    assert sent.status_code == 302
    assert len(list(folder.glob("*.eml"))) == 1
    assert not Message.objects.filter(complaint=complaint, from_complainant=True).exists()

    out = io.StringIO()
    call_command("read_mailbox", "--once", stdout=out)

    assert "took 1 mail(s)" in out.getvalue()
    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert reply.body == "Voici le courrier que vous attendiez."
    assert (reply.received_via, reply.sender, reply.sender_unknown) == ("email", COMPLAINANT, False)
    assert [a.original_name for a in reply.attachments.all()] == ["courrier.pdf"]
    assert IncomingMail.objects.get().matched_by == "thread"
    timeline = client.get(f"/en/staff/complaints/{complaint.pk}/").content.decode()
    assert "Voici le courrier que vous attendiez." in timeline
    # Taken once: moved out of the waiting folder, and a second round takes nothing.
    assert not list(folder.glob("*.eml")) and len(list((folder / "taken").glob("*.eml"))) == 1
    call_command("read_mailbox", "--once", stdout=out)
    assert Message.objects.filter(complaint=complaint, from_complainant=True).count() == 1


def test_a_mail_to_staff_offers_no_answer_as_the_complainant(
    cast: Cast, smtp_server: MailServer, settings: Settings, tmp_path: Path
) -> None:
    folder = demo_settings(settings, tmp_path)
    complaint = mailed_complaint()
    OutboxMessage.objects.filter(complaint=complaint).delete()
    added = Message.objects.create(complaint=complaint, kind="addition", subject="x",
                                   body="Un ajout.", from_complainant=True, delivery="none",
                                   created_at=timezone.now())  # fmt: skip
    notify_staff(complaint, template="staff_complainant_wrote", managers=True,
                 context={"message": added, "attachments": 0})  # fmt: skip
    for mail in OutboxMessage.objects.all():
        assert outbox_deliver(mail.pk)
    to_manager = smtp_server.to(cast.manager.email)[0]
    page = f"/en/staff/demo-mailbox/?mail={to_manager.name}"
    client = cast.client_for(cast.manager)

    assert "Answer as the complainant" not in client.get(page).content.decode()
    client.post(page, {"text": "Pas à moi."})
    assert not folder.exists() or not list(folder.glob("*.eml"))
