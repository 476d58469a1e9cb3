"""Writing messages to the outbox and delivering them over SMTP.

``render_message`` renders a template triple (subject, text, HTML) in the recipient's language;
``outbox_enqueue`` stores the mail, and after the transaction commits a task asks the worker to
deliver it.
``outbox_deliver`` claims one message with a lease, sends it and records the result: a failure
is retried with back-off; when the worker dies mid-delivery (it stops beating, or the lease
runs out) the scheduler's sweep (``outbox_deliver_due``) picks the message up again.
Nothing is lost, and nothing is sent twice: the moment the mail server starts receiving a
message is recorded (``handed_over_at``), and a message whose worker died after that point
may have arrived, so it is marked failed for staff to check instead of being sent again.
Every attempt carries the same Message-ID, so that a receiving server can drop a copy. A
message that can never be sent is marked failed with the reason; staff can send it again
(``outbox_retry``). Stored bodies hold the personal link masked; ``_build`` puts the working
link in as the mail leaves.

Messaging imports nothing above it. What a mail's case needs as it leaves (its working link)
and once it is delivered (an acknowledgement recorded on the complaint) is asked of the hooks
the domain registers when it loads (``outbox_hooks_register``, called by ``complaints.apps``).
"""

from __future__ import annotations

import datetime
import email.policy
import logging
import smtplib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from messaging.models import OutboxMessage, Purpose, State, WorkerBeat
from messaging.processes import LOST, current_worker

if TYPE_CHECKING:  # names for the type checker only: the domain sits above messaging
    from complaints.models import Complaint, Message

logger = logging.getLogger(__name__)

# How long a delivery may hold a message. A worker that stops beating loses its messages
# sooner (``messaging.processes.LOST``); the lease covers deliveries by anything else, and is
# long enough that a slow mail server (tarpitting, ``EMAIL_TIMEOUT`` per step) never has a
# message taken from a live worker and sent twice.
LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)
# About three days of retrying at the longest back-off; then the message is marked failed.
MAX_ATTEMPTS = 80


@dataclass(frozen=True)
class OutboxHooks:
    """What the outbox asks of the layer that owns a mail's case."""

    # Relations of an outbox row that ``reveal`` reads, loaded with the row.
    related: tuple[str, ...] = ()
    # The mail's text as it leaves (the stored text has its personal link masked).
    reveal: Callable[[OutboxMessage, str], str] = lambda message, text: text
    # Called in the transaction that marks the mail sent, with the moment it was sent.
    delivered: Callable[[OutboxMessage, datetime.datetime], None] = lambda message, at: None


_hooks = OutboxHooks()


def outbox_hooks_register(hooks: OutboxHooks) -> None:
    global _hooks  # set once, when the domain's app loads
    _hooks = hooks


HANDED_OVER_AND_LOST = (
    "the worker stopped while the mail server was receiving this message; it may have "
    "arrived: check with the complainant before sending it again"
)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s after the first failure, doubling up to an hour."""
    doublings = min(max(attempts - 1, 0), 12)  # 30 s * 2**12 is past the hour already
    return min(datetime.timedelta(seconds=30 * 2**doublings), MAX_BACKOFF)


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
    attachments: Sequence[Mapping[str, str]] = (),
) -> OutboxMessage:
    """Stores a rendered mail; it is delivered after the current transaction commits. Each of
    ``attachments`` (``name``, ``file``: its name in the storage, ``content_type``) is read
    from the storage as the mail leaves."""
    mail = OutboxMessage.objects.create(
        attachments=[dict(attachment) for attachment in attachments],
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
    return pending | _abandoned(now)


def _abandoned(now: datetime.datetime) -> Q:
    """Held by a delivery that stopped: its worker stopped beating (killed, out of memory,
    machine gone) or its lease ran out."""
    beating = WorkerBeat.objects.filter(seen_at__gte=now - LOST).values("worker_id")
    worker_gone = (
        ~Q(claimed_by="")
        & ~Q(claimed_by__in=beating)
        & Q(claimed_until__lt=now + LEASE - LOST)  # and it claimed it a while ago
    )
    return Q(state=State.SENDING) & (Q(claimed_until__lt=now) | worker_gone)


type Clock = Callable[[], datetime.datetime]


def _clock(now: datetime.datetime | None) -> Clock:
    """The time of each step of a delivery; ``now`` sets it ahead or back (tests), and it
    keeps running from there, so a slow sweep does not hand out leases that have expired."""
    skew = now - timezone.now() if now is not None else datetime.timedelta(0)
    return lambda: timezone.now() + skew


def outbox_deliver(message_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Delivers one message if it is due and nobody else holds it. True when it was sent."""
    return _deliver(message_id, _clock(now))


def _deliver(message_id: int, clock: Clock) -> bool:
    claimed_at = clock()
    row = OutboxMessage.objects.filter(pk=message_id)
    # A worker died while the mail server was receiving the message: it may have arrived.
    # Sending it again could deliver it twice; staff check and send it again if need be.
    if row.filter(_abandoned(claimed_at), handed_over_at__isnull=False).update(
        state=State.FAILED, claimed_until=None, last_error=HANDED_OVER_AND_LOST
    ):
        logger.warning("outbox message %s: %s", message_id, HANDED_OVER_AND_LOST)
        return False
    claimed = row.filter(_claimable(claimed_at)).update(
        state=State.SENDING,
        claimed_until=claimed_at + LEASE,
        claimed_by=current_worker(),
        attempts=F("attempts") + 1,
        handed_over_at=None,
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.select_related(*_hooks.related).get(pk=message_id)
    try:
        mail = _build(message)
    except Exception as exc:
        # An address or header the mail library refuses: no later attempt can do better.
        _record_failure(message, clock(), _reason(exc), permanent=True)
        return False
    try:
        _transmit(mail, handing_over=lambda: row.update(handed_over_at=clock()))
    except smtplib.SMTPRecipientsRefused as exc:
        replies = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        _record_failure(message, clock(), f"refused: {replies}", permanent=_permanent(exc))
        return False
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        _record_failure(message, clock(), _reason(exc), permanent=500 <= exc.smtp_code < 600)
        return False
    except (smtplib.SMTPException, OSError) as exc:
        _record_failure(message, clock(), _reason(exc), permanent=False)
        return False
    except Exception as exc:
        # Whatever else went wrong would go wrong again: say so, never leave it "sending".
        logger.exception("outbox message %s cannot be sent", message.pk)
        _record_failure(message, clock(), _reason(exc), permanent=True)
        return False
    sent_at = clock()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=State.SENT, sent_at=sent_at, claimed_until=None, last_error=""
        )
        _hooks.delivered(message, sent_at)
    return True


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _permanent(exc: smtplib.SMTPRecipientsRefused) -> bool:
    return all(500 <= code < 600 for code, _reply in exc.recipients.values())


def _record_failure(
    message: OutboxMessage, at: datetime.datetime, error: str, *, permanent: bool
) -> None:
    if not permanent and message.attempts >= MAX_ATTEMPTS:
        permanent, error = True, f"gave up after {MAX_ATTEMPTS} attempts; last: {error}"
    logger.warning("delivery of outbox message %s failed: %s", message.pk, error)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED if permanent else State.PENDING,
        next_attempt_at=at + backoff(message.attempts),
        claimed_until=None,
        last_error=error[:2000],
    )


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    """The mail as it leaves, with the personal link put in (it is stored masked)."""
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=_hooks.reveal(message, message.body_text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
    )
    mail.attach_alternative(_hooks.reveal(message, message.body_html), "text/html")
    for attachment in message.attachments:
        with default_storage.open(attachment["file"]) as stored:
            mail.attach(attachment["name"], stored.read(), attachment["content_type"])
    mail.message()  # refuses what cannot be sent (a line break in an address, ...)
    return mail


def _transmit(mail: EmailMultiAlternatives, *, handing_over: Callable[[], object]) -> None:
    """Sends ``mail`` as Django's SMTP backend does, step by step, so that the moment the mail
    server starts receiving the message (DATA) is recorded first."""
    backend = mailers.default
    if not isinstance(backend, SMTPBackend):
        handing_over()
        mail.send()
        return
    sender = backend.prep_address(mail.from_email)
    recipients = [backend.prep_address(address) for address in mail.recipients()]
    payload = mail.message(policy=email.policy.SMTP).as_bytes()
    backend.open()
    try:
        smtp = backend.connection
        assert smtp is not None  # noqa: S101  # open() connected or raised
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in {250, 251}:
                refused[recipient] = (code, reply)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        handing_over()
        code, reply = smtp.data(payload)
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
    finally:
        backend.close()


def outbox_deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Delivers every message that is due (new, to retry, or abandoned by a dead worker).
    Each delivery takes its lease and back-off from its own time, not the sweep's start."""
    clock = _clock(now)
    due = list(
        OutboxMessage.objects.filter(_claimable(clock()))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(_deliver(pk, clock) for pk in due)


def outbox_retry(message: OutboxMessage) -> bool:
    """Sends a failed message again (staff asked for it). False when it had not failed."""
    retried = OutboxMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
    )
    if retried:
        transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return bool(retried)
