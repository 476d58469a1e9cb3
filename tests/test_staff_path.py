"""The whole path through HTTP: a complaint registered by phone, decided admissible, assigned,
a question to the complainant and their reply, an interim message, the final answer. Every
e-mail reaches a real SMTP server in the complainant's language; the answer carries the
Federal Ombudsman route."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint, FinalAnswer, Message, MessageKind, Status
from configuration.dates import long_date
from configuration.models import Category, Norm, TriageQuestion, Unit
from tests.conftest import Cast, MailServer
from tests.helpers import letter_fields

pytestmark = pytest.mark.django_db(transaction=True)


def compose_and_send(client: Client, url: str, facts: dict[str, object], edit: str = "") -> None:
    """The facts, the letter's part written (``edit``), the preview, then send: the letter
    stored is the one previewed."""
    draft = client.post(url, {"step": "facts", **facts})
    assert draft.status_code == 200, draft.content.decode()[:3000]
    letter = letter_fields(draft.content.decode())
    for name in ("question", "findings"):
        if name in letter:
            letter[name] = edit
    preview = client.post(url, {"step": "preview", **facts, **letter})
    shown = re.search(r'<pre class="letter-text">(.*?)</pre>', preview.content.decode(), re.S)
    assert shown and edit in shown.group(1)
    sent = client.post(url, {"step": "send", **facts, **letter})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    stored = Message.objects.filter(from_complainant=False).order_by("pk").last()
    assert stored is not None and stored.body == html.unescape(shown.group(1))


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_a_phone_complaint_from_registration_to_the_final_answer(
    cast: Cast, smtp_server: MailServer
) -> None:
    manager = cast.client_for(cast.manager)
    handler = cast.client_for(cast.handler)
    address = "jana.novak@example.de"
    received_on = timezone.localdate() - datetime.timedelta(days=1)

    # Registered by the manager after a phone call, received yesterday.
    response = manager.post(
        reverse("staff:register"),
        {
            "channel": "phone",
            "received_on": received_on.isoformat(),
            "complainant_kind": "person",
            "first_name": "Jana",
            "last_name": "Novak",
            "email": address,
            "language": "de",
            "category": Category.objects.get(code="behaviour").pk,
            "facts_start": received_on.isoformat(),
            "description": "Der Mitarbeiter am Telefon war unfreundlich und legte einfach auf.",
            "triage": [],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone"
    assert timezone.localdate(complaint.received_at) == received_on
    assert complaint.triage_answers == dict.fromkeys(
        TriageQuestion.objects.values_list("code", flat=True), False
    )
    [acknowledgement] = smtp_server.to(address)
    assert complaint.reference in acknowledgement.text
    assert gettext_in("de", "Reference") in acknowledgement.text

    # Admissible, then assigned to the front office's handler.
    manager.post(
        reverse("staff:admissibility", args=[complaint.pk]), {"step": "facts", "kind": "admissible"}
    )
    unit = Unit.objects.get(code="front-office")
    response = manager.post(
        reverse("staff:assign", args=[complaint.pk]), {"unit": unit.pk, "handler": cast.handler.pk}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.unit, complaint.handler) == (
        Status.IN_HANDLING,
        unit,
        cast.handler,
    )

    # The handler asks for more information; the complainant answers through their link.
    compose_and_send(
        handler,
        reverse("staff:request_information", args=[complaint.pk]),
        {},
        edit="Wann genau fand das Gespräch statt?",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.WAITING_FOR_COMPLAINANT
    question = smtp_server.to(address)[-1].text
    assert "Wann genau fand das Gespräch statt?" in question
    link = re.search(r"http://testserver(/de/follow/[^/\s]+/)", question)
    assert link is not None
    complainant = Client(HTTP_HOST="localhost")
    reply = complainant.post(link.group(1) + "reply/", {"text": "Am Montag gegen 10 Uhr."})
    assert reply.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
    assert complaint.messages.get(kind=MessageKind.REPLY).body == "Am Montag gegen 10 Uhr."
    assert (
        "Am Montag gegen 10 Uhr."
        in handler.get(reverse("staff:complaint", args=[complaint.pk])).content.decode()
    )
    [told] = smtp_server.to("behandelaar@example.org")  # the handler hears of the reply
    assert complaint.reference in told.text
    assert f"/nl/staff/complaints/{complaint.pk}/" in told.text

    # The answer will be late: an interim message with the reason and the new date.
    new_due = complaint.answer_due + datetime.timedelta(days=10)
    compose_and_send(
        handler,
        reverse("staff:interim", args=[complaint.pk]),
        {"reason": "Wir müssen den Mitarbeiter anhören.", "new_due": new_due.isoformat()},
    )
    complaint.refresh_from_db()
    assert complaint.answer_due == new_due
    interim = smtp_server.to(address)[-1].text
    assert "Wir müssen den Mitarbeiter anhören." in interim
    assert long_date(new_due, "de") in interim

    # The final answer: founded, a norm breached, the measure taken.
    norm = Norm.objects.get(code="correct-treatment")
    compose_and_send(
        handler,
        reverse("staff:answer", args=[complaint.pk]),
        {
            "outcome": "founded",
            "norms": [norm.pk],
            "measure": "Der Mitarbeiter erhält eine Schulung im Umgang mit Anrufern.",
        },
        edit="Wir haben mit dem Mitarbeiter gesprochen.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert complaint.answered_at is not None and complaint.closed_at is not None
    answer = FinalAnswer.objects.get(complaint=complaint)
    assert list(answer.norms_breached.all()) == [norm]
    letter = smtp_server.to(address)[-1]
    text = letter.text
    assert "Wir haben mit dem Mitarbeiter gesprochen." in text
    assert "Der Mitarbeiter erhält eine Schulung im Umgang mit Anrufern." in text
    assert norm.translated("label", "de") in text
    # The Federal Ombudsman route, with its contact details, in German.
    assert "der Föderale Ombudsmann" in text
    for detail in (
        "https://www.federalombudsman.be/de",
        "Löwener Straße 48 Box 6, 1000 Brüssel",
        "0800 99 961",
        "contact@federaalombudsman.be",
    ):
        assert detail in text
    assert letter.message["Content-Language"] == "de"
    assert len(smtp_server.to(address)) == 4  # acknowledgement, question, interim, answer


def test_a_complaint_without_e_mail_gets_its_acknowledgement_as_a_letter_to_print(
    cast: Cast, smtp_server: MailServer
) -> None:
    manager = cast.client_for(cast.manager)
    manager.post(
        reverse("staff:register"),
        {
            "channel": "letter",
            "received_on": timezone.localdate().isoformat(),
            "complainant_kind": "person",
            "first_name": "Marc",
            "last_name": "Lambert",
            "postal_address": "Rue Haute 1\n1000 Bruxelles",
            "language": "fr",
            "category": Category.objects.get(code="waiting-time").pk,
            "facts_start": timezone.localdate().isoformat(),
            "description": "J'attends une réponse depuis trois mois à ma lettre recommandée.",
        },
    )
    complaint = Complaint.objects.get()
    letter = complaint.messages.get(kind=MessageKind.ACKNOWLEDGEMENT)
    assert letter.delivery == "letter"
    assert smtp_server.mails == []
    printable = manager.get(reverse("staff:letter", args=[complaint.pk, letter.pk]))
    page = printable.content.decode()
    assert complaint.reference in page and "Rue Haute 1" in page
    assert '<html lang="fr">' in page
    assert complaint.status == Status.RECEIVED
    manager.post(reverse("staff:letter_posted", args=[complaint.pk, letter.pk]))
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED
    assert complaint.acknowledged_at is not None


def test_the_person_a_complaint_is_about_cannot_be_assigned(cast: Cast) -> None:
    manager = cast.client_for(cast.manager)
    manager.post(
        reverse("staff:register"),
        {
            "channel": "counter",
            "received_on": timezone.localdate().isoformat(),
            "complainant_kind": "person",
            "first_name": "Eva",
            "last_name": "Smet",
            "email": "eva@example.be",
            "language": "nl",
            "category": Category.objects.get(code="behaviour").pk,
            "facts_start": timezone.localdate().isoformat(),
            "description": "De medewerker aan het onthaal was onbeleefd tegen mij.",
        },
    )
    complaint = Complaint.objects.get()
    manager.post(
        reverse("staff:concerned_staff", args=[complaint.pk]), {"concerned_staff": cast.handler.pk}
    )
    response = manager.post(
        reverse("staff:assign", args=[complaint.pk]),
        {"unit": Unit.objects.get(code="front-office").pk, "handler": cast.handler.pk},
    )
    assert response.status_code == 200
    assert "Peeters" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler is None


def test_a_founded_answer_without_the_norms_breached_is_refused_with_a_message(
    cast: Cast, client: Client
) -> None:
    from tests.helpers import file_complaint

    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(status="in_handling")
    manager = cast.client_for(cast.manager)
    with translation.override("en"):
        url = reverse("staff:answer", args=[complaint.pk])
    response = manager.post(
        url,
        {
            "step": "send",
            "outcome": "founded",
            "measure": "",
            "subject": "Antwoord",
            "findings": "Tekst",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say which norms of good administration were breached." in page
    assert "<h1>Final answer</h1>" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
