"""The login lock-out as an authentication backend (first in AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # untyped library
    """django-axes' check, for logins that come through a web request (every login page passes
    its request). A call without one (a management command, the test client's ``login``) has
    no address to lock and no page to show, so it is left to the password backend instead of
    failing as django-axes does."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
