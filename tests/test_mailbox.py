"""The service's mailbox, read by the system (inbox): against a real IMAP server (dovecot) on
loopback, every message put in with IMAP APPEND."""

from __future__ import annotations

import contextlib
import io
import struct
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from access.models import AuditAction, AuditEntry
from complaints.complainant import complainant_withdraw
from complaints.handling import complaint_decide_admissibility, complaint_request_information
from complaints.models import (
    Channel,
    Complaint,
    DecisionKind,
    IncomingKind,
    IncomingMail,
    IncomingState,
    Message,
    MessageKind,
    Status,
)
from complaints.retention import anonymise
from inbox.reader import TAKEN, ImapSource, connect, read_once
from messaging.models import OutboxMessage, State
from messaging.outbox import outbox_deliver
from messaging.replies import reference_in_address, reply_address
from tests.conftest import Cast
from tests.helpers import MAILED_COMPLAINANT, mailed_complaint, valid_form
from tests.imap import ImapServer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPLAINANT = MAILED_COMPLAINANT


def waiting_for_complainant(cast: Cast) -> tuple[Complaint, OutboxMessage]:
    """A complaint whose handler asked the complainant a question, and that question's mail."""
    complaint = mailed_complaint()
    complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    message = complaint_request_information(
        complaint=Complaint.objects.get(pk=complaint.pk),
        subject="Une question",
        body="Pouvez-vous nous envoyer votre courrier ?",
        by=cast.manager,
    )
    return Complaint.objects.get(pk=complaint.pk), OutboxMessage.objects.get(case_message=message)


def mail(
    *,
    sender: str = COMPLAINANT,
    to: str = "klachten@example.org",
    subject: str = "Re: Une question",
    text: str | None = "Voici mon courrier.",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Anne Dupont <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = f"<{timezone.now().timestamp()}.{id(message)}@example.be>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if text is not None:
        message.set_content(text)
    return message


def read(server: ImapServer) -> int:
    source = ImapSource(connect())
    try:
        return read_once(source)
    finally:
        source.close()


@pytest.fixture
def mailbox(imap_server: ImapServer, cast: Cast, smtp_server: object) -> ImapServer:
    return imap_server


def test_a_reply_to_our_question_goes_on_the_complaint_and_the_handler_is_told(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint, question = waiting_for_complainant(cast)
    told_before = OutboxMessage.objects.filter(complaint=None).count()
    mailbox.append(mail(In_Reply_To=question.message_id).as_bytes())

    assert read(mailbox) == 1

    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING  # the clock resumes
    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert reply.kind == MessageKind.REPLY
    assert reply.body == "Voici mon courrier."
    assert (reply.received_via, reply.sender, reply.sender_unknown) == ("email", COMPLAINANT, False)
    assert OutboxMessage.objects.filter(complaint=None).count() > told_before  # staff told
    incoming = IncomingMail.objects.get()
    assert (incoming.kind, incoming.matched_by) == (IncomingKind.REPLY, "thread")
    assert incoming.raw.read().startswith(b"From:") or incoming.raw_size > 0
    assert TAKEN in mailbox.keywords()[0]
    assert b"\\Seen" in mailbox.keywords()[0]


def test_a_multipart_reply_to_the_reply_address_keeps_its_pdf(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint = mailed_complaint()
    message = mail(to=reply_address(complaint.reference), subject="Mon document")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="courrier.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="x-msdownload",
                           filename="setup.exe")  # fmt: skip
    mailbox.append(message.as_bytes())

    read(mailbox)

    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert reply.kind == MessageKind.ADDITION
    assert [a.original_name for a in reply.attachments.all()] == ["courrier.pdf"]
    assert "setup.exe" in reply.left_out
    assert IncomingMail.objects.get().matched_by == "reply_address"


def test_a_reply_address_with_a_wrong_tag_matches_nothing(settings: object) -> None:
    settings.MAILBOX_REPLY_ADDRESS = "klachten@example.org"  # type: ignore[attr-defined]
    address = reply_address("2026-000001")
    assert reference_in_address(address) == "2026-000001"
    assert reference_in_address(address.replace("+2026-000001.", "+2026-000002.")) is None


def test_a_mail_in_windows_1252_with_the_reference_in_its_subject_is_read(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint = mailed_complaint()
    raw = (
        f"From: {COMPLAINANT}\r\nTo: klachten@example.org\r\n"
        f"Subject: Re: votre dossier {complaint.reference}\r\nMessage-ID: <cp1252@example.be>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1252\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Le délai était trop long, 20 € de frais.\r\n".encode("cp1252")
    mailbox.append(raw)

    read(mailbox)

    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert reply.body == "Le délai était trop long, 20 € de frais."
    assert IncomingMail.objects.get().matched_by == "subject"


def test_a_mail_in_an_unknown_charset_is_read_with_replacements(
    mailbox: ImapServer, cast: Cast
) -> None:
    raw = (
        b"From: someone@example.be\r\nTo: klachten@example.org\r\nSubject: hello\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nBonjour \xe9\xff\r\n"
    )
    mailbox.append(raw)
    read(mailbox)
    incoming = IncomingMail.objects.get()
    assert incoming.kind == IncomingKind.NEW
    assert incoming.text.startswith("Bonjour")


def test_a_new_html_only_mail_waits_in_the_intake_queue_sanitised(
    mailbox: ImapServer, cast: Cast
) -> None:
    message = mail(sender="jan@example.be", subject="Klacht over mijn dossier", text=None)
    message.set_content(
        '<p>Mijn <b>dossier</b> ligt stil.</p><img src="https://tracker.example/p.gif">'
        "<script>alert(1)</script><p style='color:red' onclick='x()'>Groeten</p>",
        subtype="html",
    )
    mailbox.append(message.as_bytes())

    read(mailbox)

    incoming = IncomingMail.objects.get()
    assert (incoming.kind, incoming.state) == (IncomingKind.NEW, IncomingState.WAITING)
    assert incoming.sender == "jan@example.be"
    assert "<img" not in incoming.html and "script" not in incoming.html
    assert "onclick" not in incoming.html and "style" not in incoming.html
    assert "Mijn dossier ligt stil." in incoming.text and "Groeten" in incoming.text
    assert incoming.received_at <= timezone.now()


def test_an_out_of_office_reply_is_neither_a_reply_nor_a_complaint(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint, question = waiting_for_complainant(cast)
    outbox_before = OutboxMessage.objects.count()
    mailbox.append(
        mail(
            subject="Automatic reply: Une question",
            text="I am out of office.",
            In_Reply_To=question.message_id,
            Auto_Submitted="auto-replied",
        ).as_bytes()
    )
    mailbox.append(mail(subject="Afwezig", text="Tot maandag.", X_Autoreply="yes").as_bytes())

    assert read(mailbox) == 2

    assert list(IncomingMail.objects.values_list("kind", flat=True)) == [
        IncomingKind.AUTO_REPLY,
        IncomingKind.AUTO_REPLY,
    ]
    assert not Message.objects.filter(from_complainant=True).exists()
    assert OutboxMessage.objects.count() == outbox_before  # nothing answers it
    complaint.refresh_from_db()
    assert complaint.status == Status.WAITING_FOR_COMPLAINANT


def a_bounce(original_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: klachten@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {COMPLAINANT}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: Accusé de réception\r\n\r\n--B--\r\n"
    ).encode()


def test_a_bounce_marks_our_delivery_failed_on_the_complaints_page(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint = mailed_complaint()
    acknowledgement = OutboxMessage.objects.get(complaint=complaint)
    mailbox.append(a_bounce(acknowledgement.message_id))

    read(mailbox)

    acknowledgement.refresh_from_db()
    assert acknowledgement.state == State.FAILED
    assert "550 5.1.1 user unknown" in acknowledgement.last_error
    incoming = IncomingMail.objects.get()
    assert (incoming.kind, incoming.complaint_id) == (IncomingKind.BOUNCE, complaint.pk)
    assert not Message.objects.filter(from_complainant=True).exists()
    page = cast.client_for(cast.manager).get(f"/en/staff/complaints/{complaint.pk}/")
    assert "550 5.1.1 user unknown" in page.content.decode()


def test_a_reply_to_a_closed_complaint_waits_for_the_complaints_manager(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint = mailed_complaint()
    question = OutboxMessage.objects.get(complaint=complaint)
    complainant_withdraw(complaint=complaint)
    message = mail(subject="Je ne suis pas satisfaite", In_Reply_To=question.message_id)
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="preuve.pdf")
    mailbox.append(message.as_bytes())

    read(mailbox)

    incoming = IncomingMail.objects.get()
    assert (incoming.kind, incoming.state) == (IncomingKind.CLOSED_REPLY, IncomingState.WAITING)
    assert incoming.complaint_id == complaint.pk
    assert [a.original_name for a in incoming.attachments.all()] == ["preuve.pdf"]
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN  # not reopened, not silently closed
    assert not Message.objects.filter(from_complainant=True).exists()
    # The withdrawal told the manager too; the last mail is about the closed complaint's reply.
    told = OutboxMessage.objects.filter(to=cast.manager.email, complaint__isnull=True).latest("pk")
    with translation.override(told.language):  # the manager's language
        assert told.subject == gettext(
            "Complaint %(reference)s is closed: the complainant wrote again"
        ) % {"reference": complaint.reference}
    assert f"/staff/complaints/{complaint.pk}/" in told.body_text


def test_a_reply_from_another_address_is_attached_but_marked(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint, question = waiting_for_complainant(cast)
    mailbox.append(
        mail(
            sender="impostor@evil.example",
            In_Reply_To=question.message_id,
            Authentication_Results="mx.example.org; spf=fail smtp.mailfrom=evil.example; "
            "dmarc=fail header.from=evil.example",
        ).as_bytes()
    )

    read(mailbox)

    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert reply.sender_unknown and reply.sender == "impostor@evil.example"
    assert "spf=fail" in reply.sender_checks
    page = cast.client_for(cast.manager).get(f"/en/staff/complaints/{complaint.pk}/")
    html = page.content.decode()
    assert "impostor@evil.example" in html and "spf=fail" in html


def test_a_30_mb_message_is_taken_and_its_oversized_file_left_out(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint = mailed_complaint()
    message = mail(to=reply_address(complaint.reference), subject="Grand fichier")
    message.add_attachment(
        PDF + b"0" * (30 * 1024 * 1024), maintype="application", subtype="pdf", filename="big.pdf"
    )
    raw = message.as_bytes()
    assert len(raw) > 30 * 1024 * 1024
    mailbox.append(raw)

    read(mailbox)

    reply = Message.objects.get(complaint=complaint, from_complainant=True)
    assert "big.pdf" in reply.left_out
    incoming = IncomingMail.objects.get()
    assert incoming.raw_size == len(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert TAKEN in mailbox.keywords()[0]


def test_a_message_larger_than_the_limit_is_kept_aside_whole(
    mailbox: ImapServer, cast: Cast, settings: object
) -> None:
    settings.MAILBOX_MAX_MESSAGE_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    message = mail(subject="Trop grand")
    message.add_attachment(b"x" * (2 * 1024 * 1024), maintype="application", subtype="octet-stream")
    mailbox.append(message.as_bytes())

    read(mailbox)

    incoming = IncomingMail.objects.get()
    assert (incoming.kind, incoming.state) == (IncomingKind.KEPT_ASIDE, IncomingState.WAITING)
    assert "larger than 1 MB" in incoming.reason
    assert incoming.raw.size == incoming.raw_size > 2 * 1024 * 1024


def test_a_crash_between_storing_and_marking_takes_the_reply_once(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint, question = waiting_for_complainant(cast)
    mailbox.append(mail(In_Reply_To=question.message_id).as_bytes())

    def crash(uid: str) -> None:
        raise RuntimeError("killed between storing and marking")

    source = ImapSource(connect())
    with pytest.raises(RuntimeError):
        read_once(source, after_store=crash)
    source.close()
    assert TAKEN not in mailbox.keywords()[0]

    assert read(mailbox) == 1

    assert Message.objects.filter(complaint=complaint, from_complainant=True).count() == 1
    assert IncomingMail.objects.count() == 1
    assert TAKEN in mailbox.keywords()[0]
    assert read(mailbox) == 0


def test_the_same_mail_delivered_twice_is_taken_once(mailbox: ImapServer, cast: Cast) -> None:
    complaint, question = waiting_for_complainant(cast)
    message = mail(In_Reply_To=question.message_id)
    mailbox.append(message.as_bytes())
    message["Received"] = "from mx2.example.org by mx.example.org"
    mailbox.append(message.as_bytes())

    assert read(mailbox) == 2

    assert Message.objects.filter(complaint=complaint, from_complainant=True).count() == 1


def tnef(body: bytes, name: bytes, data: bytes) -> bytes:
    """A minimal TNEF stream (winmail.dat): a body and one attached file."""

    def attribute(level: int, kind: int, value: bytes) -> bytes:
        checksum = sum(value) & 0xFFFF
        return struct.pack("<BII", level, kind, len(value)) + value + struct.pack("<H", checksum)

    return (
        struct.pack("<IH", 0x223E9F78, 1)
        + attribute(1, 0x0002800C, body)  # attBody
        + attribute(2, 0x00069002, b"\x00" * 14)  # attAttachRendData: a new file
        + attribute(2, 0x00018010, name + b"\x00")  # attAttachTitle
        + attribute(2, 0x0006800F, data)  # attAttachData
    )


def test_an_outlook_winmail_dat_gives_its_text_and_its_file(
    mailbox: ImapServer, cast: Cast
) -> None:
    message = mail(sender="jan@example.be", subject="Klacht", text=None)
    message.set_content("")
    message.add_attachment(
        tnef(b"Mijn klacht staat in de bijlage.", b"klacht.pdf", PDF),
        maintype="application",
        subtype="ms-tnef",
        filename="winmail.dat",
    )
    mailbox.append(message.as_bytes())

    read(mailbox)

    incoming = IncomingMail.objects.get()
    assert incoming.kind == IncomingKind.NEW
    assert "Mijn klacht staat in de bijlage." in incoming.text
    attachment = incoming.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("klacht.pdf", "application/pdf")
    assert attachment.file.read() == PDF


def test_hostile_and_malformed_messages_never_stop_the_reader(
    mailbox: ImapServer, cast: Cast
) -> None:
    complaint, question = waiting_for_complainant(cast)
    mailbox.append(b"\x00\xff\xfe garbage without headers \x00\r\n")
    mailbox.append(
        b"From: =?x-unknown?Q?=FF=FE?= <<<@@>>>\r\nTo: ,,,\r\nSubject: =?utf-8?B?////?=\r\n"
        b"Message-ID: <<<>>>\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--\r\n"
    )
    mailbox.append(
        b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n"
        + b"--X\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n" * 200
    )
    mailbox.append(mail(In_Reply_To=question.message_id).as_bytes())

    assert read(mailbox) == 4

    assert IncomingMail.objects.count() == 4
    assert Message.objects.filter(complaint=complaint, from_complainant=True).count() == 1
    assert all(TAKEN in flags for flags in mailbox.keywords())


def test_outgoing_mail_carries_the_complaints_reply_address(
    cast: Cast, smtp_server: object, settings: object
) -> None:
    settings.MAILBOX_REPLY_ADDRESS = "klachten@example.org"  # type: ignore[attr-defined]
    complaint = mailed_complaint()
    assert outbox_deliver(OutboxMessage.objects.get(complaint=complaint).pk)
    sent = smtp_server.to(COMPLAINANT)[0].message  # type: ignore[attr-defined]
    assert sent["Reply-To"] == reply_address(complaint.reference)
    assert sent["Reply-To"].startswith(f"klachten+{complaint.reference}.")
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["Message-ID"] == OutboxMessage.objects.get(complaint=complaint).message_id


def test_health_says_when_the_mailbox_was_last_read(mailbox: ImapServer, cast: Cast) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("health", stdout=out, stderr=err)
    assert "mailbox last read: never" in out.getvalue()
    assert "the mailbox is not being read" in err.getvalue()

    call_command("read_mailbox", "--once", stdout=io.StringIO())

    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # no worker runs here: mail is not flowing
        call_command("health", stdout=out, stderr=io.StringIO())
    assert "mailbox last read: 0 s ago" in out.getvalue()


def test_the_manager_registers_a_new_mail_as_a_complaint_received_when_the_mailbox_got_it(
    mailbox: ImapServer, cast: Cast
) -> None:
    message = mail(sender="jan@example.be", subject="Klacht", text="Mijn dossier ligt stil.")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="brief.pdf")
    mailbox.append(message.as_bytes())
    read(mailbox)
    incoming = IncomingMail.objects.get()
    manager = cast.client_for(cast.manager)

    listing = manager.get("/en/staff/intake/").content.decode()
    assert "Klacht" in listing and "jan@example.be" in listing
    page = manager.get(f"/en/staff/intake/{incoming.pk}/").content.decode()
    assert "Mijn dossier ligt stil." in page
    response = manager.post(
        f"/en/staff/intake/{incoming.pk}/",
        valid_form(
            decision="register",
            channel="email",
            received_on=timezone.localdate(incoming.received_at).isoformat(),
            first_name="Jan",
            last_name="Peeters",
            email="jan@example.be",
            description="Mijn dossier ligt stil.",
            language="nl",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get(email="jan@example.be")
    assert complaint.channel == Channel.EMAIL
    assert complaint.received_at == incoming.received_at
    assert [a.original_name for a in complaint.attachments.all()] == ["brief.pdf"]
    incoming.refresh_from_db()
    assert (incoming.state, incoming.complaint_id) == (IncomingState.REGISTERED, complaint.pk)
    assert "Klacht" not in manager.get("/en/staff/intake/").content.decode()


def test_the_manager_marks_a_new_mail_as_spam_and_a_handler_cannot_see_the_queue(
    mailbox: ImapServer, cast: Cast
) -> None:
    mailbox.append(mail(sender="spam@example.com", subject="Win money").as_bytes())
    read(mailbox)
    incoming = IncomingMail.objects.get()
    assert cast.client_for(cast.handler).get("/en/staff/intake/").status_code in {403, 404}

    response = cast.client_for(cast.manager).post(
        f"/en/staff/intake/{incoming.pk}/", {"decision": "spam"}
    )

    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.state == IncomingState.SPAM
    again = cast.client_for(cast.manager).post(
        f"/en/staff/intake/{incoming.pk}/", {"decision": "not_a_complaint"}, follow=True
    )
    assert "Someone has already dealt with this message." in again.content.decode()


def test_anonymising_a_complaint_forgets_the_mails_taken_about_it(
    mailbox: ImapServer, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = mailed_complaint()
    reply = mail(to=reply_address(complaint.reference), subject="Mon document")
    reply.add_attachment(PDF, maintype="application", subtype="pdf", filename="courrier.pdf")
    mailbox.append(reply.as_bytes())
    read(mailbox)
    complainant_withdraw(complaint=Complaint.objects.get(pk=complaint.pk))
    late = mail(to=reply_address(complaint.reference), subject="Pas satisfaite")
    late.add_attachment(PDF, maintype="application", subtype="pdf", filename="preuve.pdf")
    mailbox.append(late.as_bytes())
    read(mailbox)
    mails = list(IncomingMail.objects.filter(complaint=complaint).order_by("pk"))
    assert [m.kind for m in mails] == [IncomingKind.REPLY, IncomingKind.CLOSED_REPLY]
    kept = [(m.raw.storage, m.raw.name or "") for m in mails]
    kept += [(a.file.storage, a.file.name or "") for a in mails[1].attachments.all()]
    assert len(kept) == 3 and all(storage.exists(name) for storage, name in kept)

    with django_capture_on_commit_callbacks(execute=True):
        anonymise(Complaint.objects.get(pk=complaint.pk), at=timezone.now())

    for taken in IncomingMail.objects.filter(complaint=complaint):
        assert COMPLAINANT not in (taken.sender, taken.text, taken.html, taken.sender_checks)
        assert "Voici mon courrier" not in taken.text and "Pas satisfaite" not in taken.subject
        assert taken.raw.name == "" and not taken.attachments.exists()
    assert not any(storage.exists(name) for storage, name in kept)
    assert not Message.objects.filter(complaint=complaint, sender=COMPLAINANT).exists()


def test_the_manager_downloads_a_waiting_mails_original_and_kept_file_each_in_the_audit_log(
    mailbox: ImapServer, cast: Cast
) -> None:
    message = mail(sender="jan@example.be", subject="Klacht", text="Mijn dossier ligt stil.")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="brief.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="x-msdownload",
                           filename="setup.exe")  # fmt: skip
    mailbox.append(message.as_bytes())
    read(mailbox)
    incoming = IncomingMail.objects.get()
    kept = incoming.attachments.get(original_name="brief.pdf")
    refused = incoming.attachments.get(original_name="setup.exe")
    manager = cast.client_for(cast.manager)
    page = manager.get(f"/en/staff/intake/{incoming.pk}/").content.decode()
    original_url = f"/en/staff/intake/{incoming.pk}/original/"
    kept_url = f"/en/staff/intake/{incoming.pk}/files/{kept.pk}/"
    assert original_url in page and kept_url in page
    assert f"/files/{refused.pk}/" not in page

    original = manager.get(original_url)
    file = manager.get(kept_url)

    assert original.status_code == 200 and original["Content-Type"] == "message/rfc822"
    assert "attachment" in original["Content-Disposition"]
    assert b"Subject: Klacht" in b"".join(original.streaming_content)  # type: ignore[attr-defined]  # FileResponse
    assert b"".join(file.streaming_content) == PDF  # type: ignore[attr-defined]  # FileResponse
    assert file["X-Content-Type-Options"] == "nosniff"
    assert list(
        AuditEntry.objects.filter(actor=cast.manager, action=AuditAction.DOWNLOAD)
        .order_by("pk")
        .values_list("detail", flat=True)
    ) == [f"incoming mail {incoming.pk}: original", f"incoming mail {incoming.pk}: brief.pdf"]
    assert manager.get(f"/en/staff/intake/{incoming.pk}/files/{refused.pk}/").status_code == 404
    handler = cast.client_for(cast.handler)
    assert handler.get(original_url).status_code in {403, 404}
    assert handler.get(kept_url).status_code in {403, 404}
