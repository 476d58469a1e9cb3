"""The complaint's form (E1): the fields a complaint is filed with, whichever face files it
(the public form, the back office's registration of other channels), and the checks of its
attachments (type read from the content, size, virus scan), which the mailbox reader
(``inbox``) applies too, so a file is accepted or refused alike whichever way it came."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.forms import (
    AccessibleForm,
    CachedModelChoiceField,
    MailableEmailField,
    MultipleFileField,
)
from common.virus import Readable, ScanUnavailable, virus_in
from complaints.models import Channel, ComplainantKind
from complaints.services import Upload
from configuration import cache
from configuration.models import Category

logger = logging.getLogger(__name__)

# What the form accepts, by the type its content shows (not its name).
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def _attachments_help() -> str:
    return _("At most %(count)d files of %(size)d MB each: PDF, JPEG, PNG, DOCX or ODT.") % {
        "count": settings.ATTACHMENT_MAX_COUNT,
        "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


# Formatted when a page shows it, in that page's language (formatted at import, it would be
# frozen in the language that was active then).
ATTACHMENTS_HELP = lazy(_attachments_help, str)()


def sniff_content_type(upload: Readable) -> str | None:
    """The file's type as its first bytes show it, or None when it is not one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    mime = str(kind.mime)
    if mime == "application/zip":
        return None
    return mime if mime in ALLOWED_TYPES else None


def check_uploads(
    files: list[UploadedFile[bytes]], kept: int = 0
) -> tuple[list[tuple[UploadedFile[bytes], str]], list[forms.ValidationError]]:
    """The files that pass the complaint form's rules (count, size, type by content) with the
    type their content shows, and an error for each one that does not."""
    limit = settings.ATTACHMENT_MAX_COUNT
    if len(files) + kept > limit:
        return [], [
            forms.ValidationError(
                ngettext(
                    "You can attach at most %(count)d file.",
                    "You can attach at most %(count)d files.",
                    limit,
                )
                % {"count": limit}
            )
        ]
    checked = []
    errors = []
    for upload in files:
        if (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
            errors.append(
                forms.ValidationError(
                    _("%(name)s is larger than %(size)d MB.")
                    % {"name": upload.name, "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                )
            )
            continue
        content_type = sniff_content_type(upload)
        if content_type is None:
            errors.append(
                forms.ValidationError(
                    _("%(name)s is not a PDF, JPEG, PNG, DOCX or ODT file.") % {"name": upload.name}
                )
            )
            continue
        try:
            virus = virus_in(upload)
        except ScanUnavailable:
            logger.exception("Virus scan failed for an attachment")
            errors.append(
                forms.ValidationError(
                    _(
                        "We could not check %(name)s for viruses just now. "
                        "Try again in a few minutes."
                    )
                    % {"name": upload.name}
                )
            )
            continue
        if virus is not None:
            logger.warning("Attachment refused: virus %s", virus)
            errors.append(
                forms.ValidationError(
                    _("%(name)s contains a virus and was not accepted.") % {"name": upload.name}
                )
            )
            continue
        checked.append((upload, content_type))
    return checked, errors


class ComplaintForm(AccessibleForm):
    complainant_kind = forms.ChoiceField(
        label=_("You file this complaint as"),
        choices=ComplainantKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether you are a person, a company or an institution.")
        },
    )
    organisation_name = forms.CharField(
        label=_("Name of the company or institution"),
        required=False,
        max_length=200,
        help_text=_("Only if you complain on behalf of a company or institution."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        help_text=_("We do not handle anonymous complaints."),
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = MailableEmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "We send the acknowledgement and the answer here. "
            "Give an e-mail address or a postal address, or both."
        ),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.be.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        help_text=_(
            "Street and number, postcode and municipality. Needed if you have no e-mail address."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=40,
        help_text=_("Only if you want us to be able to call you."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language in which we answer you"),
        choices=settings.LANGUAGES,
    )
    category = CachedModelChoiceField(
        label=_("What is your complaint about?"),
        queryset=Category.objects.none(),
        objects=lambda: cache.current().categories,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose what your complaint is about.")},
    )
    facts_start = forms.DateField(
        label=_("Date of the facts"),
        help_text=_(
            "The day it happened, or the first day if it went on for a while. "
            "Complaints about facts of more than a year ago cannot normally be handled."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the facts."),
            "invalid": _("Enter a date such as 2026-03-31."),
        },
    )
    facts_end = forms.DateField(
        label=_("Last day (optional)"),
        required=False,
        help_text=_("Only if the facts went on over a period."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-03-31.")},
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Describe the facts and why you are not satisfied. "
            "Your complaint can only be handled if the reasons are clear."
        ),
        min_length=20,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe what happened."),
            "min_length": _(
                "Describe what happened in at least %(limit_value)d characters "
                "(you wrote %(show_value)d)."
            ),
        },
    )
    desired_outcome = forms.CharField(
        label=_("What outcome do you hope for? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concerned = forms.CharField(
        label=_("Unit or staff member concerned (optional)"),
        required=False,
        max_length=200,
    )
    own_reference = forms.CharField(
        label=_("Your file or reference number (optional)"),
        required=False,
        max_length=100,
        help_text=_("For example the reference on a letter you received from us."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=ATTACHMENTS_HELP,
    )

    def __init__(self, *args: Any, kept_uploads: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept_uploads = kept_uploads
        self.valid_uploads: list[tuple[UploadedFile[bytes], str]] = []

    def clean_facts_start(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["facts_start"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the facts cannot be in the future."))
        return value

    def clean_attachments(self) -> list[tuple[UploadedFile[bytes], str]]:
        checked, errors = check_uploads(self.cleaned_data["attachments"], self.kept_uploads)
        self.valid_uploads = checked
        if errors:
            raise forms.ValidationError(errors)
        return checked

    # The public form insists on a name and a way to answer (E1); staff registering a letter
    # or a call record what arrived, and the admissibility step proposes G1.
    identity_required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.identity_required:
            self.check_identity(data)
        start, end = data.get("facts_start"), data.get("facts_end")
        if end is not None:
            if end > timezone.localdate():
                self.add_error("facts_end", _("The last day cannot be in the future."))
            elif start is not None and end < start:
                self.add_error(
                    "facts_end", _("The last day cannot be before the date of the facts.")
                )
        return data

    def check_identity(self, data: dict[str, Any]) -> None:
        kind = data.get("complainant_kind")
        if (
            kind in {ComplainantKind.COMPANY, ComplainantKind.INSTITUTION}
            and not data.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", _("Enter the name of the company or institution."))
        if (
            not data.get("email")
            and not data.get("postal_address", "").strip()
            and ("email" not in self.errors)
        ):
            message = _("Give an e-mail address or a postal address so that we can answer you.")
            self.add_error("email", message)
            self.add_error("postal_address", message)

    def submission(self) -> dict[str, Any]:
        """What ``complaint_submit`` takes from the valid form, whichever face filed it; the
        face adds the channel, the triage answers, the files and who registered it."""
        data = self.cleaned_data
        return {
            "complainant_kind": ComplainantKind(data["complainant_kind"]),
            **{name: data[name] for name in SUBMITTED_FIELDS},
        }

    def uploads(self) -> list[Upload]:
        """The valid form's files, with the type their content shows, as the write path takes
        them."""
        return [
            Upload(file=file, name=file.name or "file", content_type=kind, size=file.size or 0)
            for file, kind in self.cleaned_data["attachments"]
        ]


# The form's fields that ``complaint_submit`` takes as they are.
SUBMITTED_FIELDS = (
    "first_name",
    "last_name",
    "organisation_name",
    "email",
    "postal_address",
    "phone",
    "language",
    "category",
    "facts_start",
    "facts_end",
    "description",
    "desired_outcome",
    "concerned",
    "own_reference",
)


class RegistrationForm(ComplaintForm):
    """A complaint that came by e-mail, letter, phone or at the counter (R9), registered by
    staff in the back office or through the API. It takes what arrived, however incomplete: a
    letter without a name or address, a call from someone who gives only a phone number.
    Whether that makes it inadmissible (G1) is decided later."""

    identity_required = False

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date of receipt"),
        help_text=_("Deadlines run from this date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = False
        self.fields["last_name"].required = False
        # Staff write down what they were told; G2 is judged at admissibility, not here.
        description = self.fields["description"]
        assert isinstance(description, forms.CharField)  # noqa: S101  # narrows the type
        description.min_length = None
        description.validators = []

    def clean_received_on(self) -> Any:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        return received_on
