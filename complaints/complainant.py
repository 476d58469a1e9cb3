"""The complainant's write path: what a person can do with the personal link from their
acknowledgement (R10, R11, R14, E5, E9, E10, E17).

The public reaches a complaint only through ``complaint_for_token``; every other function takes
the complaint it returned. Each function is one transaction; messages it causes go through the
outbox like every other message to the complainant.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from complaints.clock import clock_resume
from complaints.models import (
    AccessToken,
    ActorKind,
    Attachment,
    Complaint,
    Delivery,
    Message,
    MessageKind,
    NotificationKind,
    Satisfaction,
    Status,
    hash_token,
)
from complaints.notify import notify_staff
from complaints.services import Upload, atomic_with_files, attachment_add, message_send
from complaints.workflow import transition
from configuration.models import Ground

logger = logging.getLogger(__name__)

# Once the service has given its reasoned reply, the complainant may say whether it helped.
SATISFACTION_STATUSES = frozenset(
    {Status.ANSWERED, Status.INADMISSIBLE, Status.FORWARDED, Status.NOT_A_COMPLAINT}
)

# The answers to "Did our answer help you?"; "" when the complainant leaves it open.
HELPED_CHOICES: tuple[tuple[str, Promise], ...] = (
    ("yes", _("Yes")),
    ("partly", _("Partly")),
    ("no", _("No")),
)


class ComplainantError(Exception):
    """An action the rules do not allow; the message is shown to the complainant."""


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def complaint_for_token(token: str) -> Complaint:
    """The complaint a personal link opens. An unknown, revoked or mistyped link, and the link
    of a complaint whose personal data has been anonymised, all raise ``Http404``."""
    access = (
        AccessToken.objects.select_related("complaint", "complaint__category")
        .filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            complaint__anonymised_at__isnull=True,
        )
        .first()
    )
    if access is None:
        raise Http404("no such personal link")
    return access.complaint


@dataclass(frozen=True)
class ByEmail:
    """How a reply that came by e-mail arrived: who sent it (``sender_unknown`` when it is not
    the complainant's address), the sender checks the receiving server recorded, and the
    files that were not accepted."""

    sender: str
    sender_unknown: bool = False
    sender_checks: str = ""
    left_out: str = ""


def complainant_reply(
    *,
    complaint: Complaint,
    text: str,
    uploads: list[Upload],
    by_email: ByEmail | None = None,
    at: datetime.datetime | None = None,
) -> Message:
    """Stores what the complainant sends: the answer to a request for information (the
    complaint goes back to being handled) or, at any other time, added information. Through
    the personal link, or ``by_email`` (a reply to the service's mailbox, taken by ``inbox``)
    at ``at``, when the mailbox received it."""
    text = text.strip()
    if not text and not uploads and by_email is None:
        raise ComplainantError(_("Write a message or attach a file."))
    with atomic_with_files():
        complaint = _locked(complaint)
        if complaint.is_closed:
            raise ComplainantError(
                _("Your complaint is closed: you can no longer add information to it.")
            )
        # The clock resumes when the reply is taken: a reply that waited in the mailbox
        # through an outage does not stop the clock backwards.
        now = timezone.now()
        if complaint.status == Status.WAITING_FOR_COMPLAINANT:
            kind = MessageKind.REPLY
            transition(complaint, Status.IN_HANDLING, actor_kind=ActorKind.COMPLAINANT, at=now)
            clock_resume(complaint, at=now)
        else:
            kind = MessageKind.ADDITION
        # Stored in the complainant's language, like the messages the service sends them.
        with translation.override(complaint.language):
            subject = str(kind.label)
        message = Message.objects.create(
            complaint=complaint,
            kind=kind,
            from_complainant=True,
            subject=subject,
            body=text,
            delivery=Delivery.NONE,
            created_at=min(at, now) if at else now,
            received_via="email" if by_email else "",
            sender=by_email.sender[:320] if by_email else "",
            sender_unknown=by_email.sender_unknown if by_email else False,
            sender_checks=by_email.sender_checks if by_email else "",
            left_out=by_email.left_out if by_email else "",
        )
        for upload in uploads:
            attachment = attachment_add(complaint=complaint, upload=upload, from_staff=False)
            attachment.message = message
            attachment.save(update_fields=["message"])
        # Nothing the complainant sends waits unseen: whoever handles it is told.
        notify_staff(
            complaint,
            template="staff_complainant_wrote",
            managers=False,
            context={"message": message, "attachments": len(uploads)},
            kind=NotificationKind.REPLY,
        )
    return message


def complainant_withdraw(*, complaint: Complaint, reason: str = "") -> Complaint:
    """Closes the complaint as withdrawn (it is counted so) and confirms it to the complainant.
    The reason, if they gave one, is kept on the status change."""
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.is_closed:
            raise ComplainantError(_("Your complaint is already closed."))
        clock_resume(complaint)
        transition(
            complaint, Status.WITHDRAWN, actor_kind=ActorKind.COMPLAINANT, note=reason.strip()
        )
        message_send(complaint=complaint, kind=MessageKind.WITHDRAWAL, template="withdrawal")
        notify_staff(
            complaint,
            template="staff_notification",
            managers=False,
            context={},
            kind=NotificationKind.WITHDRAWN,
        )
    return complaint


def complainant_give_satisfaction(
    *, complaint: Complaint, satisfied: bool, helped: str = "", comment: str = ""
) -> Satisfaction:
    """Records whether the service's reply satisfied the complainant, for the annual evaluation
    (E12). They may change their mind: the latest answer counts."""
    if helped not in {"", *(value for value, _label in HELPED_CHOICES)}:
        raise ComplainantError(_("Choose one of the answers."))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status not in SATISFACTION_STATUSES:
            raise ComplainantError(
                _("You can tell us whether you are satisfied once you have received our answer.")
            )
        satisfaction, _created = Satisfaction.objects.update_or_create(
            complaint=complaint,
            defaults={
                "satisfied": satisfied,
                "helped": helped,
                "comment": comment.strip(),
                "at": timezone.now(),
            },
        )
        if not satisfied:
            notify_staff(
                complaint,
                template="staff_notification",
                managers=False,
                context={},
                kind=NotificationKind.NOT_SATISFIED,
            )
    return satisfaction


def complainant_request_new_link(*, reference: str, email: str) -> None:
    """Mails a fresh personal link when ``reference`` and ``email`` belong to the same
    complaint. Otherwise it does nothing: the caller must answer alike in both cases, so that
    nobody learns whether a reference exists."""
    reference, email = reference.strip(), email.strip()
    if not reference or not email:
        return
    complaint = Complaint.objects.filter(
        reference__iexact=reference, email__iexact=email, anonymised_at__isnull=True
    ).first()
    if complaint is None:
        return
    with transaction.atomic():
        access = AccessToken.issue(complaint)
        message_send(
            complaint=complaint, kind=MessageKind.NEW_LINK, template="new_link", access=access
        )


def _when(value: datetime.date | None) -> str | None:
    """Dates and times as ISO 8601; times in the service's time zone."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _attachment_names(attachments: list[Attachment]) -> dict[int, str]:
    """A unique, safe name under ``attachments/`` for every file, in upload order."""
    names = {}
    for number, attachment in enumerate(attachments, start=1):
        safe = get_valid_filename(attachment.original_name.replace("/", "_")) or "file"
        names[attachment.pk] = f"attachments/{number:03d}-{safe}"
    return names


def _export_data(
    complaint: Complaint, attachments: list[Attachment], names: dict[int, str]
) -> dict[str, Any]:
    by_message: dict[int, list[str]] = {}
    for attachment in attachments:
        if attachment.message_id is not None:
            by_message.setdefault(attachment.message_id, []).append(names[attachment.pk])
    final_answer = getattr(complaint, "final_answer", None)
    satisfaction = getattr(complaint, "satisfaction", None)
    return {
        "reference": complaint.reference,
        "exported_at": _when(timezone.now()),
        "status": {"code": complaint.status, "label": complaint.get_status_display()},
        "channel": {"code": complaint.channel, "label": complaint.get_channel_display()},
        "received_at": _when(complaint.received_at),
        "acknowledgement_due": _when(complaint.acknowledgement_due),
        "acknowledged_at": _when(complaint.acknowledged_at),
        "answer_due": _when(complaint.answer_due),
        "answered_at": _when(complaint.answered_at),
        "closed_at": _when(complaint.closed_at),
        "complainant": {
            "kind": complaint.complainant_kind,
            "first_name": complaint.first_name,
            "last_name": complaint.last_name,
            "organisation_name": complaint.organisation_name,
            "email": complaint.email,
            "postal_address": complaint.postal_address,
            "phone": complaint.phone,
            "language": complaint.language,
        },
        "facts": {
            "category": {
                "code": complaint.category.code,
                "label": complaint.category.translated("label"),
            },
            "facts_start": _when(complaint.facts_start),
            "facts_end": _when(complaint.facts_end),
            "description": complaint.description,
            "desired_outcome": complaint.desired_outcome,
            "concerned": complaint.concerned,
            "own_reference": complaint.own_reference,
        },
        "unit": complaint.unit.translated("name") if complaint.unit else None,
        "triage_answers": complaint.triage_answers,
        "status_history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": _when(change.at),
                "by": change.actor_kind,
                # Only the complainant's own words: staff remarks stay internal.
                **({"note": change.note} if change.actor_kind == ActorKind.COMPLAINANT else {}),
            }
            for change in complaint.history.all()
        ],
        "messages": [
            {
                "direction": "from_complainant" if message.from_complainant else "to_complainant",
                "kind": message.kind,
                "subject": message.subject,
                "body": message.body,
                "delivery": message.delivery,
                "at": _when(message.created_at),
                "posted_at": _when(message.posted_at),
                "attachments": by_message.get(message.pk, []),
            }
            for message in complaint.messages.all()
        ],
        "extensions": [
            {
                "reason": extension.reason,
                "previous_due": _when(extension.previous_due),
                "new_due": _when(extension.new_due),
                "at": _when(extension.at),
            }
            for extension in complaint.extensions.all()
        ],
        "decisions": [
            {
                "kind": decision.kind,
                "label": decision.get_kind_display(),
                "grounds": [
                    {"code": code, "label": str(Ground(code).label)} for code in decision.grounds
                ],
                "not_a_complaint_kind": decision.not_a_complaint_kind,
                "competent_body": decision.competent_body.translated("name")
                if decision.competent_body
                else None,
                "reasoning": decision.reasoning,
                "at": _when(decision.decided_at),
            }
            for decision in complaint.decisions.select_related("competent_body")
        ],
        "final_answer": {
            "outcome": final_answer.outcome,
            "label": final_answer.get_outcome_display(),
            "norms_breached": [
                {"code": norm.code, "label": norm.translated("label")}
                for norm in final_answer.norms_breached.all()
            ],
            "measure": final_answer.measure,
            "at": _when(final_answer.sent_at),
        }
        if final_answer is not None
        else None,
        "ombudsman_requests": [
            {
                "received_on": _when(request.received_on),
                "summary": request.summary,
                "due": _when(request.due),
                "answered_at": _when(request.answered_at),
            }
            for request in complaint.ombudsman_requests.all()
        ],
        "satisfaction": {
            "satisfied": satisfaction.satisfied,
            "helped": satisfaction.helped,
            "comment": satisfaction.comment,
            "at": _when(satisfaction.at),
        }
        if satisfaction is not None
        else None,
        "attachments": [
            {
                "file": names[attachment.pk],
                "original_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "from": "service" if attachment.from_staff else "complainant",
                "uploaded_at": _when(attachment.uploaded_at),
            }
            for attachment in attachments
        ],
    }


def _read(attachment: Attachment) -> bytes | None:
    try:
        with attachment.file.open("rb") as content:
            data: bytes = content.read()
            return data
    except OSError:
        # The export still gives everything else; the file is listed as missing.
        logger.exception(
            "attachment %s of complaint %s cannot be read", attachment.pk, attachment.complaint_id
        )
        return None


def complaint_export(complaint: Complaint) -> bytes:
    """Everything the service holds about the complainant for this complaint (E17), as a ZIP:
    ``complaint.json`` and every attachment under ``attachments/``. Internal notes and the names
    of staff members are left out. Labels are in the complainant's language."""
    complaint = Complaint.objects.select_related("category", "unit").get(pk=complaint.pk)
    attachments = list(complaint.attachments.all())
    names = _attachment_names(attachments)
    contents = {attachment.pk: _read(attachment) for attachment in attachments}
    with translation.override(complaint.language):
        data = _export_data(complaint, attachments, names)
    for entry, attachment in zip(data["attachments"], attachments, strict=True):
        entry["missing"] = contents[attachment.pk] is None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("complaint.json", json.dumps(data, ensure_ascii=False, indent=2))
        for attachment in attachments:
            content = contents[attachment.pk]
            if content is not None:
                archive.writestr(names[attachment.pk], content)
    return buffer.getvalue()
