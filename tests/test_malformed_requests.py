"""Malformed requests (a body in another charset than it declares, a charset nobody knows, broken
percent-encoding, a multipart body without a usable boundary, too many fields) get the site's
own translated 400 on every form, public and back office, never a server error: the page that
says so does not read the body again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory
from django.utils import translation

from querela import errors
from tests.conftest import Cast
from tests.helpers import file_complaint, personal_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

# A CSRF secret of our own: the cookie and the form field carry it, as a browser would send them.
CSRF = "a" * 16 + "B" * 16
FORM = "application/x-www-form-urlencoded"


def urlencoded(charset: str, encoding: str) -> tuple[str, bytes]:
    body = f"csrfmiddlewaretoken={CSRF}&reference=2026-000001&email=anne%40example.be&text=ok"
    return f"{FORM}; charset={charset}", body.encode(encoding)


def multipart(
    boundary_parameter: str, boundary: str = "xyz", charset: str = ""
) -> tuple[str, bytes]:
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{CSRF}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="text"\r\n\r\n'
        "ok\r\n"
        f"--{boundary}--\r\n"
    )
    content_type = f"multipart/form-data{boundary_parameter}" + (
        f"; charset={charset}" if charset else ""
    )
    return content_type, body.encode()


KINDS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "utf-16 declared and sent": lambda: urlencoded("utf-16", "utf-16"),
    "utf-16 declared, utf-8 sent": lambda: urlencoded("utf-16", "utf-8"),
    "latin-1 declared": lambda: urlencoded("iso-8859-1", "latin-1"),
    "a charset Python does not know": lambda: urlencoded("x-klingon-42", "utf-8"),
    "percent-encoding that is not hexadecimal": lambda: (
        FORM,
        f"csrfmiddlewaretoken={CSRF}&reference=%ZZ2026&email=a%4".encode(),
    ),
    "percent-encoding that is not utf-8": lambda: (
        FORM,
        f"csrfmiddlewaretoken={CSRF}&reference=%ff%fe2026&text=%c3".encode(),
    ),
    "bytes that are not utf-8": lambda: (
        FORM,
        f"csrfmiddlewaretoken={CSRF}&text=".encode() + b"\xff",
    ),
    "multipart without a boundary": lambda: multipart(""),
    "multipart with an empty boundary": lambda: multipart("; boundary="),
    "multipart with a boundary too long": lambda: multipart("; boundary=" + "b" * 200, "b" * 200),
    "multipart declaring utf-16": lambda: multipart("; boundary=xyz", charset="utf-16"),
    "too many fields": lambda: (
        FORM,
        f"csrfmiddlewaretoken={CSRF}&".encode()
        + b"&".join(b"f%d=1" % n for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)),
    ),
    "a form body larger than any form without files": lambda: (
        FORM,
        f"csrfmiddlewaretoken={CSRF}&text=".encode()
        + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
    ),
}


def dutch(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


def hostile(session_of: Client | None = None) -> Client:
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True, raise_request_exception=False)
    if session_of is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_of.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_answers_a_malformed_request_with_the_translated_400(
    kind: str, client: Client, cast: Cast
) -> None:
    complaint = file_complaint(client, "nl", email="anne@example.be")
    token = personal_token(client, "nl")
    staff = cast.client_for(cast.manager)
    posts = {
        "/nl/complaint/": None,
        "/nl/complaint/form/": client,  # the session holds the triage's answers
        "/nl/follow/lost/": None,
        f"/nl/follow/{token}/reply/": None,
        f"/nl/follow/{token}/withdraw/": None,
        "/nl/staff/login/": None,
        f"/nl/staff/complaints/{complaint.pk}/notes/": staff,
        f"/nl/staff/complaints/{complaint.pk}/assign/": staff,
        "/admin/configuration/category/add/": cast.client_for(cast.administrator),
    }
    content_type, body = KINDS[kind]()
    answers = {}
    for path, session_of in posts.items():
        response = hostile(session_of).generic("POST", path, body, content_type=content_type)
        page = response.content.decode()
        answers[path] = (
            response.status_code,
            dutch("We could not read what was sent") in page,
            '<html lang="nl">' in page,
        )
    assert answers == dict.fromkeys(posts, (400, True, True))
    complaint.refresh_from_db()
    assert complaint.status != "withdrawn"
    assert not complaint.notes.exists()


def test_the_error_pages_do_not_read_the_body_again() -> None:
    """Django's own error views check the CSRF token, which reads the body that could not be
    read the first time, and fail again: ours do not."""
    request = RequestFactory().generic(
        "POST", "/nl/follow/lost/", "a=b".encode("utf-16"), content_type=f"{FORM}; charset=utf-16"
    )
    with pytest.raises(BadRequest):
        request.POST  # noqa: B018
    with translation.override("nl"):
        responses = [
            errors.bad_request(request, BadRequest()),
            errors.permission_denied(request, PermissionError()),
            errors.page_not_found(request, Exception()),
            errors.server_error(request),
        ]
    assert [response.status_code for response in responses] == [400, 403, 404, 500]
    assert all('<html lang="nl">' in response.content.decode() for response in responses)
