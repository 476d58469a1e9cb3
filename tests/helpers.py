"""Filing complaints through HTTP, as a person would, for tests of what comes after."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import struct
import time
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from complaints.models import Complaint
from configuration.models import Category, TriageQuestion


def triage_answers(**yes: bool) -> dict[str, str]:
    """Every active triage question answered "no", except those named ``code=True``."""
    answers = {q.code: "no" for q in TriageQuestion.objects.filter(active=True)}
    for code, value in yes.items():
        answers[code.replace("_", "-")] = "yes" if value else "no"
    return answers


def valid_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "complainant_kind": "person",
        "first_name": "Anne",
        "last_name": "Dupont",
        "email": "anne.dupont@example.be",
        "postal_address": "",
        "phone": "",
        "language": "fr",
        "category": Category.objects.get(code="waiting-time").pk,
        "facts_start": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "facts_end": "",
        "description": "J'attends depuis trois mois une réponse à mon courrier du 3 août.",
        "desired_outcome": "",
        "concerned": "",
        "own_reference": "",
    }
    data.update(overrides)
    return data


def personal_token(client: Client, page_language: str = "fr") -> str:
    """The token of the personal link the confirmation page shows (once) after filing."""
    page = client.get(f"/{page_language}/complaint/filed/").content.decode()
    found = re.search(r'href="/[a-z]{2}/follow/([^/"]+)/" class="follow-link"', page)
    assert found is not None, page[:3000]
    return found.group(1)


def file_complaint(client: Client, page_language: str = "fr", **overrides: Any) -> Complaint:
    """Goes through the triage (all "no") and the form; returns the registered complaint."""
    response = client.post(f"/{page_language}/complaint/", triage_answers())
    assert response.status_code == 302, response.content
    response = client.post(f"/{page_language}/complaint/form/", valid_form(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    filed = client.session["filed_complaint"]
    return Complaint.objects.get(pk=filed["id"])


def totp_code(key_hex: str, at: float | None = None, step: int = 30) -> str:
    """The 6-digit code an authenticator app shows for the secret ``key_hex`` (RFC 6238),
    computed here, not by the library under test."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def pass_second_factor(client: Client, user: User) -> None:
    """Marks a logged-in test client's session as having given the second factor, as the
    second-factor page does (for tests about what comes after logging in)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "authenticator"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


LETTER_PARTS = ("findings", "changes", "question")


def letter_fields(page: str) -> dict[str, str]:
    """The letter's fields as the compose page shows them: the subject and each part."""
    import html

    fields = {}
    subject = re.search(r'name="subject"[^>]*value="([^"]*)"', page)
    assert subject, page[:3000]
    fields["subject"] = html.unescape(subject.group(1))
    for name in LETTER_PARTS:
        part = re.search(rf'<textarea name="{name}"[^>]*>\s*(.*?)</textarea>', page, re.S)
        if part:
            fields[name] = html.unescape(part.group(1))
    return fields
