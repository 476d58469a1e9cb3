"""Registering a complaint that came by letter, e-mail, phone or at the counter (R9): staff
record what arrived, however incomplete, and the admissibility step proposes G1 (anonymous)
when nobody can be identified or reached; the form speaks to staff about the complainant."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from access.models import AuditEntry
from complaints import handling
from complaints.admissibility import propose_grounds
from complaints.models import Complaint, DecisionKind
from configuration.models import Category, Ground
from reporting.evaluation import evaluate
from reporting.periods import Period
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _dutch() -> Iterator[None]:
    translation.activate("nl")
    yield
    translation.deactivate()


def what_arrived(**fields: Any) -> dict[str, Any]:
    """The least a letter or a call gives: what happened, and when."""
    today = timezone.localdate().isoformat()
    return {
        "channel": "letter",
        "received_on": today,
        "complainant_kind": "person",
        "language": "nl",
        "category": Category.objects.get(code="behaviour").pk,
        "facts_start": today,
        "description": (
            "Aan het loket werd ik uitgelachen toen ik mijn formulier afgaf, en niemand "
            "wilde mij zeggen waar ik terecht kon."
        ),
        **fields,
    }


def dutch(message: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(message))


def test_a_letter_without_name_or_address_is_registered_and_g1_proposed(cast: Cast) -> None:
    manager = cast.client_for(cast.manager)
    response = manager.post(reverse("staff:register"), what_arrived())
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert (complaint.first_name, complaint.last_name, complaint.email) == ("", "", "")
    assert [p.ground for p in propose_grounds(complaint)] == [Ground.ANONYMOUS]
    page = manager.get(response["Location"]).content.decode()
    assert dutch("The complainant gave no full name.") in page
    assert (
        dutch(
            "There is no postal address on file, so this letter cannot be posted. If you reach "
            "the complainant by phone, tell them and mark the letter as posted."
        )
        in page
    )
    decision_page = manager.get(reverse("staff:admissibility", args=[complaint.pk]))
    assert re.search(r'value="G1"[^>]* checked', decision_page.content.decode())
    # Registered and its audit row, together.
    assert AuditEntry.objects.filter(complaint=complaint, actor=cast.manager).exists()


def test_a_call_that_gives_only_a_phone_number_is_registered_and_g1_counted(
    cast: Cast,
) -> None:
    manager = cast.client_for(cast.manager)
    response = manager.post(
        reverse("staff:register"), what_arrived(channel="phone", phone="0470 12 34 56")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert complaint.phone == "0470 12 34 56"
    assert Ground.ANONYMOUS in [p.ground for p in propose_grounds(complaint)]
    handling.complaint_decide_admissibility(
        complaint=complaint,
        kind=DecisionKind.INADMISSIBLE,
        grounds=[Ground.ANONYMOUS],
        by=cast.manager,
    )
    assert evaluate(Period.year(timezone.localdate().year)).grounds == {"G1": 1}


def test_registration_still_needs_what_happened(cast: Cast) -> None:
    manager = cast.client_for(cast.manager)
    response = manager.post(reverse("staff:register"), what_arrived(description=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert dutch("Write down what the complainant says.") in page
    assert "Aan het loket" not in page  # nothing else was typed
    assert not Complaint.objects.exists()


def test_the_registration_form_speaks_to_staff(cast: Cast) -> None:
    page = cast.client_for(cast.manager).get(reverse("staff:register")).content.decode()
    assert dutch("The complainant's language") in page
    for to_the_complainant in (
        "Language in which we answer you",
        "We do not handle anonymous complaints.",
        "You file this complaint as",
        "What is your complaint about?",
    ):
        assert dutch(to_the_complainant) not in page, to_the_complainant
