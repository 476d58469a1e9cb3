from django.http import HttpRequest

from staff.access import member_of


def staff_role(request: HttpRequest) -> dict[str, object]:
    """The logged-in staff member's role, for the back office's navigation."""
    if not request.user.is_authenticated:
        return {}
    member = member_of(request.user)
    return {"staff_role": member.role if member else ""}
