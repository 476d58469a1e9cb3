"""The complainant's own page, through HTTP: where the complaint stands, the messages, replying
to a question, adding information, withdrawing, saying whether the answer helped, downloading
everything held about them (R10, R11, R14, E5, E9, E10, E17); and what a bad link gets."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from access.models import Role, StaffMember
from complaints.handling import (
    access_links_revoke,
    complaint_answer,
    complaint_decide_admissibility,
    complaint_request_information,
    complaint_send_interim,
    note_add,
)
from complaints.models import (
    ActorKind,
    Complaint,
    DecisionKind,
    Delivery,
    MessageKind,
    Outcome,
    Satisfaction,
    Status,
)
from configuration.dates import long_date
from configuration.models import Norm
from messaging.models import OutboxMessage
from tests.helpers import file_complaint, personal_token

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def manager(db: None) -> User:
    user = User.objects.create_user(
        "marie",
        "marie@example.org",
        "secret-password",
        first_name="Marie",
        last_name="Manager",
    )
    StaffMember.objects.create(user=user, role=Role.MANAGER)
    return user


@pytest.fixture
def filed(client: Client) -> tuple[Complaint, str]:
    """A complaint filed through the French form, and the token of its personal link."""
    complaint = file_complaint(client)
    token = personal_token(client)
    return complaint, token


def url(token: str, action: str = "", language: str = "fr") -> str:
    return f"/{language}/follow/{token}/{action + '/' if action else ''}"


def page(client: Client, token: str, language: str = "fr") -> str:
    response = client.get(url(token, language=language))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def french(message: str) -> str:
    with translation.override("fr"):
        return escape(translation.gettext(message))


def french_date(value: datetime.date) -> str:
    return long_date(value, "fr")


def in_handling(complaint: Complaint, manager: User) -> Complaint:
    complaint_decide_admissibility(complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=manager)
    complaint.refresh_from_db()
    return complaint


def answered(complaint: Complaint, manager: User) -> Complaint:
    complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=in_handling(complaint, manager),
        outcome=Outcome.UNFOUNDED,
        by=manager,
    )
    complaint.refresh_from_db()
    return complaint


# Seeing where the complaint stands


def test_the_page_shows_reference_received_date_status_and_answer_date(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    html = page(client, token)
    assert complaint.reference in html
    assert french_date(timezone.localdate(complaint.received_at)) in html
    assert french("We have received your complaint.") in html
    assert french_date(complaint.answer_due) in html
    assert french_date(complaint.acknowledgement_due) in html


def test_the_status_is_told_in_plain_words_not_the_staff_label(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    complaint_request_information(
        complaint=in_handling(complaint, manager),
        parts={"question": "Welk briefnummer?"},
        by=manager,
    )
    html = page(client, token)
    assert french("We are waiting for information from you.") in html
    assert french("Answer our question") in html


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_page_is_there_in_every_language(
    client: Client, filed: tuple[Complaint, str], language: str
) -> None:
    complaint, token = filed
    html = page(client, token, language)
    assert f'<html lang="{language}">' in html
    assert complaint.reference in html


def test_every_message_the_service_sent_is_shown(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    complaint_request_information(
        complaint=in_handling(complaint, manager),
        subject="Une question sur votre courrier",
        body="Pouvez-vous nous envoyer une copie de votre courrier du 3 août ?",
        by=manager,
    )
    html = page(client, token)
    for message in complaint.messages.all():
        assert escape(message.subject) in html
    assert escape("Pouvez-vous nous envoyer une copie de votre courrier du 3 août ?") in html
    assert complaint.messages.filter(kind=MessageKind.ACKNOWLEDGEMENT).exists()


def test_an_interim_message_shows_the_new_date_and_its_reason(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    previous = complaint.answer_due
    new_due = previous + datetime.timedelta(days=10)
    complaint_send_interim(
        complaint=complaint,
        new_due=new_due,
        by=manager,
        reason="Nous attendons l'avis du service juridique.",
    )
    html = page(client, token)
    answer_due = re.search(r'<dd class="answer-due">(.*?)</dd>', html)
    assert answer_due is not None and answer_due.group(1) == french_date(new_due)
    extension = re.search(r'<li class="extension">(.*?)</li>', html, re.S)
    assert extension is not None
    assert french_date(previous) in extension.group(1)
    assert french_date(new_due) in extension.group(1)
    assert escape("Nous attendons l'avis du service juridique.") in extension.group(1)


# Answering a question, adding information


def test_a_reply_to_a_request_for_information_puts_the_complaint_back_in_handling(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    complaint_request_information(
        complaint=in_handling(complaint, manager),
        parts={"question": "Welk briefnummer?"},
        by=manager,
    )
    response = client.post(url(token, "reply"), {"text": "Voici la copie demandée."})
    assert response.status_code == 302
    assert response["Location"] == url(token) + "#correspondence"
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
    reply = complaint.messages.get(from_complainant=True)
    assert (reply.kind, reply.body, reply.delivery) == (
        MessageKind.REPLY,
        "Voici la copie demandée.",
        Delivery.NONE,
    )
    last = complaint.history.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor_kind) == (
        Status.WAITING_FOR_COMPLAINANT,
        Status.IN_HANDLING,
        ActorKind.COMPLAINANT,
    )
    html = page(client, token)
    assert "Voici la copie demandée." in html
    assert french("We are handling your complaint.") in html


def test_information_added_with_an_attachment_is_kept_with_its_message(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    response = client.post(
        url(token, "reply"),
        {
            "text": "J'ai reçu une nouvelle lettre.",
            "attachments": [SimpleUploadedFile("lettre.pdf", PDF, content_type="text/plain")],
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED  # nobody was waiting for it
    addition = complaint.messages.get(from_complainant=True)
    assert addition.kind == MessageKind.ADDITION
    attachment = addition.attachments.get()
    # The type comes from the content, not from what the browser claimed.
    assert (attachment.original_name, attachment.content_type) == ("lettre.pdf", "application/pdf")
    assert not attachment.from_staff
    html = page(client, token)
    link = f"/fr/follow/{token}/attachments/{attachment.pk}/"
    assert link in html
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]  # FileResponse
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")


def test_an_attachment_that_is_not_what_it_claims_is_refused_and_the_text_kept(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    response = client.post(
        url(token, "reply"),
        {
            "text": "Voir la pièce jointe.",
            "attachments": [
                SimpleUploadedFile(
                    "lettre.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
                )
            ],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert escape("lettre.pdf") in html
    assert "Voir la pièce jointe." in html
    assert not complaint.messages.filter(from_complainant=True).exists()
    assert not complaint.attachments.exists()


def test_a_valid_attachment_survives_a_reply_that_comes_back(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    first = client.post(
        url(token, "reply"),
        {
            "text": "Voir les pièces jointes.",
            "attachments": [
                SimpleUploadedFile("photo.png", PNG),
                SimpleUploadedFile("virus.pdf", b"not a pdf at all"),
            ],
        },
    )
    assert first.status_code == 200
    kept = re.search(r'name="keep_upload" value="(\d+)"', first.content.decode())
    assert kept is not None
    second = client.post(
        url(token, "reply"),
        {
            "text": "Voir la photo.",
            "keep_upload": [kept.group(1)],
        },
    )
    assert second.status_code == 302
    attachment = complaint.messages.get(from_complainant=True).attachments.get()
    assert attachment.original_name == "photo.png"
    assert attachment.file.read() == PNG


def test_an_empty_reply_says_what_is_missing(client: Client, filed: tuple[Complaint, str]) -> None:
    complaint, token = filed
    response = client.post(url(token, "reply"), {"text": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert french("Write a message or attach a file.") in html
    assert 'href="#id_text"' in html
    assert not complaint.messages.filter(from_complainant=True).exists()


# Withdrawing


def test_withdrawing_asks_first_then_closes_the_complaint_and_confirms_it(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    confirm = client.get(url(token, "withdraw"))
    assert confirm.status_code == 200
    assert french("Yes, withdraw my complaint") in confirm.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED  # looking at the question changes nothing

    response = client.post(url(token, "withdraw"), {"reason": "Le problème est réglé."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    assert complaint.closed_at is not None
    last = complaint.history.last()
    assert last is not None
    assert (last.to_status, last.actor_kind, last.note) == (
        Status.WITHDRAWN,
        ActorKind.COMPLAINANT,
        "Le problème est réglé.",
    )
    confirmation = complaint.messages.get(kind=MessageKind.WITHDRAWAL)
    assert complaint.reference in confirmation.subject
    assert OutboxMessage.objects.filter(case_message=confirmation, to=complaint.email).exists()

    html = page(client, token)
    assert french("You have withdrawn your complaint.") in html
    assert url(token, "reply") not in html
    assert url(token, "withdraw") not in html


def test_a_closed_complaint_takes_no_more_information_and_cannot_be_withdrawn_again(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    complaint, token = filed
    client.post(url(token, "withdraw"), {})
    response = client.post(url(token, "reply"), {"text": "Encore une chose."}, follow=True)
    assert french("Your complaint is closed: you can no longer add information to it.") in (
        response.content.decode()
    )
    assert not complaint.messages.filter(from_complainant=True).exists()
    again = client.post(url(token, "withdraw"), {}, follow=True)
    assert french("Your complaint is already closed.") in again.content.decode()
    assert complaint.messages.filter(kind=MessageKind.WITHDRAWAL).count() == 1


# Satisfaction


def test_satisfied_is_recorded_without_the_not_satisfied_route(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    answered(complaint, manager)
    html = page(client, token)
    assert french("Are you satisfied with how we handled your complaint?") in html
    response = client.post(
        url(token, "satisfaction"),
        {
            "satisfied": "yes",
            "helped": "yes",
            "comment": "Merci pour la réponse rapide.",
        },
    )
    assert response.status_code == 302
    satisfaction = Satisfaction.objects.get(complaint=complaint)
    assert (satisfaction.satisfied, satisfaction.helped, satisfaction.comment) == (
        True,
        "yes",
        "Merci pour la réponse rapide.",
    )
    html = client.get(response["Location"]).content.decode()
    assert french("You told us that you are satisfied. Thank you.") in html
    assert "not-satisfied" not in html


def test_not_satisfied_is_recorded_and_shows_the_ombudsman_with_contact_details(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    answered(complaint, manager)
    response = client.post(url(token, "satisfaction"), {"satisfied": "no", "helped": "partly"})
    assert response.status_code == 302
    assert response["Location"].endswith("#ombudsman")
    satisfaction = Satisfaction.objects.get(complaint=complaint)
    assert (satisfaction.satisfied, satisfaction.helped) == (False, "partly")
    html = client.get(response["Location"]).content.decode()
    route = html.split('id="ombudsman"')[1].split("</section>")[0]
    assert "not-satisfied" in html
    for detail in (
        "https://www.mediateurfederal.be",
        "rue de Louvain 48 boîte 6, 1000 Bruxelles",
        "0800 99 961",
        "contact@mediateurfederal.be",
    ):
        assert detail in route, detail


def test_the_complainant_may_change_their_mind(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    answered(complaint, manager)
    client.post(url(token, "satisfaction"), {"satisfied": "yes"})
    client.post(url(token, "satisfaction"), {"satisfied": "no", "comment": "Finalement non."})
    satisfaction = Satisfaction.objects.get(complaint=complaint)
    assert (satisfaction.satisfied, satisfaction.comment) == (False, "Finalement non.")


def test_satisfaction_is_asked_also_after_a_refusal(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.INADMISSIBLE, grounds=["G3"], by=manager
    )
    assert french("Are you satisfied with how we handled your complaint?") in page(client, token)
    client.post(url(token, "satisfaction"), {"satisfied": "no"})
    assert Satisfaction.objects.get(complaint=complaint).satisfied is False


def test_satisfaction_is_not_asked_before_the_answer(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    _complaint, token = filed
    html = page(client, token)
    assert url(token, "satisfaction") not in html
    response = client.post(url(token, "satisfaction"), {"satisfied": "no"}, follow=True)
    assert (
        french("You can tell us whether you are satisfied once you have received our answer.")
        in response.content.decode()
    )
    assert not Satisfaction.objects.exists()


def test_the_satisfaction_question_needs_an_answer(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    answered(complaint, manager)
    response = client.post(url(token, "satisfaction"), {"comment": "Bof."})
    assert response.status_code == 200
    html = response.content.decode()
    assert french("Say whether you are satisfied.") in html
    assert 'href="#id_satisfied_0"' in html
    assert not Satisfaction.objects.exists()


# Everything held about them (E17)


def test_the_export_holds_everything_about_them_but_no_notes_or_staff_names(
    client: Client, manager: User
) -> None:
    complaint = file_complaint(
        client,
        desired_outcome="Une réponse.",
        own_reference="DOS-42",
        attachments=[SimpleUploadedFile("courrier.pdf", PDF)],
    )
    token = personal_token(client)
    note_add(complaint=complaint, text="Dossier délicat, voir avec le juriste.", by=manager)
    complaint_send_interim(
        complaint=complaint,
        reason="Avis juridique attendu.",
        new_due=complaint.answer_due + datetime.timedelta(days=7),
        by=manager,
    )
    complaint_request_information(
        complaint=in_handling(complaint, manager),
        parts={"question": "Welk briefnummer?"},
        by=manager,
    )
    client.post(
        url(token, "reply"),
        {
            "text": "Voici la photo.",
            "attachments": [SimpleUploadedFile("photo.png", PNG)],
        },
    )
    norm = Norm.objects.get(code="reasonable-time")
    complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.PARTIALLY_FOUNDED,
        norms=[norm],
        measure="Un rappel automatique a été mis en place.",
        by=manager,
    )
    client.post(url(token, "satisfaction"), {"satisfied": "no", "comment": "Trop tard."})

    response = client.get(url(token, "export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert complaint.reference in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data: dict[str, Any] = json.loads(archive.read("complaint.json"))

    assert data["reference"] == complaint.reference
    assert data["complainant"]["last_name"] == "Dupont"
    assert data["complainant"]["email"] == "anne.dupont@example.be"
    assert data["facts"]["description"] == complaint.description
    assert data["facts"]["desired_outcome"] == "Une réponse."
    assert data["facts"]["own_reference"] == "DOS-42"
    assert data["triage_answers"] == complaint.triage_answers
    assert [change["to"] for change in data["status_history"]] == [
        "received",
        "in_handling",
        "waiting",
        "in_handling",
        "answered",
    ]
    assert all(change["at"] for change in data["status_history"])
    kinds = [(m["direction"], m["kind"]) for m in data["messages"]]
    assert ("to_complainant", "acknowledgement") in kinds
    assert ("to_complainant", "interim") in kinds
    assert ("to_complainant", "information_request") in kinds
    assert ("from_complainant", "reply") in kinds
    assert ("to_complainant", "answer") in kinds
    assert data["extensions"][0]["reason"] == "Avis juridique attendu."
    assert data["decisions"][0]["kind"] == "admissible"
    assert data["final_answer"]["outcome"] == "partially_founded"
    assert data["final_answer"]["norms_breached"][0]["code"] == "reasonable-time"
    assert data["final_answer"]["measure"] == "Un rappel automatique a été mis en place."
    assert (data["satisfaction"]["satisfied"], data["satisfaction"]["comment"]) == (
        False,
        "Trop tard.",
    )

    files = {entry["original_name"]: entry["file"] for entry in data["attachments"]}
    assert set(files) == {"courrier.pdf", "photo.png"}
    assert archive.read(files["courrier.pdf"]) == PDF
    assert archive.read(files["photo.png"]) == PNG
    assert all(name.startswith("attachments/") for name in files.values())
    reply = next(m for m in data["messages"] if m["kind"] == "reply")
    assert reply["attachments"] == [files["photo.png"]]

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", "replace"
    )
    assert "Dossier délicat" not in everything
    assert "Marie" not in everything
    assert "Manager" not in everything
    assert "marie@example.org" not in everything


# Bad links


def test_an_unknown_link_gives_a_clear_page_pointing_to_the_lost_link_form(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    response = client.get(url("this-is-not-a-real-token"))
    assert response.status_code == 404
    html = response.content.decode()
    assert french("This link does not work") in html
    assert 'href="/fr/follow/lost/"' in html
    assert '<html lang="fr">' in html


def test_a_revoked_link_stops_working(
    client: Client, filed: tuple[Complaint, str], manager: User
) -> None:
    complaint, token = filed
    assert client.get(url(token)).status_code == 200
    access_links_revoke(complaint=complaint, by=manager)
    response = client.get(url(token))
    assert response.status_code == 404
    assert french("This link does not work") in response.content.decode()


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("get", "withdraw"),
        ("post", "withdraw"),
        ("post", "reply"),
        ("post", "satisfaction"),
        ("get", "export"),
        ("get", "attachments/1"),
    ],
)
def test_every_action_on_a_bad_link_gives_the_same_clear_page(
    client: Client, method: str, action: str
) -> None:
    response = getattr(client, method)(url("not-a-token", action))
    assert response.status_code == 404
    assert french("This link does not work") in response.content.decode()


def test_another_complaints_attachment_is_out_of_reach(client: Client) -> None:
    file_complaint(client, attachments=[SimpleUploadedFile("autre.pdf", PDF)])
    other = Complaint.objects.get().attachments.get()
    file_complaint(client, email="bob@example.be")
    token = personal_token(client)
    assert client.get(url(token, f"attachments/{other.pk}")).status_code == 404


def test_guessing_links_is_stopped_after_twenty_failures(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    _complaint, token = filed
    for attempt in range(20):
        assert client.get(url(f"guess-{attempt}")).status_code == 404
    response = client.get(url("guess-21"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert french("Too many attempts") in response.content.decode()
    # The real link is refused too from there: otherwise guessing would still pay off.
    assert client.get(url(token)).status_code == 429
    # Another address is not affected.
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.7")
    assert other.get(url(token)).status_code == 200


def test_good_links_do_not_count_towards_the_limit(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    _complaint, token = filed
    for _ in range(25):
        assert client.get(url(token)).status_code == 200


def test_pages_behind_a_link_are_never_cached_nor_leak_the_link(
    client: Client, filed: tuple[Complaint, str]
) -> None:
    _complaint, token = filed
    response = client.get(url(token))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_the_proxy_the_limit_counts_the_address_the_proxy_saw(
    client: Client, filed: tuple[Complaint, str], settings: Any
) -> None:
    settings.BEHIND_TLS_PROXY = True
    _complaint, token = filed
    guesser = Client(
        HTTP_HOST="localhost", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    for attempt in range(21):
        guesser.get(url(f"guess-{attempt}"))
    assert guesser.get(url(token)).status_code == 429
    # A forged first hop does not help: the proxy appends the real address last.
    forging = Client(
        HTTP_HOST="localhost",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert forging.get(url(token)).status_code == 429
    # Someone else behind the same proxy is not affected.
    neighbour = Client(
        HTTP_HOST="localhost", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert neighbour.get(url(token)).status_code == 200
