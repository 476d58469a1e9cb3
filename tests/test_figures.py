"""The year's figures: counts per channel, category, decision, ground and outcome, the share
of deadlines met, what is still open; management reads them and sees no personal data."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.figures import year_figures
from complaints.models import Complaint
from tests.conftest import Cast
from tests.helpers import file_complaint


def test_the_figures_count_what_happened_to_the_years_complaints(
    cast: Cast, client: Client
) -> None:
    on_time = file_complaint(client)
    late = file_complaint(client, last_name="Laat")
    refused = file_complaint(client, last_name="Nee")
    received = on_time.received_at
    Complaint.objects.filter(pk=on_time.pk).update(
        acknowledged_at=received,
        answered_at=received + datetime.timedelta(days=3),
        status="answered",
        closed_at=received + datetime.timedelta(days=3),
    )
    Complaint.objects.filter(pk=late.pk).update(
        acknowledged_at=received + datetime.timedelta(days=9),
        acknowledgement_due=timezone.localdate(received),
    )
    refused.decisions.create(
        kind="inadmissible", grounds=["G3", "G5"], decided_by=cast.manager, decided_at=received
    )
    figures = year_figures(timezone.localdate(received).year)
    assert figures.received == 3
    assert figures.by_channel == {"web": 3}
    assert figures.acknowledged.met == 1 and figures.acknowledged.missed == 1
    assert figures.acknowledged.share_met == 50.0
    assert figures.answered.days == [3]
    assert figures.grounds == {"G3": 1, "G5": 1}
    assert figures.decisions == {"inadmissible": 1}
    assert figures.open_at_year_end == 2


def test_management_reads_the_figures_without_names(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client, last_name="Geheimnaam")
    page = cast.client_for(cast.management).get(reverse("staff:figures")).content.decode()
    assert "Geheimnaam" not in page and complaint.email not in page
    assert complaint.reference not in page


def test_management_lands_on_the_figures_after_logging_in(cast: Cast) -> None:
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        reverse("staff:login"), {"username": "directie", "password": "demo-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("staff:figures")
