"""A real headless Chromium for the accessibility and keyboard tests, and axe-core to judge pages.

Registered as a pytest plugin in ``tests/conftest.py``: tests name ``browser`` or ``page``.
Debian's Chromium is used when it is there (``CHROMIUM_PATH`` or ``chromium`` on the path);
otherwise Playwright's own build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any, cast

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

# Playwright's sync API keeps an event loop running in the test's thread, which makes Django
# refuse the test's own database queries unless told that this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DEFAULT_LOCALE = "fr-BE"

# What the accessibility statement promises: WCAG 2.1 level A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """
(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then((results) => results.violations)
"""


def chromium_path() -> str | None:
    """Debian's Chromium, or None to let Playwright use the browser it downloaded."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: a Content-Security-Policy cannot block it.
        page.evaluate(AXE_SCRIPT)
    return cast(list[dict[str, Any]], page.evaluate(_RUN_AXE, WCAG_TAGS))


def where(page: Page) -> str:
    """Where a path ended up, for an assertion message: address, title, any form errors."""
    summary = page.locator("#error-summary")
    errors = summary.inner_text() if summary.count() else ""
    return f"{page.url} ({page.title()}) {errors}".strip()


def format_violations(violations: list[dict[str, Any]], location: str = "") -> str:
    """A readable assertion message: each rule, its impact, and the elements that break it."""
    lines = [f"{len(violations)} axe violation(s){f' on {location}' if location else ''}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')}"
            f" <{violation.get('helpUrl')}>"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    at {', '.join(str(t) for t in node.get('target', []))}")
            lines.append(f"       {node.get('html', '')}")
            summary = str(node.get("failureSummary") or "")
            lines.extend(f"         {line}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run; each test gets its own context (cookies, storage)."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in a fresh context, in the language a module names in ``BROWSER_LOCALE``."""
    locale = getattr(request.module, "BROWSER_LOCALE", DEFAULT_LOCALE)
    context = browser.new_context(locale=locale, timezone_id="Europe/Brussels")
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    context.close()


class Inspector:
    """Checks pages one after another and keeps every finding, so one run reports them all."""

    def __init__(self, page: Page, language: str) -> None:
        self.page = page
        self.language = language
        self.findings: list[str] = []

    def check(self, name: str) -> None:
        location = f"{name} ({self.page.url})"
        lang = self.page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.findings.append(f"<html lang={lang!r}> on {location}, expected {self.language!r}")
        violations = axe_violations(self.page)
        if violations:
            self.findings.append(format_violations(violations, location))


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


# Keyboard use: how far a person would Tab before giving up.
MAX_TABS = 80


def focused_matches(page: Page, selector: str) -> bool:
    matched: bool = page.evaluate(
        "(selector) => document.activeElement?.matches(selector) ?? false", selector
    )
    return matched


def describe_focus(page: Page) -> str:
    described: str = page.evaluate(
        "document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'"
    )
    return described


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the focused element matches ``selector``, as a person looks for it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(
        f"{selector} not reached with {MAX_TABS} Tab presses; focus on {describe_focus(page)}"
    )


def log_in_as(page: Page, username: str, password: str = "demo-2026") -> None:  # noqa: S107
    """On the back office's login page: the password, then, on a first login, the
    authenticator app set up from the key the page shows as text (its code computed here), and
    on past the recovery codes."""
    import base64

    from tests.helpers import totp_code

    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)
    if "/staff/login/authenticator/" in page.url:
        secret = page.inner_text("#secret").replace(" ", "")
        page.fill("#id_code", totp_code(base64.b32decode(secret).hex()))
        submit(page)
        with page.expect_navigation():
            page.locator("main a.button").click()
