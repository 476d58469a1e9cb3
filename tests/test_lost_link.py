""" "I lost my link": a fresh personal link goes to the complaint's e-mail address when the
reference and the address match, over a real SMTP server; the page never tells whether a
reference exists; the form cannot be used to flood anyone's mailbox."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from complaints.models import Complaint
from tests.conftest import MailServer
from tests.helpers import file_complaint

# Transactional: mail leaves when the transaction commits, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

EMAIL = "anne.dupont@example.be"


@pytest.fixture
def complaint(client: Client, smtp_server: MailServer) -> Complaint:
    filed = file_complaint(client, "fr", language="nl", email=EMAIL)
    assert len(smtp_server.to(EMAIL)) == 1  # the acknowledgement
    return filed


def ask(client: Client, reference: str, email: str, language: str = "en") -> tuple[int, str, str]:
    """Posts the form; returns the status, where it leads and the page it leads to."""
    response = client.post(f"/{language}/follow/lost/", {"reference": reference, "email": email})
    location = response.get("Location", "")
    page = client.get(location).content.decode() if location else response.content.decode()
    return response.status_code, location, page


def english(message: str) -> str:
    with translation.override("en"):
        return escape(translation.gettext(message))


def test_the_form_is_there_in_every_language(client: Client) -> None:
    for language in ("nl", "fr", "de", "en"):
        response = client.get(f"/{language}/follow/lost/")
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


def test_a_matching_reference_and_address_get_a_fresh_working_link_by_mail(
    client: Client, smtp_server: MailServer, complaint: Complaint
) -> None:
    # Typed the way people type: spaces around, the address in other capitals.
    status, location, page = ask(client, f"  {complaint.reference} ", "  Anne.Dupont@Example.BE ")
    assert (status, location) == (302, "/en/follow/lost/sent/")
    assert english("Check your e-mail") in page

    acknowledgement, new_link = smtp_server.to(EMAIL)
    assert complaint.reference in new_link.message["Subject"]
    assert new_link.message["Content-Language"] == "nl"  # the complainant's language
    match = re.search(r"http://testserver(/nl/follow/[\w-]+/)", new_link.text)
    assert match is not None, new_link.text
    path = match.group(1)
    assert path not in acknowledgement.text  # a new link, not the old one again

    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200
    assert complaint.reference in response.content.decode()
    assert complaint.tokens.count() == 2
    assert complaint.messages.filter(kind="new_link").count() == 1


def test_a_wrong_address_and_an_unknown_reference_get_the_same_page_and_no_mail(
    client: Client, smtp_server: MailServer, complaint: Complaint
) -> None:
    wrong_address = ask(client, complaint.reference, "someone.else@example.be")
    unknown_reference = ask(client, "2020-999999", EMAIL)
    matching = ask(client, complaint.reference, EMAIL)
    assert wrong_address == unknown_reference == matching
    assert len(smtp_server.mails) == 2  # the acknowledgement and the one that matched
    assert smtp_server.to("someone.else@example.be") == []


def test_a_complaint_without_an_email_address_gets_no_mail(
    client: Client, smtp_server: MailServer
) -> None:
    filed = file_complaint(client, email="", postal_address="Rue Haute 1\n1000 Bruxelles")
    status, _location, _page = ask(client, filed.reference, "")
    assert status == 200  # the address is required: the form says so
    assert ask(client, filed.reference, "anne@example.be")[1] == "/en/follow/lost/sent/"
    assert smtp_server.mails == []
    assert filed.tokens.count() == 1


def test_the_form_explains_what_is_missing(client: Client) -> None:
    response = client.post("/en/follow/lost/", {"reference": "", "email": "anne@"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert english("Enter the reference of your complaint.") in html
    assert english("Enter an e-mail address such as name@example.be.") in html


def test_asking_is_limited_to_five_times_an_hour_per_address(
    client: Client, smtp_server: MailServer, complaint: Complaint
) -> None:
    for _ in range(5):
        assert ask(client, "2020-999999", EMAIL)[0] == 302
    response = client.post("/en/follow/lost/", {"reference": complaint.reference, "email": EMAIL})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert english("Too many attempts") in response.content.decode()
    assert len(smtp_server.to(EMAIL)) == 1  # only the acknowledgement
    # The form itself can still be read, and another address may still ask.
    assert client.get("/en/follow/lost/").status_code == 200
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.8")
    assert (
        other.post(
            "/en/follow/lost/", {"reference": complaint.reference, "email": EMAIL}
        ).status_code
        == 302
    )
    assert len(smtp_server.to(EMAIL)) == 2
