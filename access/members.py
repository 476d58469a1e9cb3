"""Who a user is in the back office (their staff record and role) and which views let them
in. Which complaints they may see is the domain's rule: ``complaints.access``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from access.models import Absence, Role, StaffMember

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)

CASE_ROLES = frozenset({Role.MANAGER, Role.HANDLER})
REPORT_ROLES = frozenset({Role.MANAGER, Role.MANAGEMENT})


# Where ``member_of`` keeps what it read: an attribute of the request's user object.
_MEMO = "_staff_member"


def member_of(user: User | AnonymousUser) -> StaffMember | None:
    """The user's staff record, read once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, _MEMO):
        remember_member(user, StaffMember.objects.select_related("unit").filter(user=user).first())
    member: StaffMember | None = getattr(user, _MEMO)
    return member


def covered_by(user: User | AnonymousUser) -> list[int]:
    """The ids of the colleagues ``user`` stands in for today (``Absence``), read once per
    user object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_covers"):  # a memo on the request's user object, as above
        today = timezone.localdate()
        covered = list(
            Absence.objects.filter(
                substitute=user, starts_on__lte=today, ends_on__gte=today
            ).values_list("person_id", flat=True)
        )
        setattr(user, "_covers", covered)  # noqa: B010  # an attribute the User class lacks
    ids: list[int] = getattr(user, "_covers")  # noqa: B009
    return ids


def absent_today() -> dict[int, Absence]:
    """Who is away today, each with their absence (and its substitute)."""
    today = timezone.localdate()
    return {
        absence.person_id: absence
        for absence in Absence.objects.select_related("substitute").filter(
            starts_on__lte=today, ends_on__gte=today
        )
    }


def remember_member(user: User | AnonymousUser, member: StaffMember | None) -> None:
    """Tells ``member_of`` the user's staff record, read by the caller in its own query (the
    API reads it with the token), so that ``member_of`` need not read it again."""
    setattr(user, _MEMO, member)


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    return request.user


def staff_view(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R | HttpResponseBase]]:
    """Lets in logged-in staff with one of ``roles``; sends visitors to the login page and
    answers 404 to anyone else, so the back office does not reveal what exists."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | HttpResponseBase]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | HttpResponseBase:
            request = args[0]
            assert isinstance(request, HttpRequest)  # noqa: S101  # every view's first argument
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = member_of(request.user)
            if member is None or member.role not in roles:
                raise Http404
            return view(*args, **kwargs)

        return wrapped

    return decorator
