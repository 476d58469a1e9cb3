"""Choosing a member of staff in a form (a handler, an owner of an action)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from access.models import Role
from common.forms import RowChoiceField


def staff_users(*roles: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, staff_member__role__in=roles).order_by(
        "first_name", "last_name", "username"
    )


class StaffUserChoiceField(RowChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()
