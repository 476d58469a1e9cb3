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
    subject: str = Field("", max_length=300, description="Empty: the template's subject.")
    body: str = Field("", max_length=50000, description="Empty: the template's text.")


class DecisionIn(Letter):
    kind: Literal["admissible", "inadmissible", "not_a_complaint", "not_competent"]
    grounds: list[str] = Field(default_factory=list, max_length=20)
    not_a_complaint_kind: str = Field("", max_length=40)
    competent_body: int | None = None
    reasoning: str = Field("", max_length=20000)


class ForwardIn(Letter):
    competent_body: int
    reasoning: str = Field("", max_length=20000)


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


class DoneOut(Schema):
    id: int
    reference: str
    status: str


class Figures(Schema):
    start: datetime.date
    end: datetime.date
    drawn_on: datetime.date
    received: int
    tables: dict[str, dict[str, int]]
    grounds: dict[str, int]
    acknowledgement: dict[str, int | float | None]
    answer: dict[str, int | float | None]
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
    lines: list[FederalLine]
