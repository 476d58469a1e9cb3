"""Every back-office URL for each of the cast: manager, handler of the complaint's unit, handler
of another unit, management, anonymous visitor. "Not yours" and "does not exist" look alike."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from access.models import AuditEntry
from complaints.models import Complaint
from configuration.models import Unit
from tests.conftest import Cast
from tests.helpers import file_complaint

OK, REDIRECT, NOT_FOUND, LOGIN = 200, 302, 404, "login"


@pytest.fixture
def complaint(cast: Cast, client: Client) -> Complaint:
    complaint = file_complaint(client)
    complaint.unit = Unit.objects.get(code="front-office")
    complaint.status = "in_handling"
    complaint.save()
    complaint.ombudsman_requests.create(
        received_on=complaint.received_at.date(),
        due=complaint.answer_due,
        summary="?",
        registered_by=cast.manager,
        registered_at=complaint.received_at,
    )
    return complaint


def urls(complaint: Complaint) -> dict[str, str]:
    pk = complaint.pk
    attachment = complaint.attachments.create(
        original_name="a.pdf", content_type="application/pdf", size=3, file="x/a.pdf"
    )
    message = complaint.messages.first()
    assert message is not None
    request = complaint.ombudsman_requests.get()
    return {
        "home": reverse("staff:home"),
        "dashboard": reverse("staff:dashboard"),
        "figures": reverse("reporting:evaluation"),
        "work_list": reverse("staff:work_list"),
        "register": reverse("staff:register"),
        "complaint": reverse("staff:complaint", args=[pk]),
        "attachment": reverse("staff:attachment", args=[pk, attachment.pk]),
        "letter": reverse("staff:letter", args=[pk, message.pk]),
        "audit_log": reverse("staff:audit_log", args=[pk]),
        "admissibility": reverse("staff:admissibility", args=[pk]),
        "assign": reverse("staff:assign", args=[pk]),
        "concerned_staff": reverse("staff:concerned_staff", args=[pk]),
        "request_information": reverse("staff:request_information", args=[pk]),
        "interim": reverse("staff:interim", args=[pk]),
        "answer": reverse("staff:answer", args=[pk]),
        "ombudsman_request": reverse("staff:ombudsman_request", args=[pk]),
        "demo_mailbox": reverse("staff:demo_mailbox"),
        # POST-only actions: a GET is refused whoever asks; the POST is checked below.
        "ombudsman_request_answered": reverse(
            "staff:ombudsman_request_answered", args=[pk, request.pk]
        ),
        "add_note": reverse("staff:add_note", args=[pk]),
        "letter_posted": reverse("staff:letter_posted", args=[pk, message.pk]),
        "revoke_links": reverse("staff:revoke_links", args=[pk]),
    }


CASE_PAGES = [
    "complaint",
    "attachment",
    "letter",
    "request_information",
    "interim",
    "answer",
    "ombudsman_request",
]
MANAGER_ONLY = ["audit_log", "admissibility", "assign", "concerned_staff"]
LISTS = ["dashboard", "work_list", "register"]
POST_ONLY = ["ombudsman_request_answered", "add_note", "letter_posted", "revoke_links"]

EXPECTED: dict[str, dict[str, int | str]] = {
    # who: {url name: status}
    "manager": {
        **dict.fromkeys([*CASE_PAGES, *MANAGER_ONLY, *LISTS, "figures"], OK),
        # Already being handled: the decision is taken, back to the complaint's page.
        "admissibility": REDIRECT,
        "home": REDIRECT,
    },
    "handler": {
        **dict.fromkeys(CASE_PAGES + LISTS, OK),
        **dict.fromkeys([*MANAGER_ONLY, "figures"], NOT_FOUND),
        "home": REDIRECT,
    },
    "other_handler": {
        **dict.fromkeys(LISTS, OK),
        **dict.fromkeys([*CASE_PAGES, *MANAGER_ONLY, "figures"], NOT_FOUND),
        "home": REDIRECT,
    },
    "management": {
        **dict.fromkeys(CASE_PAGES + MANAGER_ONLY + LISTS, NOT_FOUND),
        "figures": OK,
        "home": REDIRECT,
    },
    "anonymous": dict.fromkeys([*CASE_PAGES, *MANAGER_ONLY, *LISTS, "figures", "home"], LOGIN),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_back_office_page_answers_each_role_as_expected(
    cast: Cast, complaint: Complaint, who: str, settings: object, tmp_path: object
) -> None:
    from django.core.files.base import ContentFile

    found = urls(complaint)
    attachment = complaint.attachments.get()
    attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=True)
    user = None if who == "anonymous" else getattr(cast, who)
    client = cast.client_for(user)
    for name, expected in EXPECTED[who].items():
        response = client.get(found[name])
        if expected == LOGIN:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("staff:login")), name
        else:
            assert response.status_code == expected, (who, name, response.status_code)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_post_only_actions_refuse_a_get_and_check_who_posts(
    cast: Cast, complaint: Complaint, who: str
) -> None:
    found = urls(complaint)
    user = None if who == "anonymous" else getattr(cast, who)
    client = cast.client_for(user)
    for name in POST_ONLY:
        assert client.get(found[name]).status_code == 405, name
    # An internal note: allowed to whoever may handle the complaint.
    response = client.post(found["add_note"], {"text": f"note by {who}"})
    allowed = who in {"manager", "handler"}
    assert complaint.notes.filter(text=f"note by {who}").exists() == allowed
    if not allowed:
        assert response.status_code in {302, 404}
    # Revoking links: the manager only.
    assert complaint.tokens.filter(revoked_at__isnull=True).exists()
    client.post(found["revoke_links"], {"confirm": "yes"})
    revoked = not complaint.tokens.filter(revoked_at__isnull=True).exists()
    assert revoked == (who == "manager")


def test_a_complaint_that_does_not_exist_looks_like_one_that_is_not_yours(
    cast: Cast, complaint: Complaint
) -> None:
    stranger = cast.client_for(cast.other_handler)
    not_yours = stranger.get(reverse("staff:complaint", args=[complaint.pk]))
    missing = stranger.get(reverse("staff:complaint", args=[complaint.pk + 1000]))
    assert not_yours.status_code == missing.status_code == 404
    # The same page, but for its own address in the language links.
    assert not_yours.content.decode().replace(f"/staff/complaints/{complaint.pk}/", "") == (
        missing.content.decode().replace(f"/staff/complaints/{complaint.pk + 1000}/", "")
    )


def test_a_handler_never_sees_a_complaint_about_themselves(
    cast: Cast, complaint: Complaint
) -> None:
    complaint.concerned_staff = cast.handler
    complaint.save()
    response = cast.client_for(cast.handler).get(reverse("staff:complaint", args=[complaint.pk]))
    assert response.status_code == 404


def test_every_look_at_personal_data_is_in_the_audit_log(cast: Cast, complaint: Complaint) -> None:
    found = urls(complaint)
    cast.client_for(cast.handler).get(found["complaint"])
    entry = AuditEntry.objects.get(complaint=complaint)
    assert (entry.actor, entry.action) == (cast.handler, "view")
    page = cast.client_for(cast.manager).get(found["audit_log"]).content.decode()
    assert "Peeters" in page


def test_the_work_list_shows_a_handler_only_their_units_complaints(
    cast: Cast, complaint: Complaint, client: Client
) -> None:
    other = file_complaint(client, first_name="Other")
    mine = cast.client_for(cast.handler).get(reverse("staff:work_list")).content.decode()
    assert complaint.reference in mine
    assert other.reference not in mine
    everything = cast.client_for(cast.manager).get(reverse("staff:work_list")).content.decode()
    assert complaint.reference in everything and other.reference in everything
