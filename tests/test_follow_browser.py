"""A complaint followed in a real browser, from the link in the acknowledgement that reached a
real SMTP server to the satisfaction question, answered with the keyboard alone; every page
on the way passes axe-core's WCAG 2.1 A/AA rules in nl, fr, de and en."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from access.models import Role, StaffMember
from complaints.handling import complaint_answer, complaint_decide_admissibility
from complaints.models import Complaint, DecisionKind, Outcome, Satisfaction
from configuration.demo import load_demo_configuration
from configuration.models import Category, TriageQuestion
from tests.browser import axe_violations, describe_focus, focused_matches, format_violations, tab_to
from tests.conftest import MailServer

pytestmark = pytest.mark.browser

BROWSER_LOCALE = "fr-BE"
LANGUAGES = ["nl", "fr", "de", "en"]
EMAIL = "anne.dupont@example.be"


@pytest.fixture
def site(
    transactional_db: None,
    live_server: LiveServer,
    settings: Settings,
    smtp_server: MailServer,
) -> Iterator[str]:
    """The live server's address, with POD MI's demo configuration; links in e-mails point
    at it, and mail goes to the SMTP server fixture."""
    load_demo_configuration()
    settings.SITE_URL = live_server.url
    yield live_server.url


def assert_accessible(page: Page, language: str, where: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language, where
    violations = axe_violations(page)
    assert not violations, format_violations(violations, f"{where} ({page.url})")


def file_a_complaint(page: Page, site: str) -> None:
    page.goto(f"{site}/fr/complaint/")
    for code in TriageQuestion.objects.filter(active=True).values_list("code", flat=True):
        page.check(f"input[name='{code}'][value='no']")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.check("input[name='complainant_kind'][value='person']")
    page.fill("#id_first_name", "Anne")
    page.fill("#id_last_name", "Dupont")
    page.fill("#id_email", EMAIL)
    page.select_option("#id_language", "fr")
    category = Category.objects.get(code="waiting-time")
    page.check(f"input[name='category'][value='{category.pk}']")
    page.fill("#id_facts_start", (timezone.localdate() - datetime.timedelta(days=10)).isoformat())
    page.fill("#id_description", "J'attends depuis trois mois une réponse à mon courrier.")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert page.url == f"{site}/fr/complaint/filed/"


def manager() -> User:
    user = User.objects.create_user("marie", "marie@example.org", "secret-password")
    StaffMember.objects.create(user=user, role=Role.MANAGER)
    return user


def test_a_complaint_is_followed_from_the_acknowledgement_to_the_satisfaction_question(
    page: Page, site: str, smtp_server: MailServer
) -> None:
    file_a_complaint(page, site)
    [acknowledgement] = smtp_server.to(EMAIL)
    match = re.search(rf"{re.escape(site)}/fr/follow/[\w-]+/", acknowledgement.text)
    assert match is not None, acknowledgement.text
    link = match.group(0)
    complaint = Complaint.objects.get()

    page.goto(link)
    assert page.locator("h1").inner_text().endswith(complaint.reference)
    for language in LANGUAGES:
        page.goto(link.replace("/fr/", f"/{language}/"))
        assert complaint.reference in page.locator(".reference").inner_text()
        assert_accessible(page, language, "follow page")

    # The service answers: the complaint is admissible, and unfounded.
    by = manager()
    complaint_decide_admissibility(complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=by)
    complaint_answer(
        parts={"findings": "Nagekeken."}, complaint=complaint, outcome=Outcome.UNFOUNDED, by=by
    )

    page.goto(link)
    assert page.locator("#satisfaction").is_visible()
    assert_accessible(page, "fr", "follow page with the satisfaction question")

    # Keyboard only: into the radio group, the arrow key to "no", Space, then Enter to send.
    tab_to(page, "input[name='satisfied']")
    for _ in range(2):
        if focused_matches(page, "input[name='satisfied'][value='no']"):
            break
        page.keyboard.press("ArrowRight")
    assert focused_matches(page, "input[name='satisfied'][value='no']"), describe_focus(page)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, "#satisfaction button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("#ombudsman")
    route = page.locator("#ombudsman").inner_text()
    for detail in (
        "mediateurfederal.be",
        "rue de Louvain 48 boîte 6, 1000 Bruxelles",
        "0800 99 961",
        "contact@mediateurfederal.be",
    ):
        assert detail in route, route
    assert Satisfaction.objects.get(complaint=complaint).satisfied is False
    assert_accessible(page, "fr", "follow page after 'not satisfied'")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_other_pages_of_a_follow_link_pass_axe(
    page: Page, site: str, smtp_server: MailServer, language: str
) -> None:
    """The pages around the follow page: errors, withdrawal, bad links, the lost link."""
    file_a_complaint(page, site)
    match = re.search(r"/fr/follow/([\w-]+)/", smtp_server.to(EMAIL)[0].text)
    assert match is not None
    base = f"{site}/{language}/follow"
    link = f"{base}/{match.group(1)}/"

    page.goto(link)
    with page.expect_navigation():
        page.locator("#reply button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, language, "reply with errors")

    page.goto(f"{link}withdraw/")
    assert_accessible(page, language, "withdrawal")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == link
    assert_accessible(page, language, "follow page of a withdrawn complaint")

    page.goto(f"{base}/not-a-real-link/")
    assert_accessible(page, language, "invalid link")

    page.goto(f"{base}/lost/")
    assert_accessible(page, language, "lost link")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, language, "lost link with errors")
    page.fill("#id_reference", "2020-000001")
    page.fill("#id_email", EMAIL)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{base}/lost/sent/"
    assert_accessible(page, language, "lost link sent")
