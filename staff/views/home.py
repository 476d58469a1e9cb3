"""Where a staff member lands after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from access.members import member_of, staff_view
from access.models import Role


@staff_view(*Role)
def home(request: HttpRequest) -> HttpResponse:
    """Their deadlines for those who handle complaints, the evaluation for management."""
    member = member_of(request.user)
    if member is not None and member.role in {Role.MANAGER, Role.HANDLER}:
        return redirect("staff:dashboard")
    if member is not None and member.role == Role.MANAGEMENT:
        return redirect("reporting:evaluation")
    return redirect("admin:index")
