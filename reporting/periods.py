"""The period an evaluation covers: a calendar year or any range of dates, read from a request
with a translated message for every kind of bad input."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the service's time zone."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def is_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        ) and (self.start.year == self.end.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The year before a year; otherwise the as many days just before."""
        if self.is_year:
            return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The first moment of ``start`` and the first moment after ``end``, as aware times."""
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(
                self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
            ),
        )

    @property
    def slug(self) -> str:
        """For file names: ``2025`` or ``2025-03-01_2025-03-31``."""
        if self.is_year:
            return str(self.start.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def query(self) -> str:
        if self.is_year:
            return f"year={self.start.year}"
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


class BadPeriod(ValueError):
    """A period that cannot be evaluated; the message is for the user, translated."""


def _date(value: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise BadPeriod(
            _("The %(field)s is not a date; write it as YYYY-MM-DD.") % {"field": label}
        ) from None


def period_from(query: QueryDict, today: datetime.date | None = None) -> Period:
    """The period a request asks for: ``start`` and ``end``, or ``year``, or this year."""
    today = today or timezone.localdate()
    start, end = query.get("start", "").strip(), query.get("end", "").strip()
    if start or end:
        if not (start and end):
            raise BadPeriod(_("Give both the first and the last day of the period."))
        period = Period(_date(start, _("first day")), _date(end, _("last day")))
        if period.end < period.start:
            raise BadPeriod(_("The last day of the period comes before the first day."))
    else:
        raw = query.get("year", str(today.year)).strip()
        if not raw:
            raise BadPeriod(_("Choose a year."))
        try:
            year = int(raw)
        except ValueError:
            raise BadPeriod(_("“%(value)s” is not a year.") % {"value": raw[:20]}) from None
        if year < FIRST_YEAR:
            raise BadPeriod(_("The figures start in %(year)s.") % {"year": FIRST_YEAR})
        period = Period.year(year)
    if period.start > today:
        raise BadPeriod(_("This period has not started yet: there are no figures for it."))
    if period.start.year < FIRST_YEAR:
        raise BadPeriod(_("The figures start in %(year)s.") % {"year": FIRST_YEAR})
    if period.days > 366 * 10:
        raise BadPeriod(_("Choose a period of at most ten years."))
    return period
