"""Dates as they read in a sentence of each language: "1er décembre 2026", "1. Dezember
2026", "1 december 2026", "1 December 2026": the language's DATE_FORMAT (English as written
in Europe, ``configuration/formats/en``), with the ordinal French gives the first of the
month, which no date format can say."""

from __future__ import annotations

import datetime

from django.utils import dateformat, formats, timezone, translation

FRENCH_FIRST = r"j\e\r F Y"  # le premier du mois: "1er"


def long_date(value: datetime.date | None, language: str | None = None) -> str:
    """``value`` in the active language (or ``language``); a moment is read in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    code = (language or translation.get_language() or "nl")[:2]
    with translation.override(code):  # the format and the month's name
        if code == "fr" and value.day == 1:
            return dateformat.format(value, FRENCH_FIRST)
        return formats.date_format(value, "DATE_FORMAT")
