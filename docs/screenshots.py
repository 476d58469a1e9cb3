"""Takes the README's screenshots from a running demo (``python3 dev.py run``).

.venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def shoot(page: Page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def main(base: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="fr-BE")
        page.goto(f"{base}/fr/complaint/")
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        shoot(page, "triage-fr")
        page.locator("main form button[type=submit]").click()
        page.locator("main form button[type=submit]").click()  # empty: the errors
        shoot(page, "form-errors-fr")
        page.check("input[name=complainant_kind][value=person]")
        page.fill("#id_first_name", "Anne")
        page.fill("#id_last_name", "Dupont")
        page.fill("#id_email", "anne.dupont@example.be")
        page.locator("input[name=category]").nth(2).check()
        page.fill("#id_facts_start", "2026-11-02")
        page.fill(
            "#id_description",
            "J'attends depuis trois semaines une réponse à mon "
            "courrier du 2 novembre au sujet de mon dossier.",
        )
        page.locator("main form button[type=submit]").click()
        shoot(page, "confirmation-fr")
        staff = browser.new_page(viewport={"width": 1280, "height": 1000})
        staff.goto(f"{base}/nl/staff/login/")
        staff.fill("#id_username", "beheerder")
        staff.fill("#id_password", "demo-2026")
        staff.locator("main form button[type=submit]").click()
        staff.goto(f"{base}/nl/staff/complaints/")
        shoot(staff, "work-list-nl")
        staff.locator("main table a").first.click()
        shoot(staff, "complaint-nl", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
