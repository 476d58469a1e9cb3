"""Each list and detail page of the back office runs a fixed number of queries, however many
complaints, rows or attachments it shows (issue 8)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.models import Attachment, Complaint, Message
from tests.conftest import Cast
from tests.helpers import file_complaint

TODAY = timezone.localdate()
STATUSES = ["received", "acknowledged", "in_handling", "waiting", "answered", "withdrawn"]


def copies(complaint: Complaint, count: int, start: int) -> None:
    """``count`` more complaints like ``complaint``, with every status and deadlines around
    today, some with a letter to post."""
    made = Complaint.objects.bulk_create(
        [
            Complaint(
                **{
                    field.attname: getattr(complaint, field.attname)
                    for field in Complaint._meta.concrete_fields
                    if field.attname not in {"id", "reference"}
                }
                | {
                    "reference": f"2099-{start + n:06d}",
                    "status": STATUSES[n % len(STATUSES)],
                    "acknowledged_at": None if n % 3 == 0 else timezone.now(),
                    "answer_due": TODAY + datetime.timedelta(days=n % 11 - 3),
                    "acknowledgement_due": TODAY + datetime.timedelta(days=n % 5 - 2),
                }
            )
            for n in range(count)
        ]
    )
    Message.objects.bulk_create(
        Message(
            complaint=c,
            kind="answer",
            subject="Antwoord",
            body="...",
            delivery="letter",
            created_at=timezone.now(),
        )
        for c in made[::4]
    )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def pages() -> list[str]:
    work_list = reverse("staff:work_list")
    return [
        work_list,
        work_list + "?status=open",
        work_list + "?status=undecided&sort=received_at",
        work_list + "?q=Dupont",
        work_list + "?q=2099-000007",
        work_list + "?overdue=on",
        work_list + "?due=week&channel=web",
        work_list + "?sort=-received_at&page=2",
        reverse("staff:dashboard"),
    ]


# What each page needs whatever it shows: the session and the user, the staff record, the
# filter's choices, the counts per status, the rows. Raised only with a reason: 16 until the
# work list became a tool (issue 22): the person's chosen columns, the saved views, the unread
# notifications in the menu and the bulk form's lists of handlers, units and actions; 20 until
# a search on PostgreSQL told the planner not to scan the table for its matches (a SET and a
# RESET around them: ``queries.without_table_scan``); 21 until the bulk form offered the
# themes too (one more list).
CEILING = 22


@pytest.mark.parametrize("who", ["manager", "handler"])
def test_each_list_page_runs_as_many_queries_for_five_complaints_as_for_eighty(
    cast: Cast, client: Client, who: str
) -> None:
    complaint = file_complaint(client)
    user = getattr(cast, who)
    Complaint.objects.filter(pk=complaint.pk).update(handler=user)
    complaint.refresh_from_db()
    staff = cast.client_for(user)
    copies(complaint, 4, 1)
    few = {url: queries(staff, url) for url in pages()}
    copies(complaint, 76, 100)
    many = {url: queries(staff, url) for url in pages()}
    assert many == few
    assert max(many.values()) <= CEILING


def test_the_complaint_page_runs_as_many_queries_for_one_attachment_as_for_five(
    cast: Cast, client: Client
) -> None:
    complaint = file_complaint(client)
    reply = complaint.messages.create(
        kind="reply",
        from_complainant=True,
        subject="Aanvulling",
        body="...",
        delivery="none",
        created_at=timezone.now(),
    )

    def attach(n: int) -> None:
        Attachment.objects.create(
            complaint=complaint,
            message=reply,
            file=ContentFile(b"%PDF-1.4", name=f"bijlage{n}.pdf"),
            original_name=f"bijlage{n}.pdf",
            content_type="application/pdf",
            size=8,
        )

    staff = cast.client_for(cast.manager)
    url = reverse("staff:complaint", kwargs={"pk": complaint.pk})
    attach(0)
    one = queries(staff, url)
    for n in range(1, 5):
        attach(n)
    assert queries(staff, url) == one
