"""Deadlines on a calendar of working days (E4).

Pure functions: a received date, a calendar and a policy in, a due date out. The day of receipt
is day 0; "2 working days" after a Friday is the Tuesday. A calendar-day deadline that ends on a
closing day moves to the next working day, as Belgian procedural law counts time limits
(Judicial Code, art. 53). ``calendar_from_configuration`` builds the calendar from what staff
configured; everything else here touches no database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache

import holidays


@dataclass(frozen=True)
class Policy:
    days: int
    working_days: bool
    # The clock stops while the service waits for the complainant's information.
    pauses_while_waiting: bool = False


@dataclass(frozen=True)
class Calendar:
    """Which days the service is closed: weekends, the country's public holidays, days closed
    every year (15 November for federal staff) and one-off closing days (bridge days)."""

    country: str = "BE"
    every_year: frozenset[tuple[int, int]] = frozenset()
    closing_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5:
            return False
        if (day.month, day.day) in self.every_year or day in self.closing_days:
            return False
        return day not in _public_holidays(self.country, day.year)


@cache
def _public_holidays(country: str, year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def add_working_days(start: datetime.date, days: int, calendar: Calendar) -> datetime.date:
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: datetime.date, calendar: Calendar) -> datetime.date:
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def due_date(received: datetime.date, policy: Policy, calendar: Calendar) -> datetime.date:
    if policy.working_days:
        return next_working_day(add_working_days(received, policy.days, calendar), calendar)
    return next_working_day(received + datetime.timedelta(days=policy.days), calendar)


def days_between(
    start: datetime.date, end: datetime.date, policy: Policy, calendar: Calendar
) -> int:
    """The days from ``start`` to ``end``, counted as ``policy`` counts: calendar days, or the
    working days after ``start`` up to and including ``end``."""
    if not policy.working_days:
        return max((end - start).days, 0)
    return sum(
        calendar.is_working_day(start + datetime.timedelta(days=n))
        for n in range(1, (end - start).days + 1)
    )


def moved_by(due: datetime.date, days: int, policy: Policy, calendar: Calendar) -> datetime.date:
    """``due`` later by ``days`` counted as ``policy`` counts (the answer clock's pause)."""
    if days <= 0:
        return due
    return due_date(due, Policy(days=days, working_days=policy.working_days), calendar)


def working_days_before(due: datetime.date, days: int, calendar: Calendar) -> datetime.date:
    """The working day ``days`` working days before ``due`` (when a reminder goes out)."""
    day = due
    remaining = days
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def calendar_from_configuration() -> Calendar:
    """The calendar as staff configured it (organisation's country, closing days)."""
    from configuration import cache

    configured = cache.current()
    return Calendar(
        country=configured.organisation.holiday_country or "BE",
        every_year=configured.every_year,
        closing_days=configured.closing_days,
    )


def policy_from_configuration(kind: str) -> Policy:
    from configuration.models import DayCount, DeadlinePolicy

    configured = DeadlinePolicy.for_kind(kind)
    return Policy(
        days=configured.days,
        working_days=configured.counting == DayCount.WORKING,
        pauses_while_waiting=configured.pauses_while_waiting,
    )
