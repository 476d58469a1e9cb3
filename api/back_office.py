"""The staff part: a person's complaints as their back office shows them, and the back
office's actions. Thin: access is ``complaints_for`` / ``complaint_for_user``, every change is
one call of ``complaints.handling`` (which checks the rules, writes the audit row and sends
the letter), the figures are ``reporting.evaluation``."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from access.audit import audit
from access.members import CASE_ROLES, REPORT_ROLES
from access.models import AuditAction, Role
from api.auth import TokenAuth, caller
from api.problems import ApiProblem, Problem, invalid, not_found
from api.public import valid_or_refused
from api.schemas import (
    AnswerIn,
    AssignIn,
    AttachmentOut,
    ComplaintOut,
    ComplaintPage,
    ComplaintRow,
    DecisionIn,
    DoneOut,
    FederalIndicators,
    FederalLine,
    Figures,
    ForwardIn,
    ForwardOut,
    InformationRequestIn,
    Input,
    InterimIn,
    TimelineEvent,
)
from complaints import handling
from complaints.access import complaint_for_user, complaints_for
from complaints.forms import RegistrationForm
from complaints.handling import ActionNotAllowed, HandlingError
from complaints.models import (
    AdmissibilityDecision,
    Channel,
    Complaint,
    DecisionKind,
    Outcome,
)
from complaints.queries import STATUS_GROUPS, ComplaintWithNextDue, narrowed, timeline
from complaints.services import complaint_submit, received_at_on
from configuration.models import CompetentBody, Ground, Norm, Unit
from reporting.evaluation import Evaluation, evaluate
from reporting.periods import BadPeriod, Period, period_from

router = Router(tags=["staff"], auth=TokenAuth())

ERRORS: dict[int, type[Schema]] = {401: Problem, 403: Problem, 404: Problem, 429: Problem}
ACT_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: Problem, 409: Problem, 422: Problem}

Sort = Literal["next_due", "received_at", "-received_at", "reference"]
# The columns each sort orders by, the last one unique; a cursor holds their values.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "next_due": ("next_due", "received_at", "pk"),
    "received_at": ("received_at", "pk"),
    "-received_at": ("received_at", "pk"),
    "reference": ("reference",),
}


class ListQuery(Input):
    q: str = Field("", max_length=200, description="Reference, name, e-mail or words.")
    status: str = Field("", max_length=20, description="A status, “open” or “undecided”.")
    category: int | None = Field(None, ge=1, le=2**31 - 1)
    channel: Channel | None = None
    unit: int | None = Field(None, ge=1, le=2**31 - 1)
    handler: int | None = Field(None, ge=1, le=2**31 - 1)
    due_within: int | None = Field(None, ge=0, le=365, description="Next deadline within days.")
    overdue: bool = False
    due: Literal["", "today", "week"] = ""
    sort: Sort = "next_due"
    cursor: str = Field("", max_length=500)
    limit: int = Field(25, ge=1, le=100)


def _bad_cursor() -> ApiProblem:
    return invalid([{"field": "cursor", "message": _("This cursor is not valid for this list.")}])


def _encode(sort: str, row: Any) -> str:
    values = [
        getattr(row, key).isoformat()
        if hasattr(getattr(row, key), "isoformat")
        else getattr(row, key)
        for key in SORT_KEYS[sort]
    ]
    return base64.urlsafe_b64encode(json.dumps([sort, *values]).encode()).decode().rstrip("=")


def _decode(sort: str, cursor: str) -> dict[str, Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or raw[0] != sort or len(raw) != len(SORT_KEYS[sort]) + 1:
            raise ValueError
        values: dict[str, Any] = dict(zip(SORT_KEYS[sort], raw[1:], strict=True))
        if "received_at" in values:
            values["received_at"] = datetime.datetime.fromisoformat(values["received_at"])
            if values["received_at"].tzinfo is None:
                raise ValueError
        if values.get("next_due") is not None:
            values["next_due"] = datetime.date.fromisoformat(values["next_due"])
        if "pk" in values and not (isinstance(values["pk"], int) and 0 <= values["pk"] < 2**63):
            raise ValueError
        if "reference" in values and not (
            isinstance(values["reference"], str) and "\x00" not in values["reference"]
        ):
            raise ValueError
    except (ValueError, TypeError, IndexError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    return values


def _after(sort: str, at: dict[str, Any]) -> Q:
    """The rows after the cursor ``at`` in the order of ``sort`` (keyset pagination: every page
    is read from the index where the last one stopped, however deep)."""
    if sort == "reference":
        return Q(reference__gt=at["reference"])
    later = "lt" if sort == "-received_at" else "gt"
    by_time = Q(**{f"received_at__{later}": at["received_at"]}) | Q(
        received_at=at["received_at"], **{f"pk__{later}": at["pk"]}
    )
    if sort != "next_due":
        return by_time
    if at["next_due"] is None:  # nulls come last
        return Q(next_due__isnull=True) & by_time
    return (
        Q(next_due__gt=at["next_due"])
        | (Q(next_due=at["next_due"]) & by_time)
        | Q(next_due__isnull=True)
    )


def _ordered(complaints: QuerySet[ComplaintWithNextDue], sort: str) -> QuerySet[Any]:
    if sort == "next_due":
        return complaints.order_by(F("next_due").asc(nulls_last=True), "received_at", "pk")
    if sort == "-received_at":
        return complaints.order_by("-received_at", "-pk")
    return complaints.order_by(*SORT_KEYS[sort])


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _row(complaint: Any) -> ComplaintRow:
    return ComplaintRow(
        id=complaint.pk,
        reference=complaint.reference,
        status=complaint.status,
        channel=complaint.channel,
        category=complaint.category.code,
        unit=complaint.unit.code if complaint.unit else None,
        handler=complaint.handler.get_username() if complaint.handler else None,
        received_at=complaint.received_at,
        next_due=getattr(complaint, "next_due", None),
        first_name=complaint.first_name,
        last_name=complaint.last_name,
        organisation_name=complaint.organisation_name,
    )


@router.get("/complaints", response={200: ComplaintPage, 422: Problem, **ERRORS})
def complaint_list(request: HttpRequest, filters: Query[ListQuery]) -> ComplaintPage:
    """The caller's complaints (all for the complaints manager; their own and their unit's for
    a handler), filtered as the work list filters, in pages of ``limit``."""
    user = caller(request, *CASE_ROLES)
    if filters.status and filters.status not in STATUS_GROUPS:
        raise invalid([{"field": "status", "message": _("Not a status.")}])
    complaints = narrowed(complaints_for(user), filters.dict()).complaints
    if filters.status:
        complaints = complaints.filter(status__in=STATUS_GROUPS[filters.status])
    if filters.cursor:
        complaints = complaints.filter(_after(filters.sort, _decode(filters.sort, filters.cursor)))
    rows = list(_ordered(complaints, filters.sort)[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return ComplaintPage(
        items=[_row(c) for c in rows],
        next_cursor=_encode(filters.sort, rows[-1]) if more else None,
    )


class RegistrationIn(Input):
    """The back office's registration form (``RegistrationForm``): what arrived by e-mail,
    letter, phone or at the counter, however incomplete."""

    channel: str = Field(description="email, letter, phone or counter")
    received_on: str = Field(description="YYYY-MM-DD: the deadlines run from this day.")
    complainant_kind: str = Field("person", description="person, company or institution")
    organisation_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    language: str = Field(description="nl, fr, de or en")
    category: str = Field(description="A category's id (GET /categories).")
    facts_start: str = Field(description="YYYY-MM-DD")
    facts_end: str = ""
    description: str = ""
    desired_outcome: str = ""
    concerned: str = ""
    own_reference: str = ""
    triage_yes: list[str] = Field(
        default_factory=list, description="The triage questions the complainant said “yes” to."
    )


@router.post(
    "/complaints",
    response={201: DoneOut, **ACT_ERRORS},
    summary="Register a complaint that came by another channel",
)
def register(
    request: HttpRequest,
    data: Form[RegistrationIn],
    attachments: File[list[UploadedFile]] | None = None,
) -> Status[DoneOut]:
    """As the back office's “Register a complaint” (multipart/form-data): the acknowledgement
    goes out as for a filed complaint, and the registration is in the audit log."""
    user = caller(request, *CASE_ROLES, write=True)
    form = RegistrationForm(request.POST, request.FILES)
    questions = valid_or_refused(form, data.triage_yes)
    cleaned = form.cleaned_data
    with transaction.atomic():  # the audit row belongs to the registration's transaction
        submitted = complaint_submit(
            channel=Channel(cleaned["channel"]),
            **form.submission(),
            triage_answers={code: code in data.triage_yes for code in sorted(questions)},
            uploads=form.uploads(),
            received_at=received_at_on(cleaned["received_on"]),
            registered_by=user,
        )
        complaint = submitted.complaint
        audit(
            user=user,
            action=AuditAction.CHANGE,
            complaint=complaint,
            detail=f"registered ({complaint.channel})",
        )
    return Status(
        201, DoneOut(id=complaint.pk, reference=complaint.reference, status=complaint.status)
    )


def _summary(kind: str, event: Any) -> tuple[str, User | None]:
    match kind:
        case "status":
            return event.get_to_status_display(), event.actor
        case "message":
            return event.subject, event.author
        case "note":
            return event.text, event.author
        case "decision":
            return event.get_kind_display(), event.decided_by
        case "extension":
            return f"{event.previous_due} → {event.new_due}: {event.reason}", event.by
        case "pause":
            return f"{event.paused_on} - {event.resumed_on}", None
        case _:
            return event.summary, event.registered_by


def _complaint(
    request: HttpRequest, pk: int, *roles: Role, write: bool = False
) -> tuple[User, Complaint]:
    user = caller(request, *roles, write=write)
    try:
        return user, complaint_for_user(user, pk)
    except Http404:
        raise not_found() from None


@router.get("/complaints/{int:pk}", response={200: ComplaintOut, **ERRORS})
def complaint_detail(request: HttpRequest, pk: int) -> ComplaintOut:
    """Everything on file, with the timeline and the attachments; the reading is audited, as
    on the complaint's page."""
    user, complaint = _complaint(request, pk, *CASE_ROLES)
    audit(user=user, action=AuditAction.VIEW, complaint=complaint, detail="API")
    events = []
    for at, kind, event in timeline(complaint):
        summary, by = _summary(kind, event)
        events.append(TimelineEvent(at=at, kind=kind, summary=summary, by=_name(by)))  # type: ignore[arg-type]
    row = _row(complaint).dict()
    row["next_due"] = None
    return ComplaintOut(
        **row,
        complainant_kind=complaint.complainant_kind,
        email=complaint.email,
        postal_address=complaint.postal_address,
        phone=complaint.phone,
        language=complaint.language,
        facts_start=complaint.facts_start,
        facts_end=complaint.facts_end,
        description=complaint.description,
        desired_outcome=complaint.desired_outcome,
        concerned=complaint.concerned,
        own_reference=complaint.own_reference,
        triage_answers=complaint.triage_answers,
        acknowledgement_due=complaint.acknowledgement_due,
        answer_due=complaint.answer_due,
        acknowledged_at=complaint.acknowledged_at,
        answered_at=complaint.answered_at,
        closed_at=complaint.closed_at,
        actions_allowed=sorted(handling.actions_allowed(complaint)),
        timeline=events,
        attachments=[
            AttachmentOut(
                id=a.pk,
                name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                from_staff=a.from_staff,
                url=reverse("api:attachment", kwargs={"pk": complaint.pk, "attachment": a.pk}),
            )
            for a in complaint.attachments.all()
        ],
    )


@router.get(
    "/complaints/{int:pk}/attachments/{int:attachment}",
    response={200: bytes, **ERRORS},
    url_name="attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def attachment_download(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    user, complaint = _complaint(request, pk, *CASE_ROLES)
    found = complaint.attachments.filter(pk=attachment).first()
    if found is None:
        raise not_found()
    audit(user=user, action=AuditAction.DOWNLOAD, complaint=complaint, detail=found.original_name)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _act(complaint: Complaint, act: Any) -> DoneOut:
    """Runs one write path; its refusals become problems: a move the workflow no longer
    allows is a conflict (409), a rule of the act is invalid input (422)."""
    try:
        act()
    except ActionNotAllowed as error:
        raise ApiProblem(409, "not-allowed-now", _("Not possible now"), str(error)) from None
    except HandlingError as error:
        raise invalid([], str(error)) from None
    complaint.refresh_from_db(fields=["status"])
    return DoneOut(id=complaint.pk, reference=complaint.reference, status=complaint.status)


def _competent_body(pk: int | None) -> CompetentBody | None:
    if pk is None:
        return None
    body: CompetentBody | None = CompetentBody.objects.filter(pk=pk, active=True).first()
    if body is None:
        raise invalid([{"field": "competent_body", "message": _("No such competent body.")}])
    return body


@router.post("/complaints/{int:pk}/admissibility", response={200: DoneOut, **ACT_ERRORS})
def decide_admissibility(request: HttpRequest, pk: int, data: DecisionIn) -> DoneOut:
    """The complaints manager's decision; a refusal sends its reasoned letter (the template's
    subject when ``subject`` is empty). A decision ``not_competent`` is the forwarding's."""
    user, complaint = _complaint(request, pk, Role.MANAGER, write=True)
    body = _competent_body(data.competent_body)
    return _act(
        complaint,
        lambda: handling.complaint_decide_admissibility(
            complaint=complaint,
            kind=DecisionKind(data.kind),
            by=user,
            grounds=_grounds(data.grounds),
            not_a_complaint_kind=data.not_a_complaint_kind,
            competent_body=body,
            reasoning=data.reasoning,
            forwarding_consent=data.forwarding_consent,
            letter_subject=data.subject,
        ),
    )


def _grounds(codes: list[str]) -> list[str]:
    unknown = [code for code in codes if code not in Ground.values]
    if unknown:
        raise invalid(
            [
                {"field": "grounds", "message": _("Not a ground: %(code)s") % {"code": c}}
                for c in unknown
            ]
        )
    return codes


@router.post("/complaints/{int:pk}/forward", response={200: ForwardOut, **ACT_ERRORS})
def forward(request: HttpRequest, pk: int, data: ForwardIn) -> ForwardOut:
    """Not ours (the decision ``not_competent``): a letter tells the complainant; the complaint
    and its files go to the competent body only when the complainant agreed
    (``forwarding_consent``) and the body has an e-mail address. ``forwarded_to`` says where
    it went, empty when nothing was sent to the body."""
    user, complaint = _complaint(request, pk, Role.MANAGER, write=True)
    body = _competent_body(data.competent_body)
    decided: list[AdmissibilityDecision] = []
    done = _act(
        complaint,
        lambda: decided.append(
            handling.complaint_decide_admissibility(
                complaint=complaint,
                kind=DecisionKind.NOT_COMPETENT,
                by=user,
                competent_body=body,
                reasoning=data.reasoning,
                forwarding_consent=data.forwarding_consent,
                letter_subject=data.subject,
            )
        ),
    )
    return ForwardOut(
        **done.dict(),
        forwarded_to=decided[0].forwarded_to,
        forwarded_files=decided[0].forwarded_files,
    )


@router.post("/complaints/{int:pk}/assign", response={200: DoneOut, **ACT_ERRORS})
def assign(request: HttpRequest, pk: int, data: AssignIn) -> DoneOut:
    user, complaint = _complaint(request, pk, Role.MANAGER, write=True)
    unit = Unit.objects.filter(code=data.unit).first() if data.unit else None
    handler = User.objects.filter(username=data.handler).first() if data.handler else None
    errors = []
    if data.unit and unit is None:
        errors.append({"field": "unit", "message": _("No such unit.")})
    if data.handler and handler is None:
        errors.append({"field": "handler", "message": _("No such handler.")})
    if errors:
        raise invalid(errors)
    return _act(
        complaint,
        lambda: handling.complaint_assign(complaint=complaint, unit=unit, handler=handler, by=user),
    )


@router.post("/complaints/{int:pk}/information-request", response={200: DoneOut, **ACT_ERRORS})
def request_information(request: HttpRequest, pk: int, data: InformationRequestIn) -> DoneOut:
    """Asks the complainant a question (``parts.question``, required), written into the
    request's template in the complainant's language."""
    user, complaint = _complaint(request, pk, *CASE_ROLES, write=True)
    return _act(
        complaint,
        lambda: handling.complaint_request_information(
            complaint=complaint, subject=data.subject, parts=data.parts.dict(), by=user
        ),
    )


@router.post("/complaints/{int:pk}/interim", response={200: DoneOut, **ACT_ERRORS})
def interim(request: HttpRequest, pk: int, data: InterimIn) -> DoneOut:
    user, complaint = _complaint(request, pk, *CASE_ROLES, write=True)
    return _act(
        complaint,
        lambda: handling.complaint_send_interim(
            complaint=complaint,
            reason=data.reason,
            new_due=data.new_due,
            subject=data.subject,
            by=user,
        ),
    )


@router.post("/complaints/{int:pk}/answer", response={200: DoneOut, **ACT_ERRORS})
def answer(request: HttpRequest, pk: int, data: AnswerIn) -> DoneOut:
    """The final answer, which closes the complaint and carries the Ombudsman route: the
    template in the complainant's language with the parts staff write (``parts.findings``,
    required; ``parts.changes``)."""
    user, complaint = _complaint(request, pk, *CASE_ROLES, write=True)
    norms = list(Norm.objects.filter(code__in=data.norms))
    missing = sorted(set(data.norms) - {n.code for n in norms})
    if missing:
        raise invalid(
            [
                {"field": "norms", "message": _("Not a norm: %(code)s") % {"code": c}}
                for c in missing
            ]
        )
    return _act(
        complaint,
        lambda: handling.complaint_answer(
            complaint=complaint,
            outcome=Outcome(data.outcome),
            norms=norms,
            measure=data.measure,
            subject=data.subject,
            parts=data.parts.dict(),
            by=user,
        ),
    )


class PeriodQuery(Input):
    year: int | None = Field(None, ge=2000, le=9999)
    start: datetime.date | None = None
    end: datetime.date | None = None


def _period(request: HttpRequest, query: PeriodQuery) -> Period:
    caller(request, *REPORT_ROLES)
    raw = {k: str(v) for k, v in query.dict().items() if v is not None}
    try:
        return period_from(QueryDict(urlencode(raw)))
    except BadPeriod as error:
        raise invalid([], str(error)) from None


def _deadline(figures: Any) -> dict[str, int | float | None]:
    return {
        "met": figures.met,
        "missed": figures.missed,
        "pending": figures.pending,
        "not_owed": figures.not_owed,
        "median_days": figures.median_days,
        "mean_days": figures.mean_days,
    }


@router.get("/figures", response={200: Figures, 422: Problem, **ERRORS})
def figures(request: HttpRequest, query: Query[PeriodQuery]) -> Figures:
    """The evaluation of a period (``year``, or ``start`` and ``end``; this year by default),
    for the complaints manager and management: the same figures as the evaluation page."""
    found: Evaluation = evaluate(_period(request, query), timezone.localdate())
    return Figures(
        start=found.period.start,
        end=found.period.end,
        drawn_on=found.today,
        as_of=found.as_of,
        running=found.running,
        received=found.received,
        undecided=found.undecided,
        withdrawn=found.withdrawn,
        withdrawn_after_deadline=found.withdrawn_after_deadline,
        withdrawn_undecided=found.withdrawn_undecided,
        tables={name: dict(counter) for name, counter in found.tables.items()},
        grounds=dict(found.grounds),
        acknowledgement=_deadline(found.acknowledgement),
        answer=_deadline(found.answer),
        admissible_answer=_deadline(found.admissible_answer),
        extended=found.extended,
        open_at_end=dict(found.open_at_end),
        oldest_open_days=found.oldest_open_days,
        late_count=found.late_count,
        satisfied=found.satisfied,
        not_satisfied=found.not_satisfied,
        ombudsman=vars(found.ombudsman),
    )


@router.get("/figures/federal", response={200: FederalIndicators, 422: Problem, **ERRORS})
def federal_indicators(request: HttpRequest, query: Query[PeriodQuery]) -> FederalIndicators:
    """The indicators reported to the federal complaint-management network and the Federal
    Ombudsman, per channel and in total (``channel`` “total”)."""
    found = evaluate(_period(request, query), timezone.localdate())
    lines = [(channel, line) for channel, line in sorted(found.by_channel.items())]
    lines.append(("total", found.total))
    return FederalIndicators(
        start=found.period.start,
        end=found.period.end,
        drawn_on=found.today,
        as_of=found.as_of,
        lines=[FederalLine(channel=channel, **vars(line)) for channel, line in lines],
    )
