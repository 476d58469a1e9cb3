"""Who may see what (E17, E18). One function per object kind hands objects to a user; a
complaint that does not exist and one that is not theirs look the same: 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from complaints.models import Attachment, Complaint
from staff.models import Role, StaffMember

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)

CASE_ROLES = frozenset({Role.MANAGER, Role.HANDLER})
REPORT_ROLES = frozenset({Role.MANAGER, Role.MANAGEMENT})


def member_of(user: User | AnonymousUser) -> StaffMember | None:
    """The user's staff record, read once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_staff_member"):  # a memo on the request's user object
        found = StaffMember.objects.select_related("unit").filter(user=user).first()
        setattr(user, "_staff_member", found)  # noqa: B010  # an attribute the User class lacks
    member: StaffMember | None = getattr(user, "_staff_member")  # noqa: B009
    return member


def complaints_for(user: User) -> QuerySet[Complaint]:
    """The complaints ``user`` may see: all for the manager; for a handler, those assigned to
    them or to their unit; none for anyone else."""
    member = member_of(user)
    complaints = Complaint.objects.select_related("category", "unit", "handler")
    if member is None:
        return complaints.none()
    if member.role == Role.MANAGER:
        return complaints
    if member.role == Role.HANDLER:
        mine = Q(handler=user)
        if member.unit_id is not None:
            mine |= Q(unit_id=member.unit_id)
        # Never a complaint about themselves (E7), even when it sits in their unit.
        return complaints.filter(mine).exclude(concerned_staff=user)
    return complaints.none()


def complaint_for_user(user: User, pk: int) -> Complaint:
    complaint = complaints_for(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


def attachment_for_user(user: User, complaint_pk: int, pk: int) -> Attachment:
    complaint = complaint_for_user(user, complaint_pk)
    attachment = complaint.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


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
