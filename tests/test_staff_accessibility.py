"""The back office passes axe-core's WCAG 2.1 A/AA rules in Chromium, in every language, as
the complaints manager uses it: log in, the deadlines, the work list, a complaint, the
admissibility decision with its draft letter, the answer with errors, registration; and the
mailbox's pages (the intake queue, a waiting mail, the demo mailbox's answer form)."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from complaints import handling
from complaints.models import Complaint, DecisionKind, IncomingKind, IncomingMail, IncomingState
from configuration.demo import load_demo_configuration
from messaging.mailbox import store_mail
from tests.browser import Inspector, submit, where
from tests.conftest import make_demo_accounts
from tests.helpers import file_complaint, totp_code

pytestmark = pytest.mark.browser

LANGUAGES = ["nl", "fr", "de", "en"]


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    load_demo_configuration()
    make_demo_accounts()
    return live_server.url


def log_in(page: Page, site: str, inspector: Inspector, username: str = "beheerder") -> None:
    """The first login: password, then the authenticator app set up from the key shown as
    text (its code computed here), the recovery codes, and on to the back office."""
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    submit(page)
    assert "/staff/login/authenticator/" in page.url, where(page)
    inspector.check("authenticator set-up")
    secret = page.inner_text("#secret").replace(" ", "")
    page.fill("#id_code", totp_code(base64.b32decode(secret).hex()))
    submit(page)
    inspector.check("recovery codes")
    with page.expect_navigation():
        page.locator("main a.button").click()
    assert page.url.endswith("/staff/deadlines/"), where(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_back_office_page_passes_axe(page: Page, site: str, language: str) -> None:
    complaint: Complaint = file_complaint(Client(HTTP_HOST="localhost"))
    inspector = Inspector(page, language)
    page.goto(f"{site}/{language}/staff/login/")
    inspector.check("login")
    log_in(page, site, inspector)
    base = f"{site}/{language}/staff"

    page.goto(f"{base}/deadlines/")
    inspector.check("deadlines")
    page.goto(f"{base}/complaints/")
    inspector.check("work list")
    page.goto(f"{base}/complaints/?q=Dupont&status=open&overdue=on")
    inspector.check("work list, filtered")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    inspector.check("complaint")

    page.goto(f"{base}/complaints/{complaint.pk}/admissibility/")
    inspector.check("admissibility")
    submit(page)
    inspector.check("admissibility with errors")
    page.check("input[name='kind'][value='inadmissible']")
    page.check("input[name='grounds'][value='G3']")
    submit(page)
    assert page.locator("input[name='subject']").is_visible(), where(page)
    inspector.check("admissibility, draft letter")
    with page.expect_navigation():
        page.locator("button[value='preview']").click()
    inspector.check("admissibility, preview")

    # The answer: its parts, a preview warning of another language, a refused letter.
    admissible = file_complaint(Client(HTTP_HOST="localhost"), language="fr")
    handling.complaint_decide_admissibility(
        complaint=admissible,
        kind=DecisionKind.ADMISSIBLE,
        by=User.objects.get(username="beheerder"),
    )
    page.goto(f"{base}/complaints/{admissible.pk}/answer/")
    page.check("input[name='outcome'][value='unfounded']")
    submit(page)
    page.fill(
        "textarea[name='findings']", "We hebben uw dossier grondig nagekeken en niets gevonden."
    )
    with page.expect_navigation():
        page.locator("button[value='preview']").click()
    assert page.locator("#language-warning").is_visible(), where(page)
    inspector.check("answer, preview with a language warning")
    page.fill("textarea[name='findings']", "")
    with page.expect_navigation():
        page.locator("button[value='send']").click()
    assert page.locator("#error-summary").is_visible(), where(page)
    inspector.check("answer refused: a part is empty")

    page.goto(f"{base}/complaints/{complaint.pk}/assign/")
    inspector.check("assign")
    page.goto(f"{base}/complaints/{complaint.pk}/interim/")
    submit(page)
    inspector.check("interim message with errors")
    page.goto(f"{base}/complaints/{complaint.pk}/ombudsman/")
    inspector.check("Ombudsman request")
    page.goto(f"{base}/complaints/{complaint.pk}/audit/")
    inspector.check("audit log")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    with page.expect_navigation():
        page.locator("button.danger").click()
    inspector.check("revoke the links: confirmation")
    page.goto(f"{base}/figures/")
    inspector.check("figures")
    page.goto(f"{base}/complaints/register/")
    submit(page)
    inspector.check("register with errors")
    page.goto(f"{site}/{language}/staff/api-tokens/")
    inspector.check("API tokens")
    page.fill("#id_name", "records")
    submit(page)
    assert page.locator("code.api-token").is_visible(), where(page)
    inspector.check("API tokens, a new token shown")

    assert not inspector.findings, "\n\n".join(inspector.findings)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mailbox_pages_pass_axe(
    page: Page, site: str, language: str, settings: Settings, tmp_path: Path
) -> None:
    """The intake queue, a new mail waiting in it, and the demo mailbox's answer form."""
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    settings.MAILBOX_DIRECTORY = str(tmp_path / "service-mailbox")
    letter = EmailMessage()
    letter["To"], letter["Reply-To"] = "anne.dupont@example.be", "klachten@example.org"
    letter["Subject"], letter["Message-ID"] = "Accusé de réception", "<1@example.org>"
    letter.set_content("Nous avons bien reçu votre plainte.")
    name = store_mail(tmp_path / "mailbox", letter.as_bytes()).removesuffix(".eml")
    mail = IncomingMail.objects.create(
        digest="0" * 64, received_at=timezone.now(), taken_at=timezone.now(),
        sender="jan@example.be", sender_name="Jan Peeters", subject="Klacht",
        text="Mijn dossier ligt stil.", kind=IncomingKind.NEW, state=IncomingState.WAITING,
        raw=ContentFile(b"Subject: Klacht\r\n\r\nMijn dossier ligt stil.\r\n", name="mail.eml"),
    )  # fmt: skip
    inspector = Inspector(page, language)
    page.goto(f"{site}/{language}/staff/login/")
    log_in(page, site, inspector)
    base = f"{site}/{language}/staff"

    page.goto(f"{base}/intake/")
    inspector.check("mailbox queue")
    page.goto(f"{base}/intake/{mail.pk}/")
    inspector.check("a new mail in the queue")
    page.goto(f"{base}/demo-mailbox/?mail={name}")
    assert page.locator("textarea[name='text']").is_visible(), where(page)
    inspector.check("demo mailbox, answer as the complainant")

    assert not inspector.findings, "\n\n".join(inspector.findings)
