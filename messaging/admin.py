import re

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from messaging.models import OutboxMessage, WebhookDelivery
from messaging.outbox import outbox_retry

# An e-mail address, as a mail server's reply may quote it.
ADDRESS = re.compile(r"[^\s<>'\"(),;:]+@[^\s<>'\"(),;:]+")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """Whether mail flows, what waits and why a message failed; never what it says nor to whom:
    reading complainants' mail is not configuration, and stays behind the back office's access
    rules (the complaint's page)."""

    list_display = ["created_at", "complaint", "purpose", "state", "attempts", "sent_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["complaint__reference"]
    fields = readonly_fields = (
        "complaint",
        "purpose",
        "language",
        "message_id",
        "state",
        "attempts",
        "next_attempt_at",
        "reason",
        "created_at",
        "sent_at",
    )
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        return super().get_queryset(request).select_related("complaint")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("reason"))
    def reason(self, mail: OutboxMessage) -> str:
        """The mail server's reason, without the addresses it may quote."""
        return ADDRESS.sub("…@…", mail.last_error)

    @admin.action(description=_("Send the failed messages again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        with transaction.atomic():
            count = sum(outbox_retry(mail) for mail in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """Whether events reach their receivers, and why not; read only."""

    list_display = ["created_at", "receiver", "event", "state", "attempts", "sent_at"]
    list_filter = ["state", "event", "receiver"]
    fields = readonly_fields = (
        "receiver",
        "event",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
