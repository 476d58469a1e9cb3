"""The acknowledgement (R10, E9) reaches a real SMTP server in the complainant's language,
and the outbox loses nothing when SMTP or the worker is down (E19)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from complaints.models import Complaint, Status
from configuration.dates import long_date
from messaging.models import OutboxMessage, State
from messaging.outbox import LEASE, backoff, outbox_deliver, outbox_deliver_due
from tests.conftest import MailServer
from tests.helpers import file_complaint

# Transactional: the delivery starts when the complaint's transaction commits, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_acknowledgement_arrives_in_the_complainants_language(
    client: Client, smtp_server: MailServer, language: str
) -> None:
    complaint = file_complaint(client, "nl", language=language, email="p@example.be")
    [mail] = smtp_server.to("p@example.be")
    text = mail.text
    assert complaint.reference in mail.message["Subject"]
    assert complaint.reference in text
    assert long_date(complaint.answer_due, language) in text
    assert gettext_in(
        language,
        "Please note: a complaint does not stop or extend any appeal "
        "deadline. If you want to contest a decision, follow the appeal procedure "
        "stated on the decision letter.",
    ) in " ".join(text.split())
    assert f"http://testserver/{language}/follow/" in text
    assert mail.message["Content-Language"] == language
    assert complaint.reference in mail.html


def test_a_delivered_acknowledgement_marks_the_complaint_acknowledged(
    client: Client, smtp_server: MailServer
) -> None:
    complaint = file_complaint(client)
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED
    assert complaint.acknowledged_at is not None
    assert [c.to_status for c in complaint.history.all()] == ["received", "acknowledged"]
    assert OutboxMessage.objects.get().state == State.SENT


def test_with_smtp_down_the_acknowledgement_waits_and_is_delivered_exactly_once(
    client: Client, smtp_down: MailServer
) -> None:
    complaint = file_complaint(client)
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (State.PENDING, 1)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED  # not acknowledged until it really went out

    # Not yet due: the sweep leaves it alone.
    assert outbox_deliver_due() == 0

    later = message.next_attempt_at + datetime.timedelta(seconds=1)
    assert outbox_deliver_due(now=later) == 0  # still down: a second failure, longer back-off
    message.refresh_from_db()
    assert message.attempts == 2
    # Counted from the moment of the attempt, which comes a little after ``later``.
    assert later + backoff(2) <= message.next_attempt_at
    assert message.next_attempt_at < later + backoff(2) + datetime.timedelta(seconds=5)

    smtp_down.start()
    try:
        much_later = message.next_attempt_at + datetime.timedelta(seconds=1)
        assert outbox_deliver_due(now=much_later) == 1
        assert outbox_deliver_due(now=much_later + datetime.timedelta(hours=2)) == 0
        assert outbox_deliver(message.pk, now=much_later + datetime.timedelta(hours=3)) is False
        assert len(smtp_down.mails) == 1
    finally:
        smtp_down.stop()
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED


def test_a_message_abandoned_by_a_dead_worker_is_delivered_after_its_lease(
    client: Client, smtp_server: MailServer, settings: object
) -> None:
    smtp_server.stop()  # keep the first attempt from succeeding
    file_complaint(client)
    message = OutboxMessage.objects.get()
    # A worker claims it and dies before it can say how the delivery went.
    now = message.next_attempt_at + datetime.timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.SENDING, claimed_until=now + LEASE
    )
    smtp_server.start()
    assert outbox_deliver_due(now=now) == 0  # another worker holds it
    assert outbox_deliver_due(now=now + LEASE + datetime.timedelta(seconds=1)) == 1
    assert len(smtp_server.mails) == 1


def test_backoff_doubles_and_stops_at_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == datetime.timedelta(hours=1)


def test_a_complaint_and_its_acknowledgement_are_stored_together(
    client: Client, smtp_down: MailServer
) -> None:
    complaint = file_complaint(client)
    assert OutboxMessage.objects.filter(complaint=complaint, purpose="acknowledgement").count() == 1


def test_a_recipient_the_server_refuses_for_good_is_marked_failed(
    client: Client, smtp_server: MailServer
) -> None:
    from aiosmtpd.handlers import Sink

    class RefuseRecipients(Sink):
        # aiosmtpd's hook: refuse every recipient for good.
        async def handle_RCPT(
            self,
            server: object,
            session: object,
            envelope: object,
            address: str,
            options: list[str],
        ) -> str:
            return "550 no such user here"

    assert smtp_server.controller is not None
    smtp_server.controller.handler = RefuseRecipients()
    file_complaint(client, email="nobody@example.be")
    message = OutboxMessage.objects.get()
    assert message.state == State.FAILED
    assert "550" in message.last_error
    assert Complaint.objects.get().status == Status.RECEIVED
