"""The complainant's personal link is a secret only they hold (E17): the database keeps its
hash, never the link; mail and letters get it as they leave; staff pages and the admin never
show it; the confirmation page shows it once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from complaints.models import LINK_MASK, Complaint, MessageKind
from configuration.models import Category
from messaging.outbox import outbox_deliver_due
from tests.conftest import Cast, MailServer
from tests.database import where_found
from tests.helpers import file_complaint, personal_token
from tests.test_staff_path import compose_and_send

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://testserver/[a-z]{2}/follow/([^/\s\"<]+)/")


def tokens_in(text: str) -> set[str]:
    return set(LINK.findall(text))


def works(token: str) -> bool:
    return Client(HTTP_HOST="localhost").get(f"/fr/follow/{token}/").status_code == 200


def test_no_table_holds_a_working_link_after_filing_a_reply_a_letter_and_an_answer(
    cast: Cast, client: Client, smtp_server: MailServer
) -> None:
    manager = cast.client_for(cast.manager)
    complaint = file_complaint(client, email="anne.dupont@example.be")
    tokens = {personal_token(client)}

    # A question, the complainant's reply through the link, the final answer.
    manager.post(
        reverse("staff:admissibility", args=[complaint.pk]), {"step": "facts", "kind": "admissible"}
    )
    compose_and_send(
        manager, reverse("staff:request_information", args=[complaint.pk]), {}, "Quand ?"
    )
    [reply_link] = tokens_in(smtp_server.mails[-1].text)
    assert client.post(f"/fr/follow/{reply_link}/reply/", {"text": "Lundi."}).status_code == 302
    compose_and_send(
        manager,
        reverse("staff:answer", args=[complaint.pk]),
        {"outcome": "unfounded", "measure": ""},
        "Voici notre réponse.",
    )

    # A complaint without an e-mail address: its acknowledgement is a letter to print.
    manager.post(
        reverse("staff:register"),
        {
            "channel": "letter",
            "received_on": complaint.received_at.date().isoformat(),
            "complainant_kind": "person",
            "first_name": "Marc",
            "last_name": "Lambert",
            "postal_address": "Rue Haute 1\n1000 Bruxelles",
            "language": "fr",
            "category": Category.objects.get(code="waiting-time").pk,
            "facts_start": complaint.received_at.date().isoformat(),
            "description": "J'attends une réponse depuis trois mois à ma lettre recommandée.",
        },
    )
    by_post = Complaint.objects.get(last_name="Lambert")
    letter = by_post.messages.get(kind=MessageKind.ACKNOWLEDGEMENT)
    printed = manager.get(reverse("staff:letter", args=[by_post.pk, letter.pk])).content.decode()

    for mail in smtp_server.to("anne.dupont@example.be"):
        tokens |= tokens_in(mail.text) | tokens_in(mail.html)
    tokens |= tokens_in(printed)
    assert len(tokens) == 4  # filing (page and acknowledgement), question, answer, letter
    assert all(works(token) for token in tokens)
    assert where_found(*tokens) == []

    # Staff see the messages with the link masked; the letter to print alone carries one,
    # until it is marked as posted.
    page = manager.get(reverse("staff:complaint", args=[complaint.pk])).content.decode()
    assert LINK_MASK in page
    assert not any(token in page for token in tokens)
    manager.post(reverse("staff:letter_posted", args=[by_post.pk, letter.pk]))
    reprinted = manager.get(reverse("staff:letter", args=[by_post.pk, letter.pk]))
    assert tokens_in(reprinted.content.decode()) == {LINK_MASK}


def test_the_confirmation_shows_the_reference_and_link_once(client: Client, demo: None) -> None:
    complaint = file_complaint(client)
    first = client.get("/fr/complaint/filed/")
    assert complaint.reference in first.content.decode()
    assert 'class="follow-link"' in first.content.decode()
    assert "no-store" in first["Cache-Control"]

    again = client.get("/fr/complaint/filed/")  # the next person at the library's computer
    assert again.status_code == 200
    assert complaint.reference not in again.content.decode()
    assert "/follow/" not in again.content.decode()


def test_the_session_holds_no_token_between_filing_and_the_confirmation(
    client: Client, demo: None
) -> None:
    file_complaint(client)
    [access] = Complaint.objects.get().tokens.all()
    token = access.token
    assert where_found(token) == []
    assert personal_token(client) == token


def test_a_link_waiting_in_the_outbox_survives_a_rotated_secret_key(
    client: Client, demo: None, smtp_down: MailServer, settings: Settings
) -> None:
    file_complaint(client)
    [access] = Complaint.objects.get().tokens.all()
    issued = access.token
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    access.refresh_from_db()
    assert access.token == issued
    smtp_down.start()
    try:
        assert outbox_deliver_due(now=timezone.now() + datetime.timedelta(minutes=1)) == 1
        assert issued in smtp_down.mails[0].text
    finally:
        smtp_down.stop()


def test_the_complainant_reads_their_messages_with_a_link_that_works(
    client: Client, demo: None
) -> None:
    file_complaint(client)
    token = personal_token(client)
    page = client.get(f"/fr/follow/{token}/").content.decode()
    assert LINK_MASK not in page
    assert f"http://testserver/fr/follow/{token}/" in page
