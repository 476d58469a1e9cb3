"""The deadlines dashboard: what is late, due today, due in the next 7 days (whatever the
weekday), the new complaints awaiting a decision; each count links to the same work list; each
row says which deadline is next (issue 8)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint
from tests.conftest import Cast
from tests.helpers import file_complaint

TODAY = timezone.localdate()


def due_in(client: Client, days: int, **fields: object) -> Complaint:
    """An acknowledged complaint in handling whose answer is due in ``days`` days."""
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        **{
            "status": "in_handling",
            "acknowledged_at": timezone.now(),
            "answer_due": TODAY + datetime.timedelta(days=days),
        }
        | fields
    )
    complaint.refresh_from_db()
    return complaint


def sections(cast: Cast) -> dict[str, str]:
    with translation.override("en"):
        url = reverse("staff:dashboard")
    page = cast.client_for(cast.manager).get(url).content.decode()
    parts = re.split(r'<section aria-labelledby="(\w+)-title">', page)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def test_the_next_seven_days_are_shown_whatever_the_weekday(cast: Cast, client: Client) -> None:
    in_six, in_seven, in_eight = due_in(client, 6), due_in(client, 7), due_in(client, 8)
    week = sections(cast)["week"]
    assert in_six.reference in week  # on a Friday: next Thursday, not "after this week"
    assert in_seven.reference in week
    assert in_eight.reference not in week
    assert not any(in_six.reference in s for name, s in sections(cast).items() if name != "week")


def test_new_complaints_awaiting_a_decision_have_their_own_section(
    cast: Cast, client: Client
) -> None:
    new = file_complaint(client)
    Complaint.objects.filter(pk=new.pk).update(status="received", acknowledged_at=None)
    acknowledged = due_in(client, 30, status="acknowledged")
    handled = due_in(client, 30)
    undecided = sections(cast)["undecided"]
    assert new.reference in undecided
    assert acknowledged.reference in undecided
    assert handled.reference not in undecided
    assert re.search(r">2<span[^>]*>[^<]*</span></a>\)", undecided)


@pytest.mark.parametrize("section", ["late", "today", "week", "undecided"])
def test_each_count_links_to_the_work_list_showing_the_same_complaints(
    cast: Cast, client: Client, section: str
) -> None:
    for days in (-4, -1, 0, 0, 3, 7, 9, 40):
        due_in(client, days)
    Complaint.objects.filter(pk=due_in(client, 20).pk).update(status="acknowledged")
    html = sections(cast)[section]
    [link] = re.findall(r'<h2 [^>]*>[^<]*\(<a href="([^"]+)"', html)
    shown = set(re.findall(r">(\d{4}-\d{6})</a>", html))
    listed = cast.client_for(cast.manager).get(link.replace("&amp;", "&")).content.decode()
    assert set(re.findall(r">(\d{4}-\d{6})</a>", listed)) == shown
    assert re.search(rf">{len(shown)}<span[^>]*>[^<]*</span></a>\)", html)


def test_each_row_says_which_deadline_is_next(cast: Cast, client: Client) -> None:
    unacknowledged = due_in(client, 2, status="received", acknowledged_at=None)
    Complaint.objects.filter(pk=unacknowledged.pk).update(
        acknowledgement_due=TODAY + datetime.timedelta(days=1)
    )
    answer = due_in(client, 3)
    ombudsman = due_in(client, 30, ombudsman_due=TODAY + datetime.timedelta(days=4))
    letter = due_in(client, 5)
    letter.messages.create(
        kind="answer",
        subject="Antwoord",
        body="...",
        delivery="letter",
        created_at=timezone.now(),
    )
    week = sections(cast)["week"]
    rows = {
        c.reference: week.split(c.reference, 1)[1].split("</tr>", 1)[0]
        for c in (unacknowledged, answer, ombudsman, letter)
    }
    assert "Acknowledgement of receipt:" in rows[unacknowledged.reference]
    assert "Answer:" in rows[answer.reference]
    assert "Reply to an Ombudsman request:" in rows[ombudsman.reference]
    assert "Letter to post" in rows[letter.reference]
    assert "Letter to post" not in rows[answer.reference]
