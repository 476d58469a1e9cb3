"""Who calls the staff API: a personal token (``Authorization: Bearer qrl_...``), valid
while not revoked nor expired, for a staff member whose account is active. The caller then
has exactly that person's back-office permissions (``complaints_for``); a read-only token
changes nothing. Bad tokens count, per address, in the web's limit of failed staff logins."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer

from access.members import member_of, remember_member
from access.models import Role, StaffMember
from api.models import ApiToken, Scope, hash_api_token
from api.problems import ApiProblem, too_many
from common import ratelimit

# How often ``last_used_at`` is written (not on every request).
TOUCH_SECONDS = 5 * 60


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        limit = ratelimit.login_failures_per_address()
        if ratelimit.is_limited(limit, request):
            raise too_many(ratelimit.retry_after(limit, request))
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user__staff_member__unit")
            .filter(
                token_hash=hash_api_token(token),
                revoked_at__isnull=True,
                expires_at__gt=now,
                user__is_active=True,
            )
            .first()
        )
        if found is not None:
            # Read with the token and handed to ``member_of``, so the access functions need
            # no query of their own
            # (``test_a_page_of_the_list_takes_the_same_few_queries_however_long``).
            remember_member(found.user, getattr(found.user, "staff_member", None))
        if found is None or member_of(found.user) is None:
            ratelimit.hit(limit, request)
            return None
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > TOUCH_SECONDS:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found


class PersonalToken(APIKeyHeader):
    """The complainant's personal link token, in a header (kept out of access logs)."""

    param_name = "Querela-Personal-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        return key or None


def token_of(request: HttpRequest) -> ApiToken:
    token = request.auth  # type: ignore[attr-defined]  # set by ninja's authentication
    assert isinstance(token, ApiToken)  # noqa: S101  # every staff operation has TokenAuth
    return token


def caller(request: HttpRequest, *roles: Role, write: bool = False) -> User:
    """The token's user, if their role is one of ``roles`` (and the token may write, when
    ``write``); a refusal says why, as a problem."""
    token = token_of(request)
    if write and token.scope != Scope.WRITE:
        raise ApiProblem(
            403,
            "read-only-token",
            _("This token is read-only"),
            _("Make a read-and-write token on your API tokens page to change complaints."),
        )
    member: StaffMember | None = member_of(token.user)
    if member is None or member.role not in roles:
        raise ApiProblem(
            403,
            "role",
            _("Not allowed for your role"),
            _("Your role in the back office does not allow this."),
        )
    return token.user
