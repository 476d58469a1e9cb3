"""The reminder sweep on a fixed clock (E19): before each deadline and once it has passed, to
the handler and the complaints managers, once each, in the staff member's language."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.models import StaffMember
from complaints.models import Complaint, Reminder
from complaints.reminders import reminders_sweep
from configuration.models import DeadlinePolicy
from messaging.outbox import outbox_deliver_due
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture
def complaint(cast: Cast, client: Client, smtp_server: MailServer) -> Complaint:
    """Received Friday 27 November 2026, not yet acknowledged, assigned to the handler."""
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="received",
        acknowledged_at=None,
        acknowledgement_due=D(2026, 12, 1),
        answer_due=D(2026, 12, 11),
        handler=cast.handler,
    )
    for mail in smtp_server.directory.glob("*.eml"):
        mail.unlink()  # start with an empty mailbox: only reminders count below
    complaint.refresh_from_db()
    return complaint


def sweep(on: D) -> int:
    sent = reminders_sweep(today=on)
    outbox_deliver_due(now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2))
    return sent


def subjects(smtp_server: MailServer, to: str) -> list[str]:
    return [str(mail.message["Subject"]) for mail in smtp_server.to(to)]


def test_nothing_is_sent_before_the_reminder_day(
    complaint: Complaint, smtp_server: MailServer
) -> None:
    assert sweep(D(2026, 11, 27)) == 0
    assert smtp_server.mails == []


def test_a_reminder_goes_one_working_day_before_the_acknowledgement_deadline(
    cast: Cast, complaint: Complaint, smtp_server: MailServer
) -> None:
    assert sweep(D(2026, 11, 30)) == 1  # Monday: the Tuesday deadline is one working day away
    [to_manager] = smtp_server.to("beheerder@example.org")
    [to_handler] = smtp_server.to("behandelaar@example.org")
    assert complaint.reference in to_manager.text
    assert "1 december 2026" in to_manager.text  # the staff member reads Dutch
    assert to_handler.text == to_manager.text
    assert not smtp_server.to("behandelaar2@example.org")  # not their complaint
    assert not smtp_server.to("directie@example.org")


def test_the_sweep_never_sends_the_same_reminder_twice(
    complaint: Complaint, smtp_server: MailServer
) -> None:
    sweep(D(2026, 11, 30))
    assert sweep(D(2026, 11, 30)) == 0
    assert sweep(D(2026, 12, 1)) == 0  # still "upcoming" on the day itself: already sent
    assert len(smtp_server.to("beheerder@example.org")) == 1


def test_a_passed_deadline_gets_an_overdue_reminder(
    complaint: Complaint, smtp_server: MailServer
) -> None:
    sweep(D(2026, 11, 30))
    assert sweep(D(2026, 12, 2)) == 1
    kinds = set(Reminder.objects.values_list("deadline", "kind"))
    assert kinds == {("acknowledgement", "upcoming"), ("acknowledgement", "overdue")}
    assert len(smtp_server.to("beheerder@example.org")) == 2


def test_the_answer_deadline_and_an_ombudsman_request_are_reminded_too(
    cast: Cast, complaint: Complaint, smtp_server: MailServer
) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(acknowledged_at=complaint.received_at)
    complaint.ombudsman_requests.create(
        received_on=D(2026, 12, 1),
        due=D(2026, 12, 16),
        summary="Vraag",
        registered_by=cast.manager,
        registered_at=complaint.received_at,
    )
    assert sweep(D(2026, 12, 10)) == 1  # the answer, due Friday the 11th
    assert sweep(D(2026, 12, 15)) == 2  # the answer is late; the Ombudsman's reply is near
    assert set(Reminder.objects.values_list("deadline", "kind")) == {
        ("answer", "upcoming"),
        ("answer", "overdue"),
        ("ombudsman_request", "upcoming"),
    }


def test_the_number_of_working_days_before_is_configuration(
    complaint: Complaint, smtp_server: MailServer
) -> None:
    DeadlinePolicy.objects.filter(kind="acknowledgement").update(remind_days_before=2)
    assert sweep(D(2026, 11, 27)) == 1  # Friday is two working days before Tuesday


def test_a_reminder_reads_in_the_staff_members_language(
    cast: Cast, complaint: Complaint, smtp_server: MailServer
) -> None:
    StaffMember.objects.filter(user=cast.manager).update(language="fr")
    sweep(D(2026, 11, 30))
    [mail] = smtp_server.to("beheerder@example.org")
    assert "1er décembre 2026" in mail.text
    assert f"/fr/staff/complaints/{complaint.pk}/" in mail.text


def test_the_dashboard_shows_what_is_late_today_and_this_week(
    cast: Cast, complaint: Complaint, client: Client
) -> None:
    late = file_complaint(client)
    Complaint.objects.filter(pk=late.pk).update(
        acknowledgement_due=D(2020, 1, 1), acknowledged_at=None, status="received"
    )
    # The dashboard counts from the real today: the other complaint's deadlines are to come.
    to_come = timezone.localdate() + datetime.timedelta(days=30)
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledgement_due=to_come, answer_due=to_come
    )
    page = cast.client_for(cast.manager).get(reverse("staff:dashboard")).content.decode()
    late_section = page.split('id="late-title"')[1].split('id="today-title"')[0]
    assert late.reference in late_section
    assert complaint.reference not in late_section


def test_an_open_ombudsman_request_is_the_next_deadline_even_after_the_answer(
    cast: Cast, complaint: Complaint
) -> None:
    from complaints.handling import ombudsman_request_mark_answered, ombudsman_request_register
    from complaints.queries import with_next_due

    Complaint.objects.filter(pk=complaint.pk).update(status="answered", closed_at=timezone.now())
    request = ombudsman_request_register(
        complaint=complaint, received_on=D(2026, 12, 1), summary="Vraag", by=cast.manager
    )
    assert with_next_due(Complaint.objects.filter(pk=complaint.pk)).get().next_due == request.due
    ombudsman_request_mark_answered(request=request, by=cast.manager)
    assert with_next_due(Complaint.objects.filter(pk=complaint.pk)).get().next_due is None


def test_the_dashboard_shows_at_most_a_section_of_rows_and_links_to_the_rest(
    cast: Cast, complaint: Complaint, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from staff.views import worklist

    Complaint.objects.filter(pk=complaint.pk).update(acknowledgement_due=D(2020, 1, 1))
    for _ in range(2):
        late = file_complaint(client)
        Complaint.objects.filter(pk=late.pk).update(
            acknowledgement_due=D(2020, 1, 1), acknowledged_at=None, status="received"
        )
    monkeypatch.setattr(worklist, "DASHBOARD_ROWS", 2)
    page = cast.client_for(cast.manager).get(reverse("staff:dashboard")).content.decode()
    late_section = page.split('id="late-title"')[1].split('id="today-title"')[0]
    assert '?overdue=on">3<span' in late_section  # the count links to the work list
    assert late_section.count("/staff/complaints/") == 2 + 2  # two rows, the count, the link
    assert "?overdue=on" in late_section


def test_the_sweep_runs_a_fixed_number_of_queries_when_nothing_is_new(
    cast: Cast, complaint: Complaint, client: Client, smtp_server: MailServer
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def steady_state_queries() -> int:
        sweep(D(2026, 12, 2))  # sends what is due
        with CaptureQueriesContext(connection) as captured:
            assert reminders_sweep(today=D(2026, 12, 2)) == 0
        return len(captured)

    few = steady_state_queries()
    for _ in range(12):
        other = file_complaint(client)
        Complaint.objects.filter(pk=other.pk).update(
            status="received", acknowledged_at=None, acknowledgement_due=D(2026, 12, 1)
        )
    assert Reminder.objects.count() == 1
    assert steady_state_queries() == few <= 8  # configuration, then one query for what is due
    assert Reminder.objects.count() == 13
