import re

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from messaging.models import OutboxMessage, WebhookDelivery, WebhookEvent, WebhookReceiver
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


class WebhookReceiverForm(forms.ModelForm[WebhookReceiver]):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    # Typed once; never shown again (a password field that does not render its value).
    secret = forms.CharField(
        label=_("shared secret"),
        min_length=32,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("At least 32 characters. Leave empty to keep the current secret."),
    )

    class Meta:
        model = WebhookReceiver
        fields = ["name", "url", "events", "secret", "active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Give an http or https address."))
        return url

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data["secret"]
        if not secret and self.instance.pk:
            return self.instance.secret
        if not secret:
            raise forms.ValidationError(_("Give a shared secret of at least 32 characters."))
        return secret


@admin.register(WebhookReceiver)
class WebhookReceiverAdmin(admin.ModelAdmin[WebhookReceiver]):
    form = WebhookReceiverForm
    list_display = ["name", "url", "active"]


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
