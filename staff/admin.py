from django.contrib import admin
from django.http import HttpRequest

from staff.models import AuditEntry, StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin[StaffMember]):
    list_display = ["user", "role", "unit", "language"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: nobody edits or deletes the audit log."""

    list_display = ["at", "actor", "action", "complaint", "detail"]
    list_filter = ["action"]
    search_fields = ["complaint__reference", "actor__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
