"""The administrator manages staff accounts and their roles. Nothing here shows what a
complainant wrote or who they are (that stays in the back office, behind its access rules),
nor a staff member's second-factor secrets: a lost authenticator is deleted here, and its owner
sets up a new one at the next login."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class SecondFactorAdmin(admin.ModelAdmin[TOTPDevice | StaticDevice]):
    """Lists a staff member's authenticator and recovery codes, and deletes them when lost;
    never shows the secret key or the codes."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
    admin.site.register(device_model, SecondFactorAdmin)


class TaskResultAdmin(DBTaskResultAdmin):
    """The background tasks' state, without their arguments, results and tracebacks: a failed
    delivery's traceback quotes the complainant's address."""

    def get_readonly_fields(
        self, request: HttpRequest, obj: DBTaskResult[Any, Any] | None = None
    ) -> list[str]:
        hidden = {"args_kwargs", "return_value", "formatted_traceback"}
        return [name for name in super().get_readonly_fields(request, obj) if name not in hidden]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
