"""The evaluation passes axe-core's WCAG 2.1 A/AA rules in Chromium, in every language, as
management reads it: a year with figures and charts, a period of days, a bad period."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page

from tests.browser import Inspector, log_in_as, where
from tests.helpers import file_complaint
from tests.test_evaluation import at, make
from tests.test_staff_accessibility import LANGUAGES, site  # noqa: F401  # the fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evaluation_passes_axe(page: Page, site: str, language: str) -> None:  # noqa: F811
    file_complaint(Client(HTTP_HOST="localhost"))
    make(1, at("2025-03-10"), channel="letter")
    inspector = Inspector(page, language)
    page.goto(f"{site}/{language}/staff/login/")
    log_in_as(page, "directie")
    assert "/staff/figures/" in page.url, where(page)
    inspector.check("evaluation of this year")
    page.goto(f"{site}/{language}/staff/figures/?year=2025")
    inspector.check("evaluation of 2025")
    page.goto(f"{site}/{language}/staff/figures/?start=2025-03-01&end=2025-03-31")
    inspector.check("evaluation of a period")
    page.goto(f"{site}/{language}/staff/figures/?start=2025-03-31&end=2025-03-01")
    assert page.locator("#error-summary").is_visible(), where(page)
    inspector.check("evaluation, bad period")
    assert not inspector.findings, "\n\n".join(inspector.findings)
