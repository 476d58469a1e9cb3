"""The API: one NinjaAPI under ``/api/v1/``, its OpenAPI document at ``/api/v1/openapi.json``
and a browsable page at ``/api/v1/docs``. Every error is a problem (``api.problems``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from api import back_office, public
from api.problems import CONTENT_TYPE, ApiProblem, from_exception, invalid, problem


class QuerelaApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        """Ninja's document, with every error response said as what it is: a problem
        (``application/problem+json``)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[CONTENT_TYPE] = content.pop("application/json")
        return schema


api = QuerelaApi(
    title="Querela API",
    version="1",
    description=(
        "The complaints service for the systems around it. Errors are RFC 9457 problem "
        "details in the language of Accept-Language. See docs/api.md."
    ),
    urls_namespace="api",
)
api.add_router("/", public.router)
api.add_router("/staff", back_office.router)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return from_exception(request, error)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())[1:]),
            "message": str(item.get("msg", "")),
        }
        for item in error.errors
    ]
    return from_exception(request, invalid(errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        "unauthenticated",
        _("Not authenticated"),
        _("Send a valid token: it may be missing, mistyped, revoked or expired."),
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(
        404, "not-found", _("Not found"), _("There is nothing here, or it is not yours to see.")
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:  # ninja could not parse the body
        return problem(
            400,
            "unreadable",
            _("The request cannot be read"),
            _("Send the body as the documentation describes it (JSON or a form)."),
        )
    return problem(error.status_code, "error", _("The request failed"), str(error))
