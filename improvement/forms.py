"""The forms of the action plan and the themes pages."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.forms import StaffUserChoiceField, staff_users
from access.models import Role
from common.forms import AccessibleForm, KeyedMultipleChoiceField, RowChoiceField
from complaints.models import Complaint
from configuration.models import Category, Unit
from improvement.models import ActionStatus, ImprovementAction, Theme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
MAX_DAYS = 3653  # ten years


class PeriodForm(AccessibleForm):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    @staticmethod
    def this_year() -> dict[str, datetime.date]:
        year = timezone.localdate().year
        return {"start": datetime.date(year, 1, 1), "end": datetime.date(year, 12, 31)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        elif (
            start
            and end
            and not (start >= FIRST_DAY and end <= LAST_DAY and (end - start).days <= MAX_DAYS)
        ):
            self.add_error("end", _("Choose a period of at most ten years, from 2000 to 2100."))
        return data


class ThemeChoiceField(RowChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return str(obj)


class ActionForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_unit = RowChoiceField(
        label=_("Owner (unit)"), queryset=Unit.objects.filter(active=True), required=False
    )
    owner_staff = StaffUserChoiceField(
        label=_("Owner (staff member)"),
        queryset=staff_users(*Role),
        required=False,
        help_text=_("Choose a unit or a staff member."),
    )
    due = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    effect = forms.CharField(
        label=_("Effect observed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    references = forms.CharField(
        label=_("Complaints that led to it"),
        required=False,
        help_text=_("Their references, separated by commas or spaces."),
    )
    categories = KeyedMultipleChoiceField(
        label=_("Categories that led to it"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = KeyedMultipleChoiceField(
        label=_("Themes that led to it"),
        queryset=Theme.objects.filter(merged_into__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, action: ImprovementAction) -> dict[str, Any]:
        return {
            "title": action.title,
            "description": action.description,
            "owner_unit": action.owner_unit,
            "owner_staff": action.owner_staff,
            "due": action.due,
            "status": action.status,
            "effect": action.effect,
            "references": " ".join(action.complaints.values_list("reference", flat=True)),
            "categories": list(action.categories.all()),
            "themes": list(action.themes.all()),
        }

    def clean_references(self) -> list[Complaint]:
        references = [r for r in re.split(r"[\s,;]+", self.cleaned_data["references"]) if r]
        found = {c.reference: c for c in Complaint.objects.filter(reference__in=references)}
        missing = [r for r in references if r not in found]
        if missing:
            raise forms.ValidationError(
                _("No complaint has the reference %(references)s."),
                params={"references": ", ".join(missing)},
            )
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("owner_unit")) == bool(data.get("owner_staff")):
            self.add_error("owner_staff", _("Choose either a unit or a staff member as owner."))
        return data


class ThemeNameForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class ThemeMergeForm(AccessibleForm):
    target = ThemeChoiceField(
        label=_("Merge into"), queryset=Theme.objects.filter(merged_into__isnull=True)
    )


class ThemeActionForm(AccessibleForm):
    action = RowChoiceField(label=_("Improvement action"), queryset=ImprovementAction.objects.all())


class ThemeAddForm(AccessibleForm):
    reference = forms.CharField(label=_("Reference of the complaint to add"), max_length=20)

    def clean_reference(self) -> Complaint:
        reference = self.cleaned_data["reference"].strip()
        complaint = Complaint.objects.filter(reference=reference).first()
        if complaint is None:
            raise forms.ValidationError(
                _("No complaint has the reference %(references)s."),
                params={"references": reference},
            )
        return complaint
