"""The write path of the complaint domain: one function per action, each one transaction.

Views and commands call these; nothing else writes a complaint. Side effects (mail) are rows in
the outbox written in the same transaction, delivered after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from complaints import deadlines
from complaints.events import complaint_event
from complaints.models import (
    LINK_MASK,
    AccessToken,
    ActorKind,
    Attachment,
    Channel,
    ComplainantKind,
    Complaint,
    Delivery,
    Message,
    MessageKind,
    ReferenceCounter,
    Status,
    StatusChange,
)
from complaints.signals import complaint_filed
from complaints.workflow import transition
from configuration.models import Category, DeadlineKind, Organisation, WebhookEvent
from messaging.models import Purpose
from messaging.outbox import outbox_enqueue, render_message, render_message_html
from messaging.replies import reply_address


@dataclass(frozen=True)
class Upload:
    """A file to attach: its content, the name the person gave it and its checked type."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    access: AccessToken  # the complainant's link; its token is shown once, never stored
    uploads: list[Upload] = field(default_factory=list)


def next_reference(year: int) -> str:
    """The next reference of ``year``, like ``2026-000123``. Call inside the transaction that
    stores the complaint: the counter row stays locked until it commits, so concurrent
    submissions queue up and numbers are consecutive and unique. One statement once the year's
    counter exists (``UPDATE ... RETURNING``: SQLite 3.35+ and PostgreSQL)."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    # The table's name comes from the model; the year is a parameter.
    increment = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(increment, [year])
        row = cursor.fetchone()
        if row is None:  # the year's first complaint
            ReferenceCounter.objects.get_or_create(year=year)
            cursor.execute(increment, [year])
            row = cursor.fetchone()
    return f"{year}-{row[0]:06d}"


def follow_url(token: str, language: str) -> str:
    """The complainant's personal link, absolute (for messages), in their language. Stored
    messages get it with ``LINK_MASK`` as the token; the sender puts the real one in."""
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:follow", kwargs={"token": token})


def received_at_on(day: datetime.date) -> datetime.datetime:
    """When a complaint registered by staff was received, from the day they give: now for
    today; for an earlier day noon, as the exact hour is unknown and noon keeps the date in
    any zone."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def complaint_submit(
    *,
    channel: Channel,
    complainant_kind: ComplainantKind,
    first_name: str,
    last_name: str,
    organisation_name: str = "",
    email: str = "",
    postal_address: str = "",
    phone: str = "",
    language: str,
    category: Category,
    facts_start: datetime.date,
    facts_end: datetime.date | None = None,
    description: str,
    desired_outcome: str = "",
    concerned: str = "",
    own_reference: str = "",
    triage_answers: dict[str, bool] | None = None,
    uploads: list[Upload] | None = None,
    received_at: datetime.datetime | None = None,
    registered_by: User | None = None,
) -> Submitted:
    """Registers a complaint (R9), computes its due dates (E4) and queues the acknowledgement
    (R10, E9). ``received_at`` is the date of receipt for complaints registered by staff."""
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)
    calendar = deadlines.calendar_from_configuration()
    acknowledgement_due = deadlines.due_date(
        received_on, deadlines.policy_from_configuration(DeadlineKind.ACKNOWLEDGEMENT), calendar
    )
    answer_due = deadlines.due_date(
        received_on, deadlines.policy_from_configuration(DeadlineKind.ANSWER), calendar
    )
    with atomic_with_files():
        complaint = Complaint.objects.create(
            reference=next_reference(received_on.year),
            channel=channel,
            complainant_kind=complainant_kind,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation_name=organisation_name.strip()
            if complainant_kind != ComplainantKind.PERSON
            else "",
            email=email.strip(),
            postal_address=postal_address.strip(),
            phone=phone.strip(),
            language=language,
            category=category,
            facts_start=facts_start,
            facts_end=facts_end,
            description=description.strip(),
            desired_outcome=desired_outcome.strip(),
            concerned=concerned.strip(),
            own_reference=own_reference.strip(),
            triage_answers=triage_answers or {},
            received_at=received_at,
            acknowledgement_due=acknowledgement_due,
            answer_due=answer_due,
        )
        StatusChange.objects.create(
            complaint=complaint,
            from_status="",
            to_status=Status.RECEIVED,
            actor_kind=ActorKind.STAFF if registered_by else ActorKind.SYSTEM,
            actor=registered_by,
            at=received_at,
        )
        for upload in uploads or []:
            attachment_add(complaint=complaint, upload=upload, from_staff=False)
        access = AccessToken.issue(complaint)
        message_send(
            complaint=complaint,
            kind=MessageKind.ACKNOWLEDGEMENT,
            template="acknowledgement",
            access=access,
            purpose=Purpose.ACKNOWLEDGEMENT,
        )
        complaint_event(complaint, WebhookEvent.FILED)
        complaint_filed.send(sender=Complaint, complaint=complaint)
    return Submitted(complaint=complaint, access=access, uploads=uploads or [])


# The files written by the current ``atomic_with_files`` block.
_written_files: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("written", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """A transaction that deletes the attachment files it wrote when it rolls back, so that no
    file is left without its row (a file is written before the row that names it commits).
    Used as the outermost transaction of a write path: a caller's enclosing transaction that
    rolls back later would leave the files. Inside another such block (a reply taken from the
    mailbox is stored with its mail's row) it is a savepoint whose files join the outer
    block's, and are deleted if either rolls back."""
    outer = _written_files.get()
    if outer is not None:
        start = len(outer)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            for storage, name in outer[start:]:
                storage.delete(name)
            del outer[start:]
            raise
        return
    written: list[tuple[Storage, str]] = []
    reset = _written_files.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written_files.reset(reset)


def file_written(storage: Storage, name: str) -> None:
    """Notes a file written inside ``atomic_with_files``, to delete if it rolls back."""
    written = _written_files.get()
    if written is not None and name:
        written.append((storage, name))


def attachment_add(*, complaint: Complaint, upload: Upload, from_staff: bool) -> Attachment:
    """Stores an upload as the complaint's attachment; call inside ``atomic_with_files``."""
    attachment = Attachment(
        complaint=complaint,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=upload.size,
        from_staff=from_staff,
    )
    attachment.file.save(upload.name, upload.file, save=False)
    file_written(attachment.file.storage, attachment.file.name or "")
    attachment.save()
    return attachment


def masked_link(complaint: Complaint) -> str:
    """The personal link as stored messages hold it; the outbox puts the real one in."""
    return follow_url(LINK_MASK, complaint.language)


def message_context(complaint: Complaint, access: AccessToken | None = None) -> dict[str, object]:
    """What every message template may use: the complaint, the organisation, the link (masked:
    the stored message never holds a working link)."""
    return {
        "complaint": complaint,
        "organisation": Organisation.current(),
        "follow_url": masked_link(complaint) if access else "",
    }


def message_send(
    *,
    complaint: Complaint,
    kind: MessageKind,
    template: str | None = None,
    context: dict[str, object] | None = None,
    subject: str = "",
    body: str = "",
    author: User | None = None,
    access: AccessToken | None = None,
    purpose: Purpose = Purpose.OTHER,
) -> Message:
    """Sends a message to the complainant: by e-mail through the outbox, or, without an
    e-mail address, as a letter for staff to print. Either ``template`` (rendered in the
    complainant's language) or an already composed ``subject`` and ``body`` (staff edited it)."""
    full_context = {**message_context(complaint, access), **(context or {})}
    if template is not None:
        subject, body, html = render_message(template, full_context, complaint.language)
    else:
        html = render_message_html(body, full_context, complaint.language)
    message = Message.objects.create(
        complaint=complaint,
        kind=kind,
        subject=subject,
        body=body,
        author=author,
        delivery=Delivery.EMAIL if complaint.email else Delivery.LETTER,
        created_at=timezone.now(),
        access_token=access,
    )
    if complaint.email:
        outbox_enqueue(
            to=complaint.email,
            subject=subject,
            text=body,
            html=html,
            language=complaint.language,
            complaint=complaint,
            message=message,
            purpose=purpose,
            # An answer by e-mail comes back to the service's mailbox, known by this address.
            reply_to=reply_address(complaint.reference),
        )
    return message


def complaint_record_acknowledgement(*, complaint_id: int, at: datetime.datetime) -> None:
    """The acknowledgement has gone out (mail delivered or letter produced) at ``at``."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        if complaint.acknowledged_at is not None:
            return
        complaint.acknowledged_at = at
        complaint.save(update_fields=["acknowledged_at"])
        if complaint.status == Status.RECEIVED:
            transition(complaint, Status.ACKNOWLEDGED, actor_kind=ActorKind.SYSTEM, at=at)
