"""50 people file at the same moment against a live server: 50 distinct, consecutive
references (E3) and 50 acknowledgements. Runs on SQLite and, in CI, on PostgreSQL."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from complaints.models import Complaint
from configuration.models import Category, TriageQuestion
from messaging.models import OutboxMessage, State
from tests.conftest import MailServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

PEOPLE = 50


class Person:
    """A browser of one: its own cookies (session, CSRF) against the live server."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=60) as response:
            return str(response.read().decode())

    def form_post(self, path: str, data: dict[str, str]) -> urllib.request.Request:
        """Opens the form at ``path`` and prepares its submission with ``data``."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path))
        assert token is not None
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        return urllib.request.Request(
            self.base_url + path, data=body, headers={"Referer": self.base_url + path}
        )

    def send(self, request: urllib.request.Request) -> str:
        with self.opener.open(request, timeout=120) as response:
            return str(response.read().decode())


def test_fifty_simultaneous_complaints_get_fifty_consecutive_references(
    live_server: object, smtp_server: MailServer
) -> None:
    base_url = str(live_server)
    triage = {q.code: "no" for q in TriageQuestion.objects.filter(active=True)}
    category = str(Category.objects.get(code="behaviour").pk)
    people = [Person(base_url) for _ in range(PEOPLE)]
    for person in people:  # everyone has passed the triage and has the form open
        person.send(person.form_post("/nl/complaint/", triage))
    start = threading.Barrier(PEOPLE)

    def file(number: int) -> str:
        form = {
            "complainant_kind": "person",
            "first_name": f"Persoon{number}",
            "last_name": "Test",
            "email": f"p{number}@example.be",
            "language": "nl",
            "category": category,
            "facts_start": timezone.localdate().isoformat(),
            "description": "De medewerker aan het onthaal was onvriendelijk en onbeleefd.",
        }
        person = people[number]
        request = person.form_post("/nl/complaint/form/", form)
        start.wait()
        confirmation = person.send(request)
        found = re.search(r'class="reference">([^<]+)<', confirmation)
        assert found is not None, confirmation[:2000]
        return found.group(1)

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        references = list(pool.map(file, range(PEOPLE)))

    year = timezone.localdate().year
    assert len(set(references)) == PEOPLE
    assert sorted(references) == [f"{year}-{n:06d}" for n in range(1, PEOPLE + 1)]
    assert Complaint.objects.count() == PEOPLE
    assert OutboxMessage.objects.filter(state=State.SENT).count() == PEOPLE
    received = sorted(str(mail.message["To"]) for mail in smtp_server.mails)
    assert received == sorted(f"p{n}@example.be" for n in range(PEOPLE))
