"""The site's own error pages (413 too large, 500, 503 database unavailable) are HTML; under
``/api/`` the same refusals are problems, as every other answer of the API."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from api.problems import CONTENT_TYPE, problem


class ApiProblemPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code not in PAGES:
            return response
        if response.get("Content-Type", "").startswith(CONTENT_TYPE):
            return response
        kind, title, detail = PAGES[response.status_code]()
        replaced = problem(response.status_code, kind, title, detail)
        if "Retry-After" in response:
            replaced["Retry-After"] = response["Retry-After"]
        return replaced


PAGES: dict[int, Callable[[], tuple[str, str, str]]] = {
    413: lambda: (
        "too-large",
        _("The request is too large"),
        _("Send fewer or smaller attachments."),
    ),
    500: lambda: (
        "server-error",
        _("Something went wrong on our side"),
        _("We are told of it. Try again in a few minutes."),
    ),
    503: lambda: (
        "unavailable",
        _("Try again shortly"),
        _("The service cannot reach its data just now. Try again in a few minutes."),
    ),
}
