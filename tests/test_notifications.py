"""Staff are told, in the back office and by mail (at once or in a morning digest, as each
chose), when the complainant replies, says not satisfied or withdraws, and when the Ombudsman
asks; the notice comes from the domain's write path, whoever called it."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from complaints.complainant import (
    complainant_give_satisfaction,
    complainant_reply,
    complainant_withdraw,
)
from complaints.handling import ombudsman_request_register
from complaints.models import (
    Complaint,
    Notification,
    NotificationKind,
    NotificationMail,
    NotificationSetting,
    Status,
)
from complaints.notify import notifications_digest
from tests.conftest import Cast, MailServer
from tests.helpers import file_complaint

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# Mail leaves after the commit, as in the running site.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_is_listed_for_the_handler_with_the_unread_count_and_mailed_at_once(
    cast: Cast, handled: Complaint, smtp_server: MailServer
) -> None:
    complainant_reply(complaint=handled, text="Hier is mijn attest.", uploads=[])
    notification = Notification.objects.get()
    assert notification.recipient == cast.handler
    assert notification.kind == NotificationKind.REPLY and notification.mailed_at is not None
    assert len(smtp_server.to(cast.handler.email)) == 1
    staff = cast.client_for(cast.handler)
    menu = staff.get("/nl/staff/deadlines/").content.decode()
    assert re.search(r"Meldingen <span class=\"badge\">1 ongelezen</span>", menu), menu
    listing = staff.get("/nl/staff/notifications/").content.decode()
    assert f"{handled.reference}: de indiener schreef" in listing
    opened = staff.post(f"/nl/staff/notifications/{notification.pk}/open/")
    assert opened["Location"] == f"/nl/staff/complaints/{handled.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "ongelezen" not in staff.get("/nl/staff/deadlines/").content.decode()


def test_a_withdrawal_tells_the_handler(
    cast: Cast, handled: Complaint, smtp_server: MailServer
) -> None:
    complainant_withdraw(complaint=handled, reason="Opgelost aan het loket.")
    notification = Notification.objects.get(kind=NotificationKind.WITHDRAWN)
    assert notification.recipient == cast.handler
    mail = smtp_server.to(cast.handler.email)[-1]
    assert handled.reference in mail.message["Subject"]
    # The mail names the complaint and what happened, no personal text: that is read in the
    # back office (and anonymised with the complaint).
    assert "Opgelost aan het loket." not in mail.text


def test_not_satisfied_tells_the_handler_with_the_comment_and_the_page_shows_it(
    cast: Cast, handled: Complaint, smtp_server: MailServer
) -> None:
    Complaint.objects.filter(pk=handled.pk).update(status=Status.ANSWERED)
    complainant_give_satisfaction(
        complaint=handled, satisfied=False, helped="no", comment="Niemand belde terug."
    )
    assert Notification.objects.filter(
        kind=NotificationKind.NOT_SATISFIED, recipient=cast.handler
    ).exists()
    page = cast.client_for(cast.handler).get(f"/nl/staff/complaints/{handled.pk}/")
    html = page.content.decode()
    assert "Niemand belde terug." in html
    assert "Tevredenheid van de indiener" in html


def test_being_satisfied_tells_nobody(cast: Cast, handled: Complaint) -> None:
    Complaint.objects.filter(pk=handled.pk).update(status=Status.ANSWERED)
    complainant_give_satisfaction(complaint=handled, satisfied=True, helped="yes")
    assert not Notification.objects.exists()


def test_an_ombudsman_request_tells_the_handler_not_the_manager_who_registered_it(
    cast: Cast, handled: Complaint, smtp_server: MailServer
) -> None:
    ombudsman_request_register(
        complaint=handled,
        received_on=timezone.localdate(),
        summary="Graag het dossier.",
        by=cast.manager,
    )
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (cast.handler.pk, NotificationKind.OMBUDSMAN)
    ]


def test_without_a_handler_the_managers_are_told(
    cast: Cast, client: Client, smtp_server: MailServer
) -> None:
    complaint = file_complaint(client)
    complainant_withdraw(complaint=complaint)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [cast.manager.pk]


def test_the_digest_waits_for_the_morning_and_leaves_once_a_day(
    cast: Cast, handled: Complaint, smtp_server: MailServer
) -> None:
    staff = cast.client_for(cast.handler)
    staff.post("/nl/staff/notifications/", {"mail": NotificationMail.DIGEST})
    assert NotificationSetting.objects.get(user=cast.handler).mail == NotificationMail.DIGEST
    complainant_reply(complaint=handled, text="Nog iets.", uploads=[])
    complainant_reply(complaint=handled, text="En nog iets.", uploads=[])
    assert smtp_server.to(cast.handler.email) == []
    day = timezone.localdate() + datetime.timedelta(days=1)
    early = datetime.datetime.combine(day, datetime.time(6, 30), BRUSSELS)
    assert notifications_digest(now=early) == 0
    morning = datetime.datetime.combine(day, datetime.time(7, 5), BRUSSELS)
    assert notifications_digest(now=morning) == 1
    assert notifications_digest(now=morning + datetime.timedelta(hours=1)) == 0
    (digest,) = smtp_server.to(cast.handler.email)
    assert digest.text.count(handled.reference) == 2
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
