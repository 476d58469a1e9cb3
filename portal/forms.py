"""The public complaint form (E1) and the triage questions (R8, E2)."""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections.abc import Callable
from email.errors import MessageError
from email.headerregistry import AddressHeader
from typing import Any, cast

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.models import Channel, ComplainantKind
from configuration import cache
from configuration.models import Category, TriageQuestion
from portal.uploads import ScanUnavailable, virus_in

logger = logging.getLogger(__name__)

# What the form accepts, by the type its content shows (not its name).
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def mailable_address(value: str) -> None:
    """Refuses an address that passes Django's syntax check but that the mail library refuses
    when sending (control characters, line separators, an address that parses with defects):
    a message to it could never leave."""
    refused = forms.ValidationError(_("Enter a valid e-mail address."), code="invalid")
    if any(
        unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"} for char in value
    ):
        raise refused
    try:
        parsed = AddressHeader.value_parser(value)
    except (MessageError, ValueError, IndexError):
        raise refused from None
    if parsed.all_defects or len(parsed.all_mailboxes) != 1:
        raise refused


class MailableEmailField(forms.EmailField):
    """An e-mail address that can be written to (``mailable_address``); its error is the
    field's own "invalid" message."""

    default_validators = [*forms.EmailField.default_validators, mailable_address]


# The largest key a database integer column holds.
LARGEST_KEY = 2**63 - 1


class KeyedMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A multiple choice of rows that refuses, as an invalid choice, a key larger than any
    database column holds: Django passes such a key on to the database (``pk__in``), which
    fails with a server error."""

    def clean(self, value: Any) -> Any:
        for key in value if isinstance(value, list | tuple) else []:
            text = str(key)
            if text.isascii() and text.isdigit() and int(text) > LARGEST_KEY:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text},
                )
        return super().clean(value)


class AccessibleFormMixin:
    """Ties each field to its help text and error message for screen readers
    (``aria-describedby``) and marks invalid fields (``aria-invalid``)."""

    fields: dict[str, forms.Field]
    _errors: Any
    prefix: str | None

    def describe_fields(self) -> None:
        # ``_errors``, not ``errors``: reading ``errors`` would validate a half-built form.
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget_id = f"id_{name}" if not self.prefix else f"id_{self.prefix}-{name}"
            described = []
            if field.help_text:
                described.append(f"{widget_id}_help")
            if name in errors:
                described.append(f"{widget_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(described)


class AccessibleForm(AccessibleFormMixin, forms.Form):
    """A form whose fields are described for screen readers, before and after validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()


class TriageForm(AccessibleForm):
    """One yes/no question per configured triage question."""

    def __init__(self, *args: Any, questions: list[TriageQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.code] = forms.TypedChoiceField(
                label=question.translated("question"),
                help_text=question.translated("help"),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")},
            )
        self.describe_fields()


class _CachedChoices(forms.models.ModelChoiceIterator[Any]):
    def _objects(self) -> tuple[Any, ...]:
        return cast("CachedModelChoiceField", self.field).objects

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._objects():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self._objects()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._objects())


class CachedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # rows of any model
    """A choice among configuration rows held in memory (``configuration.cache``): neither
    showing the choices nor checking the answer reads the database."""

    iterator = _CachedChoices

    def __init__(self, *args: Any, objects: Callable[[], tuple[Any, ...]], **kwargs: Any) -> None:
        self._objects = objects
        super().__init__(*args, **kwargs)

    @property
    def objects(self) -> tuple[Any, ...]:
        return self._objects()

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        for obj in self.objects:
            if str(obj.pk) == str(value):
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _attachments_help() -> str:
    return _("At most %(count)d files of %(size)d MB each: PDF, JPEG, PNG, DOCX or ODT.") % {
        "count": settings.ATTACHMENT_MAX_COUNT,
        "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


# Formatted when a page shows it, in that page's language (formatted at import, it would be
# frozen in the language that was active then).
ATTACHMENTS_HELP = lazy(_attachments_help, str)()


def sniff_content_type(upload: UploadedFile[bytes]) -> str | None:
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
