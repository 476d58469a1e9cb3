from django.contrib import admin
from django.http import HttpRequest

from messaging.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """Read-only: staff can see what went out, what waits and why a message failed."""

    list_display = ["created_at", "to", "subject", "purpose", "state", "attempts", "sent_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["to", "subject", "complaint__reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
