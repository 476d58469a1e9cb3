"""The action plan and recurring themes pages pass axe-core's WCAG 2.1 A/AA rules in
Chromium, in every language, as the complaints manager uses them, errors included."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from configuration.demo import load_demo_configuration
from improvement.models import ImprovementAction, Theme
from improvement.themes import themes_refresh
from tests.browser import Inspector, log_in_as, submit
from tests.conftest import make_demo_accounts
from tests.test_staff_accessibility import LANGUAGES
from tests.themes_corpus import generate, store

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    load_demo_configuration()
    make_demo_accounts()
    return live_server.url


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_and_themes_pages_pass_axe(page: Page, site: str, language: str) -> None:
    ids = store(generate(120), timezone.now().replace(month=1, day=15, hour=10))
    year = timezone.localdate().year
    themes_refresh(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    theme = Theme.objects.filter(members__isnull=False).first()
    assert theme is not None
    action = ImprovementAction.objects.create(
        title="Telefoonlijn versterken",
        created_on=timezone.localdate(),
        created_by=User.objects.get(username="beheerder"),
    )
    action.themes.add(theme)
    action.complaints.add(ids[0])
    inspector = Inspector(page, language)
    page.goto(f"{site}/nl/staff/login/")
    log_in_as(page, "beheerder")
    base = f"{site}/{language}/staff"

    page.goto(f"{base}/plan/")
    inspector.check("action plan")
    page.goto(f"{base}/plan/?start={year}-12-31&end={year}-01-01")
    inspector.check("action plan, reversed period")
    page.goto(f"{base}/plan/new/")
    submit(page)
    inspector.check("new action with errors")
    page.goto(f"{base}/plan/{action.pk}/")
    inspector.check("action")
    page.goto(f"{base}/plan/{action.pk}/edit/")
    inspector.check("change an action")
    page.goto(f"{base}/themes/")
    inspector.check("themes")
    page.goto(f"{base}/themes/?start=2001-01-01&end=2001-12-31")
    inspector.check("themes, empty period")
    page.goto(f"{base}/themes/{theme.pk}/")
    inspector.check("theme")
    page.locator("form[action$='/merge/'] button").click()
    page.wait_for_load_state()
    inspector.check("theme, merge refused")
    page.locator("form[action$='/add/'] button").click()
    page.wait_for_load_state()
    inspector.check("theme, add refused")
    page.goto(f"{base}/complaints/{ids[0]}/")
    inspector.check("complaint with theme and action")
    member = theme.members.values_list("complaint_id", flat=True).first()
    page.goto(f"{base}/complaints/{member}/")
    inspector.check("complaint with similar complaints")
    page.goto(f"{base}/complaints/{member}/similar/")
    inspector.check("complaints like this one")

    assert not inspector.findings, "\n\n".join(inspector.findings)
