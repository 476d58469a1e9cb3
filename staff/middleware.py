"""The rules every back-office and admin page shares: the session ends after a working day
without a request and, however much it is used, a fixed time after logging in (12 hours by
default); the second factor is asked before anything else; no page is cached."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import ngettext

from access.members import member_of

SSO_BACKEND = "staff.sso.StaffOIDCBackend"
# When the staff member's last request came, and when they logged in (seconds since the epoch).
LAST_SEEN_SESSION_KEY = "staff_last_seen"
LOGGED_IN_AT_SESSION_KEY = "staff_logged_in_at"
# The idle clock is written at most this often, so that not every request saves the session
# (a session then ends between 8 h and 8 h 15 min after the last request).
TOUCH_EVERY_SECONDS = 15 * 60

# Pages open to a user who has given a password but no second factor yet.
BEFORE_SECOND_FACTOR = frozenset(
    {"staff:login", "staff:logout", "staff:second_factor", "staff:enrol"}
)


def start_idle_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """At login (Django's ``user_logged_in``): the session is saved with it."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LAST_SEEN_SESSION_KEY] = now
        request.session[LOGGED_IN_AT_SESSION_KEY] = now


def is_back_office(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and bool({"staff", "admin", "api_tokens"} & set(match.namespaces))


def second_factor_done(request: HttpRequest) -> bool:
    if not settings.SECOND_FACTOR_REQUIRED:
        return True
    if request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND:
        return True  # the identity provider asked its own second factor
    verified: bool = request.user.is_verified()  # type: ignore[union-attr]  # OTPMiddleware
    return verified


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_back_office(request):
            add_never_cache_headers(response)  # staff pages hold personal data
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not is_back_office(request) or not request.user.is_authenticated:
            return None
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
        if last_seen is not None and now - float(last_seen) > settings.STAFF_SESSION_IDLE_SECONDS:
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("staff:login"))
        # A session from before the lifetime was kept counts from its first request since.
        logged_in_at = request.session.setdefault(LOGGED_IN_AT_SESSION_KEY, now)
        if now - float(logged_in_at) > settings.STAFF_SESSION_MAX_SECONDS:
            logout(request)
            hours = settings.STAFF_SESSION_MAX_SECONDS // 3600
            messages.info(
                request,
                ngettext(
                    "Your session ended after %(hours)d hour. Log in again.",
                    "Your session ended after %(hours)d hours. Log in again.",
                    hours,
                )
                % {"hours": hours},
            )
            return redirect_to_login(request.get_full_path(), reverse("staff:login"))
        if last_seen is None or now - float(last_seen) > TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN_SESSION_KEY] = now
        match = request.resolver_match
        if match is None or match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if second_factor_done(request):
            return None
        return redirect(
            f"{reverse('staff:second_factor')}?{urlencode({'next': request.get_full_path()})}"
        )


class AdminLanguageMiddleware:
    """The admin in the language of the staff member who uses it (``StaffMember.language``):
    its URLs carry no language, so the browser's would rule otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith("/admin/"):
            member = member_of(request.user)
            if member is not None:
                translation.activate(member.language)
                request.LANGUAGE_CODE = member.language
        return self.get_response(request)
