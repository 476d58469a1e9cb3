"""Configured texts that differ per language exist per language: the Ombudsman's address,
website and e-mail, the organisation's address in the mail footer; a complaint forwarded to a
competent body is written in that body's language (E15)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints import handling
from complaints.models import DecisionKind, Outcome
from configuration.models import CompetentBody, Organisation
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint, personal_token

pytestmark = pytest.mark.django_db(transaction=True)

OMBUDSMAN = {
    "nl": ("Leuvenseweg 48 bus 6, 1000 Brussel", "https://www.federaalombudsman.be"),
    "fr": ("rue de Louvain 48 boîte 6, 1000 Bruxelles", "https://www.mediateurfederal.be"),
    "de": ("Löwener Straße 48 Box 6, 1000 Brüssel", "https://www.federalombudsman.be/de"),
    "en": ("Rue de Louvain 48 box 6, 1000 Brussels", "https://www.federalombudsman.be/en"),
}


@pytest.mark.parametrize("language", list(OMBUDSMAN))
def test_the_ombudsman_route_gives_the_details_of_the_complainants_language(
    cast: Cast, client: Client, smtp_server: MailServer, language: str
) -> None:
    address = f"{language}@example.be"
    complaint = file_complaint(client, page_language=language, language=language, email=address)
    token = personal_token(client)
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    handling.complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.UNFOUNDED,
        by=cast.manager,
    )
    with translation.override(language):
        page = client.get(reverse("portal:follow", args=[token])).content.decode()
    answer = smtp_server.to(address)[-1]
    own_address, own_website = OMBUDSMAN[language]
    for text in (page, answer.text):
        assert own_address in text and own_website in text
        for other, (other_address, _website) in OMBUDSMAN.items():
            if other != language:
                assert other_address not in text
    footer = Organisation.current().translated("postal_address", language)
    assert footer in answer.html
    assert ("Bruxelles" in footer) == (language == "fr")


def test_a_complaint_forwarded_to_a_body_is_written_in_the_bodys_language(
    cast: Cast, client: Client, smtp_server: MailServer
) -> None:
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    body.email = "pensions@example.be"
    body.language = "fr"
    body.save()
    complaint = file_complaint(client, page_language="nl", language="nl")
    handling.complaint_decide_admissibility(
        complaint=complaint,
        kind=DecisionKind.NOT_COMPETENT,
        competent_body=body,
        forwarding_consent=True,
        by=cast.manager,
    )
    [forwarded] = smtp_server.to("pensions@example.be")
    with translation.override("fr"):
        expected = translation.gettext("Complaint %(reference)s forwarded by %(organisation)s") % {
            "reference": complaint.reference,
            "organisation": "SPP Intégration sociale",
        }
    assert forwarded.message["Subject"] == expected


def test_the_administrator_edits_each_language_of_the_contact_details(cast: Cast) -> None:
    admin = cast.client_for(cast.administrator)
    with translation.override("nl"):
        url = reverse("admin:configuration_organisation_change", args=[1])
    page = admin.get(url).content.decode()
    for field in ("postal_address", "ombudsman_address", "ombudsman_website", "ombudsman_email"):
        for code in ("nl", "fr", "de", "en"):
            assert f'name="{field}_{code}"' in page, (field, code)
