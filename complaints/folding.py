"""Text without accents and case, as the search compares it and the themes count words. No
Django here: the worker's clustering imports it too."""

from __future__ import annotations

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
