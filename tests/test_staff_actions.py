"""The complaints manager's actions on a complaint's page: a repeated or stale action is a
message on the complaint's page (never a server error), the page offers what the workflow
table allows, big effects ask first, and every change writes its audit row in its own
transaction."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from access.models import AuditEntry
from complaints import handling
from complaints.complainant import complainant_reply
from complaints.models import Complaint, DecisionKind, MessageKind, Outcome, Status
from configuration.models import Unit
from tests.conftest import Cast
from tests.helpers import file_complaint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _dutch_back_office() -> Iterator[None]:
    translation.activate("nl")
    yield
    translation.deactivate()


def in_dutch(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


def stale_message(status: Status) -> str:
    with translation.override("nl"):
        return translation.gettext(
            "This action is no longer possible: the complaint is now “%(status)s”."
        ) % {"status": str(status.label)}


def filed(client: Client) -> Complaint:
    """A complaint filed on the French form; the back office is then read in Dutch."""
    complaint = file_complaint(client)
    translation.activate("nl")
    return complaint


def admissible(complaint: Complaint, cast: Cast) -> Complaint:
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    complaint.refresh_from_db()
    return complaint


def offered(client: Client, complaint: Complaint) -> set[str]:
    page = client.get(reverse("staff:complaint", args=[complaint.pk])).content.decode()
    actions = re.search(r'<ul class="actions">(.*?)</ul>', page, re.S)
    assert actions
    return set(re.findall(r"/complaints/\d+/([a-z-]+)/", actions.group(1)))


def test_deciding_admissibility_twice_shows_the_complaint_page_with_a_message(
    cast: Cast, client: Client
) -> None:
    complaint = filed(client)
    manager = cast.client_for(cast.manager)
    url = reverse("staff:admissibility", args=[complaint.pk])
    first = manager.post(url, {"step": "facts", "kind": "admissible"})
    assert first.status_code == 302
    again = manager.post(url, {"step": "facts", "kind": "admissible"}, follow=True)
    assert again.redirect_chain == [(reverse("staff:complaint", args=[complaint.pk]), 302)]
    assert stale_message(Status.IN_HANDLING) in again.content.decode()
    assert complaint.decisions.count() == 1
    # Opening the action's page again says the same.
    opened = manager.get(url, follow=True)
    assert stale_message(Status.IN_HANDLING) in opened.content.decode()


def test_asking_for_information_from_a_second_tab_is_refused_with_a_message(
    cast: Cast, client: Client
) -> None:
    complaint = admissible(filed(client), cast)
    manager = cast.client_for(cast.manager)
    url = reverse("staff:request_information", args=[complaint.pk])
    letter = {"subject": "Vraag", "question": "Kunt u ons het briefnummer geven?"}
    # Both tabs show the draft while the complaint is being handled.
    assert manager.post(url, {"step": "facts"}).status_code == 200
    assert manager.post(url, {"step": "facts"}).status_code == 200
    assert manager.post(url, {"step": "send", **letter}).status_code == 302
    second = manager.post(url, {"step": "send", **letter}, follow=True)
    assert second.status_code == 200
    assert stale_message(Status.WAITING_FOR_COMPLAINANT) in second.content.decode()
    assert complaint.messages.filter(kind=MessageKind.INFORMATION_REQUEST).count() == 1


def test_an_answer_from_a_stale_tab_after_the_complaint_closed_is_refused(
    cast: Cast, client: Client
) -> None:
    complaint = admissible(filed(client), cast)
    handling.complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.UNFOUNDED,
        by=cast.manager,
    )
    manager = cast.client_for(cast.manager)
    for name in ("answer", "interim", "request_information", "assign"):
        response = manager.post(reverse(f"staff:{name}", args=[complaint.pk]), follow=True)
        assert stale_message(Status.ANSWERED) in response.content.decode(), name


def test_the_page_offers_the_actions_the_workflow_table_allows(cast: Cast, client: Client) -> None:
    manager = cast.client_for(cast.manager)
    complaint = filed(client)
    always = {"concerned", "ombudsman", "audit"}
    assert offered(manager, complaint) == always | {"admissibility", "assign", "interim"}
    complaint = admissible(complaint, cast)
    assert offered(manager, complaint) == always | {"assign", "information", "interim", "answer"}
    handling.complaint_request_information(
        complaint=complaint, subject="Vraag", body="Welk briefnummer?", by=cast.manager
    )
    assert offered(manager, complaint) == always | {"assign", "interim", "answer"}
    handling.complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.UNFOUNDED,
        by=cast.manager,
    )
    assert offered(manager, complaint) == always


def test_revoking_the_links_asks_for_confirmation_first(cast: Cast, client: Client) -> None:
    complaint = filed(client)
    manager = cast.client_for(cast.manager)
    url = reverse("staff:revoke_links", args=[complaint.pk])
    asked = manager.post(url)
    assert asked.status_code == 200
    assert in_dutch("Yes, revoke every link") in asked.content.decode()
    assert complaint.tokens.filter(revoked_at__isnull=True).exists()
    manager.post(url, {"confirm": "yes"})
    assert not complaint.tokens.filter(revoked_at__isnull=True).exists()


def test_a_reply_of_the_complainant_shows_unfolded_on_the_timeline(
    cast: Cast, client: Client
) -> None:
    complaint = admissible(filed(client), cast)
    complainant_reply(complaint=complaint, text="Mon numéro de dossier est 4711.", uploads=[])
    page = cast.client_for(cast.manager).get(reverse("staff:complaint", args=[complaint.pk]))
    [reply] = [
        details
        for details in re.findall(r"<details[^>]*>.*?</details>", page.content.decode(), re.S)
        if "4711" in details
    ]
    assert reply.startswith("<details open>")


def test_each_change_writes_its_audit_row_with_who_did_it_in_its_transaction(
    cast: Cast, client: Client
) -> None:
    complaint = filed(client)
    handling.note_add(complaint=complaint, text="Gebeld, geen antwoord.", by=cast.handler)
    assert AuditEntry.objects.filter(complaint=complaint, actor=cast.handler).count() == 1

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        handling.access_links_revoke(complaint=complaint, by=cast.manager)
        raise Undone
    assert not AuditEntry.objects.filter(actor=cast.manager).exists()
    handling.complaint_assign(
        complaint=complaint,
        unit=Unit.objects.get(code="front-office"),
        handler=cast.handler,
        by=cast.manager,
    )
    handling.ombudsman_request_register(
        complaint=complaint, received_on=complaint.received_at.date(), summary="?", by=cast.manager
    )
    assert AuditEntry.objects.filter(actor=cast.manager).count() == 2


def test_the_person_a_complaint_is_about_is_refused_even_from_a_stale_page(
    cast: Cast, client: Client
) -> None:
    """E7 is checked on the locked row, not on what the assigning page read earlier."""
    complaint = filed(client)
    read_by_the_page = Complaint.objects.get(pk=complaint.pk)
    handling.complaint_set_concerned_staff(complaint=complaint, staff=cast.handler, by=cast.manager)
    with pytest.raises(handling.HandlingError):
        handling.complaint_assign(
            complaint=read_by_the_page, unit=None, handler=cast.handler, by=cast.manager
        )
    complaint.refresh_from_db()
    assert complaint.handler is None


def test_a_handler_who_became_the_person_concerned_can_no_longer_act(
    cast: Cast, client: Client
) -> None:
    """Access is checked with the row lock, in one step: a page read before the manager
    recorded who the complaint is about does not let that person act on it."""
    complaint = admissible(filed(client), cast)
    handling.complaint_assign(
        complaint=complaint,
        unit=Unit.objects.get(code="front-office"),
        handler=cast.handler,
        by=cast.manager,
    )
    read_by_the_handler = Complaint.objects.get(pk=complaint.pk)
    handling.complaint_set_concerned_staff(complaint=complaint, staff=cast.handler, by=cast.manager)
    with pytest.raises(handling.ActionNotAllowed):
        handling.complaint_request_information(
            complaint=read_by_the_handler, subject="?", body="?", by=cast.handler
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_HANDLING
    assert not complaint.messages.filter(kind=MessageKind.INFORMATION_REQUEST).exists()


def test_an_empty_note_is_refused_with_a_message(cast: Cast, client: Client) -> None:
    complaint = filed(client)
    response = cast.client_for(cast.manager).post(
        reverse("staff:add_note", args=[complaint.pk]), {"text": "  "}, follow=True
    )
    assert response.status_code == 200
    assert in_dutch("The note is empty.") in response.content.decode()
    assert not complaint.notes.exists()
