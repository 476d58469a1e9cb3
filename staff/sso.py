"""Single sign-on through OpenID Connect (mozilla-django-oidc), on when ``OIDC_RP_CLIENT_ID``
is set. The identity provider vouches for the person and asks its own second factor; Querela
only finds the staff member it names: an active account with a staff role and the same
verified e-mail address. Nobody gets an account by signing in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def staff_for_claims(claims: dict[str, Any]) -> QuerySet[User]:
    """The staff accounts the identity provider's claims name (at most one is used)."""
    email = str(claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is False:
        return User.objects.none()
    return User.objects.filter(email__iexact=email, is_active=True, staff_member__isnull=False)


class StaffOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # untyped library
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return staff_for_claims(claims)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # accounts and roles are given at /admin/, never by signing in
