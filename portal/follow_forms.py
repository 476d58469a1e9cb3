"""The forms of the complainant's own page: reply or add information, withdraw, say whether
the answer helped, and ask for a new link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, MailableEmailField, MultipleFileField
from complaints.complainant import HELPED_CHOICES
from complaints.forms import ATTACHMENTS_HELP, check_uploads


class ReplyForm(AccessibleForm):
    """The answer to a request for information, or information added at any other time."""

    text = forms.CharField(
        label=_("Information you want to add"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=ATTACHMENTS_HELP,
    )

    def __init__(
        self,
        *args: Any,
        answering: bool = False,
        kept_uploads: int = 0,
        uploaded: tuple[int, int] = (0, 0),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kept_uploads = kept_uploads
        # Files and bytes the personal link has added so far (files waiting included).
        self.uploaded = uploaded
        self.valid_uploads: list[tuple[UploadedFile[bytes], str]] = []
        if answering:
            self.fields["text"].label = _("Your answer")

    def clean_attachments(self) -> list[tuple[UploadedFile[bytes], str]]:
        checked, errors = check_uploads(self.cleaned_data["attachments"], self.kept_uploads)
        self.valid_uploads = checked
        if errors:
            raise forms.ValidationError(errors)
        count, size = self.uploaded
        if checked and (
            count + len(checked) > settings.ATTACHMENT_MAX_PER_COMPLAINT
            or size + sum(upload.size or 0 for upload, _type in checked)
            > settings.ATTACHMENT_MAX_BYTES_PER_COMPLAINT
        ):
            self.valid_uploads = []
            raise forms.ValidationError(
                _(
                    "You cannot add more files to this complaint through your personal link "
                    "(at most %(count)d files, %(size)d MB in all). Contact us to send more."
                )
                % {
                    "count": settings.ATTACHMENT_MAX_PER_COMPLAINT,
                    "size": settings.ATTACHMENT_MAX_BYTES_PER_COMPLAINT // (1024 * 1024),
                }
            )
        return checked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("text", "").strip()
            and not data.get("attachments")
            and not self.kept_uploads
            and "attachments" not in self.errors
        ):
            self.add_error("text", _("Write a message or attach a file."))
        return data


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why do you withdraw your complaint? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the problem has been solved in the meantime."),
    )


class SatisfactionForm(AccessibleForm):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with how we handled your complaint?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are satisfied.")},
    )
    helped = forms.ChoiceField(
        label=_("Did our answer help you? (optional)"),
        required=False,
        choices=HELPED_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LostLinkForm(AccessibleForm):
    reference = forms.CharField(
        label=_("Reference of your complaint"),
        max_length=40,
        help_text=_("For example 2026-000123. It is in the acknowledgement of receipt."),
        error_messages={"required": _("Enter the reference of your complaint.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = MailableEmailField(
        label=_("E-mail address"),
        help_text=_("The e-mail address you gave with your complaint."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
