"""Filing complaints through HTTP, as a person would, for tests of what comes after."""

from __future__ import annotations

import datetime
import re
from typing import Any

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
