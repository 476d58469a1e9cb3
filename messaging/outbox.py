"""Writing messages to the outbox and delivering them over SMTP.

``render_message`` renders a template triple (subject, text, HTML) in the recipient's language;
``outbox_enqueue`` stores the mail, and after the transaction commits a task asks the worker to
deliver it.
``outbox_deliver`` claims one message with a lease, sends it and records the result: a failure
is retried with back-off, a worker that dies mid-delivery lets its lease run out and the
scheduler's sweep (``outbox_deliver_due``) picks the message up again. Nothing is lost; the
price is that a worker dying *after* the SMTP server accepted a message and *before* the row
was marked sent makes it go out twice (with the same Message-ID).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.models import Complaint, Message
from messaging.models import OutboxMessage, Purpose, State

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s after the first failure, doubling up to an hour."""
    return min(datetime.timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def render_part(template: str, part: str, context: dict[str, Any], language: str) -> str:
    """One part (``subject.txt``, ``body.txt``, ``body.html``, ...) of a message template."""
    with translation.override(language):
        return render_to_string(f"messaging/{template}/{part}", context)


def render_message(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Renders ``messaging/<template>/{subject.txt,body.txt,body.html}`` in ``language``."""
    subject = render_part(template, "subject.txt", context, language)
    text = render_part(template, "body.txt", context, language)
    html = render_part(template, "body.html", context, language)
    return " ".join(subject.split()), text.strip() + "\n", html


def render_message_html(text: str, context: dict[str, Any], language: str) -> str:
    """The HTML part of a message whose text staff wrote or edited."""
    with translation.override(language):
        return render_to_string("messaging/composed.html", {**context, "text": text})


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    language: str,
    complaint: Complaint | None = None,
    message: Message | None = None,
    purpose: Purpose = Purpose.OTHER,
) -> OutboxMessage:
    """Stores a rendered mail; it is delivered after the current transaction commits."""
    mail = OutboxMessage.objects.create(
        complaint=complaint,
        case_message=message,
        purpose=purpose,
        to=to,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        message_id=make_msgid(domain=_mail_domain()),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_delivery(mail.pk))
    return mail


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"


def _enqueue_delivery(message_id: int) -> None:
    from messaging.tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:
        # The message is safe in the outbox; the scheduler's sweep will deliver it.
        logger.exception("could not enqueue delivery of outbox message %s", message_id)


def _claimable(now: datetime.datetime) -> Q:
    pending = Q(state=State.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=State.SENDING, claimed_until__lt=now)
    return pending | abandoned


def outbox_deliver(message_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Delivers one message if it is due and nobody else holds it. True when it was sent."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(_claimable(now), pk=message_id).update(
        state=State.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send_over_smtp(message)
    except smtplib.SMTPRecipientsRefused as exc:
        _record_failure(message, now, f"refused: {exc.recipients}", permanent=_permanent(exc))
        return False
    except (smtplib.SMTPException, OSError) as exc:
        _record_failure(message, now, f"{type(exc).__name__}: {exc}", permanent=False)
        return False
    sent_at = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=State.SENT, sent_at=sent_at, claimed_until=None, last_error=""
        )
        if message.purpose == Purpose.ACKNOWLEDGEMENT and message.complaint_id is not None:
            from complaints.services import complaint_record_acknowledgement

            complaint_record_acknowledgement(complaint_id=message.complaint_id, at=sent_at)
    return True


def _permanent(exc: smtplib.SMTPRecipientsRefused) -> bool:
    return all(500 <= code < 600 for code, _reply in exc.recipients.values())


def _record_failure(
    message: OutboxMessage, now: datetime.datetime, error: str, *, permanent: bool
) -> None:
    logger.warning("delivery of outbox message %s failed: %s", message.pk, error)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED if permanent else State.PENDING,
        next_attempt_at=now + backoff(message.attempts),
        claimed_until=None,
        last_error=error[:2000],
    )


def _send_over_smtp(message: OutboxMessage) -> None:
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
        connection=mailers.default,
    )
    mail.attach_alternative(message.body_html, "text/html")
    mail.send()


def outbox_deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Delivers every message that is due (new, to retry, or abandoned by a dead worker)."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(_claimable(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(outbox_deliver(pk, now=now) for pk in due)
