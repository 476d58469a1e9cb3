"""What the site answers when it cannot serve a request: a body it cannot read (400), refused
access (403), a page that is not there (404), a failure of ours (500). Each is the site's own
translated page.

Django's default error views check the CSRF token (``requires_csrf_token``), which reads the
form body again: after a body that could not be read (a charset it does not hold, for one),
that read fails once more and the person gets a bare server error. These views read nothing of
the body. ``MalformedRequestMiddleware`` refuses a malformed form body before anything else
reads it (``tests/test_malformed_requests.py``).
"""

from __future__ import annotations

import codecs
import logging
import re
import urllib.parse
from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.template import loader

logger = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# RFC 2046, 5.1.1: one to seventy characters of this set, not ending in a space.
BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
# A "%" not followed by two hexadecimal digits.
BROKEN_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors would ask the database.
    return HttpResponseServerError(loader.render_to_string("500.html"))


def body_problem(request: HttpRequest) -> str | None:
    """What is wrong with the form body of ``request``, or None. Reads (and so parses) the
    body of a form post, as the CSRF check would a moment later."""
    if request.method != "POST" or request.content_type not in (FORM, MULTIPART):
        return None
    params = request.content_params or {}
    charset = params.get("charset")
    if charset is not None:
        try:
            if codecs.lookup(charset).name != "utf-8":
                return f"a form body in {charset}"
        except LookupError:
            return f"an unknown charset {charset!r}"
    boundary = params.get("boundary", "")
    if request.content_type == MULTIPART and not BOUNDARY.fullmatch(boundary):
        return "no valid multipart boundary"
    try:
        if request.content_type == FORM:
            body = request.body
            if BROKEN_ESCAPE.search(body):
                return "broken percent-encoding"
            urllib.parse.unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
        request.POST  # noqa: B018  (parsed here, where a failure is ours to answer)
    except UnicodeDecodeError:
        return "a form body that is not UTF-8"
    except (BadRequest, SuspiciousOperation, MultiPartParserError) as exc:
        return str(exc) or type(exc).__name__
    return None


class MalformedRequestMiddleware:
    """Answers a form post whose body cannot be read as our forms send it (UTF-8, escaped
    properly, a multipart boundary that is there) with the translated 400, before the CSRF
    check or a view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        problem = body_problem(request)
        if problem is not None:
            logger.warning("malformed request to %s: %s", request.path, problem)
            return bad_request(request, BadRequest(problem))
        return self.get_response(request)
