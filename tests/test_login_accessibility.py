"""The pages this hardening added pass axe-core's WCAG 2.1 A/AA rules in Chromium: the second
step of logging in (with its error), the lock-out page, the error pages, and the public form
when the filing limit sends it back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from configuration.demo import load_demo_configuration
from tests.browser import Inspector, submit
from tests.conftest import make_demo_accounts
from tests.helpers import valid_form

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    load_demo_configuration()
    make_demo_accounts()
    return live_server.url


DEMO_PASSWORD = "demo-2026"


def log_in(page: Page, site: str, language: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{site}/{language}/staff/login/")
    page.fill("#id_username", "behandelaar")
    page.fill("#id_password", password)
    submit(page)


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_login_pages_pass_axe(page: Page, site: str, language: str) -> None:
    TOTPDevice.objects.create(user=User.objects.get(username="behandelaar"), name="app")
    inspector = Inspector(page, language)
    log_in(page, site, language)
    assert "/staff/login/second-factor/" in page.url
    inspector.check("second factor")
    page.fill("#id_code", "1")
    submit(page)
    inspector.check("second factor with an error")
    page.goto(f"{site}/{language}/nowhere/")
    inspector.check("page not found")
    for _ in range(5):
        log_in(page, site, language, password="wrong")
    inspector.check("locked out")
    assert not inspector.findings, "\n\n".join(inspector.findings)


def test_the_form_sent_back_by_the_filing_limit_passes_axe(
    page: Page, site: str, settings: Settings
) -> None:
    settings.FILING_LIMIT_PER_ADDRESS = 0
    inspector = Inspector(page, "fr")
    page.goto(f"{site}/fr/complaint/")
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    submit(page)
    data = valid_form()
    for name in ("first_name", "last_name", "email", "facts_start", "description"):
        page.fill(f"#id_{name}", str(data[name]))
    page.check("input[name=complainant_kind][value=person]")
    page.locator("input[name=category]").first.check()
    submit(page)
    assert "Votre plainte n'a pas encore été envoyée" in page.content()
    assert page.input_value("#id_last_name") == "Dupont"
    inspector.check("form sent back by the filing limit")
    assert not inspector.findings, "\n\n".join(inspector.findings)
