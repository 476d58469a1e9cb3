"""Every page carries a Content-Security-Policy without 'unsafe-inline', and holds no inline
script or style it would block; personal pages are never cached."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.helpers import file_complaint, personal_token, triage_answers

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>|\sstyle=", re.I)


def assert_strict_csp(response: object, url: str) -> None:
    policy = response["Content-Security-Policy"]  # type: ignore[index]
    assert "unsafe-inline" not in policy, url
    # The nonce appears only on pages that use it (the admin's).
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", policy), url
    assert re.search(r"style-src 'self'( 'nonce-[^']+')?;", policy), url
    assert "frame-ancestors 'none'" in policy, url
    html = response.content.decode()  # type: ignore[attr-defined]
    assert not INLINE_SCRIPT.search(html), url
    assert not INLINE_STYLE.search(html), url


def test_public_pages_have_a_strict_policy(demo: None, client: Client) -> None:
    for url in ["/fr/", "/fr/complaint/", "/fr/accessibility/", "/fr/privacy/", "/fr/nowhere/"]:
        assert_strict_csp(client.get(url), url)
    client.post("/fr/complaint/", triage_answers())
    assert_strict_csp(client.get("/fr/complaint/form/"), "form")


def test_the_personal_page_has_a_strict_policy_and_is_never_cached(
    demo: None, client: Client
) -> None:
    file_complaint(client)
    token = personal_token(client)
    response = client.get(f"/fr/follow/{token}/")
    assert response.status_code == 200
    assert_strict_csp(response, "follow")
    assert "no-store" in response["Cache-Control"]


def test_back_office_and_admin_pages_have_a_strict_policy(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    manager = cast.client_for(cast.manager)
    for url in [
        "/nl/staff/deadlines/",
        "/nl/staff/complaints/",
        f"/nl/staff/complaints/{complaint.pk}/",
        "/nl/staff/complaints/register/",
    ]:
        assert_strict_csp(manager.get(url), url)
    letter = complaint.messages.first()
    assert letter is not None
    url = f"/nl/staff/complaints/{complaint.pk}/letters/{letter.pk}/"
    assert_strict_csp(manager.get(url), url)
    admin = cast.client_for(cast.administrator)
    for url in [
        "/admin/",
        "/admin/configuration/category/",
        "/admin/configuration/category/1/change/",
    ]:
        assert_strict_csp(admin.get(url), url)


def test_the_authenticator_set_up_page_has_a_strict_policy(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.handler)
    response = client.get("/nl/staff/login/authenticator/")
    assert "<svg" in response.content.decode()
    assert_strict_csp(response, "enrol")


@pytest.mark.parametrize("url", ["/fr/", "/nl/staff/login/"])
def test_pages_are_not_framed(db: None, client: Client, url: str) -> None:
    assert client.get(url)["X-Frame-Options"] == "DENY"


@pytest.mark.browser
def test_chromium_reports_no_policy_violation(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    """The pages load in a real browser under the policy: nothing blocked, nothing reported."""
    from configuration.demo import load_demo_configuration
    from tests.conftest import make_demo_accounts

    load_demo_configuration()
    make_demo_accounts()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    site = live_server.url
    for path in ["/fr/", "/fr/complaint/", "/fr/accessibility/", "/nl/staff/login/"]:
        page.goto(site + path)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo-2026")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".qr-code svg").is_visible()
    page.goto(site + "/admin/")  # sends back to the second factor: the admin needs it too
    assert "/staff/login/" in page.url
    assert violations == []
