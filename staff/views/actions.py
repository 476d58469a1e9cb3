"""The actions on a complaint. Thin views: they validate a form and call one function of
``complaints.handling``, which checks the rules and writes the audit row. An action the
workflow no longer allows (a second click, a second tab) brings staff back to the complaint's
page with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.members import CASE_ROLES, staff_view, user_of
from access.models import Role
from common.forms import AccessibleForm
from complaints import handling
from complaints.access import complaint_for_user
from complaints.admissibility import propose_grounds
from complaints.handling import (
    ActionNotAllowed,
    HandlingError,
    actions_allowed,
    compose_draft,
    not_allowed_message,
)
from complaints.models import AdmissibilityDecision, Complaint, DecisionKind, Outcome
from improvement.plan import complaint_answer_naming_action
from staff.forms import (
    AdmissibilityForm,
    AnswerForm,
    AssignForm,
    ConcernedStaffForm,
    InterimForm,
    LetterForm,
    NoteForm,
    OmbudsmanRequestForm,
)
from staff.views.case import back_to

Sender = Callable[[dict[str, Any], str, dict[str, str]], object]


def _changed(request: HttpRequest, complaint: Complaint, done: str) -> HttpResponse:
    messages.success(request, done)
    return back_to(complaint)


def _refused(request: HttpRequest, complaint: Complaint, error: HandlingError) -> HttpResponse:
    messages.error(request, str(error))
    return back_to(complaint)


def _act(
    request: HttpRequest, complaint: Complaint, act: Callable[[], object], done: str
) -> HttpResponse:
    """A one-click action: done, or the rule that refused it, on the complaint's page."""
    try:
        act()
    except HandlingError as error:
        return _refused(request, complaint, error)
    return _changed(request, complaint, done)


def _stale(request: HttpRequest, complaint: Complaint, action: str) -> HttpResponse | None:
    """The complaint's page with a message when ``action`` is no longer allowed on it."""
    if action in actions_allowed(complaint):
        return None
    return _refused(request, complaint, ActionNotAllowed(not_allowed_message(complaint)))


def compose(
    request: HttpRequest,
    complaint: Complaint,
    *,
    facts_form: AccessibleForm,
    template: Callable[[dict[str, Any]], str | None],
    context: Callable[[dict[str, Any]], dict[str, object]],
    send: Sender,
    action: str,
    title: str,
    done: str,
    initial_parts: Callable[[dict[str, Any]], dict[str, str]] = lambda facts: {},
) -> HttpResponse:
    """The shared flow of an action that ends in a letter: the facts first (outcome, grounds,
    reason), then the parts of the letter staff write into the complainant's-language
    template, a preview that is exactly the letter sent (``handling.letter_text``), and
    sending. A letter with an empty part or a placeholder left is refused, everything typed
    kept; a part typed in another language than the complainant's is pointed out."""
    if stale := _stale(request, complaint, action):
        return stale
    step = request.POST.get("step", "facts") if request.method == "POST" else "facts"
    page: dict[str, Any] = {
        "complaint": complaint,
        "title": title,
        "facts_form": facts_form,
        "done": done,
    }
    if request.method != "POST" or not facts_form.is_valid():
        return render(request, "staff/compose.html", page)
    facts = facts_form.cleaned_data
    letter_template = template(facts)
    if letter_template is None:  # a decision that sends no letter
        return _send(request, complaint, send, facts, "", {}, page)
    if step == "facts":
        subject, _body = compose_draft(
            complaint=complaint, template=letter_template, context=context(facts)
        )
        letter_form = LetterForm(
            initial={"subject": subject, **initial_parts(facts)}, template=letter_template
        )
        return render(request, "staff/compose.html", page | {"letter_form": letter_form})
    letter_form = LetterForm(request.POST, template=letter_template)
    page["letter_form"] = letter_form
    if not letter_form.is_valid():
        return render(request, "staff/compose.html", page)
    subject, parts = letter_form.cleaned_data["subject"], letter_form.parts()
    try:
        _subject, preview = handling.letter_text(
            complaint=complaint,
            template=letter_template,
            context=context(facts),
            subject=subject,
            parts=parts,
        )
    except HandlingError as error:
        letter_form.add_error(None, str(error))
        return render(request, "staff/compose.html", page)
    if step == "send":
        return _send(request, complaint, send, facts, subject, parts, page)
    page |= {"preview": preview, "language_warnings": _language_warnings(complaint, facts, parts)}
    return render(request, "staff/compose.html", page)


def _language_warnings(
    complaint: Complaint, facts: dict[str, Any], parts: dict[str, str]
) -> list[str]:
    """What staff typed that reads as another language than the complainant's."""
    from messaging.language import language_of

    typed = {**{name: value for name, value in facts.items() if isinstance(value, str)}, **parts}
    names = dict(settings.LANGUAGES)
    warnings = []
    for value in typed.values():
        found = language_of(value)
        if found is not None and found != complaint.language:
            warnings.append(
                _("“%(text)s” reads as %(found)s; the complainant reads %(language)s.")
                % {
                    "text": Truncator(value).words(8),
                    "found": names.get(found, found),
                    "language": complaint.get_language_display(),
                }
            )
    return warnings


def _send(
    request: HttpRequest,
    complaint: Complaint,
    send: Sender,
    facts: dict[str, Any],
    subject: str,
    parts: dict[str, str],
    page: dict[str, Any],
) -> HttpResponse:
    """Sends; a rule that refuses (``HandlingError``) comes back as an error on the form with
    everything typed, a move the workflow no longer allows as a message on the complaint's
    page."""
    try:
        send(facts, subject, parts)
    except ActionNotAllowed as error:
        return _refused(request, complaint, error)
    except HandlingError as error:
        form = page.get("letter_form") or page["facts_form"]
        form.add_error(None, str(error))
        return render(request, "staff/compose.html", page)
    return _changed(request, complaint, page["done"])


@staff_view(Role.MANAGER)
def decide_admissibility(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    initial = {"grounds": [p.ground.value for p in propose_grounds(complaint)]}
    form = AdmissibilityForm(request.POST or None, initial=initial)

    def send(facts: dict[str, Any], subject: str, parts: dict[str, str]) -> object:
        decision = handling.complaint_decide_admissibility(
            complaint=complaint,
            kind=DecisionKind(facts["kind"]),
            by=user_of(request),
            grounds=facts["grounds"],
            not_a_complaint_kind=facts["not_a_complaint_kind"],
            competent_body=facts["competent_body"],
            reasoning=facts["reasoning"],
            forwarding_consent=facts["forwarding_consent"],
            letter_subject=subject,
        )
        if decision.kind == DecisionKind.NOT_COMPETENT and not decision.forwarded_to:
            messages.warning(request, _nothing_forwarded(decision))
        return decision

    return compose(
        request,
        complaint,
        facts_form=form,
        template=lambda facts: handling.DECISION_TEMPLATE.get(DecisionKind(facts["kind"])),
        context=lambda facts: handling.decision_context(
            grounds=facts["grounds"] if facts["kind"] == DecisionKind.INADMISSIBLE else [],
            competent_body=facts["competent_body"],
            reasoning=facts["reasoning"],
            forwarding_consent=facts["forwarding_consent"],
        ),
        send=send,
        action="admissibility",
        title=_("Decide on admissibility"),
        done=_("The decision has been recorded."),
    )


def _nothing_forwarded(decision: AdmissibilityDecision) -> str:
    body = decision.competent_body
    name = body.translated("name") if body else ""
    if body is not None and not body.email:
        why = _("it has no e-mail address")
    else:
        why = _("the complainant did not agree")
    return _(
        "Nothing was sent to %(body)s: %(why)s. The letter tells the complainant where to go."
    ) % {"body": name, "why": why}


@staff_view(*CASE_ROLES)
def request_information(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    return compose(
        request,
        complaint,
        facts_form=AccessibleForm(request.POST or None),
        template=lambda facts: "information_request",
        context=lambda facts: {},
        send=lambda facts, subject, parts: handling.complaint_request_information(
            complaint=complaint, subject=subject, parts=parts, by=user_of(request)
        ),
        action="request_information",
        title=_("Ask the complainant for information"),
        done=_("The request has been sent."),
    )


@staff_view(*CASE_ROLES)
def send_interim(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)

    def context(facts: dict[str, Any]) -> dict[str, object]:
        return {
            "extension": {
                "reason": facts["reason"],
                "new_due": facts["new_due"],
                "previous_due": complaint.answer_due,
            }
        }

    return compose(
        request,
        complaint,
        facts_form=InterimForm(request.POST or None),
        template=lambda facts: "interim",
        context=context,
        send=lambda facts, subject, parts: handling.complaint_send_interim(
            complaint=complaint,
            reason=facts["reason"],
            new_due=facts["new_due"],
            subject=subject,
            by=user_of(request),
        ),
        action="interim",
        title=_("Interim message: the answer will be late"),
        done=_("The interim message has been sent and the answer date moved."),
    )


@staff_view(*CASE_ROLES)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)

    def context(facts: dict[str, Any]) -> dict[str, object]:
        return {
            "answer": {"outcome": facts["outcome"], "measure": facts["measure"]},
            "norms": list(facts["norms"]),
        }

    def initial_parts(facts: dict[str, Any]) -> dict[str, str]:
        action = facts["improvement_action"]
        return {"changes": action.title} if action is not None else {}

    return compose(
        request,
        complaint,
        facts_form=AnswerForm(request.POST or None),
        template=lambda facts: "answer",
        context=context,
        send=lambda facts, subject, parts: complaint_answer_naming_action(
            action=facts["improvement_action"],
            complaint=complaint,
            outcome=Outcome(facts["outcome"]),
            norms=list(facts["norms"]),
            measure=facts["measure"],
            subject=subject,
            parts=parts,
            by=user_of(request),
        ),
        initial_parts=initial_parts,
        action="answer",
        title=_("Final answer"),
        done=_("The answer has been sent and the complaint closed."),
    )


def simple_action(
    request: HttpRequest,
    complaint: Complaint,
    form: AccessibleForm,
    action: Callable[[], object],
    title: str,
    done: str,
    workflow_action: str = "",
) -> HttpResponse:
    """A form that changes the complaint in one step (no letter)."""
    if workflow_action and (stale := _stale(request, complaint, workflow_action)):
        return stale
    if request.method == "POST" and form.is_valid():
        try:
            action()
        except ActionNotAllowed as error:
            return _refused(request, complaint, error)
        except HandlingError as error:
            form.add_error(None, str(error))
        else:
            return _changed(request, complaint, done)
    return render(
        request, "staff/action_form.html", {"complaint": complaint, "form": form, "title": title}
    )


@staff_view(Role.MANAGER)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    form = AssignForm(
        request.POST or None, initial={"unit": complaint.unit, "handler": complaint.handler}
    )
    return simple_action(
        request,
        complaint,
        form,
        lambda: handling.complaint_assign(
            complaint=complaint,
            unit=form.cleaned_data["unit"],
            handler=form.cleaned_data["handler"],
            by=user_of(request),
        ),
        _("Assign"),
        _("The complaint has been assigned."),
        workflow_action="assign",
    )


@staff_view(Role.MANAGER)
def concerned_staff(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    form = ConcernedStaffForm(
        request.POST or None, initial={"concerned_staff": complaint.concerned_staff}
    )
    return simple_action(
        request,
        complaint,
        form,
        lambda: handling.complaint_set_concerned_staff(
            complaint=complaint, staff=form.cleaned_data["concerned_staff"], by=user_of(request)
        ),
        _("Staff member concerned"),
        _("The staff member concerned has been recorded."),
    )


@staff_view(*CASE_ROLES)
def ombudsman_request(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    form = OmbudsmanRequestForm(request.POST or None)
    return simple_action(
        request,
        complaint,
        form,
        lambda: handling.ombudsman_request_register(
            complaint=complaint,
            received_on=form.cleaned_data["received_on"],
            summary=form.cleaned_data["summary"],
            by=user_of(request),
        ),
        _("Register an Ombudsman request"),
        _("The Ombudsman's request has been registered with its deadline."),
    )


@require_POST
@staff_view(*CASE_ROLES)
def ombudsman_request_answered(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    ombudsman = get_object_or_404(complaint.ombudsman_requests, pk=request_pk)
    return _act(
        request,
        complaint,
        lambda: handling.ombudsman_request_mark_answered(request=ombudsman, by=user_of(request)),
        _("The reply to the Ombudsman has been recorded."),
    )


@require_POST
@staff_view(*CASE_ROLES)
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    form = NoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _act(
        request,
        complaint,
        lambda: handling.note_add(complaint=complaint, text=text, by=user_of(request)),
        _("The note has been added."),
    )


@require_POST
@staff_view(*CASE_ROLES)
def letter_posted(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    message = get_object_or_404(complaint.messages, pk=message_pk, from_complainant=False)
    return _act(
        request,
        complaint,
        lambda: handling.letter_mark_posted(message=message, by=user_of(request)),
        _("The letter is recorded as posted."),
    )


@require_POST
@staff_view(Role.MANAGER)
def revoke_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoking cuts the complainant off from their page: the first post asks to confirm."""
    complaint = complaint_for_user(user_of(request), pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "staff/revoke_links.html", {"complaint": complaint})
    return _act(
        request,
        complaint,
        lambda: handling.access_links_revoke(complaint=complaint, by=user_of(request)),
        _("Every personal link of this complaint has been revoked."),
    )
