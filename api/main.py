"""The API: one NinjaAPI under ``/api/v1/``, its OpenAPI document at ``/api/v1/openapi.json``
and a browsable page at ``/api/v1/docs``. Every error is a problem (``api.problems``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api import back_office, public
from api.problems import ApiProblem, from_exception, invalid, problem

api = NinjaAPI(
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
    return problem(error.status_code, "error", _("The request failed"), str(error))
