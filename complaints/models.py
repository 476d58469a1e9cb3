"""The complaint and what hangs on it: attachments, its status history, its secret links.

Rows here are written only by the functions in ``complaints.services``; history rows
(``StatusChange``) are never edited.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from configuration.models import Category


class ComplainantKind(models.TextChoices):
    PERSON = "person", _("a person")
    COMPANY = "company", _("a company")
    INSTITUTION = "institution", _("an institution")


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone")
    COUNTER = "counter", _("counter")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    ACKNOWLEDGED = "acknowledged", _("receipt acknowledged")
    IN_HANDLING = "in_handling", _("being handled")
    WAITING_FOR_COMPLAINANT = "waiting", _("waiting for information from you")
    ANSWERED = "answered", _("answered")
    INADMISSIBLE = "inadmissible", _("not admissible")
    NOT_A_COMPLAINT = "not_a_complaint", _("not a complaint")
    FORWARDED = "forwarded", _("forwarded to the competent body")
    WITHDRAWN = "withdrawn", _("withdrawn")


CLOSED_STATUSES = frozenset(
    {Status.ANSWERED, Status.INADMISSIBLE, Status.NOT_A_COMPLAINT, Status.FORWARDED,
     Status.WITHDRAWN}
)


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year. Incremented inside the transaction that
    registers the complaint, so numbers are gap-free: a rolled-back complaint gives its number
    back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    complainant_kind = models.CharField(
        _("complainant"), max_length=12, choices=ComplainantKind.choices
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation_name = models.CharField(_("name of the organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="complaints"
    )
    facts_start = models.DateField(_("date of the facts"))
    facts_end = models.DateField(_("end of the period"), null=True, blank=True)
    description = models.TextField(_("description"))
    desired_outcome = models.TextField(_("outcome sought"), blank=True)
    concerned = models.CharField(_("unit or staff member concerned"), max_length=200, blank=True)
    own_reference = models.CharField(_("complainant's own reference"), max_length=100, blank=True)
    triage_answers = models.JSONField(_("triage answers"), default=dict, blank=True)

    received_at = models.DateTimeField(_("received"))
    acknowledgement_due = models.DateField(_("acknowledgement due"))
    answer_due = models.DateField(_("answer due"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "answer_due"]),
            models.Index(fields=["status", "acknowledgement_due"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def complainant_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def facts_older_than_a_year(self) -> bool:
        return facts_older_than_a_year(self.facts_start, self.received_at.date())


def facts_older_than_a_year(facts: datetime.date, received: datetime.date) -> bool:
    """G3: the facts took place more than one year before the complaint was filed."""
    try:
        a_year_before = received.replace(year=received.year - 1)
    except ValueError:  # 29 February
        a_year_before = received.replace(year=received.year - 1, day=28)
    return facts < a_year_before


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"complaints/{instance.complaint_id}/{secrets.token_hex(8)}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    from_staff = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ActorKind(models.TextChoices):
    SYSTEM = "system", _("system")
    COMPLAINANT = "complainant", _("complainant")
    STAFF = "staff", _("staff")


class StatusChange(models.Model):
    """One row per status change, appended, never edited (E10)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_status} -> {self.to_status}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessToken(models.Model):
    """A complainant's secret link. Only the hash is stored: a leaked database does not leak
    working links. Staff can revoke a link; the complainant can ask for a fresh one."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.token_hash[:8]}"

    @classmethod
    def issue(cls, complaint: Complaint) -> str:
        """Creates a link for ``complaint`` and returns the token (shown once, never stored)."""
        token = secrets.token_urlsafe(32)
        cls.objects.create(complaint=complaint, token_hash=hash_token(token))
        return token


class PendingUpload(models.Model):
    """A file from a form that came back with errors, kept so the person need not attach it
    again. Bound to the browser session; swept after a day."""

    session_key = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to="pending/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name
