"""Retention (E17): personal data of complaints closed longer ago than the retention period is
anonymised; the figures the yearly evaluation needs survive."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from complaints.models import Complaint
from complaints.retention import complaints_anonymise_expired
from tests.helpers import file_complaint

pytestmark = pytest.mark.usefixtures("demo")


def closed(client: Client, years_ago: float) -> Complaint:
    complaint = file_complaint(client)
    complaint.attachments.create(
        original_name="a.pdf",
        content_type="application/pdf",
        size=4,
        file=ContentFile(b"%PDF", name="a.pdf"),
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        status="answered", closed_at=timezone.now() - datetime.timedelta(days=365 * years_ago)
    )
    complaint.refresh_from_db()
    return complaint


def test_a_complaint_closed_longer_ago_than_the_retention_period_is_anonymised(
    client: Client,
) -> None:
    old = closed(client, years_ago=6)
    recent = closed(client, years_ago=1)
    assert complaints_anonymise_expired() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert "Dupont" not in (old.last_name, old.first_name) and old.email == ""
    assert "trois mois" not in old.description
    assert not old.attachments.exists() and not old.tokens.exists()
    assert "Dupont" not in " ".join(old.messages.values_list("body", flat=True))
    # What the statistics count survives.
    assert (old.status, old.channel, old.category.code, old.language) == (
        "answered",
        "web",
        "waiting-time",
        "fr",
    )
    assert recent.anonymised_at is None and recent.last_name == "Dupont"


def test_anonymising_twice_changes_nothing_more(client: Client) -> None:
    closed(client, years_ago=6)
    assert complaints_anonymise_expired() == 1
    assert complaints_anonymise_expired() == 0


def test_an_open_complaint_is_never_anonymised(client: Client) -> None:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=3650)
    )
    assert complaints_anonymise_expired() == 0
