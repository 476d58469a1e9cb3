"""The administrator manages staff accounts and their roles, and reads the audit log without its
detail (it may name what a complainant sent)."""

from django.contrib import admin
from django.http import HttpRequest

from access.models import AuditEntry, StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin[StaffMember]):
    list_display = ["user", "role", "unit", "language"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: nobody edits or deletes the audit log."""

    # Not the detail: it may name what a complainant sent.
    list_display = ["at", "actor", "action", "complaint"]
    fields = ["at", "actor", "action", "complaint"]
    list_filter = ["action"]
    search_fields = ["complaint__reference", "actor__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
