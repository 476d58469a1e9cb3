"""The calendar the evaluation counts days with: one row per day, so that the number of working
days between two dates is a subtraction in SQL (a join, no loop over complaints)."""

from __future__ import annotations

from django.db import models


class CalendarDay(models.Model):
    """A day and two running numbers: ``ordinal`` counts every day, ``working_ordinal`` counts
    working days up to and including this one. Days between ``a`` and ``b`` (``a`` is day 0) are
    ``b.ordinal - a.ordinal``; working days ``b.working_ordinal - a.working_ordinal``."""

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()
    working_ordinal = models.IntegerField()

    def __str__(self) -> str:
        return self.day.isoformat()


class CalendarState(models.Model):
    """Which closing days the ``CalendarDay`` rows were built from (one row, pk=1): the rows are
    rebuilt when an administrator changes the closing days or a period falls outside them."""

    fingerprint = models.CharField(max_length=64)
    first = models.DateField()
    last = models.DateField()

    def __str__(self) -> str:
        return f"{self.first} - {self.last}"
