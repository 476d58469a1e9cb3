"""The home page, the first triage page and the empty form are rendered once per process and
served to every visitor with their own CSRF token (``portal.pages``)."""

from __future__ import annotations

import re

import pytest
from django.template import Template
from django.test import Client
from django.test.signals import template_rendered
from pytest_django.fixtures import Settings

from complaints.models import Complaint
from configuration.models import TriageQuestion
from tests.helpers import triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"


def token_in(html: str) -> str:
    found = TOKEN.search(html)
    assert found, html[:2000]
    return found.group(1)


def visitor_of(path: str) -> Client:
    """A new visitor, who has answered the triage if ``path`` is the form that needs it."""
    visitor = Client()
    if path.endswith("/form/"):
        visitor.post("/en/complaint/", triage_answers())
    return visitor


def rendered_templates(client: Client, path: str) -> list[str]:
    names: list[str] = []

    def seen(sender: Template, **kwargs: object) -> None:
        names.append(str(sender.name))

    template_rendered.connect(seen)
    try:
        response = client.get(path)
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200, (path, response.status_code)
    return names


@pytest.mark.parametrize("path", ["/fr/", "/nl/complaint/", "/de/complaint/form/"])
def test_a_page_the_same_for_everyone_is_rendered_once(path: str) -> None:
    first, second = visitor_of(path), visitor_of(path)
    assert rendered_templates(first, path)
    assert rendered_templates(second, path) == []


def test_each_visitor_gets_their_own_working_token() -> None:
    """The kept page carries each visitor's own token, which their CSRF cookie accepts."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = [
        token_in(visitor.get("/fr/complaint/").content.decode()) for visitor in (first, second)
    ]
    assert tokens[0] != tokens[1]
    for visitor, token in zip((first, second), tokens, strict=True):
        response = visitor.post(
            "/fr/complaint/", {**triage_answers(), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        form = visitor.get("/fr/complaint/form/").content.decode()
        data = {**valid_form(), "csrfmiddlewaretoken": token_in(form)}
        assert visitor.post("/fr/complaint/form/", data).status_code == 302
    assert Complaint.objects.count() == 2
    # Someone else's token does not pass this visitor's cookie.
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/fr/complaint/")
    refused = stranger.post("/fr/complaint/", {**triage_answers(), "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


@pytest.mark.parametrize("path", ["/nl/", "/fr/complaint/", "/en/complaint/form/"])
def test_the_kept_page_is_the_page_a_fresh_render_gives(path: str, settings: Settings) -> None:
    client = visitor_of(path)
    client.get(path)
    kept = client.get(path).content.decode()
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": DUMMY_CACHE}}
    fresh = client.get(path).content.decode()
    assert TOKEN.sub("", kept) == TOKEN.sub("", fresh)


def test_a_page_asked_for_with_a_query_string_is_rendered_for_it(client: Client) -> None:
    client.get("/fr/complaint/")  # the plain page, kept
    page = client.get("/fr/complaint/?from=home").content.decode()
    assert 'href="/nl/complaint/?from=home" lang="nl"' in page


def test_answers_given_before_are_never_kept_for_others() -> None:
    question = TriageQuestion.objects.filter(active=True).first()
    assert question is not None
    answered = Client()
    answered.post("/fr/complaint/", triage_answers(**{question.code: True}))
    mine = answered.get("/fr/complaint/").content.decode()
    assert re.search(rf'name="{question.code}" value="yes"[^>]*checked', mine)
    theirs = Client().get("/fr/complaint/").content.decode()
    assert not re.search(r'value="yes"[^>]*checked', theirs)


def test_a_form_with_errors_is_never_kept_for_others() -> None:
    mistaken = Client()
    mistaken.post("/fr/complaint/", triage_answers())
    response = mistaken.post("/fr/complaint/form/", valid_form(email="not-an-address"))
    assert 'id="id_email_error"' in response.content.decode()
    other = Client()
    other.post("/fr/complaint/", triage_answers())
    page = other.get("/fr/complaint/form/").content.decode()
    assert "not-an-address" not in page
    assert 'id="id_email_error"' not in page
