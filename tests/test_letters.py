"""Letters composed from named parts (issue 17): the handler writes what we found, what we
changed, the question; the preview is the letter sent (over real SMTP) and shown on the
complainant's page; a letter with an empty part or a placeholder left is refused with a
translated message and nothing typed lost; a part typed in another language than the
complainant's is pointed out before sending."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints import handling
from complaints.models import Complaint, DecisionKind, MessageKind
from messaging.language import language_of
from messaging.letters import letter_problems
from messaging.models import OutboxMessage
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint, letter_fields, personal_token

pytestmark = pytest.mark.django_db(transaction=True)

FOUND = "Our counter was closed without notice on the day you came."


@pytest.fixture
def in_english(cast: Cast, client: Client) -> tuple[Complaint, str]:
    """A complaint in English, admissible, and its personal link."""
    complaint = file_complaint(client, page_language="en", language="en")
    token = personal_token(client, "en")
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    return complaint, token


def answer_url(complaint: Complaint, language: str = "en") -> str:
    with translation.override(language):
        return reverse("staff:answer", args=[complaint.pk])


def preview_of(page: str) -> str:
    shown = re.search(r'<pre class="letter-text">(.*?)</pre>', page, re.S)
    assert shown, page[:3000]
    return html.unescape(shown.group(1))


UNFOUNDED = {"outcome": "unfounded", "measure": ""}


def test_the_answer_sent_is_the_preview_with_the_parts_written(
    cast: Cast, client: Client, in_english: tuple[Complaint, str], smtp_server: MailServer
) -> None:
    complaint, token = in_english
    manager = cast.client_for(cast.manager)
    url = answer_url(complaint)
    letter = letter_fields(manager.post(url, {"step": "facts", **UNFOUNDED}).content.decode())
    assert letter["findings"] == ""  # a field to write, no "…" to overwrite
    letter["findings"] = FOUND
    preview = preview_of(manager.post(url, {"step": "preview", **UNFOUNDED, **letter}).text)
    assert FOUND in preview and "…" not in preview
    assert manager.post(url, {"step": "send", **UNFOUNDED, **letter}).status_code == 302
    stored = complaint.messages.get(kind=MessageKind.ANSWER)
    assert stored.body == preview
    [mail] = [m for m in smtp_server.to(complaint.email) if "answer" in m.message["Subject"]]
    sent = mail.text.replace("\r\n", "\n")
    assert "What we found:\n" + FOUND in sent and "…" not in sent
    # The same text, but the personal link, which only the mail holds.
    assert sent.split("https://")[0].strip() == preview.split("https://")[0].strip()
    page = client.get(reverse("portal:follow", args=[token])).content.decode()
    assert FOUND in page and "…" not in html.unescape(page)


@pytest.mark.parametrize(
    ("findings", "subject", "message"),
    [
        ("", "Our answer", "Schrijf “Wat we hebben vastgesteld”."),
        ("We looked … and found nothing.", "Our answer", "bevat nog een plaatshouder (…)"),
        (FOUND, "Our answer to {{ reference }}", "De brief bevat nog een plaatshouder ({{)"),
        (FOUND, "Our answer ...", "De brief bevat nog een plaatshouder (...)"),
    ],
)
def test_a_letter_with_an_empty_part_or_a_placeholder_is_refused_and_nothing_typed_is_lost(
    cast: Cast,
    in_english: tuple[Complaint, str],
    findings: str,
    subject: str,
    message: str,
) -> None:
    complaint, _token = in_english
    manager = cast.client_for(cast.manager)
    url = answer_url(complaint, "nl")
    for step in ("preview", "send"):
        response = manager.post(
            url, {"step": step, **UNFOUNDED, "subject": subject, "findings": findings}
        )
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert message in page, page[:4000]
        assert letter_fields(response.content.decode()) == {
            "subject": subject,
            "findings": findings,
            "changes": "",
        }
    assert not complaint.messages.filter(kind=MessageKind.ANSWER).exists()
    assert not OutboxMessage.objects.filter(subject=subject).exists()


def test_a_question_is_its_own_part_of_the_letter(
    cast: Cast, in_english: tuple[Complaint, str]
) -> None:
    complaint, _token = in_english
    manager = cast.client_for(cast.manager)
    with translation.override("en"):
        url = reverse("staff:request_information", args=[complaint.pk])
    letter = letter_fields(manager.post(url, {"step": "facts"}).content.decode())
    letter["question"] = "Which letter number did you receive?"
    assert manager.post(url, {"step": "send", **letter}).status_code == 302
    sent = complaint.messages.get(kind=MessageKind.INFORMATION_REQUEST).body
    assert "we need more information from you:\n\nWhich letter number did you receive?" in sent


def test_a_part_typed_in_another_language_is_pointed_out_before_sending(
    cast: Cast, in_english: tuple[Complaint, str]
) -> None:
    complaint, _token = in_english
    manager = cast.client_for(cast.manager)
    url = answer_url(complaint)
    dutch = {"findings": FOUND, "changes": "We hebben de openingsuren aan het loket verlengd."}
    page = manager.post(url, {"step": "preview", **UNFOUNDED, "subject": "Answer", **dutch}).text
    assert 'id="language-warning"' in page
    assert "reads as Dutch; the complainant reads English" in html.unescape(page)
    english = {"findings": FOUND, "changes": "We have extended the opening hours of the counter."}
    page = manager.post(url, {"step": "preview", **UNFOUNDED, "subject": "Answer", **english}).text
    assert 'id="language-warning"' not in page


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We hebben de wachttijd aan het loket verkort.", "nl"),
        ("Nous avons réduit le temps d'attente au guichet.", "fr"),
        ("Wir haben die Wartezeit am Schalter verkürzt.", "de"),
        ("We have shortened the waiting time at the counter.", "en"),
        ("Ok, merci.", None),  # too short to tell
    ],
)
def test_the_language_of_what_staff_type_is_told_offline(text: str, language: str | None) -> None:
    assert language_of(text) == language


def test_every_placeholder_kind_is_caught() -> None:
    for text in ("…", "...", "{{ name }}", "{% if %}", "[[name]]", "<<name>>", "TODO", "XXX"):
        assert letter_problems("answer", {"findings": "Found."}, f"Dear {text},"), text
    assert letter_problems("answer", {"findings": "Found."}, "Dear Ms Peeters,") == []
