"""The public API: the triage questions, filing a complaint as the web form files it, and
following it with the personal token."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail  # noqa: F401  # the outbox is checked through its rows
from django.test import Client

from complaints.models import Channel, Complaint, Message, MessageKind
from messaging.models import OutboxMessage
from tests.helpers import valid_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def file_through_api(client: Client, **overrides: Any) -> Any:
    data = valid_form(**overrides)
    return client.post("/api/v1/complaints", data)


@pytest.mark.django_db
def test_it_lists_the_triage_questions_with_where_a_yes_leads(demo: None, client: Client) -> None:
    answer = client.get("/api/v1/triage", HTTP_ACCEPT_LANGUAGE="nl")
    assert answer.status_code == 200
    questions = answer.json()
    assert questions and all(q["question"] and q["advice_if_yes"] for q in questions)
    assert answer["Content-Language"] == "nl" or "nl" in answer.get("Content-Language", "nl")


@pytest.mark.django_db
def test_it_files_a_complaint_and_queues_the_acknowledgement(demo: None, client: Client) -> None:
    answer = file_through_api(client)
    assert answer.status_code == 201, answer.content
    filed = answer.json()
    complaint = Complaint.objects.get(reference=filed["reference"])
    assert complaint.channel == Channel.WEB
    assert Message.objects.filter(complaint=complaint, kind=MessageKind.ACKNOWLEDGEMENT).exists()
    assert OutboxMessage.objects.filter(complaint=complaint).exists()
    assert filed["personal_token"] not in str(complaint.__dict__)


@pytest.mark.django_db
def test_it_keeps_an_attachment_checked_by_its_content(demo: None, client: Client) -> None:
    pdf = io.BytesIO(PDF)
    pdf.name = "brief.pdf"
    answer = file_through_api(client, attachments=pdf)
    assert answer.status_code == 201, answer.content
    complaint = Complaint.objects.get(reference=answer.json()["reference"])
    assert [a.original_name for a in complaint.attachments.all()] == ["brief.pdf"]


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_what_its_name_says(demo: None, client: Client) -> None:
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf at all")
    fake.name = "brief.pdf"
    answer = file_through_api(client, attachments=fake)
    assert answer.status_code == 422
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_it_answers_the_forms_errors_as_a_problem_in_the_requests_language(
    demo: None, client: Client
) -> None:
    answer = client.post(
        "/api/v1/complaints",
        valid_form(email="", postal_address="", description="kort"),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422 and problem["type"].endswith("/invalid")
    fields = {error["field"] for error in problem["errors"]}
    assert {"email", "postal_address", "description"} <= fields
    assert problem["title"] == "La demande n\u2019est pas valable"
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_triage_code(demo: None, client: Client) -> None:
    answer = client.post("/api/v1/complaints", valid_form(triage_yes="no-such-question"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "triage_yes"


@pytest.mark.django_db
def test_it_applies_the_webs_filing_limit_per_email_address(
    demo: None, client: Client, settings: Any
) -> None:
    settings.FILING_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert file_through_api(client).status_code == 201
    refused = file_through_api(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["type"].endswith("/rate-limited")
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_the_personal_token_shows_the_status_and_timeline(demo: None, client: Client) -> None:
    token = file_through_api(client).json()["personal_token"]
    answer = client.get("/api/v1/follow", HTTP_QUERELA_PERSONAL_TOKEN=token)
    assert answer.status_code == 200, answer.content
    followed = answer.json()
    assert followed["history"][0]["status"] == "received"
    assert followed["messages"][0]["kind"] == "acknowledgement"


@pytest.mark.django_db
def test_a_wrong_personal_token_is_a_404_and_guessing_is_limited(
    demo: None, client: Client
) -> None:
    for _ in range(20):
        assert client.get("/api/v1/follow", HTTP_QUERELA_PERSONAL_TOKEN="guess").status_code == 404
    assert client.get("/api/v1/follow", HTTP_QUERELA_PERSONAL_TOKEN="guess").status_code == 429


@pytest.mark.django_db
def test_without_a_personal_token_it_answers_401(demo: None, client: Client) -> None:
    answer = client.get("/api/v1/follow")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_request_too_large_is_a_problem_too(demo: None, client: Client, settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 100
    answer = client.post("/api/v1/complaints", valid_form(description="x" * 500))
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/too-large")
