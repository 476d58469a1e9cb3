"""What the outbox (``messaging``, below the domain) asks of a complaint's mail: its working
personal link as it leaves, and the acknowledgement recorded once it is delivered. Registered
when the app loads (``complaints.apps``)."""

from __future__ import annotations

import datetime

from complaints.models import reveal_link
from complaints.services import complaint_record_acknowledgement
from messaging.models import OutboxMessage, Purpose
from messaging.outbox import OutboxHooks


def _reveal(mail: OutboxMessage, text: str) -> str:
    message = mail.case_message
    return reveal_link(text, message.access_token if message is not None else None)


def _delivered(mail: OutboxMessage, at: datetime.datetime) -> None:
    if mail.purpose == Purpose.ACKNOWLEDGEMENT and mail.complaint_id is not None:
        complaint_record_acknowledgement(complaint_id=mail.complaint_id, at=at)


HOOKS = OutboxHooks(related=("case_message__access_token",), reveal=_reveal, delivered=_delivered)
