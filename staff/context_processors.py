from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from access.members import member_of
from complaints.models import Notification


def staff_role(request: HttpRequest) -> dict[str, object]:
    """The logged-in staff member's role, for the back office's navigation."""
    user = getattr(request, "user", None)  # absent on an error page for a refused request
    if user is None or not user.is_authenticated:
        return {}
    member = member_of(user)
    return {
        "staff_role": member.role if member else "",
        # Counted only on the pages whose menu shows it (the back office's).
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
