"""Dates as they read in a sentence of each language: "1er décembre 2026", "1. Dezember
2026", "1 december 2026", "1 December 2026". Django's own DATE_FORMAT has no ordinal for
the French first of the month and writes the English "Dec. 1, 2026"."""

from __future__ import annotations

import datetime

from django.utils import dateformat, timezone, translation

LONG_DATE = {"nl": "j F Y", "fr": "j F Y", "de": "j. F Y", "en": "j F Y"}
FRENCH_FIRST = r"j\e\r F Y"  # le premier du mois: "1er"


def long_date(value: datetime.date | None, language: str | None = None) -> str:
    """``value`` in the active language (or ``language``); a moment is read in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    code = (language or translation.get_language() or "nl")[:2]
    pattern = FRENCH_FIRST if code == "fr" and value.day == 1 else LONG_DATE.get(code, "j F Y")
    with translation.override(code):  # the month's name
        return dateformat.format(value, pattern)
