"""The outbox (E19): a message that can never be sent is marked failed with its reason and
blocks nothing; staff send it again; each delivery of a sweep has its own clock; the admin
shows whether mail flows, not what it says."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging.mailbox import MailboxHandler
from messaging.models import OutboxMessage, State
from messaging.outbox import backoff, outbox_deliver_due
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint

pytestmark = pytest.mark.django_db(transaction=True)


def waiting(to: str, **fields: Any) -> OutboxMessage:
    return OutboxMessage.objects.create(
        to=to,
        language="nl",
        subject="Onderwerp",
        body_text="Tekst",
        body_html="<p>Tekst</p>",
        message_id=f"<{to.encode().hex()}@example.org>",
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
        **fields,
    )


@pytest.mark.parametrize(
    "address", ["anne\r\nBcc: all@example.org", "an\x01ne@example.be", "anne@exa\x1bmple.be"]
)
def test_an_address_the_mail_library_refuses_fails_with_its_reason_and_blocks_nothing(
    smtp_server: MailServer, address: str
) -> None:
    bad = waiting(address)
    good = waiting("bert@example.be")
    assert outbox_deliver_due() == 1
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == State.FAILED
    assert bad.last_error
    assert bad.claimed_until is None
    assert good.state == State.SENT
    assert [str(mail.message["To"]) for mail in smtp_server.mails] == ["bert@example.be"]


class SlowThenRefusing(MailboxHandler):
    """Takes a second over the first recipient; asks to try again later for the second."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.startswith("slow"):
            await asyncio.sleep(1)
            envelope.rcpt_tos.append(address)
            return "250 OK"
        return "451 try again later"


def test_each_delivery_of_a_sweep_counts_its_back_off_from_its_own_time(
    smtp_server: MailServer,
) -> None:
    assert smtp_server.controller is not None
    smtp_server.controller.handler = SlowThenRefusing(smtp_server.directory)
    waiting("slow@example.be")
    later = waiting("later@example.be")
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now())
    sweep_started = timezone.now()
    assert outbox_deliver_due() == 1
    later.refresh_from_db()
    assert later.state == State.PENDING
    # The second message was tried after the first took a second: its back-off starts then.
    assert later.next_attempt_at >= sweep_started + datetime.timedelta(seconds=1) + backoff(1)


def test_a_message_that_keeps_failing_is_given_up_and_marked_failed(smtp_down: MailServer) -> None:
    from messaging.outbox import MAX_ATTEMPTS

    message = waiting("anne@example.be", attempts=MAX_ATTEMPTS - 1)
    assert outbox_deliver_due() == 0
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert "ConnectionRefusedError" in message.last_error


def test_the_manager_sees_why_a_mail_failed_and_sends_it_again(
    cast: Cast, client: Client, smtp_down: MailServer
) -> None:
    complaint = file_complaint(client, email="anne.dupont@example.be")
    mail = complaint.outbox.get()
    OutboxMessage.objects.filter(pk=mail.pk).update(
        state=State.FAILED, last_error="550 mailbox unavailable"
    )
    manager = cast.client_for(cast.manager)
    page = manager.get(reverse("staff:complaint", args=[complaint.pk])).content.decode()
    assert "550 mailbox unavailable" in page
    resend = reverse("staff:mail_resend", args=[complaint.pk, mail.pk])
    assert resend in page

    handler = cast.client_for(cast.handler)
    assert handler.post(resend).status_code in {403, 404}

    smtp_down.start()
    try:
        assert manager.post(resend).status_code == 302
        mail.refresh_from_db()
        assert mail.state == State.SENT
        assert len(smtp_down.mails) == 1
        assert smtp_down.mails[0].message["Message-ID"] == mail.message_id
        again = manager.post(resend, follow=True)  # no longer failed: nothing is sent
        assert again.status_code == 200
        assert len(smtp_down.mails) == 1
    finally:
        smtp_down.stop()
    assert complaint.audit_entries.filter(detail=f"e-mail {mail.pk} sent again").count() == 1


def test_the_outbox_admin_shows_the_state_but_never_the_recipient_or_the_text(
    cast: Cast, client: Client, smtp_down: MailServer
) -> None:
    complaint = file_complaint(client, email="anne.dupont@example.be")
    mail = complaint.outbox.get()
    OutboxMessage.objects.filter(pk=mail.pk).update(
        state=State.FAILED, last_error="550 5.1.1 <anne.dupont@example.be>: no such user"
    )
    admin = cast.client_for(cast.administrator)
    listing = admin.get("/admin/messaging/outboxmessage/")
    detail = admin.get(f"/admin/messaging/outboxmessage/{mail.pk}/change/")
    for response in (listing, detail):
        assert response.status_code == 200
        page = response.content.decode()
        assert complaint.reference in page
        assert "anne.dupont@example.be" not in page
        assert "Dupont" not in page
        assert mail.subject not in page
        assert "J&#x27;attends" not in page and "J'attends" not in page
    assert "no such user" in detail.content.decode()


def test_failed_mail_is_sent_again_from_the_outbox_admin(
    cast: Cast, client: Client, smtp_down: MailServer
) -> None:
    complaint = file_complaint(client, email="anne.dupont@example.be")
    mail = complaint.outbox.get()
    OutboxMessage.objects.filter(pk=mail.pk).update(state=State.FAILED)
    smtp_down.start()
    try:
        response = cast.client_for(cast.administrator).post(
            "/admin/messaging/outboxmessage/",
            {"action": "send_again", "_selected_action": [mail.pk]},
        )
        assert response.status_code == 302
        mail.refresh_from_db()
        assert mail.state == State.SENT
    finally:
        smtp_down.stop()
