"""The site's own error pages, in the page's language (never Django's bare English ones)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.usefixtures("demo")


def test_a_missing_page_says_so_in_the_page_language(client: Client) -> None:
    response = client.get("/fr/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html


def test_a_request_that_cannot_be_read_gets_a_translated_page() -> None:
    response = Client(HTTP_HOST="not allowed", raise_request_exception=False).get("/de/")
    assert response.status_code == 400
    assert "Wir konnten nicht lesen, was gesendet wurde" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_a_translated_page() -> None:
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    response = client.post("/nl/complaint/", {})
    assert response.status_code == 403
    assert "Verstuur het formulier opnieuw" in response.content.decode()


def test_refused_access_gets_a_translated_page(client: Client) -> None:
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/fr/")
    with translation.override("fr"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_server_error_gets_a_translated_page_without_the_database() -> None:
    with translation.override("nl"):
        response = server_error(RequestFactory().get("/nl/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Er ging bij ons iets mis" in html
