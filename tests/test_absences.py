"""Absences: the substitute sees and handles the absent handler's complaints for the period,
and each act is recorded under the substitute's name; the assign form offers the unit's
handlers and says why others are not offered."""

from __future__ import annotations

import datetime

from django.utils import timezone

from access.models import Absence, AuditAction, AuditEntry
from complaints.complainant import complainant_reply
from complaints.models import Complaint, Notification
from tests.conftest import Cast

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def away(cast: Cast, starts_on: datetime.date, ends_on: datetime.date) -> Absence:
    """The front office's handler away, covered by the social integration's handler."""
    return Absence.objects.create(
        person=cast.handler, substitute=cast.other_handler, starts_on=starts_on, ends_on=ends_on
    )


def test_the_substitute_sees_the_complaint_only_during_the_absence(
    cast: Cast, handled: Complaint
) -> None:
    page = f"/nl/staff/complaints/{handled.pk}/"
    assert cast.client_for(cast.other_handler).get(page).status_code == 404
    away(cast, TODAY + DAY, TODAY + 5 * DAY)
    assert cast.client_for(cast.other_handler).get(page).status_code == 404  # not yet
    away(cast, TODAY - 2 * DAY, TODAY)
    assert cast.client_for(cast.other_handler).get(page).status_code == 200
    listed = cast.client_for(cast.other_handler).get("/nl/staff/complaints/").content.decode()
    assert handled.reference in listed


def test_the_substitute_acts_under_their_own_name_and_says_for_whom(
    cast: Cast, handled: Complaint
) -> None:
    away(cast, TODAY, TODAY + DAY)
    response = cast.client_for(cast.other_handler).post(
        f"/nl/staff/complaints/{handled.pk}/notes/", {"text": "Gebeld, belt morgen terug."}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(complaint=handled, action=AuditAction.CHANGE).latest("pk")
    assert entry.actor == cast.other_handler
    assert entry.detail.endswith(f"(substitute for {cast.handler.pk})")


def test_the_substitute_is_told_of_a_reply_too(cast: Cast, handled: Complaint) -> None:
    away(cast, TODAY, TODAY)
    complainant_reply(complaint=handled, text="Extra uitleg.", uploads=[])
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        cast.handler.pk,
        cast.other_handler.pk,
    }


def test_a_handler_records_their_own_absence_only(cast: Cast) -> None:
    staff = cast.client_for(cast.handler)
    form = {
        "person": cast.manager.pk,  # ignored: a handler records their own
        "substitute": cast.other_handler.pk,
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + DAY).isoformat(),
    }
    assert staff.post("/nl/staff/absences/", form).status_code == 302
    absence = Absence.objects.get()
    assert absence.person == cast.handler and absence.substitute == cast.other_handler
    assert "Lore Dubois" in staff.get("/nl/staff/absences/").content.decode()
    ends_first = form | {"ends_on": (TODAY - DAY).isoformat()}
    refused = staff.post("/nl/staff/absences/", ends_first).content.decode()
    assert "De afwezigheid kan niet eindigen voor ze begint." in refused


def test_the_assign_form_offers_the_units_handlers_and_says_why_not_others(
    cast: Cast, handled: Complaint
) -> None:
    away(cast, TODAY, TODAY + DAY)
    html = cast.client_for(cast.manager).get(f"/nl/staff/complaints/{handled.pk}/assign/")
    text = html.content.decode()
    handlers = text[text.index('<select name="handler"') :]
    handlers = handlers[: handlers.index("</select>")]
    assert "Sam Peeters (afwezig tot" in handlers and "Lore Dubois vervangt" in handlers
    assert '<optgroup label="Front office">' in handlers or "<optgroup" in handlers
    assert f'<option value="{cast.other_handler.pk}"' not in handlers  # another unit's
    assert f'<option value="{cast.manager.pk}"' in handlers
    assert "Alleen de behandelaars van" in text
