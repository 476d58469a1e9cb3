"""The configuration the public pages and the deadlines read, kept in each process's memory.

Every request would otherwise read the organisation, the categories, the triage questions, the
deadline policies and the closing days again. Each process keeps one copy (a ``Snapshot``) and,
once per request, reads the one-row ``ConfigurationVersion``: when its stamp differs from the
copy's, the copy is reloaded. Every write to a configuration model changes the stamp in the same
transaction (``configuration.models.configuration_changed``), so an administrator's change is
seen by every process on every machine on its next request, with no cache server and no
expiry to wait for. Outside a request (worker, scheduler, shell) the stamp is read on every call.

Why a row in the database and not Django's cache with a generation key: the cache here is the
database too (``DatabaseCache``), so the row costs the same one query while it changes in the
same transaction as the configuration itself; a local-memory cache would not be shared between
processes, and a cache server would be one more thing to run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.http import HttpRequest, HttpResponse

from configuration.models import (
    Category,
    ClosingDay,
    ConfigurationVersion,
    DeadlinePolicy,
    FilingAddress,
    Organisation,
    RecurringClosingDay,
    TriageQuestion,
    Unit,
    WebhookReceiver,
)


@dataclass(frozen=True)
class Snapshot:
    """The configuration at one stamp. Shared by every request of the process: read only."""

    stamp: str | None
    organisation: Organisation
    every_category: tuple[Category, ...]  # active or not (a list's filter), in their order
    triage_questions: tuple[TriageQuestion, ...]  # the active ones, in their order
    policies: dict[str, DeadlinePolicy]  # the configured ones, by kind
    every_year: frozenset[tuple[int, int]]  # (month, day) of the yearly closing days
    closing_days: frozenset[datetime.date]
    filing_addresses: tuple[FilingAddress, ...] = ()  # intermediaries' own filing limits
    webhook_receivers: tuple[WebhookReceiver, ...] = ()  # the active ones
    units: tuple[Unit, ...] = ()  # active or not, by code

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        """The active categories, in their order (what a complainant chooses from)."""
        return tuple(category for category in self.every_category if category.active)

    @cached_property
    def active_units(self) -> tuple[Unit, ...]:
        return tuple(unit for unit in self.units if unit.active)


@dataclass
class _RequestScope:
    snapshot: Snapshot | None = field(default=None)


_process_copy: Snapshot | None = None
_request_scope: ContextVar[_RequestScope | None] = ContextVar(
    "configuration_request_scope", default=None
)


def _load(stamp: str | None) -> Snapshot:
    return Snapshot(
        stamp=stamp,
        organisation=Organisation.objects.filter(pk=1).first() or Organisation(short_name=""),
        every_category=tuple(Category.objects.all()),
        triage_questions=tuple(TriageQuestion.objects.filter(active=True)),
        policies={policy.kind: policy for policy in DeadlinePolicy.objects.all()},
        every_year=frozenset(RecurringClosingDay.objects.values_list("month", "day")),
        closing_days=frozenset(ClosingDay.objects.values_list("date", flat=True)),
        filing_addresses=tuple(FilingAddress.objects.all()),
        webhook_receivers=tuple(WebhookReceiver.objects.filter(active=True)),
        units=tuple(Unit.objects.all()),
    )


def _read_stamp() -> str | None:
    """The stamp, in plain SQL: every request reads it, and building the same query through
    the ORM costs ten times what the database takes to answer it."""
    table = connection.ops.quote_name(ConfigurationVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {table} WHERE id = 1")  # noqa: S608  # the model's table
        row = cursor.fetchone()
    return row[0] if row else None


def _checked() -> Snapshot:
    """The process's copy after one read of the stamp; reloaded when the stamp changed. A
    missing row (nothing configured yet) is never taken for current."""
    global _process_copy
    stamp = _read_stamp()
    copy = _process_copy
    if copy is None or stamp is None or copy.stamp != stamp:
        copy = _load(stamp)
        _process_copy = copy
    return copy


def current() -> Snapshot:
    """The current configuration: checked once per request, on every call outside one."""
    scope = _request_scope.get()
    if scope is None:
        return _checked()
    if scope.snapshot is None:
        scope.snapshot = _checked()
    return scope.snapshot


def forget_for_this_request() -> None:
    """After a change, this request too reads the configuration again."""
    scope = _request_scope.get()
    if scope is not None:
        scope.snapshot = None


class ConfigurationMiddleware:
    """Makes each request check the configuration's stamp at most once (and only if it reads
    the configuration at all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_scope.set(_RequestScope())
        try:
            return self.get_response(request)
        finally:
            _request_scope.reset(token)
