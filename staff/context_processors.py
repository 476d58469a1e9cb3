from django.http import HttpRequest

from access.members import member_of


def staff_role(request: HttpRequest) -> dict[str, object]:
    """The logged-in staff member's role, for the back office's navigation."""
    user = getattr(request, "user", None)  # absent on an error page for a refused request
    if user is None or not user.is_authenticated:
        return {}
    member = member_of(user)
    return {"staff_role": member.role if member else ""}
