"""The back office's write path: admissibility, assignment, questions to the complainant,
interim messages, the final answer, the Ombudsman's requests, notes and letters.

Each function is one transaction: it locks the complaint row, checks the rules and the move
against the workflow table under that lock, appends history, writes the audit row of the act
and queues the messages it causes.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.audit import audit, audit_many
from access.models import AuditAction, StaffMember
from complaints import deadlines
from complaints.access import complaints_for
from complaints.clock import clock_pause, clock_resume
from complaints.events import complaint_event
from complaints.models import (
    AccessToken,
    ActorKind,
    AdmissibilityDecision,
    Complaint,
    DecisionKind,
    Extension,
    FinalAnswer,
    Message,
    MessageKind,
    NotAComplaintKind,
    Note,
    NotificationKind,
    OmbudsmanRequest,
    Outcome,
    Status,
)
from complaints.notify import notify_staff
from complaints.services import (
    complaint_record_acknowledgement,
    masked_link,
    message_context,
    message_send,
)
from complaints.workflow import TransitionNotAllowed, is_allowed, transition
from configuration.models import CompetentBody, DeadlineKind, Ground, Norm, Unit, WebhookEvent
from messaging.letters import LetterIncomplete as LetterProblem
from messaging.letters import letter_check, letter_compose
from messaging.outbox import outbox_enqueue, render_message, render_part


class HandlingError(Exception):
    """A staff action that the rules do not allow; the message is shown to the user."""


class ActionNotAllowed(HandlingError):
    """The complaint is no longer where the action expects it: a repeated or stale action (a
    second click, a second tab). Staff see the complaint's page with the message."""


DECISION_STATUS = {
    DecisionKind.ADMISSIBLE: Status.IN_HANDLING,
    DecisionKind.INADMISSIBLE: Status.INADMISSIBLE,
    DecisionKind.NOT_A_COMPLAINT: Status.NOT_A_COMPLAINT,
    DecisionKind.NOT_COMPETENT: Status.FORWARDED,
}

DECISION_TEMPLATE = {
    DecisionKind.INADMISSIBLE: "inadmissible",
    DecisionKind.NOT_A_COMPLAINT: "not_a_complaint",
    DecisionKind.NOT_COMPETENT: "forwarded",
}


# The actions that move a complaint, and where they may move it. The complaint's page offers
# an action only when the workflow table allows every one of its moves from the current
# status (a decision may be any of the four).
ACTION_MOVES: dict[str, tuple[Status, ...]] = {
    "admissibility": tuple(DECISION_STATUS.values()),
    "request_information": (Status.WAITING_FOR_COMPLAINANT,),
    "answer": (Status.ANSWERED,),
}
# Actions that change an open complaint without moving it.
OPEN_ACTIONS = frozenset({"assign", "interim"})


def actions_allowed(complaint: Complaint) -> frozenset[str]:
    """The actions the workflow allows on ``complaint`` now (the role is the view's matter)."""
    allowed = {
        action
        for action, targets in ACTION_MOVES.items()
        if all(is_allowed(complaint.status, target) for target in targets)
    }
    if not complaint.is_closed:
        allowed |= OPEN_ACTIONS
    return frozenset(allowed)


def not_allowed_message(complaint: Complaint) -> str:
    return _("This action is no longer possible: the complaint is now “%(status)s”.") % {
        "status": complaint.get_status_display()
    }


def _locked(complaint: Complaint, by: User) -> Complaint:
    """Access check and row lock in one step: the complaint, locked, if ``by`` may still act
    on it (an assignment or a "staff member concerned" may have changed since the page was
    read). The rules are then checked under the lock."""
    locked = complaints_for(by).select_for_update(of=("self",)).filter(pk=complaint.pk).first()
    if locked is None:
        raise ActionNotAllowed(_("You can no longer act on this complaint."))
    return locked


def _locked_for(complaint: Complaint, action: str, by: User) -> Complaint:
    """The complaint under a row lock, if ``by`` may act on it and ``action`` is still
    allowed on it."""
    complaint = _locked(complaint, by)
    if action not in actions_allowed(complaint):
        raise ActionNotAllowed(not_allowed_message(complaint))
    return complaint


def _move(
    complaint: Complaint, target: Status, *, by: User, at: datetime.datetime | None = None
) -> None:
    try:
        transition(complaint, target, actor_kind=ActorKind.STAFF, actor=by, at=at)
    except TransitionNotAllowed:
        raise ActionNotAllowed(not_allowed_message(complaint)) from None


def _audit(complaint: Complaint, by: User, detail: str) -> None:
    """The audit row of a change, written in the transaction of the change it records."""
    audit(user=by, action=AuditAction.CHANGE, complaint=complaint, detail=detail)


def decision_context(
    *,
    grounds: Sequence[str],
    competent_body: CompetentBody | None,
    reasoning: str,
    forwarding_consent: bool = False,
) -> dict[str, object]:
    return {
        "grounds": [Ground(code) for code in sorted(grounds)],
        "competent_body": competent_body,
        "reasoning": reasoning,
        "sent_to_body": forwarded_to(competent_body, forwarding_consent),
    }


def forwarded_to(competent_body: CompetentBody | None, forwarding_consent: bool) -> str:
    """Where a complaint outside the competence is sent: the body's address when it has one
    and the complainant agreed (the privacy rules ask for it); otherwise nowhere."""
    if competent_body is None or not forwarding_consent:
        return ""
    return competent_body.email


def complaint_decide_admissibility(
    *,
    complaint: Complaint,
    kind: DecisionKind,
    by: User,
    grounds: Sequence[str] = (),
    not_a_complaint_kind: NotAComplaintKind | str = "",
    competent_body: CompetentBody | None = None,
    reasoning: str = "",
    forwarding_consent: bool = False,
    letter_subject: str = "",
    letter_body: str = "",
) -> AdmissibilityDecision:
    """Records the manager's decision (E6). Every refusal goes out as a reasoned letter in the
    complainant's language; a complaint outside the competence is also sent, with its files,
    to the competent body when it has an address and the complainant agreed; otherwise the
    letter tells the complainant where to go (``decision.forwarded_to`` stays empty)."""
    grounds = sorted({Ground(code).value for code in grounds})
    if kind == DecisionKind.INADMISSIBLE and not grounds:
        raise HandlingError(_("Choose at least one ground of inadmissibility."))
    if kind == DecisionKind.NOT_COMPETENT and competent_body is None:
        raise HandlingError(_("Choose the competent body the complaint goes to."))
    if kind == DecisionKind.NOT_A_COMPLAINT and not not_a_complaint_kind:
        raise HandlingError(_("Say what it is instead of a complaint."))
    if kind != DecisionKind.INADMISSIBLE:
        grounds = []
    with transaction.atomic():
        complaint = _locked_for(complaint, "admissibility", by)
        now = timezone.now()
        _move(complaint, DECISION_STATUS[kind], by=by, at=now)
        decision = AdmissibilityDecision.objects.create(
            complaint=complaint,
            kind=kind,
            grounds=grounds,
            not_a_complaint_kind=not_a_complaint_kind
            if kind == DecisionKind.NOT_A_COMPLAINT
            else "",
            competent_body=competent_body if kind == DecisionKind.NOT_COMPETENT else None,
            reasoning=reasoning.strip(),
            forwarding_consent=forwarding_consent and kind == DecisionKind.NOT_COMPETENT,
            decided_by=by,
            decided_at=now,
        )
        if kind in DECISION_TEMPLATE:
            context = decision_context(
                grounds=grounds,
                competent_body=competent_body,
                reasoning=reasoning,
                forwarding_consent=forwarding_consent,
            )
            _send_composed(
                complaint=complaint,
                kind=MessageKind.FORWARDED
                if kind == DecisionKind.NOT_COMPETENT
                else MessageKind.REFUSAL,
                template=DECISION_TEMPLATE[kind],
                context=context,
                subject=letter_subject,
                body=letter_body,
                by=by,
            )
            complaint.answered_at = now
            complaint.save(update_fields=["answered_at"])
        address = forwarded_to(competent_body, forwarding_consent)
        if kind == DecisionKind.NOT_COMPETENT and competent_body and address:
            _forward(complaint, competent_body, decision, reasoning)
        _audit(complaint, by, f"admissibility decision: {kind}")
        complaint_event(complaint, WebhookEvent.DECIDED)
    return decision


def _forward(
    complaint: Complaint,
    competent_body: CompetentBody,
    decision: AdmissibilityDecision,
    reasoning: str,
) -> None:
    """Sends the complaint and its files to the competent body, in the body's own language
    whatever the complainant's, and records where it went on the decision."""
    subject, text, html = render_message(
        "to_competent_body",
        {**message_context(complaint), "body": competent_body, "reasoning": reasoning},
        competent_body.language,
    )
    files = [
        {"name": file.original_name, "file": str(file.file.name), "content_type": file.content_type}
        for file in complaint.attachments.filter(from_staff=False).order_by("pk")
    ]
    outbox_enqueue(
        to=competent_body.email,
        subject=subject,
        text=text,
        html=html,
        language=competent_body.language,
        complaint=complaint,
        attachments=files,
    )
    decision.forwarded_to = competent_body.email
    decision.forwarded_files = len(files)
    decision.save(update_fields=["forwarded_to", "forwarded_files"])


def _send_composed(
    *,
    complaint: Complaint,
    kind: MessageKind,
    template: str,
    context: dict[str, object],
    subject: str,
    body: str,
    by: User,
    parts: Mapping[str, str] | None = None,
) -> Message:
    """Sends the letter ``letter_text`` composes, the one staff previewed: refused
    (``LetterIncomplete``, a ``HandlingError``) while a part is empty or a placeholder is left.
    The closing part (Ombudsman route, link) is always appended."""
    subject, text = letter_text(
        complaint=complaint,
        template=template,
        context=context,
        subject=subject,
        parts=parts or {},
        body=body,
    )
    return message_send(
        complaint=complaint,
        kind=kind,
        subject=subject,
        body=text,
        author=by,
        context=context,
        access=AccessToken.issue(complaint),
    )


def compose_draft(
    *, complaint: Complaint, template: str, context: dict[str, object] | None = None
) -> tuple[str, str]:
    """A letter's subject and body before staff wrote its parts."""
    full_context = {**message_context(complaint), **(context or {})}
    return letter_compose(template, full_context, {}, complaint.language)


class LetterIncomplete(HandlingError):
    """A letter with an empty part or a placeholder left: nothing is sent."""


def letter_text(
    *,
    complaint: Complaint,
    template: str,
    context: dict[str, object],
    subject: str = "",
    parts: Mapping[str, str] | None = None,
    body: str = "",
) -> tuple[str, str]:
    """The subject and the whole text of a letter as it is stored and sent (the personal link
    masked, as stored): the template in the complainant's language with the ``parts`` staff
    wrote, or a ``body`` written whole elsewhere, then the closing part. Raises
    ``LetterIncomplete`` when it may not leave. The preview shows exactly this."""
    parts = parts or {}
    full_context = {**message_context(complaint), **context}
    draft_subject, draft_body = letter_compose(template, full_context, parts, complaint.language)
    subject = subject.strip() or draft_subject
    text = (body.strip() + "\n") if body.strip() else draft_body
    closing = render_closing(complaint=complaint, template=template, context=context, link=True)
    try:
        # A body written whole has no parts left to fill; its text is checked all the same.
        letter_check("" if body.strip() else template, parts, subject, text, closing)
    except LetterProblem as problem:
        raise LetterIncomplete(str(problem)) from None
    return subject, text + closing


def render_closing(
    *, complaint: Complaint, template: str, context: dict[str, object], link: bool
) -> str:
    """The part of a letter staff cannot remove; with the personal link masked, as stored."""
    closing = render_part(
        template,
        "closing.txt",
        {
            **message_context(complaint),
            **({"follow_url": masked_link(complaint)} if link else {}),
            **context,
        },
        complaint.language,
    )
    return "\n" + closing.strip() + "\n"


@dataclass
class Batch:
    """What one act on many complaints did: the complaints changed (as written), and each
    refused one with the reason, in the order of the rows."""

    done: list[Complaint] = field(default_factory=list)
    refused: list[tuple[Complaint, HandlingError]] = field(default_factory=list)

    def one(self) -> Complaint:
        """The batch of one complaint: the complaint, or its refusal raised."""
        if self.refused:
            raise self.refused[0][1]
        return self.done[0]


class Keep(enum.Enum):
    """In a bulk assignment: each complaint keeps its own unit."""

    UNIT = "unit"


def _locked_batch(
    complaints: Sequence[Complaint], action: str, by: User, batch: Batch, *, handlers: bool = False
) -> list[Complaint]:
    """``_locked_for`` for many complaints in one query: the access check and the row locks
    (taken in the order of the ids, so that two batches cannot deadlock), then ``action``
    checked on each under its lock. The others go to ``batch.refused``. ``handlers``: with
    each handler's staff record."""
    wanted = {complaint.pk: complaint for complaint in complaints}
    rows = complaints_for(by).select_for_update(of=("self",)).filter(pk__in=wanted)
    if handlers:
        rows = rows.select_related("handler__staff_member")
    locked = {complaint.pk: complaint for complaint in rows.order_by("pk")}
    allowed = []
    for pk, original in wanted.items():
        complaint = locked.get(pk)
        if complaint is None:
            refusal = ActionNotAllowed(_("You can no longer act on this complaint."))
            batch.refused.append((original, refusal))
        elif action not in actions_allowed(complaint):
            batch.refused.append((complaint, ActionNotAllowed(not_allowed_message(complaint))))
        else:
            allowed.append(complaint)
    return allowed


def complaint_assign(
    *, complaint: Complaint, unit: Unit | None, handler: User | None, by: User
) -> Complaint:
    """Assigns the complaint to a unit and a handler: ``complaints_assign`` for one."""
    return complaints_assign(complaints=[complaint], unit=unit, handler=handler, by=by).one()


def complaints_assign(
    *,
    complaints: Sequence[Complaint],
    unit: Unit | Keep | None,
    handler: User | None,
    by: User,
) -> Batch:
    """Assigns each complaint to a unit (``Keep.UNIT``: its own) and a handler, in one
    transaction: never to the person it is about (E7), checked under the row lock so that a
    concurrent "staff member concerned" cannot slip in. The handler's record is read once;
    the locks, the change and the audit rows are one statement each, whatever the number."""
    batch = Batch()
    member = getattr(handler, "staff_member", None) if handler is not None else None
    with transaction.atomic():
        for complaint in _locked_batch(complaints, "assign", by, batch):
            target = complaint.unit if isinstance(unit, Keep) else unit
            refusal = _assign_refusal(complaint, target, handler, member)
            if refusal is not None:
                batch.refused.append((complaint, refusal))
                continue
            complaint.unit = target
            complaint.handler = handler
            batch.done.append(complaint)
        ids = [complaint.pk for complaint in batch.done]
        if ids:
            changes: dict[str, object] = {"handler": handler}
            if not isinstance(unit, Keep):
                changes["unit"] = unit
            Complaint.objects.filter(pk__in=ids).update(**changes)
            handler_id = handler.pk if handler else "-"
            audit_many(
                user=by,
                action=AuditAction.CHANGE,
                entries=[
                    (
                        complaint,
                        f"assigned: unit {complaint.unit_id or '-'}, handler {handler_id}",
                    )
                    for complaint in batch.done
                ],
            )
    return batch


def _assign_refusal(
    complaint: Complaint, unit: Unit | None, handler: User | None, member: StaffMember | None
) -> HandlingError | None:
    """Why ``handler`` may not handle ``complaint`` in ``unit``; None when they may."""
    if handler is None:
        return None
    if complaint.concerned_staff_id == handler.pk:
        return HandlingError(
            _("%(name)s is the staff member the complaint is about and cannot handle it.")
            % {"name": handler.get_full_name() or handler.get_username()}
        )
    if member is None or member.role not in {"handler", "manager"}:
        return HandlingError(_("Only a handler or the complaints manager can handle a complaint."))
    if unit is not None and member.unit_id not in {None, unit.pk}:
        return HandlingError(_("The handler does not belong to this unit."))
    return None


def complaint_change_unit(*, complaint: Complaint, unit: Unit | None, by: User) -> Complaint:
    """Moves the complaint to another unit: ``complaints_change_unit`` for one."""
    return complaints_change_unit(complaints=[complaint], unit=unit, by=by).one()


def complaints_change_unit(
    *, complaints: Sequence[Complaint], unit: Unit | None, by: User
) -> Batch:
    """Moves each complaint to another unit, in one transaction; its handler stays when they
    may handle it there (a member of that unit, or of none), and is taken off otherwise."""
    batch = Batch()
    with transaction.atomic():
        dropped = []
        for complaint in _locked_batch(complaints, "assign", by, batch, handlers=True):
            handler = complaint.handler
            member = getattr(handler, "staff_member", None) if handler else None
            if unit is not None and member is not None and member.unit_id not in {None, unit.pk}:
                complaint.handler = None
                dropped.append(complaint.pk)
            complaint.unit = unit
            batch.done.append(complaint)
        if batch.done:
            changes: dict[str, object] = {"unit": unit}
            if dropped:
                changes["handler"] = Case(
                    When(pk__in=dropped, then=Value(None)), default=F("handler")
                )
            Complaint.objects.filter(pk__in=[complaint.pk for complaint in batch.done]).update(
                **changes
            )
            audit_many(
                user=by,
                action=AuditAction.CHANGE,
                entries=[
                    (
                        complaint,
                        f"moved: unit {unit.pk if unit else '-'}, "
                        f"handler {complaint.handler_id or '-'}",
                    )
                    for complaint in batch.done
                ],
            )
    return batch


def complaint_set_concerned_staff(
    *, complaint: Complaint, staff: User | None, by: User
) -> Complaint:
    """Records who the complaint is about; if they were assigned, the assignment is undone."""
    with transaction.atomic():
        complaint = _locked(complaint, by)
        complaint.concerned_staff = staff
        fields = ["concerned_staff"]
        if staff is not None and complaint.handler_id == staff.pk:
            complaint.handler = None
            fields.append("handler")
        complaint.save(update_fields=fields)
        _audit(complaint, by, f"staff member concerned: {staff.pk if staff else '-'}")
    return complaint


def complaint_request_information(
    *,
    complaint: Complaint,
    subject: str = "",
    body: str = "",
    parts: Mapping[str, str] | None = None,
    by: User,
) -> Message:
    """Asks the complainant for more information; the service now waits for their reply."""
    with transaction.atomic():
        complaint = _locked_for(complaint, "request_information", by)
        _move(complaint, Status.WAITING_FOR_COMPLAINANT, by=by)
        clock_pause(complaint)
        _audit(complaint, by, "information requested")
        return _send_composed(
            complaint=complaint,
            kind=MessageKind.INFORMATION_REQUEST,
            template="information_request",
            context={},
            subject=subject,
            body=body,
            parts=parts,
            by=by,
        )


def complaint_send_interim(
    *,
    complaint: Complaint,
    reason: str,
    new_due: datetime.date,
    subject: str = "",
    body: str = "",
    by: User,
) -> Extension:
    """The answer will be late (E5): tells the complainant why and by when, and moves the
    answer deadline. The extension is kept and shows in the reports."""
    if not reason.strip():
        raise HandlingError(_("Give the reason for the delay."))
    with transaction.atomic():
        complaint = _locked_for(complaint, "interim", by)
        if new_due <= complaint.answer_due:
            raise HandlingError(_("The new date must be after the current answer date."))
        extension = Extension.objects.create(
            complaint=complaint,
            reason=reason.strip(),
            previous_due=complaint.answer_due,
            new_due=new_due,
            by=by,
            at=timezone.now(),
        )
        complaint.answer_due = new_due
        complaint.save(update_fields=["answer_due"])
        _send_composed(
            complaint=complaint,
            kind=MessageKind.INTERIM,
            template="interim",
            context={"extension": extension},
            subject=subject,
            body=body,
            by=by,
        )
        _audit(complaint, by, f"interim message: answer due {new_due.isoformat()}")
    return extension


def complaint_answer(
    *,
    complaint: Complaint,
    outcome: Outcome,
    norms: Sequence[Norm] = (),
    measure: str = "",
    subject: str = "",
    body: str = "",
    parts: Mapping[str, str] | None = None,
    by: User,
) -> FinalAnswer:
    """Sends the final answer and closes the complaint (R11, R12, E8, E9). It always carries
    the Federal Ombudsman route (R14)."""
    if outcome in {Outcome.FOUNDED, Outcome.PARTIALLY_FOUNDED}:
        if not norms:
            raise HandlingError(_("Say which norms of good administration were breached."))
        if not measure.strip():
            raise HandlingError(_("Describe the corrective or improvement measure taken."))
    with transaction.atomic():
        complaint = _locked_for(complaint, "answer", by)
        now = timezone.now()
        clock_resume(complaint, at=now)
        _move(complaint, Status.ANSWERED, by=by, at=now)
        answer = FinalAnswer.objects.create(
            complaint=complaint, outcome=outcome, measure=measure.strip(), sent_by=by, sent_at=now
        )
        answer.breached(norms)
        _send_composed(
            complaint=complaint,
            kind=MessageKind.ANSWER,
            template="answer",
            context={"answer": answer, "norms": list(norms)},
            subject=subject,
            body=body,
            parts=parts,
            by=by,
        )
        complaint.answered_at = now
        complaint.save(update_fields=["answered_at"])
        _audit(complaint, by, f"final answer: {outcome}")
        complaint_event(complaint, WebhookEvent.ANSWERED)
    return answer


def ombudsman_request_register(
    *, complaint: Complaint, received_on: datetime.date, summary: str, by: User
) -> OmbudsmanRequest:
    """A request of the Federal Ombudsman about this complaint, with its own deadline (E11)."""
    if not summary.strip():
        raise HandlingError(_("Describe what the Ombudsman asks."))
    due = deadlines.due_date(
        received_on,
        deadlines.policy_from_configuration(DeadlineKind.OMBUDSMAN_REQUEST),
        deadlines.calendar_from_configuration(),
    )
    with transaction.atomic():
        complaint = _locked(complaint, by)
        request = OmbudsmanRequest.objects.create(
            complaint=complaint,
            received_on=received_on,
            due=due,
            summary=summary.strip(),
            registered_by=by,
            registered_at=timezone.now(),
        )
        _refresh_ombudsman_due(complaint)
        _audit(complaint, by, "Ombudsman request registered")
        notify_staff(
            complaint,
            template="staff_notification",
            managers=False,
            context={},
            kind=NotificationKind.OMBUDSMAN,
            not_to=by,
        )
    return request


def ombudsman_request_mark_answered(*, request: OmbudsmanRequest, by: User) -> OmbudsmanRequest:
    with transaction.atomic():
        complaint = _locked(request.complaint, by)
        request = OmbudsmanRequest.objects.select_for_update().get(pk=request.pk)
        if request.answered_at is None:
            request.answered_at = timezone.now()
            request.save(update_fields=["answered_at"])
            _audit(complaint, by, "Ombudsman request answered")
        _refresh_ombudsman_due(complaint)
    return request


def _refresh_ombudsman_due(complaint: Complaint) -> None:
    first = complaint.ombudsman_requests.filter(answered_at__isnull=True).order_by("due").first()
    Complaint.objects.filter(pk=complaint.pk).update(ombudsman_due=first.due if first else None)


def note_add(*, complaint: Complaint, text: str, by: User) -> Note:
    if not text.strip():
        raise HandlingError(_("The note is empty."))
    with transaction.atomic():
        note = Note.objects.create(
            complaint=complaint, author=by, text=text.strip(), at=timezone.now()
        )
        _audit(complaint, by, "note")
    return note


def letter_mark_posted(*, message: Message, by: User) -> Message:
    """Staff posted a printed letter. For the acknowledgement, that is when it went out."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.posted_at is not None:
            return message
        message.posted_at = timezone.now()
        message.save(update_fields=["posted_at"])
        _audit(message.complaint, by, f"letter {message.pk} posted")
        if message.kind == MessageKind.ACKNOWLEDGEMENT:
            complaint_record_acknowledgement(
                complaint_id=message.complaint_id, at=message.posted_at
            )
    return message


def access_links_revoke(*, complaint: Complaint, by: User) -> int:
    """Revokes every personal link of the complaint (a link that leaked, for instance)."""
    with transaction.atomic():
        complaint = _locked(complaint, by)
        revoked = AccessToken.objects.filter(complaint=complaint, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _audit(complaint, by, "links revoked")
    return revoked
