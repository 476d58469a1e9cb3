"""The action plan (E13): which actions a period's plan holds, carried-over actions included,
and who reads and edits it."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from access.models import AuditEntry
from complaints.models import Complaint, Message, MessageKind
from configuration.models import Norm, Unit
from improvement.models import ActionStatus, ImprovementAction
from improvement.plan import actions_for_period
from tests.conftest import Cast
from tests.helpers import file_complaint, letter_fields

D = datetime.date


def make_action(cast: Cast, title: str, created: D, **fields: object) -> ImprovementAction:
    return ImprovementAction.objects.create(
        title=title, created_on=created, created_by=cast.manager, **fields
    )


def test_a_years_plan_holds_new_due_and_carried_over_actions(cast: Cast) -> None:
    make_action(cast, "new", D(2026, 3, 1))
    make_action(
        cast,
        "due this year",
        D(2025, 11, 1),
        due=D(2026, 2, 1),
        status=ActionStatus.DONE,
        finished_on=D(2025, 12, 1),
    )
    make_action(cast, "still open", D(2025, 5, 1), status=ActionStatus.IN_PROGRESS)
    make_action(
        cast,
        "finished in January",
        D(2025, 5, 1),
        status=ActionStatus.DONE,
        finished_on=D(2026, 1, 10),
    )
    make_action(
        cast,
        "finished last year",
        D(2025, 5, 1),
        status=ActionStatus.DONE,
        finished_on=D(2025, 12, 31),
    )
    make_action(
        cast,
        "dropped last year",
        D(2025, 5, 1),
        status=ActionStatus.DROPPED,
        finished_on=D(2025, 6, 1),
    )
    make_action(cast, "next year", D(2027, 1, 1))

    plan = actions_for_period(D(2026, 1, 1), D(2026, 12, 31))

    assert [(entry.action.title, entry.carried_over) for entry in plan] == [
        ("still open", True),
        ("finished in January", True),
        ("due this year", False),
        ("new", False),
    ]


def test_a_reversed_or_empty_period_has_an_empty_plan(cast: Cast) -> None:
    make_action(cast, "new", D(2026, 3, 1))
    assert actions_for_period(D(2026, 12, 31), D(2026, 1, 1)) == []
    assert actions_for_period(D(2020, 1, 1), D(2020, 12, 31)) == []


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def action_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Telefoonlijn versterken",
        "description": "Twee extra medewerkers op de lijn tijdens de piekuren.",
        "owner_unit": Unit.objects.get(code="front-office").pk,
        "owner_staff": "",
        "due": "2026-06-30",
        "status": "planned",
        "effect": "",
        "references": "",
    }
    data.update(overrides)
    return data


def test_the_manager_writes_an_action_and_each_change_is_audited(
    cast: Cast, client: Client
) -> None:
    complaint = file_complaint(client)
    manager = cast.client_for(cast.manager)

    response = manager.post(en("staff:action_new"), action_form(references=complaint.reference))

    action = ImprovementAction.objects.get()
    assert response.status_code == 302
    assert list(action.complaints.all()) == [complaint]
    manager.post(
        en("staff:action_edit", action.pk),
        action_form(references=complaint.reference, status="done", effect="Wachttijd gehalveerd."),
    )
    action.refresh_from_db()
    assert action.status == "done" and action.finished_on == timezone.localdate()
    details = list(AuditEntry.objects.filter(actor=cast.manager).values_list("detail", flat=True))
    assert f"improvement action {action.pk} created" in details
    assert f"improvement action {action.pk} planned → done" in details
    page = manager.get(en("staff:complaint", complaint.pk)).content.decode()
    assert "Telefoonlijn versterken" in page


def test_a_wrong_action_form_says_what_to_correct_and_keeps_what_was_typed(cast: Cast) -> None:
    response = cast.client_for(cast.manager).post(
        en("staff:action_new"), action_form(references="2026-99999", owner_unit="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No complaint has the reference 2026-99999." in page
    assert "Choose either a unit or a staff member as owner." in page
    assert "Telefoonlijn versterken" in page
    assert not ImprovementAction.objects.exists()


def test_management_reads_the_plan_and_handlers_do_not(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    action = make_action(cast, "Telefoonlijn versterken", timezone.localdate())
    action.complaints.add(complaint)
    management = cast.client_for(cast.management)

    assert "Telefoonlijn versterken" in management.get(en("staff:plan")).content.decode()
    detail = management.get(en("staff:action", action.pk)).content.decode()
    assert complaint.reference not in detail and "1 complaint" in detail
    assert management.get(en("staff:action_edit", action.pk)).status_code == 404
    handler = cast.client_for(cast.handler)
    assert handler.get(en("staff:plan")).status_code == 404
    assert handler.get(en("staff:action", action.pk)).status_code == 404


def test_a_reversed_period_is_explained_not_an_error(cast: Cast) -> None:
    response = cast.client_for(cast.manager).get(
        en("staff:plan"), {"start": "2026-12-31", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()


def answer_facts(outcome: str, action: ImprovementAction) -> dict[str, object]:
    return {
        "outcome": outcome,
        "norms": [Norm.objects.first().pk] if outcome == "founded" else [],  # type: ignore[union-attr]
        "measure": "Nous avons rappelé la règle au service." if outcome == "founded" else "",
        "improvement_action": action.pk,
    }


def test_a_founded_answer_names_the_action_it_led_to(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(status="in_handling")
    action = make_action(
        cast, "Une deuxième ligne téléphonique", timezone.localdate(), owner_staff=cast.manager
    )
    manager = cast.client_for(cast.manager)
    url = en("staff:answer", complaint.pk)
    facts = answer_facts("founded", action)

    draft = manager.post(url, {"step": "facts", **facts}).content.decode()
    fields = letter_fields(draft)
    assert fields["changes"] == "Une deuxième ligne téléphonique"  # proposed from the action
    fields["findings"] = "Le service ne répondait pas au téléphone."
    sent = manager.post(url, {"step": "send", **facts, **fields})

    assert sent.status_code == 302
    letter = Message.objects.filter(complaint=complaint, kind=MessageKind.ANSWER).get()
    assert "Une deuxième ligne téléphonique" in letter.body
    assert action.links.get().in_answer
    page = manager.get(en("staff:complaint", complaint.pk)).content.decode()
    assert "Une deuxième ligne téléphonique" in page


def test_an_unfounded_answer_names_no_action(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(status="in_handling")
    action = make_action(cast, "Une deuxième ligne", timezone.localdate(), owner_staff=cast.manager)
    response = cast.client_for(cast.manager).post(
        en("staff:answer", complaint.pk), {"step": "facts", **answer_facts("unfounded", action)}
    )
    assert "Only the answer to a founded complaint names an improvement action." in (
        response.content.decode()
    )


def test_visitors_log_in_first_and_the_administrator_edits_the_plan(cast: Cast) -> None:
    for name in ("staff:plan", "staff:action_new", "staff:themes"):
        response = Client(HTTP_HOST="localhost").get(en(name))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    administrator = cast.client_for(cast.administrator)
    assert administrator.get(en("staff:action_new")).status_code == 200
    assert administrator.get(en("staff:themes")).status_code == 200
