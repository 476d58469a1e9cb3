"""Retention (E17): a closed complaint's personal data is anonymised after the configured
number of years. What the yearly statistics need survives: dates, channel, category, status,
decisions and grounds, outcome and norms, satisfaction, the complainant's kind and language."""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from complaints.folding import search_columns
from complaints.models import (
    CLOSED_STATUSES,
    Complaint,
    FinalAnswer,
    IncomingAttachment,
    IncomingMail,
    Satisfaction,
)
from configuration.models import Organisation

REMOVED = "—"

logger = logging.getLogger(__name__)


def anonymise(complaint: Complaint, *, at: datetime.datetime) -> None:
    """Removes every text the complainant wrote or that names them, and their files. The files
    go after the commit: a rollback must not leave rows whose files are gone (and a file left
    behind by a failed delete is found again by nothing, so the order matters)."""
    from access.models import AuditEntry

    with transaction.atomic():
        files = [(a.file.storage, a.file.name) for a in complaint.attachments.all() if a.file.name]
        complaint.attachments.all().delete()
        files += _forget_mail(complaint)
        complaint.tokens.all().delete()
        complaint.history.update(note="")  # the withdrawal's reason
        complaint.messages.update(
            subject=REMOVED, body=REMOVED, sender="", sender_checks="", left_out=""
        )
        complaint.notes.update(text=REMOVED)
        complaint.outbox.update(
            to="anonymised@invalid",
            subject=REMOVED,
            body_text=REMOVED,
            body_html=REMOVED,
            attachments=[],  # the files' names, which may name the person
            last_error="",
        )
        complaint.decisions.update(reasoning="")
        FinalAnswer.objects.filter(complaint=complaint).update(measure="")
        complaint.extensions.update(reason=REMOVED)
        complaint.ombudsman_requests.update(summary=REMOVED)
        # Who looked at the complaint stays on record; what they looked at (file names) goes.
        AuditEntry.objects.filter(complaint=complaint).update(detail="")
        Satisfaction.objects.filter(complaint=complaint).update(comment="")
        searched = {
            "first_name": REMOVED,
            "last_name": REMOVED,
            "organisation_name": "",
            "own_reference": "",
            "description": REMOVED,
        }
        Complaint.objects.filter(pk=complaint.pk).update(
            **searched,
            **search_columns(**searched),
            email="",
            postal_address="",
            phone="",
            desired_outcome="",
            concerned="",
            anonymised_at=at,
        )
        transaction.on_commit(lambda: _delete_files(files))


def _forget_mail(complaint: Complaint) -> list[tuple[Storage, str]]:
    """Blanks the texts of the mails taken from the service's mailbox about ``complaint`` and
    drops their kept files; returns the files (the originals, the kept attachments) to delete
    after the commit. The rows stay, without a word of the mail: the digest still keeps a copy
    delivered again from being taken again."""
    mails = IncomingMail.objects.filter(complaint=complaint)
    kept = IncomingAttachment.objects.filter(mail__in=mails)
    files = [(a.file.storage, a.file.name) for a in kept if a.file.name]
    files += [(m.raw.storage, m.raw.name) for m in mails if m.raw.name]
    kept.delete()
    mails.update(
        mail_id="",
        sender="",
        sender_name="",
        subject=REMOVED,
        text=REMOVED,
        html="",
        sender_checks="",
        reason="",
        raw="",
    )
    return files


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # Logged; the row is gone, so the nightly run cannot retry: an operator must look.
            logger.exception("could not delete the anonymised attachment %s", name)


def complaints_anonymise_expired(*, now: datetime.datetime | None = None) -> int:
    """Anonymises every complaint closed more than the retention period ago."""
    now = now or timezone.now()
    years = Organisation.current().retention_years
    try:
        limit = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year - years, day=28)
    expired = Complaint.objects.filter(
        status__in=list(CLOSED_STATUSES), closed_at__lt=limit, anonymised_at__isnull=True
    )
    count = 0
    for complaint in expired:
        anonymise(complaint, at=now)
        count += 1
    return count
