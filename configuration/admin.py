"""Configuration is edited in the Django admin: organisation, categories, deadlines, closing
days, triage questions and competent bodies."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import EmailField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.forms import MailableEmailField
from configuration import models

# Addresses mail is sent to (the competent bodies, the organisation's reply address) are
# refused when the mail library would refuse them.
MAILABLE: dict[type[Any], dict[str, Any]] = {EmailField: {"form_class": MailableEmailField}}


def translated(field: str) -> list[str]:
    return [f"{field}_{code}" for code in models.LANGUAGE_CODES]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin[models.Organisation]):
    formfield_overrides = MAILABLE
    fieldsets = [
        (None, {"fields": ["name_nl", "name_fr", "name_de", "name_en", "short_name", "logo_url"]}),
        (
            "Contact",
            {
                "fields": [
                    "email",
                    "phone",
                    *translated("postal_address"),
                    "website",
                    "privacy_email",
                ]
            },
        ),
        (
            "Ombudsman",
            {
                "fields": [
                    *translated("ombudsman_name"),
                    *translated("ombudsman_website"),
                    *translated("ombudsman_address"),
                    "ombudsman_phone",
                    *translated("ombudsman_email"),
                ]
            },
        ),
        ("Calendar and retention", {"fields": ["holiday_country", "retention_years"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not models.Organisation.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin[models.Category]):
    list_display = ["code", "label_nl", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(models.TriageQuestion)
class TriageQuestionAdmin(admin.ModelAdmin[models.TriageQuestion]):
    list_display = ["code", "question_nl", "ground", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(models.DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin[models.DeadlinePolicy]):
    list_display = ["kind", "days", "counting", "remind_days_before", "pauses_while_waiting"]


@admin.register(models.RecurringClosingDay)
class RecurringClosingDayAdmin(admin.ModelAdmin[models.RecurringClosingDay]):
    list_display = ["day", "month", "label"]


@admin.register(models.ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin[models.ClosingDay]):
    list_display = ["date", "label"]
    date_hierarchy = "date"


@admin.register(models.CompetentBody)
class CompetentBodyAdmin(admin.ModelAdmin[models.CompetentBody]):
    formfield_overrides = MAILABLE
    list_display = ["name_nl", "email", "language", "website", "active"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin[models.Unit]):
    list_display = ["code", "name_nl", "active"]


@admin.register(models.Norm)
class NormAdmin(admin.ModelAdmin[models.Norm]):
    list_display = ["code", "label_nl", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(models.FilingAddress)
class FilingAddressAdmin(admin.ModelAdmin[models.FilingAddress]):
    list_display = ["name", "network", "kind", "per_hour"]


class WebhookReceiverForm(forms.ModelForm[models.WebhookReceiver]):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=models.WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
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
        model = models.WebhookReceiver
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


@admin.register(models.WebhookReceiver)
class WebhookReceiverAdmin(admin.ModelAdmin[models.WebhookReceiver]):
    form = WebhookReceiverForm
    list_display = ["name", "url", "active"]
