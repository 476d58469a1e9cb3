"""What the API reads and writes (pydantic, through django-ninja); the OpenAPI document is
generated from these."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("A text cannot hold a NUL character.")
    if isinstance(value, dict):
        return {key: _no_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nul(item) for item in value]
    return value


class Input(Schema):
    """What a client sends: no text may hold a NUL character (the database refuses them, as
    Django's form fields do)."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _no_nul(value)


class TriageQuestionOut(Schema):
    code: str
    question: str
    help: str
    advice_if_yes: str = Field(description="Where a “yes” leads: the advice the site shows.")
    ground: str = Field(description="The ground of inadmissibility a “yes” points to, if any.")


class CategoryOut(Schema):
    id: int
    code: str
    label: str
    help: str


class FiledOut(Schema):
    reference: str
    personal_token: str = Field(
        description="Shown once, never stored: send it as Querela-Personal-Token to follow "
        "the complaint."
    )
    follow_url: str
    received_at: datetime.datetime
    acknowledgement_due: datetime.date
    answer_due: datetime.date


class HistoryOut(Schema):
    at: datetime.datetime
    status: str
    label: str


class ExtensionOut(Schema):
    at: datetime.datetime
    previous_due: datetime.date
    new_due: datetime.date
    reason: str


class MessageOut(Schema):
    at: datetime.datetime
    kind: str
    subject: str
    from_complainant: bool


class FollowOut(Schema):
    reference: str
    status: str
    status_label: str
    received_at: datetime.datetime
    acknowledgement_due: datetime.date
    answer_due: datetime.date
    closed_at: datetime.datetime | None
    history: list[HistoryOut]
    extensions: list[ExtensionOut]
    messages: list[MessageOut]


class ComplaintRow(Schema):
    id: int
    reference: str
    status: str
    channel: str
    category: str
    unit: str | None
    handler: str | None
    received_at: datetime.datetime
    next_due: datetime.date | None
    first_name: str
    last_name: str
    organisation_name: str


class ComplaintPage(Schema):
    items: list[ComplaintRow]
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` for the next page; null on the last page."
    )


class TimelineEvent(Schema):
    at: datetime.datetime
    kind: Literal["status", "message", "note", "decision", "extension", "pause", "ombudsman"]
    summary: str
    by: str | None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    from_staff: bool
    url: str


class ComplaintOut(ComplaintRow):
    complainant_kind: str
    email: str
    postal_address: str
    phone: str
    language: str
    facts_start: datetime.date
    facts_end: datetime.date | None
    description: str
    desired_outcome: str
    concerned: str
    own_reference: str
    triage_answers: dict[str, bool]
    acknowledgement_due: datetime.date
    answer_due: datetime.date
    acknowledged_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    actions_allowed: list[str]
    timeline: list[TimelineEvent]
    attachments: list[AttachmentOut]


class Letter(Input):
    """A letter to the complainant: its template in the complainant's language, then the
    closing part. A letter with a placeholder left is refused (422), as on the page."""

    subject: str = Field("", max_length=300, description="Empty: the template's subject.")


class AnswerParts(Input):
    """The parts of the final answer staff write (``messaging.letters.PARTS["answer"]``)."""

    findings: str = Field(
        "", max_length=20000, description="What we found; required (empty: refused, 422)."
    )
    changes: str = Field("", max_length=20000, description="What we changed; may be empty.")


class InformationRequestParts(Input):
    """The part of the request for information staff write."""

    question: str = Field(
        "",
        max_length=20000,
        description="The question to the complainant; required (empty: refused, 422).",
    )


class InformationRequestIn(Letter):
    parts: InformationRequestParts = Field(
        default_factory=lambda: InformationRequestParts.model_validate({})
    )


class DecisionIn(Letter):
    kind: Literal["admissible", "inadmissible", "not_a_complaint", "not_competent"]
    grounds: list[str] = Field(default_factory=list, max_length=20)
    not_a_complaint_kind: str = Field("", max_length=40)
    competent_body: int | None = None
    reasoning: str = Field("", max_length=20000)
    forwarding_consent: bool = Field(
        False,
        description="Not competent: the complainant agreed that the complaint is sent to the body.",
    )


class ForwardIn(Letter):
    competent_body: int
    reasoning: str = Field("", max_length=20000)
    forwarding_consent: bool = Field(
        False,
        description=(
            "The complainant agreed that the complaint and its files are sent to the body."
            " Without it, or when the body has no e-mail address, nothing is sent to the body"
            " and the letter tells the complainant where to go."
        ),
    )


class AssignIn(Input):
    unit: str | None = Field(None, max_length=40, description="The unit's code.")
    handler: str | None = Field(None, max_length=150, description="The handler's username.")


class InterimIn(Letter):
    reason: str = Field(max_length=5000)
    new_due: datetime.date


class AnswerIn(Letter):
    outcome: Literal["founded", "partially_founded", "unfounded", "no_judgement"]
    norms: list[str] = Field(default_factory=list, max_length=30, description="Norm codes.")
    measure: str = Field("", max_length=20000)
    parts: AnswerParts = Field(default_factory=lambda: AnswerParts.model_validate({}))


class DoneOut(Schema):
    id: int
    reference: str
    status: str


class ForwardOut(DoneOut):
    forwarded_to: str = Field(
        description="Where the complaint was sent; empty when nothing was sent to the body."
    )
    forwarded_files: int


class Figures(Schema):
    start: datetime.date
    end: datetime.date
    drawn_on: datetime.date
    as_of: datetime.date = Field(
        description="The day the figures stand at: the period's end, or the day drawn."
    )
    running: bool = Field(description="The period is not over: its figures will still change.")
    received: int
    undecided: int
    withdrawn: int
    withdrawn_after_deadline: int
    withdrawn_undecided: int
    tables: dict[str, dict[str, int]]
    grounds: dict[str, int]
    acknowledgement: dict[str, int | float | None]
    answer: dict[str, int | float | None]
    admissible_answer: dict[str, int | float | None]
    extended: int
    open_at_end: dict[str, int]
    oldest_open_days: int | None
    late_count: int
    satisfied: int
    not_satisfied: int
    ombudsman: dict[str, int]


class FederalLine(Schema):
    channel: str
    received: int
    admissible: int
    founded: int
    partially_founded: int
    answered_on_time: int
    answer_due_passed: int


class FederalIndicators(Schema):
    start: datetime.date
    end: datetime.date
    drawn_on: datetime.date
    as_of: datetime.date
    lines: list[FederalLine]
