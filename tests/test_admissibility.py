"""Admissibility (G1-G9, E6): the system proposes grounds with evidence; the manager decides;
every refusal is a reasoned letter in the complainant's language that says where to go."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints.admissibility import propose_grounds
from complaints.models import AdmissibilityDecision, Complaint, Status
from configuration.models import CompetentBody, Ground
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint, letter_fields

pytestmark = pytest.mark.django_db(transaction=True)


def proposed(complaint: Complaint) -> dict[str, str]:
    return {p.ground.value: p.evidence for p in propose_grounds(complaint)}


def test_nothing_is_proposed_for_an_ordinary_complaint(cast: Cast, client: Client) -> None:
    assert proposed(file_complaint(client)) == {}


def test_it_proposes_g3_for_facts_older_than_a_year_with_both_dates(
    cast: Cast, client: Client
) -> None:
    facts = timezone.localdate() - datetime.timedelta(days=400)
    complaint = file_complaint(client, facts_start=facts.isoformat())
    evidence = proposed(complaint)["G3"]
    assert "400" in evidence
    assert str(facts.year) in evidence


def test_it_proposes_g2_for_a_description_too_thin_to_state_reasons(
    cast: Cast, client: Client
) -> None:
    complaint = file_complaint(client, description="Pas content du tout, voilà.")
    assert "G2" in proposed(complaint)


def test_it_proposes_g1_when_nobody_can_be_reached(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(email="", postal_address="")
    complaint.refresh_from_db()
    assert "G1" in proposed(complaint)


@pytest.mark.parametrize(
    ("code", "ground"),
    [
        ("appeal", "G5"),
        ("other-body", "G4"),
        ("court", "G6"),
        ("ombudsman", "G7"),
        ("policy", "G8"),
        ("regulations", "G9"),
    ],
)
def test_it_proposes_the_ground_of_each_triage_answer(
    cast: Cast, client: Client, code: str, ground: str
) -> None:
    complaint = file_complaint(client)
    complaint.triage_answers[code] = True
    complaint.save()
    assert ground in proposed(complaint)
    assert set(proposed(complaint)) == {ground}


def decide(manager: Client, complaint: Complaint, **facts: object) -> str:
    """Goes through the compose flow: the facts, the draft letter, then send."""
    url = reverse("staff:admissibility", args=[complaint.pk])
    draft = manager.post(url, {"step": "facts", **facts})
    assert draft.status_code == 200, draft.content.decode()[:2000]
    sent = manager.post(url, {"step": "send", **facts, **letter_fields(draft.content.decode())})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    letter = complaint.messages.filter(from_complainant=False).order_by("pk").last()
    assert letter is not None
    return letter.body


def ground_sentence(ground: str, language: str) -> str:
    with translation.override(language):
        return render_to_string("messaging/_ground.txt", {"ground": Ground(ground)}).strip()


@pytest.mark.parametrize("ground", [g.value for g in Ground])
def test_a_refusal_on_each_ground_is_a_letter_that_names_it_and_the_ombudsman(
    cast: Cast, client: Client, smtp_server: MailServer, ground: str
) -> None:
    complaint = file_complaint(client, language="de", email="refus@example.be")
    manager = cast.client_for(cast.manager)
    decide(
        manager,
        complaint,
        kind="inadmissible",
        grounds=[ground],
        reasoning="Begründung des Beschwerdemanagers.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.INADMISSIBLE
    assert complaint.answered_at is not None
    decision = AdmissibilityDecision.objects.get(complaint=complaint)
    assert decision.grounds == [ground]
    letter = smtp_server.to("refus@example.be")[-1].text
    assert ground_sentence(ground, "de") in letter
    assert "Begründung des Beschwerdemanagers." in letter
    assert "0800 99 961" in letter and "contact@federaalombudsman.be" in letter
    assert "/de/follow/" in letter


def test_an_inadmissible_decision_needs_a_ground(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    response = cast.client_for(cast.manager).post(
        reverse("staff:admissibility", args=[complaint.pk]),
        {"step": "send", "kind": "inadmissible", "subject": "x", "body": "y"},
    )
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status != Status.INADMISSIBLE


def test_not_competent_forwards_to_the_body_and_tells_the_complainant_where(
    cast: Cast, client: Client, smtp_server: MailServer
) -> None:
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    body.email = "pensioen@example.be"
    body.save()
    complaint = file_complaint(client, language="nl", email="burger@example.be")
    decide(
        cast.client_for(cast.manager),
        complaint,
        kind="not_competent",
        competent_body=body.pk,
        forwarding_consent="on",
        reasoning="",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED
    [forwarded] = smtp_server.to("pensioen@example.be")
    assert complaint.reference in forwarded.text
    assert complaint.description[:40] in forwarded.text
    told = smtp_server.to("burger@example.be")[-1].text
    assert "Federale Pensioendienst" in told and "https://www.sfpd.fgov.be" in told


def test_a_question_for_information_is_counted_as_not_a_complaint(
    cast: Cast, client: Client, smtp_server: MailServer
) -> None:
    complaint = file_complaint(client)
    decide(
        cast.client_for(cast.manager),
        complaint,
        kind="not_a_complaint",
        not_a_complaint_kind="question",
        reasoning="",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.NOT_A_COMPLAINT
    assert complaint.decisions.get().not_a_complaint_kind == "question"


def test_admissible_needs_no_letter_and_puts_the_complaint_in_handling(
    cast: Cast, client: Client
) -> None:
    complaint = file_complaint(client)
    response = cast.client_for(cast.manager).post(
        reverse("staff:admissibility", args=[complaint.pk]), {"step": "facts", "kind": "admissible"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
    assert complaint.messages.count() == 1  # the acknowledgement only


def test_the_complaint_page_shows_the_proposals_with_their_evidence(
    cast: Cast, client: Client
) -> None:
    facts = timezone.localdate() - datetime.timedelta(days=500)
    complaint = file_complaint(client, facts_start=facts.isoformat())
    page = (
        cast.client_for(cast.manager)
        .get(reverse("staff:complaint", args=[complaint.pk]))
        .content.decode()
    )
    assert "G3" in page and "500" in page
