"""The API's documentation page works in a real browser under the site's Content-Security-
Policy: Swagger UI from the package's own static files lists every operation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from api.main import api

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_documentation_page_lists_every_operation(page: Page, live_server: LiveServer) -> None:
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    shown = {
        text.replace("\u200b", "")
        for text in page.locator(".opblock-summary-path").all_inner_texts()
    }
    documented = set(api.get_openapi_schema()["paths"])
    assert documented <= shown, documented - shown
    assert not refused, refused
