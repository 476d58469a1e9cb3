"""The complaint and what hangs on it: attachments, its status history, its secret links.

Rows here are written only by the functions in ``complaints.services``; history rows
(``StatusChange``) are never edited.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Least, NullIf, TruncDate
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from complaints.folding import search_columns
from configuration.models import Category, CompetentBody, DeadlineKind, Norm, Unit


def local_date(moment: str) -> models.GeneratedField:
    """The local date of the timestamp ``moment``, stored by the database."""
    return models.GeneratedField(
        expression=TruncDate(moment), output_field=models.DateField(), db_persist=True
    )


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
    WAITING_FOR_COMPLAINANT = "waiting", _("waiting for the complainant")
    ANSWERED = "answered", _("answered")
    INADMISSIBLE = "inadmissible", _("not admissible")
    NOT_A_COMPLAINT = "not_a_complaint", _("not a complaint")
    FORWARDED = "forwarded", _("forwarded to the competent body")
    WITHDRAWN = "withdrawn", _("withdrawn")


CLOSED_STATUSES = frozenset(
    {
        Status.ANSWERED,
        Status.INADMISSIBLE,
        Status.NOT_A_COMPLAINT,
        Status.FORWARDED,
        Status.WITHDRAWN,
    }
)
# In a fixed order: SQL built from a set would change from one process to the next, and the
# database uses an index on an expression only when the query spells it the same way.
CLOSED = sorted(CLOSED_STATUSES)
# Awaiting the complaints manager's decision on admissibility.
UNDECIDED = [Status.RECEIVED, Status.ACKNOWLEDGED]
FAR = datetime.date(9999, 12, 31)


def next_due_expression() -> NullIf:
    """A complaint's earliest deadline still open (acknowledgement, answer, or a reply to the
    Ombudsman), NULL when none is. Read from the row's own columns, so the database indexes it
    (``complaint_next_due``) and the work list sorts and filters on it without a scan. An
    answer whose clock stands still (``answer_paused_since``) is not running: not open."""
    own = Case(
        When(status__in=CLOSED, then=Value(FAR)),
        When(acknowledged_at__isnull=True, then=F("acknowledgement_due")),
        When(answer_paused_since__isnull=False, then=Value(FAR)),
        default=F("answer_due"),
        output_field=models.DateField(),
    )
    return NullIf(
        Least(own, Coalesce(F("ombudsman_due"), Value(FAR))),
        Value(FAR),
        output_field=models.DateField(),
    )


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year. Incremented inside the transaction that
    registers the complaint, so numbers are gap-free: a rolled-back complaint gives its number
    back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# The columns the search folds, and their folded copies.
FOLDED_FROM = frozenset(
    {"first_name", "last_name", "organisation_name", "own_reference", "description"}
)
FOLDED = ("folded_names", "folded_own_reference", "folded_words")


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

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    # The staff member whose conduct is complained about, once the manager has identified
    # them: they may never handle the complaint (E7).
    concerned_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    received_at = models.DateTimeField(_("received"))
    acknowledgement_due = models.DateField(_("acknowledgement due"))
    answer_due = models.DateField(_("answer due"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # Set while the answer clock stands still (the service waits for the complainant and its
    # deadline policy says the clock stops); see ``complaints.clock``.
    answer_paused_since = models.DateField(_("answer clock stopped on"), null=True, blank=True)
    # The earliest reply due to an open request of the Federal Ombudsman (E11); kept by the
    # two functions that open and close such requests, so the work list needs no subquery.
    ombudsman_due = models.DateField(_("reply to the Ombudsman due"), null=True, blank=True)
    # When the reasoned reply left: the final answer, or the letter that refuses or forwards.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The local dates of the four moments, kept by the database itself in the time zone of
    # the migration (TIME_ZONE), so the evaluation reads dates and converts nothing.
    received_on = local_date("received_at")
    acknowledged_on = local_date("acknowledged_at")
    answered_on = local_date("answered_at")
    closed_on = local_date("closed_at")
    # What followed, copied onto the complaint as the decision, the final answer (and the
    # norms it found breached: ``FinalAnswer.breached``), the extension and the satisfaction
    # rows are saved (their ``save``; ``keep_what_followed``), so the yearly evaluation counts
    # a year in one pass over this table and joins nothing. Never edited.
    decision_kind = models.CharField(max_length=20, blank=True, editable=False)
    refusal_grounds = models.JSONField(default=list, blank=True, editable=False)
    not_a_complaint_kind = models.CharField(max_length=20, blank=True, editable=False)
    outcome = models.CharField(max_length=20, blank=True, editable=False)
    satisfied = models.BooleanField(null=True, editable=False)
    breached_norms = models.JSONField(default=list, blank=True, editable=False)
    extended = models.BooleanField(default=False, editable=False)
    # The searched columns folded (no accents, lower case; ``folding.search_columns``), kept by
    # ``save`` so that the search compares them as stored (``complaints.search``). Never edited.
    folded_names = models.TextField(blank=True, default="", editable=False)
    folded_own_reference = models.TextField(blank=True, default="", editable=False)
    folded_words = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "answer_due"]),
            models.Index(fields=["status", "acknowledgement_due"]),
            # The evaluation reads a period's complaints by when they were received; the days
            # they took come from this index alone on PostgreSQL (an index-only scan, a
            # quarter of the table's reads). SQLite keeps the key column only.
            models.Index(
                fields=["received_at"],
                include=["received_on", "acknowledged_on", "answered_on"],
                name="complaint_received_acts",
            ),
            # The work list's default order, and its "due within" and "overdue" filters.
            models.Index(next_due_expression(), F("received_at"), name="complaint_next_due"),
            # Each filter with the status: the counts per status under a filter read only
            # the rows they count (a unit's complaints are never "inadmissible": without
            # these, counting those zero rows reads all of either). With the id, they also give
            # a filtered list sorted by the status its order (``queries.SORT_COLUMNS``).
            models.Index(fields=["channel", "status", "id"], name="complaint_channel_status_id"),
            models.Index(fields=["category", "status", "id"], name="complaint_category_status_id"),
            models.Index(fields=["unit", "status", "id"], name="complaint_unit_status_id"),
            models.Index(fields=["handler", "status", "id"], name="complaint_handler_status_id"),
            models.Index(F("status"), next_due_expression(), name="complaint_status_next_due"),
            # The work list sorted by a column (``queries.SORT_COLUMNS``): the first page read
            # in the index's order, either way, whatever the table holds.
            models.Index(fields=["status", "id"], name="complaint_sort_status"),
            models.Index(fields=["channel", "id"], name="complaint_sort_channel"),
            models.Index(fields=["language", "id"], name="complaint_sort_language"),
            models.Index(fields=["category", "id"], name="complaint_sort_category"),
            models.Index(fields=["unit", "id"], name="complaint_sort_unit"),
            models.Index(fields=["handler", "id"], name="complaint_sort_handler"),
            # (The next deadline latest first has its own index on PostgreSQL, made by
            # migration 0017: SQLite cannot write NULLS LAST in an index, nor needs it.)
            # The reminder sweep's deadlines (``reminders.reminders_due``), read from the index
            # alone.
            models.Index(
                fields=["acknowledgement_due", "id"],
                name="complaint_to_acknowledge",
                condition=~Q(status__in=CLOSED) & Q(acknowledged_at__isnull=True),
            ),
            models.Index(
                fields=["answer_due", "id"],
                name="complaint_to_answer",
                condition=~Q(status__in=CLOSED) & Q(answer_paused_since__isnull=True),
            ),
            # Open complaints are a few percent of the table: counting and listing them reads
            # only these.
            models.Index(
                fields=["received_at"], name="complaint_open", condition=~Q(status__in=CLOSED)
            ),
            # The evaluation's grounds of refusal and norms breached: a period's few refused
            # and founded complaints, read from these alone on PostgreSQL.
            models.Index(
                fields=["received_at"],
                include=["refusal_grounds"],
                name="complaint_refused",
                condition=Q(decision_kind="inadmissible"),
            ),
            models.Index(
                fields=["received_at"],
                include=["unit", "category", "breached_norms"],
                name="complaint_breached",
                condition=~Q(breached_norms=[]),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fold_for_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not FOLDED_FROM.isdisjoint(update_fields):
            kwargs["update_fields"] = {*update_fields, *FOLDED}
        super().save(*args, **kwargs)

    def fold_for_search(self) -> None:
        """Writes the folded copies the search reads (``save`` calls it; a bulk write must)."""
        for name, value in search_columns(
            **{field: getattr(self, field) for field in sorted(FOLDED_FROM)}
        ).items():
            setattr(self, name, value)

    @property
    def complainant_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def facts_older_than_a_year(self) -> bool:
        return facts_older_than_a_year(self.facts_start, self.received_at.date())


def keep_what_followed(row: models.Model, **values: Any) -> None:
    """Copies ``values`` from ``row`` (a decision, a final answer, an extension, a
    satisfaction) onto its complaint's columns of what followed: in the database, and on the
    complaint instance ``row`` holds, if any (a later save of that instance must not write the
    old values)."""
    complaint = row._meta.get_field("complaint")
    assert isinstance(complaint, models.ForeignKey)  # noqa: S101  # a one-to-one is one too
    Complaint.objects.filter(pk=complaint.value_from_object(row)).update(**values)
    cached = complaint.get_cached_value(row, None)
    if cached is not None:
        for name, value in values.items():
            setattr(cached, name, value)


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
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
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


# What stored mail and letters hold in place of the token: the link is put in when the mail is
# sent or the letter printed (``reveal_link``), so no stored text holds a working link.
LINK_MASK = "hidden-personal-link"


def reveal_link(text: str, access: AccessToken | None) -> str:
    """``text`` with the masked personal link replaced by the working one of ``access``."""
    if access is None or not access.nonce:
        return text
    return text.replace(f"/{LINK_MASK}/", f"/{access.token}/")


def derive_token(nonce: str, key: str | bytes) -> str:
    digest = salted_hmac("querela.AccessToken", nonce, secret=key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class AccessToken(models.Model):
    """A complainant's secret link. The token is an HMAC of a random nonce under the secret
    key: the database holds the nonce and the token's hash, so neither a leaked database nor a
    backup gives a working link, while the outbox can still put the link into a mail when it
    sends it. Staff can revoke a link; the complainant can ask for a fresh one."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty for links issued before tokens were derived; those cannot be shown again.
    nonce = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.token_hash[:8]}"

    @property
    def token(self) -> str:
        """The token, derived again; under the key it was issued with, also after the secret
        key was rotated (the old key in ``SECRET_KEY_FALLBACKS``)."""
        tokens = [derive_token(self.nonce, key) for key in settings.SECRET_KEY_FALLBACKS]
        return next(
            (token for token in tokens if hash_token(token) == self.token_hash),
            derive_token(self.nonce, settings.SECRET_KEY),
        )

    @classmethod
    def issue(cls, complaint: Complaint) -> AccessToken:
        """Creates a link for ``complaint``; its ``token`` is never stored."""
        access = cls(complaint=complaint, nonce=secrets.token_hex(16))
        access.token_hash = hash_token(access.token)
        access.save()
        return access


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


class DecisionKind(models.TextChoices):
    ADMISSIBLE = "admissible", _("admissible")
    INADMISSIBLE = "inadmissible", _("not admissible")
    NOT_A_COMPLAINT = "not_a_complaint", _("not a complaint")
    NOT_COMPETENT = "not_competent", _("not competent: forwarded")


class NotAComplaintKind(models.TextChoices):
    QUESTION = "question", _("a question for information")
    SUGGESTION = "suggestion", _("a suggestion")
    OTHER = "other", _("something else")


class AdmissibilityDecision(models.Model):
    """The complaints manager's decision on admissibility (E6). A new decision is a new row."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    grounds = models.JSONField(_("grounds"), default=list, blank=True)
    not_a_complaint_kind = models.CharField(
        _("what it is instead"), max_length=20, choices=NotAComplaintKind.choices, blank=True
    )
    competent_body = models.ForeignKey(
        CompetentBody,
        verbose_name=_("competent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reasoning = models.TextField(_("reasoning"), blank=True)
    # Forwarding to a competent body: the complainant's consent to send it their complaint
    # (the privacy rules ask for it), and where it went with how many files; empty when
    # nothing was sent (no address, or no consent).
    forwarding_consent = models.BooleanField(_("the complainant agreed"), default=False)
    forwarded_to = models.EmailField(_("sent to"), blank=True)
    forwarded_files = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        keep_what_followed(
            self,
            decision_kind=self.kind,
            refusal_grounds=self.grounds,
            not_a_complaint_kind=self.not_a_complaint_kind,
        )


class Outcome(models.TextChoices):
    """How the Federal Ombudsman qualifies the outcome of an admissible complaint (E8)."""

    FOUNDED = "founded", _("founded")
    PARTIALLY_FOUNDED = "partially_founded", _("partially founded")
    UNFOUNDED = "unfounded", _("unfounded")
    NO_JUDGEMENT = "no_judgement", _("no judgement")


class FinalAnswer(models.Model):
    """The reasoned answer that closes an admissible complaint (R11, R12, E8, E9)."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="final_answer"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    norms_breached = models.ManyToManyField(
        Norm, verbose_name=_("norms breached"), blank=True, related_name="+"
    )
    measure = models.TextField(_("corrective or improvement measure"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        keep_what_followed(self, outcome=self.outcome)

    def breached(self, norms: Iterable[Norm]) -> None:
        """Records the norms this answer found breached, and keeps their ids on the
        complaint (as text: the same containment test as the grounds of refusal)."""
        norms = list(norms)
        self.norms_breached.set(norms)
        keep_what_followed(self, breached_norms=sorted(str(norm.pk) for norm in norms))


class Extension(models.Model):
    """An interim message (E5): the answer will be late, with the reason and the new date."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    previous_due = models.DateField()
    new_due = models.DateField(_("new date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.previous_due} -> {self.new_due}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        keep_what_followed(self, extended=True)


class AnswerPause(models.Model):
    """The answer clock stood still from ``paused_on`` to ``resumed_on`` while the service
    waited for the complainant; ``answer_due`` moved by ``days`` (counted as the policy
    counts). Written when the clock runs again; never edited."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField()
    resumed_on = models.DateField()
    days = models.PositiveSmallIntegerField()
    previous_due = models.DateField()
    new_due = models.DateField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.previous_due} -> {self.new_due}"


class OmbudsmanRequest(models.Model):
    """A request of the Federal Ombudsman about a complaint, with its own deadline (E11)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="ombudsman_requests"
    )
    received_on = models.DateField(_("received on"))
    due = models.DateField(_("reply due"))
    summary = models.TextField(_("what the Ombudsman asks"))
    answered_at = models.DateTimeField(_("replied"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.received_on}"


class Note(models.Model):
    """An internal note; never shown to the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.text[:40]}"


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
    INFORMATION_REQUEST = "information_request", _("request for information")
    INTERIM = "interim", _("interim message")
    ANSWER = "answer", _("answer")
    REFUSAL = "refusal", _("decision on admissibility")
    FORWARDED = "forwarded", _("forwarded to the competent body")
    NEW_LINK = "new_link", _("new personal link")
    WITHDRAWAL = "withdrawal", _("confirmation of withdrawal")
    # From the complainant.
    REPLY = "reply", _("reply from the complainant")
    ADDITION = "addition", _("information added by the complainant")


class Delivery(models.TextChoices):
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    NONE = "none", _("not sent (received)")


class Message(models.Model):
    """A message between the service and the complainant, in either direction. Outgoing ones
    are also an outbox row (e-mail) or a printable letter (no e-mail address)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    from_complainant = models.BooleanField(default=False)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField()
    # The personal link the message carries, masked in ``body`` (``reveal_link``).
    access_token = models.ForeignKey(
        AccessToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a letter: when staff marked it as posted.
    posted_at = models.DateTimeField(null=True, blank=True)
    # How a message from the complainant came: "" through the personal link, "email" as a
    # reply to the service's mailbox (``inbox``), with what the mail said of its sender.
    received_via = models.CharField(max_length=10, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    # The mail came from another address than the complainant's: shown as such to staff.
    sender_unknown = models.BooleanField(default=False)
    # The sender checks the receiving mail server recorded (Authentication-Results).
    sender_checks = models.TextField(blank=True)
    # Files the mail carried that were not accepted, and why.
    left_out = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.subject}"


class Satisfaction(models.Model):
    """The complainant's view after the final answer: counted in the annual evaluation."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="satisfaction"
    )
    satisfied = models.BooleanField()
    helped = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.satisfied}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        keep_what_followed(self, satisfied=self.satisfied)


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("deadline approaching")
    OVERDUE = "overdue", _("deadline passed")


class Reminder(models.Model):
    """A reminder sent to staff about one deadline; one row per deadline, date and kind, so the
    sweep never sends the same reminder twice."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=30, choices=DeadlineKind.choices)
    due = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "due", "kind"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.deadline} {self.kind}"


class IncomingKind(models.TextChoices):
    REPLY = "reply", _("reply to a complaint")
    CLOSED_REPLY = "closed_reply", _("reply to a closed complaint")
    NEW = "new", _("new e-mail")
    BOUNCE = "bounce", _("notice of non-delivery")
    AUTO_REPLY = "auto_reply", _("automatic reply")
    KEPT_ASIDE = "kept_aside", _("kept aside")


class IncomingState(models.TextChoices):
    WAITING = "waiting", _("waiting for the complaints manager")
    DONE = "done", _("dealt with")
    REGISTERED = "registered", _("registered as a complaint")
    NOT_A_COMPLAINT = "not_a_complaint", _("not a complaint")
    SPAM = "spam", _("spam")


def incoming_path(instance: IncomingMail | IncomingAttachment, filename: str) -> str:
    return f"incoming/{secrets.token_hex(8)}"


class IncomingMail(models.Model):
    """One message taken from the service's mailbox (``inbox``), whatever it was: a reply put
    on a complaint, a new e-mail waiting to be registered, a bounce, an automatic reply, or a
    message that could not be read, kept aside with the reason. The original is kept as it
    arrived (``raw``), so nothing that reached the mailbox is lost. ``digest`` (SHA-256 of
    the original) makes taking the same message twice impossible."""

    digest = models.CharField(max_length=64, unique=True)
    # The mail's own Message-ID header.
    mail_id = models.CharField(max_length=255, blank=True, db_index=True)
    # When the mailbox received it (IMAP INTERNALDATE): the date of receipt.
    received_at = models.DateTimeField()
    taken_at = models.DateTimeField()
    sender = models.CharField(max_length=320, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    # The HTML part, sanitised (nh3): no script, no style, no image, no remote anything.
    html = models.TextField(blank=True)
    sender_checks = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=IncomingKind.choices)
    state = models.CharField(max_length=20, choices=IncomingState.choices)
    # How it was matched to a complaint: "thread", "reply_address" or "subject".
    matched_by = models.CharField(max_length=20, blank=True)
    sender_unknown = models.BooleanField(default=False)
    # Why it was kept aside, or what was left out of it.
    reason = models.TextField(blank=True)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raw = models.FileField(upload_to=incoming_path)
    raw_size = models.PositiveBigIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["state", "received_at"], name="incoming_waiting")]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.kind})"


class IncomingAttachment(models.Model):
    """A file of a new e-mail, kept until the mail is registered as a complaint. A file that
    was not accepted (type, size, virus) has no ``file`` and says why."""

    mail = models.ForeignKey(IncomingMail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=incoming_path, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    refused = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class NotificationKind(models.TextChoices):
    """What staff are told about in the back office (``complaints.notify.notify_staff``)."""

    REPLY = "reply", _("the complainant wrote")
    NOT_SATISFIED = "not_satisfied", _("the complainant is not satisfied")
    WITHDRAWN = "withdrawn", _("the complainant withdrew the complaint")
    OMBUDSMAN = "ombudsman", _("the Ombudsman asks about the complaint")


class Notification(models.Model):
    """One thing one staff member is told about a complaint: listed in the back office until
    read, and mailed at once or in the day's digest, as they chose."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # When it left by mail, at once or in a digest; NULL while a digest is still to come.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.complaint_id}"


class NotificationMail(models.TextChoices):
    AT_ONCE = "at_once", _("an e-mail at once")
    DIGEST = "digest", _("one e-mail a day, in the morning")


class NotificationSetting(models.Model):
    """How a staff member wants to be mailed about their notifications (at once by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    mail = models.CharField(
        _("E-mail me"),
        max_length=10,
        choices=NotificationMail.choices,
        default=NotificationMail.AT_ONCE,
    )
    digest_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mail}"
