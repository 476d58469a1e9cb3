"""The triage questions (R8, E2). The complaint form itself is ``complaints.forms``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm
from configuration.models import TriageQuestion


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
