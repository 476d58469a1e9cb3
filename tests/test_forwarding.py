"""Forwarding to the competent body (issue 17): where the body has an e-mail address and the
complainant agreed, the complaint and its files go to the body in the body's language, over
real SMTP, and the timeline says so; otherwise nothing leaves for the body, the complainant's
letter says where to go, and the manager is told nothing was forwarded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint, Status
from configuration.models import CompetentBody
from messaging.models import OutboxMessage
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint, letter_fields

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def forward(cast: Cast, complaint: Complaint, body: CompetentBody, consent: bool) -> str:
    """The manager decides "not competent" through the pages; the page they land on."""
    manager = cast.client_for(cast.manager)
    with translation.override("en"):
        url = reverse("staff:admissibility", args=[complaint.pk])
    facts = {"kind": "not_competent", "competent_body": body.pk, "reasoning": ""}
    if consent:
        facts["forwarding_consent"] = "on"
    draft = manager.post(url, {"step": "facts", **facts})
    sent = manager.post(
        url, {"step": "send", **facts, **letter_fields(draft.content.decode())}, follow=True
    )
    assert sent.redirect_chain, sent.content.decode()[:3000]
    return sent.content.decode()


@pytest.fixture
def with_a_file(cast: Cast, client: Client) -> Complaint:
    return file_complaint(
        client,
        language="nl",
        email="burger@example.be",
        attachments=[SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")],
    )


def test_a_body_with_an_address_gets_the_complaint_and_its_files_in_its_language(
    cast: Cast, with_a_file: Complaint, smtp_server: MailServer
) -> None:
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    CompetentBody.objects.filter(pk=body.pk).update(email="pensions@example.be", language="fr")
    body.refresh_from_db()
    page = forward(cast, with_a_file, body, consent=True)
    [mail] = smtp_server.to("pensions@example.be")
    assert mail.message["Content-Language"] == "fr"
    assert "Plainte" in mail.message["Subject"] and with_a_file.reference in mail.text
    files = [(part.get_filename(), part.get_content()) for part in mail.message.iter_attachments()]
    assert files == [("brief.pdf", PDF)]
    decision = with_a_file.decisions.get()
    assert decision.forwarding_consent and decision.forwarded_to == "pensions@example.be"
    # The timeline says it went, where, with what, and that the complainant agreed.
    assert "Sent to pensions@example.be with 1 file; the complainant agreed." in page
    told = smtp_server.to("burger@example.be")[-1].text
    assert "We hebben uw klacht doorgestuurd naar Federale Pensioendienst" in told


def test_a_body_without_an_address_gets_nothing_and_the_letter_says_where_to_go(
    cast: Cast, with_a_file: Complaint, smtp_server: MailServer
) -> None:
    body = CompetentBody.objects.get(name_nl="OCMW/CPAS van uw gemeente")
    page = forward(cast, with_a_file, body, consent=True)
    with_a_file.refresh_from_db()
    assert with_a_file.status == Status.FORWARDED
    assert not OutboxMessage.objects.exclude(to="burger@example.be").exists()
    assert "Nothing was sent to Public social welfare centre (OCMW/CPAS) of your municipality" in (
        page
    )
    told = smtp_server.to("burger@example.be")[-1].text
    assert "Wij konden uw klacht niet zelf doorsturen" in told
    assert "OCMW/CPAS van uw gemeente" in told and "https://www.vvsg.be" in told
    assert "We hebben uw klacht doorgestuurd" not in told
    assert with_a_file.decisions.get().forwarded_to == ""


def test_without_the_complainants_consent_nothing_is_forwarded(
    cast: Cast, with_a_file: Complaint, smtp_server: MailServer
) -> None:
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    CompetentBody.objects.filter(pk=body.pk).update(email="pensioen@example.be")
    page = forward(cast, with_a_file, body, consent=False)
    assert smtp_server.to("pensioen@example.be") == []
    assert "Nothing was sent to Federal Pensions Service" in page
    assert "the complainant did not agree" in page
    assert (
        "Wij konden uw klacht niet zelf doorsturen" in smtp_server.to("burger@example.be")[-1].text
    )
