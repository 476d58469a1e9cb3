"""Text without accents and case, as the search compares it and the themes count words. No
Django here: the worker's clustering imports it too."""

from __future__ import annotations

import re
import unicodedata

# Letters unaccent writes as two, which Unicode decomposition leaves alone.
LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l"})


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The Latin letters folded once, so that folding a text is one ``translate`` (SQLite folds every
# row's columns in Python).
_LATIN = str.maketrans(
    {
        chr(code): _fold_slowly(chr(code))
        for code in range(0xC0, 0x250)
        if _fold_slowly(chr(code)) != chr(code)
    }
)


def fold(text: str) -> str:
    """Lower case without accents: "Intégration" -> "integration"."""
    if text.isascii():
        return text.lower()
    folded = text.lower().translate(_LATIN)
    return folded if folded.isascii() else _fold_slowly(folded)


# The pieces of a text the search calls words: letters and digits (``complaints.search``).
TOKEN = re.compile(r"\w+")
# Between the folded names in ``Complaint.folded_names``: no typed word holds it, so none
# matches across two names.
NAME_SEPARATOR = "\n"


def words(text: str) -> str:
    """The folded words of ``text``, each after a space: " revenu d integration". A word
    beginning is then `` <beginning>`` anywhere in it, which plain ``LIKE`` finds on both
    databases (and a trigram index serves on PostgreSQL)."""
    return "".join(f" {word}" for word in TOKEN.findall(fold(text)))


def search_columns(
    *,
    first_name: str,
    last_name: str,
    organisation_name: str,
    own_reference: str,
    description: str,
) -> dict[str, str]:
    """A complaint's folded copies that the search reads, by column: written with the complaint
    (``Complaint.save``) so that no query folds a row."""
    return {
        "folded_names": NAME_SEPARATOR.join(
            fold(name) for name in (first_name, last_name, organisation_name)
        ),
        "folded_own_reference": fold(own_reference),
        "folded_words": words(description),
    }
