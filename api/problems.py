"""Errors as RFC 9457 problem details (``application/problem+json``), in the request's
language (``Accept-Language``, through Django's ``LocaleMiddleware``).

Every error the API answers goes through ``problem``: a ``type`` that names the kind of
problem (a URI of this API's documentation), a translated ``title`` and ``detail``, the
``status``, and for invalid input the ``errors``, one per field."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Schema

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://querela.example/problems/"  # documentation anchors; never fetched


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raised by an endpoint: the handler turns it into the problem response."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.errors = errors
        self.headers = headers or {}


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items() if headers else ():
        response[name] = value
    response["Content-Language"] = (get_language() or "en")[:2]
    return response


def from_exception(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return problem(error.status, error.kind, error.title, error.detail, error.errors, error.headers)


def not_found() -> ApiProblem:
    return ApiProblem(
        404,
        "not-found",
        _("Not found"),
        _("There is nothing here, or it is not yours to see."),
    )


def invalid(errors: list[dict[str, str]], detail: str = "") -> ApiProblem:
    return ApiProblem(
        422,
        "invalid",
        _("The request is not valid"),
        detail or _("Correct the fields named in “errors” and send it again."),
        errors,
    )


def form_errors(errors: Mapping[str, Iterable[object]]) -> list[dict[str, str]]:
    """A Django form's errors (already translated) as the problem's ``errors``."""
    return [
        {"field": field if field != "__all__" else "", "message": str(message)}
        for field, messages in errors.items()
        for message in messages
    ]


def too_many(seconds: int) -> ApiProblem:
    return ApiProblem(
        429,
        "rate-limited",
        _("Too many requests"),
        _("Wait %(seconds)d seconds before trying again.") % {"seconds": seconds},
        headers={"Retry-After": str(seconds)},
    )
