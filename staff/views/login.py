"""Logging in to the back office (and the admin, which sends its login here): the password
(locked after repeated failures, django-axes), then the second factor: set up the
authenticator on first login, then its code or a recovery code each time."""

from __future__ import annotations

import ipaddress
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from common import ratelimit
from common.ratelimit import client_address
from staff import second_factor
from staff.middleware import second_factor_done


def login_address(request: HttpRequest) -> str | None:
    """The client's address for the lock-out (django-axes' AXES_CLIENT_IP_CALLABLE): the same
    as the public rate limits read, or None when the request carries none (its columns hold
    IP addresses only)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _lockout_page(request: HttpRequest, failure_limit: int) -> HttpResponse:
    response = render(
        request,
        "staff/locked_out.html",
        {
            "failure_limit": failure_limit,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """The page of a locked-out account (django-axes' AXES_LOCKOUT_CALLABLE)."""
    return _lockout_page(request, settings.AXES_FAILURE_LIMIT)


class LoginView(auth_views.LoginView):
    """The password step. An account is locked after a few failures (django-axes); an address
    after more, since a whole office may come from one address (``ratelimit``)."""

    template_name = "staff/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if ratelimit.is_limited(ratelimit.login_failures_per_address(), request):
            return _lockout_page(request, settings.LOGIN_ADDRESS_FAILURE_LIMIT)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        ratelimit.hit(ratelimit.login_failures_per_address(), self.request)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = settings.OIDC_ENABLED and "sso" in self.request.GET
        return context


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # behind login_required
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """The code of the authenticator app, or a recovery code."""
    user = _user(request)
    if second_factor_done(request):
        return redirect(_next_url(request))
    if second_factor.authenticator_of(user) is None:
        return redirect(f"{resolve_url('staff:enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if second_factor.verify_second_factor(request, user, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not right, or it has been used already."))
    return render(request, "staff/second_factor.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First login: the authenticator app is set up from a QR code (or its secret as text),
    confirmed with its first code; the recovery codes are shown once."""
    user = _user(request)
    if second_factor.authenticator_of(user) is not None:
        return redirect(f"{resolve_url('staff:second_factor')}?{request.GET.urlencode()}")
    device = second_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = second_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes:
            return render(
                request,
                "staff/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("This code is not right. Enter the code the app shows now."))
    return render(
        request,
        "staff/enrol.html",
        {
            "form": form,
            "qr_svg": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_text(device),
            "next": _next_url(request),
        },
    )
