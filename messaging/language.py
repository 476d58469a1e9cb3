"""The language of what staff type, told offline (lingua: its models ship inside the package,
nothing is downloaded). Loaded by the first letter previewed, not by every web worker as the
URLs load: the four languages' models take some 25 MB (``tests/test_lean_workers.py``)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Fewer words than this say too little to tell a language by.
FEWEST_WORDS = 4
# How far ahead the likeliest language must be of the next one.
MARGIN = 0.25


@cache
def _detector() -> tuple[LanguageDetector, dict[str, str]]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = {
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())): code
        for code, _name in settings.LANGUAGES
    }
    detector = (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(MARGIN)
        .build()
    )
    return detector, {
        language.iso_code_639_1.name.lower(): code for language, code in languages.items()
    }


def language_of(text: str) -> str | None:
    """The code (``nl``, ``fr``...) of the service's language ``text`` is written in, or None
    when it is too short or not clearly one of them."""
    if len(text.split()) < FEWEST_WORDS:
        return None
    detector, codes = _detector()
    found = detector.detect_language_of(text)
    if found is None:
        return None
    return codes.get(found.iso_code_639_1.name.lower())
