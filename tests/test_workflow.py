"""The workflow table: every allowed move works and records who and when; every other move
between two statuses is refused and changes nothing."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from complaints.models import CLOSED_STATUSES, ActorKind, Complaint, Status, StatusChange
from complaints.workflow import TRANSITIONS, TransitionNotAllowed, transition
from tests.helpers import file_complaint

pytestmark = pytest.mark.usefixtures("demo")

ALL_MOVES = list(itertools.permutations(Status, 2))


def complaint_in(client: Client, status: Status) -> Complaint:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(status=status)
    complaint.refresh_from_db()
    return complaint


@pytest.mark.parametrize(("source", "target"), sorted(TRANSITIONS), ids=str)
def test_an_allowed_move_changes_the_status_and_appends_history(
    client: Client, source: Status, target: Status
) -> None:
    complaint = complaint_in(client, source)
    before = StatusChange.objects.filter(complaint=complaint).count()
    change = transition(complaint, target, actor_kind=ActorKind.SYSTEM, note="test")
    complaint.refresh_from_db()
    assert complaint.status == target
    assert (change.from_status, change.to_status) == (source, target)
    assert StatusChange.objects.filter(complaint=complaint).count() == before + 1
    assert (complaint.closed_at is not None) == (target in CLOSED_STATUSES)


@pytest.mark.parametrize(
    ("source", "target"), [m for m in ALL_MOVES if m not in TRANSITIONS], ids=str
)
def test_a_move_outside_the_table_is_refused(
    client: Client, source: Status, target: Status
) -> None:
    complaint = complaint_in(client, source)
    before = StatusChange.objects.filter(complaint=complaint).count()
    with pytest.raises(TransitionNotAllowed):
        transition(complaint, target, actor_kind=ActorKind.SYSTEM)
    complaint.refresh_from_db()
    assert complaint.status == source
    assert StatusChange.objects.filter(complaint=complaint).count() == before


def test_a_closed_complaint_cannot_move() -> None:
    for closed in CLOSED_STATUSES:
        assert not [t for s, t in TRANSITIONS if s == closed]


def test_every_status_is_reachable_from_received() -> None:
    reached = {Status.RECEIVED}
    frontier = [Status.RECEIVED]
    while frontier:
        source = frontier.pop()
        for s, t in TRANSITIONS:
            if s == source and t not in reached:
                reached.add(t)
                frontier.append(t)
    assert reached == set(Status)
