"""The outbox: every message to a complainant is a row here before it is a mail.

The row is written in the same transaction as the change that causes it, so a committed
complaint always has its acknowledgement waiting; a worker delivers it (``messaging.outbox``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from configuration.models import WebhookEvent, WebhookReceiver


class Purpose(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
    OTHER = "other", _("other message")


class State(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("refused by the mail server")


class OutboxMessage(models.Model):
    # The complaint and the case message this mail carries, where there are: named, not
    # imported, since the domain sits above messaging. What the outbox needs of them it asks
    # through the hooks the domain registers (``outbox.OutboxHooks``).
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox",
    )
    case_message = models.ForeignKey(
        "complaints.Message",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mails",
    )
    purpose = models.CharField(max_length=30, choices=Purpose.choices, default=Purpose.OTHER)
    to = models.EmailField()
    language = models.CharField(max_length=2)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    # Files sent with the mail, read from the storage as it leaves:
    # [{"name": shown name, "file": storage name, "content_type": ...}].
    attachments = models.JSONField(default=list, blank=True)
    # Kept from the first attempt, so a message re-sent after a worker died mid-delivery
    # carries the same Message-ID and mail clients show it once.
    message_id = models.CharField(max_length=200, unique=True)
    # Where an answer to this mail should go (its Reply-To), as the sender chose it when it
    # was stored: a complaint's reply address in the service's mailbox (``messaging.replies``).
    reply_to = models.CharField(max_length=320, blank=True)

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    # The worker delivering it (``db_worker``'s id), so that the sweep can take over as soon
    # as that worker stops beating.
    claimed_by = models.CharField(max_length=64, blank=True)
    # When the current attempt began handing the message to the mail server (SMTP DATA): an
    # attempt abandoned after this point may have been delivered, so it is not repeated blindly.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        # No address, no subject: this shows in the admin, which must not show personal data.
        return f"#{self.pk} ({self.state})"


class WorkerBeat(models.Model):
    """A worker's sign of life, renewed every few seconds while it runs (even during a long
    task): a task row left "running" by a worker that stopped beating is reclaimed."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


class Lease(models.Model):
    """A lock held by one process at a time, renewed while it lives: the database makes sure
    there is exactly one scheduler, on SQLite and PostgreSQL alike. A holder that stops
    renewing (it died, or lost the database) loses it when it expires."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"


class MailboxRead(models.Model):
    """When the mailbox reader (``manage.py read_mailbox``) last read the service's mailbox,
    and the error of its last failed try: ``manage.py health`` shows it."""

    name = models.CharField(max_length=50, primary_key=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    taken = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one receiver, written in the transaction of the act it tells of and
    delivered by a worker with retries and back-off, as the outbox delivers mail. The body
    holds no personal data: the complaint's number, reference and status."""

    receiver = models.ForeignKey(
        WebhookReceiver, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} ({self.state})"
