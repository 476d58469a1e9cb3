"""The back office's forms. Each action form validates input; the rules themselves (who may be
assigned, which grounds a refusal needs) live in ``complaints.handling``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from access.forms import StaffUserChoiceField, staff_users
from access.members import absent_today
from access.models import Role
from common.forms import (
    AccessibleForm,
    CachedModelChoiceField,
    KeyedMultipleChoiceField,
    RowChoiceField,
)
from complaints.forms import RegistrationForm
from complaints.models import (
    Channel,
    Complaint,
    DecisionKind,
    NotAComplaintKind,
    NotificationMail,
    Outcome,
    Status,
)
from complaints.queries import SORT_ALIASES, SORT_KEYS
from configuration import cache
from configuration.models import Category, CompetentBody, Ground, Norm, TriageQuestion, Unit
from improvement.models import ActionStatus, ImprovementAction, Theme
from messaging.letters import parts_of
from staff.models import WORK_LIST_COLUMNS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# The empty choice of a list, in the page's language (Django's own is not translated in
# every language).
NOBODY = _("— none —")


class WorkListFilter(AccessibleForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, name, e-mail address or words from the description."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("all")),
            ("open", _("all open")),
            ("undecided", _("awaiting an admissibility decision")),
            *Status.choices,
        ],
    )
    category = CachedModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        objects=lambda: cache.current().every_category,
        empty_label=_("all"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("all")), *Channel.choices]
    )
    unit = CachedModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        objects=lambda: cache.current().units,
        empty_label=_("all"),
    )
    handler = StaffUserChoiceField(
        label=_("Handler"),
        required=False,
        queryset=staff_users(Role.HANDLER, Role.MANAGER),
        empty_label=_("all"),
    )
    due_within = forms.IntegerField(
        label=_("Due within (days)"), required=False, min_value=0, max_value=365
    )
    due = forms.ChoiceField(
        label=_("Next deadline"),
        required=False,
        choices=[("", _("any")), ("today", _("today")), ("week", _("in the next 7 days"))],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    # Chosen by the columns' headers; kept through a filter as a hidden field.
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        sort: str = self.cleaned_data["sort"]
        return SORT_ALIASES.get(sort, sort) if sort in SORT_KEYS | set(SORT_ALIASES) else ""


class ColumnsForm(AccessibleForm):
    columns = forms.MultipleChoiceField(
        label=_("Columns shown"),
        required=False,
        choices=list(WORK_LIST_COLUMNS.items()),
        widget=forms.CheckboxSelectMultiple,
    )


class SavedViewForm(AccessibleForm):
    name = forms.CharField(label=_("Name of the view"), max_length=80)
    shared = forms.BooleanField(
        label=_("Share it with my unit"),
        required=False,
        help_text=_("Everyone in your unit sees it on their work list and dashboard."),
    )


BULK_ACTIONS = [
    ("assign", _("Assign to a handler")),
    ("unit", _("Move to a unit")),
    ("action", _("Link to an improvement action")),
    ("theme", _("Put into a theme")),
    ("export", _("Export as CSV")),
]
# Bulk actions that change complaints: the manager's, as assigning one is.
BULK_CHANGES = frozenset({"assign", "unit", "action", "theme"})


class BulkForm(AccessibleForm):
    """An action on the complaints chosen on the work list; each goes through the write path
    the complaint's own page uses."""

    selected = forms.TypedMultipleChoiceField(
        label=_("Complaints"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("Choose at least one complaint."),
        },
    )
    action = forms.ChoiceField(label=_("Action on the chosen complaints"), choices=BULK_ACTIONS)
    handler = StaffUserChoiceField(
        label=_("Handler"),
        required=False,
        queryset=staff_users(Role.HANDLER, Role.MANAGER),
        empty_label=NOBODY,
    )
    unit = CachedModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        objects=lambda: cache.current().active_units,
        empty_label=NOBODY,
    )
    improvement_action = RowChoiceField(
        label=_("Improvement action"),
        required=False,
        queryset=ImprovementAction.objects.exclude(status=ActionStatus.DROPPED),
        empty_label=NOBODY,
    )
    theme = RowChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.filter(merged_into__isnull=True),
        empty_label=NOBODY,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any number: which ones the user may act on is decided by the access function.
        selected = self.fields["selected"]
        assert isinstance(selected, forms.TypedMultipleChoiceField)  # noqa: S101  # narrows
        selected.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]  # ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "action" and not data.get("improvement_action"):
            self.add_error("improvement_action", _("Choose the improvement action."))
        if data.get("action") == "theme" and not data.get("theme"):
            self.add_error("theme", _("Choose the theme."))
        return data


# The registration form speaks to staff about the complainant: (label, help text).
STAFF_WORDING: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "complainant_kind": (_("The complainant files as"), ""),
    "organisation_name": (
        _("Name of the company or institution"),
        _("If the complainant speaks for a company or institution."),
    ),
    "first_name": (_("First name"), _("Leave empty if the complainant gave no name.")),
    "last_name": (
        _("Last name"),
        _("Without a full name the admissibility step proposes G1 (anonymous complaint)."),
    ),
    "email": (
        _("E-mail address"),
        _("The acknowledgement and the answer go here; without one, as letters to post."),
    ),
    "postal_address": (_("Postal address"), _("Street and number, postcode and municipality.")),
    "phone": (_("Phone number"), ""),
    "language": (
        _("The complainant's language"),
        _("Every letter to the complainant is written in this language."),
    ),
    "category": (_("What the complaint is about"), ""),
    "facts_start": (
        _("Date of the facts"),
        _("The day it happened, or the first day of a period."),
    ),
    "description": (_("What the complainant says"), ""),
    "desired_outcome": (_("The outcome the complainant seeks (optional)"), ""),
    "own_reference": (_("The complainant's own reference (optional)"), ""),
}
STAFF_ERRORS: dict[str, StrOrPromise] = {
    "complainant_kind": _("Say whether the complainant is a person, a company or an institution."),
    "category": _("Choose what the complaint is about."),
    "description": _("Write down what the complainant says."),
}


class RegisterForm(RegistrationForm):
    """The registration form of the back office: the complaint-form rules for what staff
    register (``RegistrationForm``), worded for staff, with what the complainant said about
    the triage questions."""

    triage = forms.MultipleChoiceField(
        label=_("What the complainant told us (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    field_order = ["channel", "received_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        triage = self.fields["triage"]
        assert isinstance(triage, forms.MultipleChoiceField)  # noqa: S101  # narrows the type
        triage.choices = [
            (q.code, q.translated("question")) for q in TriageQuestion.objects.filter(active=True)
        ]
        for name, (label, help_text) in STAFF_WORDING.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text
        for name, message in STAFF_ERRORS.items():
            self.fields[name].error_messages["required"] = message
        self.describe_fields()


class AdmissibilityForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Decision"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    grounds = forms.MultipleChoiceField(
        label=_("Grounds of inadmissibility"),
        required=False,
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a complaint that is not admissible."),
    )
    not_a_complaint_kind = forms.ChoiceField(
        label=_("What it is instead"),
        required=False,
        choices=[("", "—"), *NotAComplaintKind.choices],
        help_text=_("Only when it is not a complaint."),
    )
    competent_body = RowChoiceField(
        label=_("Competent body"),
        required=False,
        queryset=CompetentBody.objects.filter(active=True),
        empty_label=NOBODY,
        help_text=_("Only when the service is not competent: the complaint is forwarded there."),
    )
    forwarding_consent = forms.BooleanField(
        label=_("The complainant agrees that we send their complaint to this body"),
        required=False,
        help_text=_(
            "Only when the service is not competent. Without it, or when the body has no"
            " e-mail address, nothing is sent to the body: the letter tells the complainant"
            " where to go."
        ),
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the letter to the complainant."),
    )


class LetterForm(AccessibleForm):
    """The parts of a letter staff write (``messaging.letters.PARTS``) and its subject; the
    rest of the letter is its template, and the closing part (link, Ombudsman route) is
    always added. A part left empty is refused when the letter is previewed or sent, with
    the letter's other problems, so the form itself requires only the subject."""

    subject = forms.CharField(label=_("Subject"), max_length=300)

    def __init__(self, *args: Any, template: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in parts_of(template):
            self.fields[part.name] = forms.CharField(
                label=part.label,
                help_text=part.help_text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self.part_names = [part.name for part in parts_of(template)]

    def parts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.part_names}


class AssignForm(AccessibleForm):
    """The unit and the handler. The handlers offered are those of the complaint's unit first,
    then staff without a unit; a handler of another unit is not offered (the help text says
    why), and one who is away says so, with who covers for them."""

    unit = CachedModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        objects=lambda: cache.current().active_units,
        empty_label=NOBODY,
    )
    handler = forms.TypedChoiceField(label=_("Handler"), required=False, coerce=int)

    def __init__(self, *args: Any, complaint: Complaint | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = complaint.unit if complaint is not None else None
        people = staff_users(Role.HANDLER, Role.MANAGER).select_related("staff_member__unit")
        away = absent_today()
        own: list[tuple[int, str]] = []
        others: list[tuple[int, str]] = []
        for person in people:
            member_unit = person.staff_member.unit_id
            if unit is not None and member_unit not in {None, unit.pk}:
                continue
            label = person.get_full_name() or person.get_username()
            if person.pk in away:
                absence = away[person.pk]
                substitute = absence.substitute
                label = _("%(name)s (away until %(date)s; %(substitute)s covers)") % {
                    "name": label,
                    "date": date_format(absence.ends_on, "SHORT_DATE_FORMAT"),
                    "substitute": substitute.get_full_name() or substitute.get_username(),
                }
            (own if unit is not None and member_unit == unit.pk else others).append(
                (person.pk, label)
            )
        handler = self.fields["handler"]
        assert isinstance(handler, forms.TypedChoiceField)  # noqa: S101  # narrows the type
        if unit is not None:
            handler.choices = [
                ("", NOBODY),
                (str(unit), own),
                (_("Without a unit"), others),
            ]
            handler.help_text = _(
                "Only the handlers of %(unit)s and staff without a unit are offered: a "
                "complaint is handled within its unit. To give it to another unit, choose that "
                "unit, save, then choose its handler."
            ) % {"unit": unit}
        else:
            handler.choices = [("", NOBODY), *others]
        self.people = {person.pk: person for person in people}
        self.describe_fields()

    def clean_handler(self) -> User | None:
        chosen = self.cleaned_data.get("handler")
        return self.people.get(chosen) if chosen else None


class ConcernedStaffForm(AccessibleForm):
    concerned_staff = StaffUserChoiceField(
        label=_("Staff member the complaint is about"),
        required=False,
        queryset=User.objects.filter(is_active=True, staff_member__isnull=False),
        empty_label=NOBODY,
        help_text=_("They can never handle this complaint."),
    )


class InterimForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 3})
    )
    new_due = forms.DateField(
        label=_("New answer date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AnswerForm(AccessibleForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    norms = KeyedMultipleChoiceField(
        label=_("Norms of good administration breached"),
        required=False,
        queryset=Norm.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when the complaint is founded or partially founded."),
    )
    measure = forms.CharField(
        label=_("Corrective or improvement measure taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What was put right for the complainant, and what changes so it does not happen again."
        ),
    )

    # "What we changed" (E13): the improvement action a founded complaint led to, if any.
    improvement_action = RowChoiceField(
        label=_("Improvement action it led to"),
        required=False,
        queryset=ImprovementAction.objects.exclude(status=ActionStatus.DROPPED),
        empty_label=NOBODY,
        help_text=_("Optional; named in the letter as what we changed."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        founded = {Outcome.FOUNDED, Outcome.PARTIALLY_FOUNDED}
        if data.get("improvement_action") and data.get("outcome") not in founded:
            self.add_error(
                "improvement_action",
                _("Only the answer to a founded complaint names an improvement action."),
            )
        return data


class OmbudsmanRequestForm(AccessibleForm):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    summary = forms.CharField(
        label=_("What the Ombudsman asks"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(AccessibleForm):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the complainant."),
    )


class DemoReplyForm(AccessibleForm):
    """The demo mailbox page's answer to a mail, written as the complainant (demo mode only)."""

    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("A file (optional)"),
        required=False,
        help_text=_("Checked as a file sent through the web form: PDF, JPEG, PNG, DOCX or ODT."),
    )


class NotificationSettingForm(AccessibleForm):
    mail = forms.ChoiceField(
        label=_("E-mail me about my notifications"),
        choices=NotificationMail.choices,
        widget=forms.RadioSelect,
    )


class AbsenceForm(AccessibleForm):
    person = StaffUserChoiceField(
        label=_("Who is away"),
        queryset=staff_users(Role.HANDLER, Role.MANAGER),
        empty_label=NOBODY,
    )
    substitute = StaffUserChoiceField(
        label=_("Substitute"),
        queryset=staff_users(Role.HANDLER, Role.MANAGER),
        empty_label=NOBODY,
        help_text=_(
            "For these days the substitute sees and handles the complaints of the person away; "
            "what they do is recorded under their own name."
        ),
    )
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (included)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
