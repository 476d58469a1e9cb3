"""Form pieces every face uses: fields described for screen readers, e-mail addresses the mail
library can write to, keys a database column holds, several files in one field, choices held
in memory or read in one query."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from email.errors import MessageError
from email.headerregistry import AddressHeader
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.renderers import BaseRenderer, Jinja2
from django.utils.translation import gettext_lazy as _


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


class _ListedChoices(forms.models.ModelChoiceIterator[Any]):
    """The rows offered, read by one plain query. Django's own iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH,
    CLOSE: three round trips for a list of ten units, 21 on the work list; bench/RESULTS.md,
    6 December). A list of choices is short: it needs no cursor."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class RowChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # rows of any model
    """A choice of one row, whose list is read in one query (``_ListedChoices``)."""

    iterator = _ListedChoices


class KeyedMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A multiple choice of rows that refuses, as an invalid choice, a key larger than any
    database column holds: Django passes such a key on to the database (``pk__in``), which
    fails with a server error. Its list is read in one query (``_ListedChoices``)."""

    iterator = _ListedChoices

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


# Our forms' widgets are drawn by Jinja2 from Django's own widget templates
# (``django/forms/jinja2``: the same markup). Django's template language takes a template per
# option of a select: a tenth of the work list's time at a million complaints (bench/RESULTS.md,
# 6 December). One renderer for the process, which keeps its compiled templates; the admin's
# forms keep Django's renderer (its widgets have no Jinja2 templates).
WIDGETS = Jinja2()


class AccessibleFormMixin:
    """Ties each field to its help text and error message for screen readers
    (``aria-describedby``) and marks invalid fields (``aria-invalid``); widgets drawn by
    ``WIDGETS``."""

    default_renderer: BaseRenderer | type[BaseRenderer] | None = WIDGETS
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
