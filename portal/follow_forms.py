"""The forms of the complainant's own page: reply or add information, withdraw, say whether
the answer helped, and ask for a new link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.complainant import HELPED_CHOICES
from portal.forms import AccessibleFormMixin, MultipleFileField, sniff_content_type


def check_uploads(
    files: list[UploadedFile[bytes]], kept: int = 0
) -> tuple[list[tuple[UploadedFile[bytes], str]], list[forms.ValidationError]]:
    """The files that pass the complaint form's rules (count, size, type by content) with the
    type their content shows, and an error for each one that does not."""
    limit = settings.ATTACHMENT_MAX_COUNT
    if len(files) + kept > limit:
        return [], [forms.ValidationError(
            ngettext("You can attach at most %(count)d file.",
                     "You can attach at most %(count)d files.", limit) % {"count": limit}
        )]
    checked = []
    errors = []
    for upload in files:
        if (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
            errors.append(forms.ValidationError(
                _("%(name)s is larger than %(size)d MB.") % {
                    "name": upload.name, "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}))
            continue
        content_type = sniff_content_type(upload)
        if content_type is None:
            errors.append(forms.ValidationError(
                _("%(name)s is not a PDF, JPEG, PNG, DOCX or ODT file.") % {"name": upload.name}))
            continue
        checked.append((upload, content_type))
    return checked, errors


class AccessibleForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()


class ReplyForm(AccessibleForm):
    """The answer to a request for information, or information added at any other time."""

    text = forms.CharField(
        label=_("Information you want to add"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"), required=False,
        help_text=_("At most %(count)d files of %(size)d MB each: PDF, JPEG, PNG, DOCX or ODT.")
        % {"count": settings.ATTACHMENT_MAX_COUNT,
           "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, answering: bool = False, kept_uploads: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept_uploads = kept_uploads
        self.valid_uploads: list[tuple[UploadedFile[bytes], str]] = []
        if answering:
            self.fields["text"].label = _("Your answer")

    def clean_attachments(self) -> list[tuple[UploadedFile[bytes], str]]:
        checked, errors = check_uploads(self.cleaned_data["attachments"], self.kept_uploads)
        self.valid_uploads = checked
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("text", "").strip() and not data.get("attachments")
            and not self.kept_uploads and "attachments" not in self.errors
        ):
            self.add_error("text", _("Write a message or attach a file."))
        return data


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why do you withdraw your complaint? (optional)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
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
        label=_("Did our answer help you? (optional)"), required=False,
        choices=HELPED_CHOICES, widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LostLinkForm(AccessibleForm):
    reference = forms.CharField(
        label=_("Reference of your complaint"), max_length=40,
        help_text=_("For example 2026-000123. It is in the acknowledgement of receipt."),
        error_messages={"required": _("Enter the reference of your complaint.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The e-mail address you gave with your complaint."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
