"""A database that cannot be reached (E19): the visitor gets the site's own translated "try
again in a moment" page at once, never a bare server error; queries cannot run for ever."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.conftest import free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


@pytest.fixture
def database_gone() -> Iterator[None]:
    """The web's connection points at a database that is not there."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = str(free_port())
    else:
        connection.settings_dict["NAME"] = "/nonexistent/querela.sqlite3"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def french(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


@pytest.mark.parametrize("path", ["/fr/", "/fr/complaint/", "/fr/follow/some-link/"])
def test_the_visitor_gets_a_translated_try_again_page(database_gone: None, path: str) -> None:
    started = time.monotonic()
    response = Client(HTTP_HOST="localhost").get(path)
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert french("Try again in a moment") in page
    assert 'lang="fr"' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement timeout")
def test_postgresql_connections_have_a_statement_timeout() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("15s",)
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5
