"""The staff API for each of the cast: exactly the back office's permissions, through personal
tokens that can be read-only, expire and be revoked."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import AuditAction, AuditEntry
from api.models import ApiToken, Scope
from complaints.models import Complaint, Status
from configuration.models import CompetentBody, Unit
from tests.conftest import Cast
from tests.helpers import file_complaint, valid_form

MANAGER, HANDLER, OTHER, MANAGEMENT, ADMIN = (
    "manager",
    "handler",
    "other_handler",
    "management",
    "administrator",
)
ROLES = [MANAGER, HANDLER, OTHER, MANAGEMENT, ADMIN]


def token_for(user: User, scope: Scope = Scope.WRITE, days: int = 30) -> str:
    _row, token = ApiToken.issue(
        user=user,
        name="test",
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token


class Api:
    """A client that speaks to the staff API with one person's token."""

    def __init__(self, token: str) -> None:
        self.client = Client(
            HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"/api/v1/staff{path}", query)

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1/staff{path}", data, content_type="application/json")


def api_for(cast: Cast, who: str, scope: Scope = Scope.WRITE) -> Api:
    return Api(token_for(getattr(cast, who), scope))


@pytest.fixture
def complaint(cast: Cast, client: Client) -> Complaint:
    """A complaint of the front-office unit (the handler's), decided admissible."""
    complaint = file_complaint(client)
    complaint.unit = Unit.objects.get(code="front-office")
    complaint.status = Status.IN_HANDLING
    complaint.save()
    return complaint


# What each role gets from each reading endpoint for a complaint of the handler's unit.
READS: dict[str, dict[str, int | None]] = {
    MANAGER: {"list": 1, "detail": 200, "figures": 200},
    HANDLER: {"list": 1, "detail": 200, "figures": 403},
    OTHER: {"list": 0, "detail": 404, "figures": 403},
    MANAGEMENT: {"list": None, "detail": 403, "figures": 200},
    ADMIN: {"list": None, "detail": 403, "figures": 403},
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_each_role_reads_what_the_back_office_shows_it(
    cast: Cast, complaint: Complaint, who: str
) -> None:
    api, expected = api_for(cast, who), READS[who]
    listed = api.get("/complaints")
    if expected["list"] is None:
        assert listed.status_code == 403
    else:
        assert listed.status_code == 200
        assert len(listed.json()["items"]) == expected["list"]
    assert api.get(f"/complaints/{complaint.pk}").status_code == expected["detail"]
    assert api.get("/figures").status_code == expected["figures"]
    assert api.get("/figures/federal").status_code == expected["figures"]


@pytest.mark.django_db
def test_a_handler_of_another_unit_reads_nothing_of_it(cast: Cast, complaint: Complaint) -> None:
    api = api_for(cast, OTHER)
    attachment = complaint.attachments.create(
        original_name="a.pdf", content_type="application/pdf", size=3, file="x/a.pdf"
    )
    assert api.get("/complaints", q=complaint.reference).json()["items"] == []
    for path in (
        f"/complaints/{complaint.pk}",
        f"/complaints/{complaint.pk}/attachments/{attachment.pk}",
    ):
        answer = api.get(path)
        assert answer.status_code == 404
        assert answer["Content-Type"] == "application/problem+json"
    assert api.post(f"/complaints/{complaint.pk}/interim", _interim()).status_code == 404
    assert not AuditEntry.objects.filter(actor=cast.other_handler).exists()


@pytest.mark.django_db
def test_reading_a_complaint_gives_its_timeline_and_is_audited(
    cast: Cast, complaint: Complaint
) -> None:
    answer = api_for(cast, HANDLER).get(f"/complaints/{complaint.pk}")
    body = answer.json()
    assert body["reference"] == complaint.reference
    assert {event["kind"] for event in body["timeline"]} >= {"status", "message"}
    assert "interim" in body["actions_allowed"]
    assert AuditEntry.objects.filter(
        actor=cast.handler, complaint=complaint, action=AuditAction.VIEW
    ).exists()


def _interim() -> dict[str, Any]:
    return {
        "reason": "We wait for the file from the municipality.",
        "new_due": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }


@pytest.mark.django_db
def test_a_read_only_token_changes_nothing(cast: Cast, complaint: Complaint) -> None:
    api = api_for(cast, MANAGER, Scope.READ)
    before = (complaint.status, complaint.answer_due, complaint.unit_id)
    for path, data in [
        ("interim", _interim()),
        ("information-request", {}),
        ("answer", {"outcome": "unfounded"}),
        ("assign", {"unit": "social-integration"}),
        ("admissibility", {"kind": "admissible"}),
    ]:
        answer = api.post(f"/complaints/{complaint.pk}/{path}", data)
        assert answer.status_code == 403, (path, answer.content)
        assert answer.json()["type"].endswith("/read-only-token")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answer_due, complaint.unit_id) == before
    assert not AuditEntry.objects.filter(action=AuditAction.CHANGE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["expired", "revoked", "mistyped", "absent"])
def test_an_expired_revoked_or_wrong_token_is_refused(
    cast: Cast, complaint: Complaint, how: str
) -> None:
    token = token_for(cast.manager)
    row = ApiToken.objects.get()
    if how == "expired":
        row.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        row.save()
    elif how == "revoked":
        row.revoked_at = timezone.now()
        row.save()
    elif how == "mistyped":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = Client(HTTP_HOST="localhost")
    if how != "absent":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    answer = client.get("/api/v1/staff/complaints")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    assert answer.json()["type"].endswith("/unauthenticated")


@pytest.mark.django_db
def test_a_token_of_a_deactivated_account_is_refused(cast: Cast, complaint: Complaint) -> None:
    api = api_for(cast, MANAGER)
    cast.manager.is_active = False
    cast.manager.save()
    assert api.get("/complaints").status_code == 401


@pytest.mark.django_db
def test_the_token_is_stored_only_as_its_hash(cast: Cast) -> None:
    token = token_for(cast.handler)
    row = ApiToken.objects.get()
    assert token not in (row.token_hash, row.shown, row.name)
    assert token.startswith(row.shown)


@pytest.mark.django_db
def test_the_handler_acts_through_the_back_offices_write_paths(
    cast: Cast, complaint: Complaint
) -> None:
    api = api_for(cast, HANDLER)
    answer = api.post(f"/complaints/{complaint.pk}/interim", _interim())
    assert answer.status_code == 200, answer.content
    answer = api.post(f"/complaints/{complaint.pk}/information-request", QUESTION)
    assert answer.json()["status"] == Status.WAITING_FOR_COMPLAINANT
    answer = api.post(f"/complaints/{complaint.pk}/answer", UNFOUNDED)
    assert answer.json()["status"] == Status.ANSWERED
    # The same rules: the complaint is closed, a second answer is a conflict.
    again = api.post(f"/complaints/{complaint.pk}/answer", UNFOUNDED)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/not-allowed-now")
    details = AuditEntry.objects.filter(actor=cast.handler, action=AuditAction.CHANGE)
    assert details.count() == 3
    sent = complaint.messages.get(kind="answer")
    assert "Wij vonden geen fout in het dossier." in sent.body
    asked = complaint.messages.get(kind="information_request")
    assert "Welk briefnummer staat op de brief?" in asked.body


QUESTION: dict[str, Any] = {"parts": {"question": "Welk briefnummer staat op de brief?"}}
UNFOUNDED: dict[str, Any] = {
    "outcome": "unfounded",
    "parts": {"findings": "Wij vonden geen fout in het dossier."},
}


@pytest.mark.django_db
def test_a_letter_with_an_empty_part_or_a_placeholder_is_refused_as_on_the_page(
    cast: Cast, complaint: Complaint
) -> None:
    api = api_for(cast, HANDLER)
    refusals: list[tuple[dict[str, Any], str]] = [
        ({"outcome": "unfounded"}, "Write “What we found”."),
        (
            {"outcome": "unfounded", "parts": {"findings": "Wij vonden … in het dossier."}},
            "“What we found” still holds a placeholder (…): replace it.",
        ),
        (
            {**UNFOUNDED, "subject": "Uw klacht [[nummer]]"},
            "The letter still holds a placeholder ([[): replace it.",
        ),
    ]
    for data, said in refusals:
        answer = api.post(f"/complaints/{complaint.pk}/answer", data)
        assert answer.status_code == 422, answer.content
        assert answer["Content-Type"] == "application/problem+json"
        assert answer.json()["detail"] == said
    refused = api.post(f"/complaints/{complaint.pk}/information-request", {})
    assert refused.json()["detail"] == "Write “The question to the complainant”."
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
    assert not complaint.messages.filter(kind__in=["answer", "information_request"]).exists()


@pytest.mark.django_db
def test_a_rule_of_the_write_path_comes_back_as_a_problem(cast: Cast, complaint: Complaint) -> None:
    api = api_for(cast, HANDLER)
    answer = api.post(f"/complaints/{complaint.pk}/answer", {"outcome": "founded"})
    assert answer.status_code == 422
    assert "norms" in answer.json()["detail"]


@pytest.mark.django_db
def test_only_the_manager_decides_assigns_and_forwards(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    complaint.unit = Unit.objects.get(code="front-office")
    complaint.save()
    body = CompetentBody.objects.filter(active=True).first()
    assert body is not None
    handler = api_for(cast, HANDLER)
    for path, data in [
        ("admissibility", {"kind": "admissible"}),
        ("assign", {"handler": "behandelaar"}),
        ("forward", {"competent_body": body.pk}),
    ]:
        assert handler.post(f"/complaints/{complaint.pk}/{path}", data).status_code == 403
    manager = api_for(cast, MANAGER)
    answer = manager.post(f"/complaints/{complaint.pk}/assign", {"handler": "behandelaar"})
    assert answer.status_code == 200, answer.content
    answer = manager.post(f"/complaints/{complaint.pk}/forward", {"competent_body": body.pk})
    assert answer.json()["status"] == Status.FORWARDED


@pytest.mark.django_db
@pytest.mark.parametrize("consent", [True, False])
def test_a_complaint_goes_to_the_competent_body_only_with_the_complainants_consent(
    cast: Cast, client: Client, consent: bool
) -> None:
    complaint = file_complaint(client)
    body = CompetentBody.objects.get(name_nl="Federale Pensioendienst")
    CompetentBody.objects.filter(pk=body.pk).update(email="pensioen@example.be")
    body.refresh_from_db()
    answer = api_for(cast, MANAGER).post(
        f"/complaints/{complaint.pk}/forward",
        {"competent_body": body.pk, "forwarding_consent": consent},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["forwarded_to"] == (body.email if consent else "")
    decision = complaint.decisions.get()
    assert decision.forwarding_consent is consent
    assert decision.forwarded_to == (body.email if consent else "")


@pytest.mark.django_db
def test_the_manager_decides_admissibility(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    manager = api_for(cast, MANAGER)
    refused = manager.post(f"/complaints/{complaint.pk}/admissibility", {"kind": "inadmissible"})
    assert refused.status_code == 422  # no ground: the write path's rule
    answer = manager.post(
        f"/complaints/{complaint.pk}/admissibility", {"kind": "inadmissible", "grounds": ["G4"]}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == Status.INADMISSIBLE


@pytest.mark.django_db
def test_the_list_pages_with_a_cursor_through_every_complaint_once(
    cast: Cast, client: Client
) -> None:
    references = {file_complaint(client, email=f"p{i}@example.be").reference for i in range(7)}
    manager = api_for(cast, MANAGER)
    for sort in ("next_due", "received_at", "-received_at", "reference"):
        seen: list[str] = []
        cursor = ""
        while True:
            page = manager.get("/complaints", sort=sort, limit=3, cursor=cursor).json()
            seen += [row["reference"] for row in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(references), sort
        if sort == "reference":
            assert seen == sorted(references)
        if sort == "-received_at":
            assert seen == sorted(references, reverse=True)


@pytest.mark.django_db
def test_the_list_filters_and_searches_as_the_work_list(cast: Cast, client: Client) -> None:
    first = file_complaint(client, last_name="Vandenbroucke")
    file_complaint(client, email="b@example.be")
    manager = api_for(cast, MANAGER)
    found = manager.get("/complaints", q="vandenbr").json()["items"]
    assert [row["reference"] for row in found] == [first.reference]
    assert manager.get("/complaints", status="undecided").json()["items"]
    assert manager.get("/complaints", status="answered").json()["items"] == []
    bad = manager.get("/complaints", cursor="not-a-cursor")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


@pytest.mark.django_db
def test_the_federal_indicators_count_the_periods_complaints(cast: Cast, client: Client) -> None:
    file_complaint(client)
    answer = api_for(cast, MANAGEMENT).get("/figures/federal")
    lines = {line["channel"]: line for line in answer.json()["lines"]}
    assert lines["web"]["received"] == 1 and lines["total"]["received"] == 1
    figures = api_for(cast, MANAGEMENT).get("/figures").json()
    assert figures["received"] == 1
    bad = api_for(cast, MANAGEMENT).get("/figures", start="2026-05-01")
    assert bad.status_code == 422


@pytest.mark.django_db
def test_the_figures_of_a_running_period_stand_on_the_day_they_are_drawn(
    cast: Cast, client: Client
) -> None:
    file_complaint(client)
    today = timezone.localdate()
    api = api_for(cast, MANAGEMENT)
    running = api.get("/figures").json()
    assert (running["drawn_on"], running["as_of"]) == (today.isoformat(), today.isoformat())
    assert running["running"] is True
    assert running["undecided"] == 1
    assert running["admissible_answer"]["pending"] == 0  # nothing decided admissible yet
    last_year = api.get("/figures", year=today.year - 1).json()
    assert last_year["as_of"] == f"{today.year - 1}-12-31"
    assert last_year["running"] is False
    federal = api.get("/figures/federal").json()
    assert federal["as_of"] == today.isoformat()


def registration(**overrides: Any) -> dict[str, Any]:
    data = valid_form(first_name="", last_name="", email="", description="Belde over wachttijd.")
    data.update({"channel": "phone", "received_on": timezone.localdate().isoformat()})
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_handlers_and_the_manager_register_complaints_of_other_channels(
    cast: Cast, who: str
) -> None:
    token = token_for(getattr(cast, who))
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = client.post("/api/v1/staff/complaints", registration())
    if who in {MANAGER, HANDLER, OTHER}:
        assert answer.status_code == 201, answer.content
        complaint = Complaint.objects.get(reference=answer.json()["reference"])
        assert complaint.channel == "phone"
        assert AuditEntry.objects.filter(
            actor=getattr(cast, who), complaint=complaint, detail="registered (phone)"
        ).exists()
    else:
        assert answer.status_code == 403
        assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_registration_cannot_be_dated_in_the_future(cast: Cast) -> None:
    token = token_for(cast.handler)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = client.post("/api/v1/staff/complaints", registration(received_on=tomorrow))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["received_on"]


@pytest.mark.django_db
def test_wrong_tokens_count_in_the_webs_limit_of_failed_staff_logins(
    cast: Cast, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    wrong = Api("qrl_wrong")
    for _ in range(3):
        assert wrong.get("/complaints").status_code == 401
    refused = Api(token_for(cast.manager)).get("/complaints")  # a good token, same address
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_the_documentation_page_and_the_openapi_document_are_served(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page.content.decode()

    def no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys  # a key twice: Swagger UI refuses the document
        return dict(pairs)

    document = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_twice)
    assert document["openapi"].startswith("3.1")
    problem = document["paths"]["/api/v1/staff/complaints"]["get"]["responses"]["404"]
    assert "application/problem+json" in problem["content"]


def _actions() -> dict[str, tuple[str, dict[str, Any]]]:
    body = CompetentBody.objects.filter(active=True).first()
    assert body is not None
    return {
        "admissibility": (Status.RECEIVED, {"kind": "admissible"}),
        "forward": (Status.RECEIVED, {"competent_body": body.pk}),
        "assign": (Status.IN_HANDLING, {"unit": "front-office"}),
        "information-request": (Status.IN_HANDLING, QUESTION),
        "interim": (Status.IN_HANDLING, _interim()),
        "answer": (Status.IN_HANDLING, UNFOUNDED),
    }


# What each role gets from each action on a complaint of the handler's unit: the roles of the
# back office's views (the manager decides, assigns and forwards; handlers handle). The role is
# checked before the complaint is looked up, so a 403 says nothing of the complaint.
ACTS = {
    MANAGER: {"*": 200},
    HANDLER: {"admissibility": 403, "forward": 403, "assign": 403, "*": 200},
    OTHER: {"admissibility": 403, "forward": 403, "assign": 403, "*": 404},
    MANAGEMENT: {"*": 403},
    ADMIN: {"*": 403},
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_each_role_may_take_exactly_the_back_offices_actions(
    cast: Cast, client: Client, who: str
) -> None:
    api = api_for(cast, who)
    for action, (status, data) in _actions().items():
        complaint = file_complaint(client, email=f"{action}@example.be")
        complaint.unit = Unit.objects.get(code="front-office")
        complaint.status = status
        complaint.save()
        expected = ACTS[who].get(action, ACTS[who]["*"])
        answer = api.post(f"/complaints/{complaint.pk}/{action}", data)
        assert answer.status_code == expected, (who, action, answer.content)
        changed = AuditEntry.objects.filter(complaint=complaint, action=AuditAction.CHANGE)
        assert changed.exists() == (expected == 200), (who, action)


@pytest.mark.django_db
def test_a_nul_character_is_refused_as_invalid_not_a_server_error(
    cast: Cast, complaint: Complaint
) -> None:
    api = api_for(cast, MANAGER)
    assert api.get("/complaints", q="Du\x00pont").status_code == 422
    answer = api.post(f"/complaints/{complaint.pk}/interim", {**_interim(), "reason": "a\x00b"})
    assert answer.status_code == 422
    huge = base64.urlsafe_b64encode(json.dumps(["reference", "2026\x00"]).encode()).decode()
    assert api.get("/complaints", sort="reference", cursor=huge).status_code == 422


@pytest.mark.django_db
def test_a_page_of_the_list_takes_the_same_few_queries_however_long(
    cast: Cast, client: Client
) -> None:
    api = api_for(cast, MANAGER)
    file_complaint(client)
    api.get("/complaints")  # the configuration is read once per process
    with CaptureQueriesContext(connection) as few:
        api.get("/complaints")
    for i in range(5):
        file_complaint(client, email=f"more{i}@example.be")
    with CaptureQueriesContext(connection) as more:
        api.get("/complaints")
    # The rate-limit window, the token with its owner and their staff record, the page.
    assert len(few) == len(more) == 3, [q["sql"][:80] for q in more.captured_queries]
