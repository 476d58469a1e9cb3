"""The back office as a complaints team uses it all day, in Chromium: the work list sorted by
a header, its columns chosen, a view saved, twenty complaints assigned at once from the
keyboard; a complainant's reply showing up for the handler; and every back-office page on a
390-pixel phone: no sideways scrolling, the menu folded behind its button, axe clean."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize

from access.models import Absence, AuditAction, AuditEntry
from complaints.models import Complaint, Notification, Status
from configuration.models import Unit
from improvement.models import ImprovementAction
from staff.models import SavedView, WorkListSettings
from tests.browser import Inspector, where
from tests.helpers import file_complaint, personal_token
from tests.test_staff_accessibility import log_in, site  # noqa: F401  # the fixture

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


def go(page: Page, url: str) -> None:
    page.goto(url)
    assert page.locator("h1").count() == 1, where(page)


def test_the_work_list_sorts_by_a_header_keeps_chosen_columns_and_saved_views(
    page: Page,
    site: str,  # noqa: F811
) -> None:
    client = Client(HTTP_HOST="localhost")
    made = [file_complaint(client, last_name=name) for name in ("Aerts", "Bosmans", "Claes")]
    Complaint.objects.filter(pk=made[0].pk).update(channel="phone")
    Complaint.objects.filter(pk=made[1].pk).update(channel="letter")
    inspector = Inspector(page, "nl")
    go(page, f"{site}/nl/staff/login/")
    log_in(page, site, inspector)
    go(page, f"{site}/nl/staff/complaints/")

    # Columns: the channel, chosen from the keyboard.
    page.locator("summary", has_text="Kolommen kiezen").click()
    page.locator("label[for='id_columns_1']").click()
    with page.expect_navigation():
        page.locator("button", has_text="Deze kolommen tonen").press("Enter")
    assert "channel" in WorkListSettings.objects.get().columns
    # Sort by the channel: the header says so, a second activation reverses it.
    header = page.locator("th", has=page.locator("a[data-sort='channel']"))
    with page.expect_navigation():
        header.locator("a").focus()
        page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending", where(page)
    references = page.locator("tbody tr td:nth-child(2) a").all_inner_texts()
    channels = dict(Complaint.objects.values_list("reference", "channel"))
    assert [channels[r] for r in references] == sorted(channels[r] for r in references)
    with page.expect_navigation():
        header.locator("a").click()
    assert header.get_attribute("aria-sort") == "descending"
    inspector.check("work list sorted, with chosen columns")

    # Save this view and find it back, with its count, on the dashboard.
    page.locator("summary", has_text="Deze weergave bewaren").click()
    page.fill("#id_view-name", "Per kanaal")
    with page.expect_navigation():
        page.locator("button", has_text="Weergave bewaren").click()
    assert SavedView.objects.get().query == "sort=-channel"
    go(page, f"{site}/nl/staff/deadlines/")
    assert page.locator(".saved-views li", has_text="Per kanaal").inner_text().endswith(": 3")
    with page.expect_navigation():
        page.locator("a", has_text="Per kanaal").click()
    assert page.locator("th[aria-sort='descending'] a[data-sort='channel']").count() == 1
    assert not inspector.findings, "\n\n".join(inspector.findings)


def test_twenty_complaints_are_assigned_at_once_with_one_audit_row_each(
    page: Page,
    site: str,  # noqa: F811
) -> None:
    client = Client(HTTP_HOST="localhost")
    made = [file_complaint(client) for _ in range(20)]
    inspector = Inspector(page, "nl")
    go(page, f"{site}/nl/staff/login/")
    log_in(page, site, inspector)
    go(page, f"{site}/nl/staff/complaints/")
    page.locator("#select-all").check()
    assert page.locator("input[name='bulk-selected']:checked").count() == 20
    page.select_option("#id_bulk-action", "assign")
    page.select_option("#id_bulk-handler", label="Sam Peeters")
    with page.expect_navigation():
        page.locator("button", has_text="Toepassen op de gekozen klachten").click()
    assert page.locator(".flash").inner_text().strip() == "20 klachten gewijzigd.", where(page)
    front = Unit.objects.get(code="front-office")
    assert Complaint.objects.filter(handler__username="behandelaar", unit=front).count() == 20
    assert (
        AuditEntry.objects.filter(complaint__in=made, detail__startswith="assigned").count() == 20
    )
    inspector.check("work list after a bulk assignment")
    assert not inspector.findings, "\n\n".join(inspector.findings)


def test_a_reply_of_the_complainant_shows_up_for_the_handler(
    page: Page,
    site: str,  # noqa: F811
) -> None:
    client = Client(HTTP_HOST="localhost")
    complaint = file_complaint(client)
    token = personal_token(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.WAITING_FOR_COMPLAINANT,
        handler=User.objects.get(username="behandelaar"),
        unit=Unit.objects.get(code="front-office"),
    )
    # The complainant replies on their follow page.
    go(page, f"{site}/fr/follow/{token}/")
    page.fill("#id_text", "Voici l'attestation demandée.")
    with page.expect_navigation():
        page.locator("#reply button[type=submit]").click()
    assert Notification.objects.filter(recipient__username="behandelaar").count() == 1

    inspector = Inspector(page, "nl")
    page.context.clear_cookies()
    go(page, f"{site}/nl/staff/login/")
    log_in(page, site, inspector, username="behandelaar")
    menu = page.locator(".staff-nav a", has_text="Meldingen")
    assert "1 ongelezen" in menu.inner_text()
    with page.expect_navigation():
        menu.click()
    inspector.check("notifications")
    with page.expect_navigation():
        page.locator("button", has_text=complaint.reference).click()
    assert page.url.endswith(f"/nl/staff/complaints/{complaint.pk}/"), where(page)
    assert "ongelezen" not in page.locator(".staff-nav").inner_text()
    assert not inspector.findings, "\n\n".join(inspector.findings)


def no_sideways_scroll(page: Page, name: str, inspector: Inspector) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > 391)
                .slice(0, 5).map((e) => e.outerHTML.slice(0, 120))"""
        )
        inspector.findings.append(f"{name} ({page.url}) is {width} px wide: {wide}")
    inspector.check(f"{name} at 390 px")


def test_every_back_office_page_fits_a_phone(page: Page, site: str) -> None:  # noqa: F811
    client = Client(HTTP_HOST="localhost")
    complaint = file_complaint(client, description="Een-heel-lang-woord-" * 12)
    action = ImprovementAction.objects.create(
        title="Duidelijkere brieven",
        created_by=User.objects.get(username="beheerder"),
        created_on=complaint.received_on,
    )
    page.set_viewport_size(PHONE)
    inspector = Inspector(page, "nl")
    go(page, f"{site}/nl/staff/login/")
    no_sideways_scroll(page, "login", inspector)
    log_in(page, site, inspector)
    # The menu folds behind its button, and opens from it.
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.is_visible() and not page.locator("#staff-menu").is_visible()
    toggle.click()
    assert page.locator("#staff-menu a", has_text="Evaluatie").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    base = f"{site}/nl/staff"
    pages = {
        "deadlines": "/deadlines/",
        "work list": "/complaints/",
        "work list, filtered": "/complaints/?status=open&sort=-received",
        "complaint": f"/complaints/{complaint.pk}/",
        "admissibility": f"/complaints/{complaint.pk}/admissibility/",
        "assign": f"/complaints/{complaint.pk}/assign/",
        "concerned staff": f"/complaints/{complaint.pk}/concerned/",
        "interim": f"/complaints/{complaint.pk}/interim/",
        "answer": f"/complaints/{complaint.pk}/answer/",
        "Ombudsman request": f"/complaints/{complaint.pk}/ombudsman/",
        "audit log": f"/complaints/{complaint.pk}/audit/",
        "register": "/complaints/register/",
        "notifications": "/notifications/",
        "absences": "/absences/",
        "evaluation": "/figures/",
        "action plan": "/plan/",
        "new action": "/plan/new/",
        "action": f"/plan/{action.pk}/",
        "themes": "/themes/",
    }
    for name, path in pages.items():
        go(page, base + path)
        no_sideways_scroll(page, name, inspector)
    assert not inspector.findings, "\n\n".join(inspector.findings)


def test_the_substitute_finds_and_handles_an_absent_colleagues_complaint(
    page: Page,
    site: str,  # noqa: F811
) -> None:
    client = Client(HTTP_HOST="localhost")
    complaint = file_complaint(client)
    absent = User.objects.get(username="behandelaar")
    Complaint.objects.filter(pk=complaint.pk).update(
        handler=absent, unit=Unit.objects.get(code="front-office")
    )
    substitute = User.objects.get(username="behandelaar2")  # another unit
    today = timezone.localdate()
    Absence.objects.create(person=absent, substitute=substitute, starts_on=today, ends_on=today)
    inspector = Inspector(page, "nl")
    go(page, f"{site}/nl/staff/login/")
    log_in(page, site, inspector, username="behandelaar2")
    go(page, f"{site}/nl/staff/complaints/")
    with page.expect_navigation():
        page.locator("a", has_text=complaint.reference).click()
    page.fill("#id_text", "Overgenomen tijdens de afwezigheid.")
    with page.expect_navigation():
        page.locator("#note-title ~ form button[type=submit]").click()
    entry = AuditEntry.objects.filter(
        complaint=complaint, actor=substitute, action=AuditAction.CHANGE
    ).latest("pk")
    assert entry.detail == f"note (substitute for {absent.pk})", entry.detail
    inspector.check("complaint handled by a substitute")
    go(page, f"{site}/nl/staff/absences/")
    inspector.check("absences")
    assert not inspector.findings, "\n\n".join(inspector.findings)
