"""The staff member's own page of API tokens (under ``/staff/api-tokens/``): make one (shown
once), see them, revoke one. A back-office page: the session, second factor and no-cache
rules of every staff page apply (``StaffSessionMiddleware``, namespace ``api_tokens``)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.members import staff_view
from access.models import Role
from api.models import ApiToken, Scope

MAX_DAYS = 365


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses it, for instance “records system”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"), choices=Scope.choices, widget=forms.RadioSelect
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    return request.user


@staff_view(*Role)
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None, initial={"scope": Scope.READ})
    new_token = ""
    if request.method == "POST" and form.is_valid():
        _row, new_token = ApiToken.issue(
            user=user,
            name=form.cleaned_data["name"],
            scope=Scope(form.cleaned_data["scope"]),
            expires_at=timezone.now() + datetime.timedelta(days=form.cleaned_data["days"]),
        )
        form = TokenForm(initial={"scope": Scope.READ})
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=user),
            "now": timezone.now(),
        },
    )
    return response


@require_POST
@staff_view(*Role)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    revoked = ApiToken.objects.filter(pk=pk, user=_user(request), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        messages.success(request, _("The token has been revoked."))
    return redirect("api_tokens:list")


app_name = "api_tokens"
urlpatterns = [
    path("", tokens, name="list"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
