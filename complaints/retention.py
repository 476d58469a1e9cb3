"""Retention (E17): a closed complaint's personal data is anonymised after the configured
number of years. What the yearly statistics need survives: dates, channel, category, status,
decisions and grounds, outcome and norms, satisfaction, the complainant's kind and language."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from complaints.models import CLOSED_STATUSES, Complaint
from configuration.models import Organisation

REMOVED = "—"


def anonymise(complaint: Complaint, *, at: datetime.datetime) -> None:
    with transaction.atomic():
        for attachment in complaint.attachments.all():
            attachment.file.delete(save=False)
        complaint.attachments.all().delete()
        complaint.tokens.all().delete()
        complaint.messages.update(subject=REMOVED, body=REMOVED)
        complaint.notes.update(text=REMOVED)
        complaint.outbox.update(
            to="anonymised@invalid", subject=REMOVED, body_text=REMOVED, body_html=REMOVED
        )
        complaint.decisions.update(reasoning="")
        complaint.extensions.update(reason=REMOVED)
        complaint.ombudsman_requests.update(summary=REMOVED)
        if hasattr(complaint, "satisfaction"):
            complaint.satisfaction.comment = ""
            complaint.satisfaction.save(update_fields=["comment"])
        Complaint.objects.filter(pk=complaint.pk).update(
            first_name=REMOVED,
            last_name=REMOVED,
            organisation_name="",
            email="",
            postal_address="",
            phone="",
            description=REMOVED,
            desired_outcome="",
            concerned="",
            own_reference="",
            anonymised_at=at,
        )


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
