"""The public part: the triage questions, filing a complaint, following it with its personal
token. Filing is the web form's: the same form class (``ComplaintForm``: fields, validation,
attachment checks), the same filing limits, the same write path (``complaint_submit``) and so
the same acknowledgement."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from api.auth import PersonalToken
from api.problems import ApiProblem, Problem, form_errors, invalid, not_found, too_many
from api.schemas import (
    CategoryOut,
    ExtensionOut,
    FiledOut,
    FollowOut,
    HistoryOut,
    Input,
    MessageOut,
    TriageQuestionOut,
)
from common import ratelimit
from complaints.complainant import complaint_for_token
from complaints.forms import ComplaintForm
from complaints.models import Channel
from complaints.services import complaint_submit, follow_url
from configuration import cache
from configuration.filing import filing_limit

router = Router(tags=["public"])


@router.get("/triage", response=list[TriageQuestionOut], summary="The triage questions")
def triage(request: HttpRequest) -> list[TriageQuestionOut]:
    """The questions asked before filing, in the request's language. A “no” to each leads to
    the form; a “yes” leads to ``advice_if_yes`` (the person may still file)."""
    return [
        TriageQuestionOut(
            code=q.code,
            question=q.translated("question"),
            help=q.translated("help"),
            advice_if_yes=q.translated("advice"),
            ground=q.ground,
        )
        for q in cache.current().triage_questions
    ]


@router.get("/categories", response=list[CategoryOut], summary="What a complaint can be about")
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [
        CategoryOut(id=c.pk, code=c.code, label=c.translated("label"), help=c.translated("help"))
        for c in cache.current().categories
    ]


class FilingIn(Input):
    """The web form's fields; the form checks them (``ComplaintForm``), so the messages are
    the form's, in the request's language."""

    complainant_kind: str = Field(description="person, company or institution")
    organisation_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    language: str = Field(description="nl, fr, de or en: the language of our answers")
    category: str = Field(description="A category's id (GET /categories).")
    facts_start: str = Field(description="YYYY-MM-DD")
    facts_end: str = ""
    description: str = ""
    desired_outcome: str = ""
    concerned: str = ""
    own_reference: str = ""
    triage_yes: list[str] = Field(
        default_factory=list, description="The codes of the triage questions answered “yes”."
    )


def valid_or_refused(form: ComplaintForm, triage_yes: list[str]) -> set[str]:
    """The configured triage questions, once ``form`` is valid and every code in
    ``triage_yes`` is one of them; otherwise the 422 problem naming each field."""
    questions = {q.code for q in cache.current().triage_questions}
    unknown = sorted(set(triage_yes) - questions)
    if not form.is_valid() or unknown:
        errors = form_errors(form.errors)
        errors += [
            {
                "field": "triage_yes",
                "message": _("“%(code)s” is not a triage question.") % {"code": code},
            }
            for code in unknown
        ]
        raise invalid(errors)
    return questions


@router.post(
    "/complaints",
    response={201: FiledOut, 400: Problem, 422: Problem, 429: Problem},
    summary="File a complaint",
)
def file_complaint(
    request: HttpRequest,
    data: Form[FilingIn],
    attachments: File[list[UploadedFile]] | None = None,
) -> Status[FiledOut]:
    """Files a complaint as the web form does (multipart/form-data; ``attachments`` may be
    repeated). The answer carries the personal token, once."""
    form = ComplaintForm(request.POST, request.FILES)
    questions = valid_or_refused(form, data.triage_yes)
    cleaned = form.cleaned_data
    wait = ratelimit.take_filing(request, cleaned["email"], per_address=filing_limit(request))
    if wait:
        raise too_many(wait)
    submitted = complaint_submit(
        channel=Channel.WEB,
        **form.submission(),
        triage_answers={code: code in data.triage_yes for code in sorted(questions)},
        uploads=form.uploads(),
    )
    complaint, token = submitted.complaint, submitted.access.token
    return Status(
        201,
        FiledOut(
            reference=complaint.reference,
            personal_token=token,
            follow_url=follow_url(token, complaint.language),
            received_at=complaint.received_at,
            acknowledgement_due=complaint.acknowledgement_due,
            answer_due=complaint.answer_due,
        ),
    )


@router.get(
    "/follow",
    response={200: FollowOut, 401: Problem, 404: Problem, 429: Problem},
    auth=PersonalToken(),
    summary="A complaint's status and timeline, by its personal token",
)
def follow(request: HttpRequest) -> FollowOut:
    """What the complainant's page shows of where the complaint stands. Wrong tokens count
    towards the address's limit, as on the web; once it is reached every look-up is refused
    for a while."""
    if ratelimit.is_limited(ratelimit.TOKEN_LOOKUPS, request):
        raise too_many(ratelimit.retry_after(ratelimit.TOKEN_LOOKUPS, request))
    token = str(request.auth)  # type: ignore[attr-defined]  # set by the PersonalToken auth
    try:
        complaint = complaint_for_token(token)
    except Http404:
        ratelimit.hit(ratelimit.TOKEN_LOOKUPS, request)
        raise not_found() from None
    return FollowOut(
        reference=complaint.reference,
        status=complaint.status,
        status_label=complaint.get_status_display(),
        received_at=complaint.received_at,
        acknowledgement_due=complaint.acknowledgement_due,
        answer_due=complaint.answer_due,
        closed_at=complaint.closed_at,
        history=[
            HistoryOut(at=c.at, status=c.to_status, label=c.get_to_status_display())
            for c in complaint.history.all()
        ],
        extensions=[
            ExtensionOut(at=e.at, previous_due=e.previous_due, new_due=e.new_due, reason=e.reason)
            for e in complaint.extensions.all()
        ],
        messages=[
            MessageOut(
                at=m.created_at,
                kind=m.kind,
                subject=m.subject,
                from_complainant=m.from_complainant,
            )
            for m in complaint.messages.all()
        ],
    )


__all__ = ["ApiProblem", "router"]
