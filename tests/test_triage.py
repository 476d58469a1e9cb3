"""The triage before the form (R8, E2): each answer routes, explains, and still lets one file."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from complaints.models import Complaint
from configuration.models import Ground, TriageQuestion
from tests.helpers import triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")


def test_the_triage_asks_every_active_question(client: Client) -> None:
    response = client.get("/nl/complaint/")
    html = response.content.decode()
    for question in TriageQuestion.objects.filter(active=True):
        assert escape(question.translated("question", "nl")) in html


def test_all_no_goes_straight_to_the_form(client: Client) -> None:
    response = client.post("/nl/complaint/", triage_answers())
    assert response.status_code == 302
    assert response["Location"] == "/nl/complaint/form/"


@pytest.mark.parametrize(
    ("code", "ground"),
    [
        ("appeal", Ground.APPEAL_EXISTS),
        ("other-body", Ground.NOT_COMPETENT),
        ("information", ""),
        ("court", Ground.IN_COURT),
        ("ombudsman", Ground.WITH_OMBUDSMAN),
        ("policy", Ground.POLICY),
        ("regulations", Ground.REGULATIONS),
    ],
)
def test_a_yes_shows_where_to_go_and_still_lets_one_file(
    client: Client, code: str, ground: str
) -> None:
    question = TriageQuestion.objects.get(code=code)
    assert question.ground == ground
    answers = triage_answers()
    answers[code] = "yes"
    response = client.post("/fr/complaint/", answers)
    assert response["Location"] == "/fr/complaint/advice/"
    advice = client.get("/fr/complaint/advice/").content.decode()
    assert escape(question.translated("advice", "fr")[:60]) in advice
    assert 'href="/fr/complaint/form/"' in advice
    # The other questions' advice is not shown.
    for other in TriageQuestion.objects.exclude(code=code):
        assert escape(other.translated("advice", "fr")[:60]) not in advice


def test_the_answers_are_stored_with_the_complaint(client: Client) -> None:
    answers = triage_answers()
    answers["appeal"] = "yes"
    client.post("/fr/complaint/", answers)
    client.post("/fr/complaint/form/", valid_form())
    complaint = Complaint.objects.get()
    assert complaint.triage_answers["appeal"] is True
    assert complaint.triage_answers["court"] is False
    assert set(complaint.triage_answers) == set(
        TriageQuestion.objects.filter(active=True).values_list("code", flat=True)
    )


def test_an_unanswered_question_is_a_translated_error_beside_it(client: Client) -> None:
    answers = triage_answers()
    del answers["court"]
    response = client.post("/fr/complaint/", answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_court_error"' in html
    assert 'class="error-summary"' in html
    # The other answers are kept.
    assert re.search(r'name="appeal" value="no"[^>]*checked', html)


def test_the_form_sends_people_who_skipped_the_triage_back_to_it(client: Client) -> None:
    response = client.get("/nl/complaint/form/")
    assert response["Location"] == "/nl/complaint/"


def test_the_advice_page_without_a_yes_goes_back_to_the_triage(client: Client) -> None:
    client.post("/nl/complaint/", triage_answers())
    assert client.get("/nl/complaint/advice/")["Location"] == "/nl/complaint/"


def test_a_question_staff_deactivate_is_no_longer_asked(client: Client) -> None:
    TriageQuestion.objects.filter(code="policy").update(active=False)
    html = client.get("/nl/complaint/").content.decode()
    assert 'name="policy"' not in html
    assert 'name="appeal"' in html
