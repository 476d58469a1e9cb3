"""A person who uses only the keyboard files a complaint, from the French home page to the
confirmation: Tab between controls, arrow keys within a radio group, Space and Enter to act.

No ``click`` and no ``fill``: if a control cannot be reached or worked with the keys, the
test fails where a keyboard user would be stuck.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from complaints.models import Complaint
from configuration.demo import load_demo_configuration
from configuration.models import Category, TriageQuestion
from tests.browser import describe_focus, focused_matches, tab_to, where

pytestmark = pytest.mark.browser

# Read by the ``page`` fixture: a French-speaking Belgian's browser.
BROWSER_LOCALE = "fr-BE"

# Enough Tab presses to cross the longest page (the complaint form) twice.


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    """The live server's address, with POD MI's demo configuration loaded."""
    load_demo_configuration()
    return live_server.url


def choose_radio(page: Page, name: str, value: str) -> None:
    """Tabs into a radio group, then moves with the arrow keys to the wanted option."""
    tab_to(page, f"input[type=radio][name='{name}']")
    wanted = f"input[type=radio][name='{name}'][value='{value}']"
    options: int = page.evaluate(
        "(name) => document.querySelectorAll(`input[type=radio][name='${name}']`).length", name
    )
    for _ in range(options):
        if focused_matches(page, wanted):
            break
        page.keyboard.press("ArrowDown")
    assert focused_matches(page, wanted), f"{wanted} not reached; focus on {describe_focus(page)}"
    # Tabbing into a group with nothing chosen focuses its first option without choosing it.
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), describe_focus(page)


def recent_date_whose_day_is_its_month() -> datetime.date:
    """The latest day no later than today such as 11 November: typed as digits into a date
    field it reads the same whether the browser shows day/month/year or month/day/year.
    Chromium takes that order from the language it runs in, not from the context's locale."""
    day = timezone.localdate()
    while day.day != day.month:
        day -= datetime.timedelta(days=1)
    return day


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_the_skip_link_is_the_first_stop_and_leads_to_the_main_content(
    page: Page, site: str
) -> None:
    page.goto(f"{site}/fr/")
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.skip-link[href='#main']"), describe_focus(page)
    # Off screen until focused; then in view, so a sighted keyboard user sees where they are.
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main"), describe_focus(page)
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_keyboard_user_files_a_complaint_from_the_french_home_page(page: Page, site: str) -> None:
    page.goto(f"{site}/fr/")

    tab_to(page, "main a[href='/fr/complaint/']")
    press_and_wait(page, "Enter")
    assert page.url == f"{site}/fr/complaint/", where(page)

    for question in TriageQuestion.objects.filter(active=True):
        choose_radio(page, question.code, "no")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.url == f"{site}/fr/complaint/form/", where(page)

    choose_radio(page, "complainant_kind", "person")
    type_into(page, "#id_first_name", "Anne")
    type_into(page, "#id_last_name", "Dupont")
    type_into(page, "#id_email", "anne.dupont@example.be")
    choose_radio(page, "category", str(Category.objects.get(code="waiting-time").pk))
    facts = recent_date_whose_day_is_its_month()
    type_into(page, "#id_facts_start", facts.strftime("%d%m%Y"))
    assert page.evaluate("document.activeElement.value") == facts.isoformat()
    type_into(page, "#id_description", "J'attends depuis trois mois une réponse à mon courrier.")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Space")

    assert page.url == f"{site}/fr/complaint/filed/", where(page)
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{6}", reference), reference
    complaint = Complaint.objects.get(reference=reference)
    assert (complaint.first_name, complaint.last_name) == ("Anne", "Dupont")
    assert complaint.email == "anne.dupont@example.be"
    assert complaint.language == "fr"
    assert complaint.facts_start == facts
