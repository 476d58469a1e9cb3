"""Every public page, in every language, passes axe-core's WCAG 2.1 A/AA rules in Chromium.

The accessibility statement promises this; the test walks the path a complainant takes
(home, triage, its errors, the advice, the form, its errors, the confirmation) and the two
pages linked from every footer, and checks each page as the browser shows it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from configuration.demo import load_demo_configuration
from configuration.models import Category, TriageQuestion
from tests.browser import Inspector, submit, where

pytestmark = pytest.mark.browser

LANGUAGES = ["nl", "fr", "de", "en"]


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    """The live server's address, with POD MI's demo configuration loaded."""
    load_demo_configuration()
    return live_server.url


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_passes_axe_in_every_language(
    page: Page, site: str, language: str
) -> None:
    base = f"{site}/{language}"
    inspector = Inspector(page, language)
    questions = list(TriageQuestion.objects.filter(active=True).values_list("code", flat=True))

    page.goto(f"{base}/")
    inspector.check("home")

    page.goto(f"{base}/complaint/")
    inspector.check("triage")

    submit(page)
    assert page.locator("#error-summary").is_visible()
    inspector.check("triage with errors")

    for code in questions:
        page.check(f"input[name='{code}'][value='{'yes' if code == 'appeal' else 'no'}']")
    submit(page)
    assert page.url == f"{base}/complaint/advice/", where(page)
    inspector.check("advice")

    page.goto(f"{base}/complaint/form/")
    assert page.url == f"{base}/complaint/form/", where(page)
    inspector.check("complaint form")

    submit(page)
    assert page.locator("#error-summary").is_visible()
    inspector.check("complaint form with errors")

    page.check("input[name='complainant_kind'][value='person']")
    page.fill("#id_first_name", "Anne")
    page.fill("#id_last_name", "Dupont")
    page.fill("#id_email", "anne.dupont@example.be")
    category = Category.objects.get(code="waiting-time")
    page.check(f"input[name='category'][value='{category.pk}']")
    facts = timezone.localdate() - datetime.timedelta(days=10)
    page.fill("#id_facts_start", facts.isoformat())
    page.fill("#id_description", "J'attends depuis trois mois une réponse à mon courrier.")
    submit(page)
    assert page.url == f"{base}/complaint/filed/", where(page)
    assert re.fullmatch(r"\d{4}-\d{6}", page.locator(".reference").inner_text().strip())
    inspector.check("confirmation")

    page.goto(f"{base}/accessibility/")
    inspector.check("accessibility statement")

    page.goto(f"{base}/privacy/")
    inspector.check("privacy")

    assert not inspector.findings, "\n\n".join(inspector.findings)
