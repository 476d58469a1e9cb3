"""Keeps the ``CalendarDay`` table in step with the configured closing days."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction

from complaints.deadlines import Calendar, calendar_from_configuration
from reporting.models import CalendarDay, CalendarState


def _fingerprint(calendar: Calendar) -> str:
    described = repr((calendar.country, sorted(calendar.every_year), sorted(calendar.closing_days)))
    return hashlib.sha256(described.encode()).hexdigest()


def calendar_ensure(first: datetime.date, last: datetime.date) -> None:
    """Makes sure every day from ``first`` to ``last`` has its row, built from the calendar as
    configured now. Whole years are built at a time; a change of closing days rebuilds."""
    calendar = calendar_from_configuration()
    fingerprint = _fingerprint(calendar)
    with transaction.atomic():
        state = CalendarState.objects.select_for_update().filter(pk=1).first()
        if (
            state is not None
            and state.fingerprint == fingerprint
            and state.first <= first
            and last <= state.last
        ):
            return
        if state is not None and state.fingerprint == fingerprint:
            first, last = min(first, state.first), max(last, state.last)
        first, last = datetime.date(first.year, 1, 1), datetime.date(last.year, 12, 31)
        days: list[CalendarDay] = []
        working = 0
        day = first
        while day <= last:
            working += calendar.is_working_day(day)
            days.append(CalendarDay(day=day, ordinal=day.toordinal(), working_ordinal=working))
            day += datetime.timedelta(days=1)
        CalendarDay.objects.all().delete()
        CalendarDay.objects.bulk_create(days, batch_size=2000)
        CalendarState.objects.update_or_create(
            pk=1, defaults={"fingerprint": fingerprint, "first": first, "last": last}
        )
