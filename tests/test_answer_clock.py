"""The answer clock: a service may configure that the answer deadline stops while it waits for
the complainant's information; by default it keeps running. When it runs again, the stored
answer date moves by the days it stood still, counted as the policy counts, and the move is
kept as history."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from complaints import deadlines, handling
from complaints.models import AnswerPause, Complaint, DecisionKind, Outcome
from complaints.queries import next_deadline_kind, open_deadlines, with_next_due
from complaints.reminders import reminders_due
from configuration.dates import long_date
from configuration.models import DeadlineKind, DeadlinePolicy
from reporting.evaluation import with_deadline_states
from tests.conftest import Cast
from tests.helpers import file_complaint, personal_token

pytestmark = pytest.mark.django_db(transaction=True)

FRIDAY = datetime.date(2026, 3, 6)
MONDAY = datetime.date(2026, 3, 9)
CALENDAR = deadlines.Calendar()


@pytest.mark.parametrize(
    ("start", "end", "working", "days"),
    [
        (FRIDAY, MONDAY, False, 3),
        (FRIDAY, MONDAY, True, 1),
        (MONDAY, MONDAY, True, 0),
        (datetime.date(2026, 12, 24), datetime.date(2026, 12, 28), True, 1),  # 25 Dec closed
    ],
)
def test_the_days_the_clock_stood_still_are_counted_as_the_policy_counts(
    start: datetime.date, end: datetime.date, working: bool, days: int
) -> None:
    policy = deadlines.Policy(days=14, working_days=working)
    assert deadlines.days_between(start, end, policy, CALENDAR) == days


def test_a_moved_date_lands_on_a_working_day() -> None:
    calendar_days = deadlines.Policy(days=14, working_days=False)
    assert deadlines.moved_by(FRIDAY, 1, calendar_days, CALENDAR) == MONDAY  # not Saturday
    working_days = deadlines.Policy(days=14, working_days=True)
    assert deadlines.moved_by(FRIDAY, 1, working_days, CALENDAR) == MONDAY
    assert deadlines.moved_by(FRIDAY, 0, working_days, CALENDAR) == FRIDAY


def asked_for_information(cast: Cast, client: Client) -> tuple[Complaint, str]:
    complaint = file_complaint(client)
    token = personal_token(client)
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    handling.complaint_request_information(
        complaint=complaint, subject="Vraag", body="Welk briefnummer?", by=cast.manager
    )
    complaint.refresh_from_db()
    return complaint, token


def complaint_page(cast: Cast, complaint: Complaint) -> str:
    with translation.override("nl"):
        url = reverse("staff:complaint", args=[complaint.pk])
    return cast.client_for(cast.manager).get(url).content.decode()


def dutch(message: str, **values: object) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(message) % values)


def test_by_default_the_clock_keeps_running(cast: Cast, client: Client) -> None:
    complaint, token = asked_for_information(cast, client)
    due = complaint.answer_due
    assert complaint.answer_paused_since is None
    assert dutch("Answer clock: running.") in complaint_page(cast, complaint)
    client.post(reverse("portal:follow_reply", args=[token]), {"text": "Brief 4711."})
    complaint.refresh_from_db()
    assert complaint.answer_due == due
    assert not AnswerPause.objects.exists()


def test_a_service_can_stop_the_clock_while_it_waits_for_the_complainant(
    cast: Cast, client: Client
) -> None:
    DeadlinePolicy.objects.filter(kind=DeadlineKind.ANSWER).update(pauses_while_waiting=True)
    complaint, token = asked_for_information(cast, client)
    today = timezone.localdate()
    assert complaint.answer_paused_since == today
    page = complaint_page(cast, complaint)
    assert (
        dutch(
            "Answer clock: paused since %(date)s, while we wait for the complainant.",
            date=long_date(today, "nl"),
        )
        in page
    )
    waiting = dutch("This date moves on by the days we wait for the information we asked you for.")
    assert waiting in client.get(reverse("portal:follow", args=[token])).content.decode()
    # The complainant answers four days after the question.
    paused_on = today - datetime.timedelta(days=4)
    Complaint.objects.filter(pk=complaint.pk).update(answer_paused_since=paused_on)
    due = complaint.answer_due
    client.post(reverse("portal:follow_reply", args=[token]), {"text": "Brief 4711."})
    complaint.refresh_from_db()
    assert complaint.answer_paused_since is None
    [pause] = AnswerPause.objects.filter(complaint=complaint)
    assert (pause.paused_on, pause.resumed_on, pause.days) == (paused_on, today, 4)
    assert pause.previous_due == due
    assert complaint.answer_due == pause.new_due >= due + datetime.timedelta(days=4)
    page = complaint_page(cast, complaint)
    assert dutch("Answer clock: running.") in page
    assert long_date(paused_on, "nl") in page  # the pause on the timeline
    assert waiting not in client.get(reverse("portal:follow", args=[token])).content.decode()


def test_an_answer_while_the_clock_stands_still_records_the_pause(
    cast: Cast, client: Client
) -> None:
    DeadlinePolicy.objects.filter(kind=DeadlineKind.ANSWER).update(pauses_while_waiting=True)
    complaint, _token = asked_for_information(cast, client)
    handling.complaint_answer(
        parts={"findings": "Nagekeken."},
        complaint=complaint,
        outcome=Outcome.NO_JUDGEMENT,
        by=cast.manager,
    )
    complaint.refresh_from_db()
    assert complaint.answer_paused_since is None
    assert AnswerPause.objects.filter(complaint=complaint, days=0).exists()


def answer_state(complaint: Complaint, today: datetime.date) -> str:
    """The evaluation's state of the answer deadline on ``today``."""
    answer = "answer"  # the annotation's name, which the type checker cannot see
    annotated = with_deadline_states(Complaint.objects.filter(pk=complaint.pk), today)
    state: str = annotated.values_list(answer, flat=True).get()
    return state


def deadline_views(cast: Cast, complaint: Complaint) -> dict[str, object]:
    """How each part of the product sees ``complaint``'s deadlines today."""
    today = timezone.localdate()
    complaint.refresh_from_db()
    one = Complaint.objects.filter(pk=complaint.pk)
    with translation.override("nl"):
        overdue = reverse("staff:work_list") + "?overdue=on"
    return {
        "reminder": [row[1:] for row in reminders_due(today) if row[0] == complaint.pk],
        "next due": with_next_due(one).get().next_due,
        "next kind": next_deadline_kind(complaint),
        "open": [deadline.kind for deadline in open_deadlines(complaint)],
        "evaluation": answer_state(complaint, today),
        "in the overdue list": complaint.reference
        in cast.client_for(cast.manager).get(overdue).content.decode(),
    }


def test_while_the_clock_stands_still_no_answer_deadline_runs_or_passes(
    cast: Cast, client: Client
) -> None:
    """Reminders, the work list, the complaint's deadlines and the evaluation leave a stopped
    answer deadline alone; the same complaint with its clock running is overdue everywhere."""
    DeadlinePolicy.objects.filter(kind=DeadlineKind.ANSWER).update(pauses_while_waiting=True)
    complaint, _token = asked_for_information(cast, client)
    today = timezone.localdate()
    passed = today - datetime.timedelta(days=3)
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledged_at=timezone.now(),
        answer_due=passed,
        answer_paused_since=passed - datetime.timedelta(days=5),
    )
    assert deadline_views(cast, complaint) == {
        "reminder": [],
        "next due": None,
        "next kind": None,
        "open": [],
        "evaluation": "pending",
        "in the overdue list": False,
    }
    # A pause that starts after the day the figures are taken on did not stop that day's clock.
    Complaint.objects.filter(pk=complaint.pk).update(answer_paused_since=today)
    assert answer_state(complaint, today - datetime.timedelta(days=1)) == "missed"
    Complaint.objects.filter(pk=complaint.pk).update(answer_paused_since=None)
    assert deadline_views(cast, complaint) == {
        "reminder": [(DeadlineKind.ANSWER.value, passed, "overdue")],
        "next due": passed,
        "next kind": DeadlineKind.ANSWER,
        "open": [DeadlineKind.ANSWER],
        "evaluation": "missed",
        "in the overdue list": True,
    }
