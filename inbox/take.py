"""Taking one mail from the service's mailbox into the system, in one transaction with its files:

- a bounce of a mail we sent marks that delivery failed (``outbox_mark_bounced``);
- an automatic reply (out of office, auto-responder) is recorded and nothing more: no reply,
  no complaint, and nothing is ever sent back;
- a reply to one of our mails (matched by our Message-ID in In-Reply-To/References, then the
  per-complaint reply address, then a reference in the subject) goes on the complaint through
  ``complainant_reply``, as if sent through the personal link; to a closed complaint, it waits
  for the complaints manager, who is told (``complaints.intake.intake_tell_closed_reply``);
- anything else is a new e-mail waiting in the intake queue;
- what cannot be read is kept aside with the reason.

Every mail's original is kept (``IncomingMail.raw``); its SHA-256 (``digest``, unique) makes
taking it twice impossible, and a mail with a Message-ID already taken from the same sender is
not taken again (a copy delivered twice).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.virus import ScanUnavailable, virus_in
from complaints.complainant import ByEmail, ComplainantError, complainant_reply
from complaints.forms import sniff_content_type
from complaints.intake import intake_tell_closed_reply
from complaints.models import (
    Complaint,
    IncomingAttachment,
    IncomingKind,
    IncomingMail,
    IncomingState,
)
from complaints.services import Upload, atomic_with_files, file_written
from inbox.parse import Parsed, Part, parse
from messaging.models import OutboxMessage
from messaging.outbox import outbox_mark_bounced
from messaging.replies import reference_in_address

logger = logging.getLogger(__name__)


class TryLater(Exception):
    """The mail cannot be taken now (the virus scanner does not answer): it stays in the
    mailbox, untaken, for the next round."""


@dataclass(frozen=True)
class Arrived:
    """A mail as the reader fetched it: its original in a file, and when the mailbox got it."""

    path: Path
    received_at: datetime.datetime
    size: int
    digest: str


def digest_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1024 * 1024):
            sha.update(chunk)
    return sha.hexdigest()


def take(arrived: Arrived) -> IncomingMail:
    """Stores the mail and does what it calls for; returns its row (the earlier one when it
    was taken before). Raises ``TryLater`` when it must stay in the mailbox for now."""
    earlier = IncomingMail.objects.filter(digest=arrived.digest).first()
    if earlier is not None:
        return earlier
    parsed: Parsed | None = None
    problem = ""
    if arrived.size > settings.MAILBOX_MAX_MESSAGE_BYTES:
        problem = _("The message is larger than %(size)d MB: it was not read.") % {
            "size": settings.MAILBOX_MAX_MESSAGE_BYTES // (1024 * 1024)
        }
    else:
        try:
            with arrived.path.open("rb") as source:
                parsed = parse(source)
        except Exception as exc:  # whatever a hostile message does, the reader goes on
            logger.warning("mail %s kept aside: %r", arrived.digest[:12], exc)
            problem = _("The message could not be read (%(error)s).") % {
                "error": type(exc).__name__
            }
    if parsed is not None and parsed.mail_id:
        copy = IncomingMail.objects.filter(mail_id=parsed.mail_id, sender=parsed.sender).first()
        if copy is not None:
            return copy
    try:
        return _store(arrived, parsed, problem)
    except IntegrityError:
        # Another reader stored the same mail at the same moment.
        return IncomingMail.objects.get(digest=arrived.digest)


def _store(arrived: Arrived, parsed: Parsed | None, problem: str) -> IncomingMail:
    now = timezone.now()
    with atomic_with_files():
        mail = IncomingMail(
            digest=arrived.digest,
            received_at=arrived.received_at,
            taken_at=now,
            raw_size=arrived.size,
            kind=IncomingKind.KEPT_ASIDE,
            state=IncomingState.WAITING,
            reason=problem,
        )
        with arrived.path.open("rb") as source:
            mail.raw.save("mail.eml", File(source), save=False)
        file_written(mail.raw.storage, mail.raw.name or "")
        if parsed is None:
            mail.save()
            return mail
        mail.mail_id = parsed.mail_id[:255]
        mail.sender = parsed.sender
        mail.sender_name = parsed.sender_name
        mail.subject = parsed.subject
        mail.text = parsed.text
        mail.html = parsed.html
        mail.sender_checks = parsed.sender_checks
        mail.reason = "\n".join(parsed.problems)
        if parsed.bounce is not None:
            _bounced(mail, parsed)
            return mail
        complaint, matched_by = _match(parsed)
        mail.complaint, mail.matched_by = complaint, matched_by
        if complaint is not None:
            mail.sender_unknown = parsed.sender != complaint.email.strip().lower()
        if parsed.automatic:
            mail.kind, mail.state = IncomingKind.AUTO_REPLY, IncomingState.DONE
            mail.save()
            return mail
        if complaint is not None and complaint.anonymised_at is None and not complaint.is_closed:
            try:
                _reply(mail, complaint, parsed)
                return mail
            except ComplainantError:
                pass  # closed in the meantime: it goes to the manager below
        mail.kind = IncomingKind.CLOSED_REPLY if complaint is not None else IncomingKind.NEW
        mail.save()
        _keep_files(mail, parsed.files)
        if mail.kind == IncomingKind.CLOSED_REPLY:
            intake_tell_closed_reply(mail)
    return mail


def _bounced(mail: IncomingMail, parsed: Parsed) -> None:
    assert parsed.bounce is not None  # noqa: S101  # the caller checked
    mail.kind, mail.state = IncomingKind.BOUNCE, IncomingState.DONE
    for original in parsed.bounce.original_ids:
        outbox = outbox_mark_bounced(message_id=original, reason=parsed.bounce.reason)
        if outbox is not None:
            mail.complaint_id = outbox.complaint_id
            mail.matched_by = "thread"
            break
    else:
        # Not a bounce of ours (or of ours, unrecognisable): a person looks at it.
        mail.state = IncomingState.WAITING
    mail.save()


def _match(parsed: Parsed) -> tuple[Complaint | None, str]:
    """The complaint the mail answers, and how it was found, most trusted first."""
    if parsed.refers_to:
        ours = (
            OutboxMessage.objects.filter(
                message_id__in=parsed.refers_to[:100], complaint__isnull=False
            )
            .select_related("complaint")
            .first()
        )
        if ours is not None and ours.complaint is not None:
            return ours.complaint, "thread"
    for address in parsed.recipients:
        reference = reference_in_address(address)
        if reference is not None:
            complaint = Complaint.objects.filter(reference=reference).first()
            if complaint is not None:
                return complaint, "reply_address"
    for reference in parsed.references_in_subject():
        complaint = Complaint.objects.filter(reference=reference).first()
        if complaint is not None:
            return complaint, "subject"
    return None, ""


def _reply(mail: IncomingMail, complaint: Complaint, parsed: Parsed) -> None:
    uploads, refused = _checked(parsed.files)
    with tempfile.TemporaryDirectory() as directory:
        files = [_spooled(Path(directory), index, part) for index, (part, _t) in enumerate(uploads)]
        message = complainant_reply(
            complaint=complaint,
            text=parsed.text or parsed.subject,
            uploads=[
                Upload(file=file, name=part.name, content_type=content_type, size=len(part.data))
                for file, (part, content_type) in zip(files, uploads, strict=True)
            ],
            by_email=ByEmail(
                sender=parsed.sender,
                sender_unknown=mail.sender_unknown,
                sender_checks=parsed.sender_checks,
                left_out="\n".join(refused),
            ),
            at=mail.received_at,
        )
        for file in files:
            file.close()
    mail.kind, mail.state, mail.message = IncomingKind.REPLY, IncomingState.DONE, message
    if refused:
        mail.reason = "\n".join([mail.reason, *refused]).strip()
    mail.save()


def _spooled(directory: Path, index: int, part: Part) -> File[bytes]:
    path = directory / str(index)
    path.write_bytes(part.data)
    return File(path.open("rb"), name=part.name)


def _checked(parts: list[Part]) -> tuple[list[tuple[Part, str]], list[str]]:
    """The files the web form would accept (count, size, type by content, virus scan), with
    their type, and a line saying why for each of the others."""
    accepted: list[tuple[Part, str]] = []
    refused: list[str] = []
    for part in parts:
        reason, content_type = _refusal(part)
        if reason:
            refused.append(f"{part.name}: {reason}")
        elif len(accepted) >= settings.ATTACHMENT_MAX_COUNT:
            refused.append(
                f"{part.name}: "
                + _("more than %(count)d files") % {"count": settings.ATTACHMENT_MAX_COUNT}
            )
        else:
            accepted.append((part, content_type))
    return accepted, refused


def _refusal(part: Part) -> tuple[str, str]:
    if len(part.data) > settings.ATTACHMENT_MAX_BYTES:
        return _("larger than %(size)d MB") % {
            "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        }, ""
    with tempfile.TemporaryFile() as file:
        file.write(part.data)
        content_type = sniff_content_type(file)
        if content_type is None:
            return _("not a PDF, JPEG, PNG, DOCX or ODT file"), ""
        try:
            virus = virus_in(file)
        except ScanUnavailable as exc:
            raise TryLater(f"virus scanner unavailable: {exc}") from exc
    if virus is not None:
        logger.warning("mail attachment refused: virus %s", virus)
        return _("contains a virus"), ""
    return "", content_type


def _keep_files(mail: IncomingMail, parts: list[Part]) -> None:
    """The files of a mail that waits for the manager: the accepted ones kept, the others
    listed with the reason (the original mail still holds them)."""
    accepted, refused = _checked(parts)
    for part, content_type in accepted:
        attachment = IncomingAttachment(
            mail=mail, original_name=part.name, content_type=content_type, size=len(part.data)
        )
        with tempfile.TemporaryFile() as file:
            file.write(part.data)
            file.seek(0)
            attachment.file.save("file", File(file), save=False)
        file_written(attachment.file.storage, attachment.file.name or "")
        attachment.save()
    for line in refused:
        name, _sep, reason = line.partition(": ")
        IncomingAttachment.objects.create(
            mail=mail, original_name=name[:255], size=0, refused=reason[:300]
        )
