"""The work list's search: every word typed must match the complaint somewhere.

- A reference typed in full (``2025-000123``) is looked up, nothing else.
- Names (first, last, organisation) and the complainant's own reference: accent- and
  case-insensitive, any part; names also with one typo ("Peters" finds "Peeters"). On
  PostgreSQL a typo is a trigram word similarity of 0.6 or more, which misses two letters
  swapped in a short name ("Dubios"); SQLite's stand-in allows one edit of any kind.
- The e-mail address and the reference: any part, case-insensitive.
- The description: by words and word beginnings, accent- and case-insensitive ("integration"
  finds "revenu d'intégration", "betal" finds "betaling"; "brief" does not find
  "klachtenbrief": decided in issue 20).

The search folds nothing in the database: a complaint's folded copies are written with it
(``Complaint.folded_names``, ``folded_own_reference``, ``folded_words``; ``folding``), and the
typed word is folded in Python. Names and own reference are matched with ``LIKE '%word%'``; a
description's word beginnings with ``LIKE '% beginning%'`` on its folded words, each after a
space (``WordsBegin``). On PostgreSQL (migration ``0025_index_the_folded_search_columns``) the
folded names and own reference have trigram indexes, which serve ``LIKE`` and ``<%`` (pg_trgm's
word similarity, for the typo), and the folded words a full-text index on their stored vector
(``folded_vector``, migrations 0026-0028); SQLite (a small
installation) scans the table, which its size allows, and has the typo from
``querela_similar``, a Python function registered on each connection
(``register_sqlite_functions``). Folding in Python strips accents by Unicode decomposition, which
agrees with unaccent on the letters of nl, fr, de and en.

The plan is chosen from the count, as ``bench/RESULTS.md`` (3 December) analyses it: PostgreSQL
cannot estimate how many rows a word prefix matches. Up to ``EXACT_UP_TO`` matches (found
through the search's own indexes), the page reads them by id and sorts them; above, it walks
its deadline index, where matches are frequent enough to fill a page early."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q, QuerySet, Value
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler

from complaints.folding import TOKEN, fold
from complaints.models import Complaint
from complaints.queries import EXACT_UP_TO, without_table_scan

# PostgreSQL's column of each complaint's word vector, kept from the folded words by a trigger
# (migration 0026); the model does not know it.
STORED_VECTOR = "folded_vector"
# A reference typed in full is looked up, not searched for.
FULL_REFERENCE = re.compile(r"\d{4}-\d{6}")
# Words shorter than this match names by their letters only: a typo in three letters is
# another name.
TYPO_MIN_LENGTH = 4
SHORT_PIECE = 3


class WordSimilar(Lookup[str]):
    """The (folded) word is like a word of the column, one typo allowed: pg_trgm's
    ``word <% column`` (word similarity 0.6 or more, served by the trigram index)."""

    lookup_name = "word_similar"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", (*rhs_params, *lhs_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"querela_similar({rhs}, {lhs})", (*rhs_params, *lhs_params)


class WordsBegin(Lookup[str]):
    """Every token of the value (folded, space-separated) begins a word of the folded words:
    ``LIKE '% token%'`` for each on SQLite; full text on PostgreSQL (``'simple'``
    configuration) on the row's stored vector of its folded words, which its word index
    answers exactly (trigrams hand out every description holding a word's three-letter pieces,
    and ``LIKE`` beside it makes each matched row be tested again: bench/RESULTS.md,
    6 December)."""

    lookup_name = "words_begin"

    def tokens(self) -> list[str]:
        rhs = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        return str(rhs).split()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        # The vector PostgreSQL stores beside the folded words, on the same row (migration 0026).
        if not (isinstance(self.lhs, Col) and self.lhs.target.name == "folded_words"):
            raise TypeError("words_begin reads a complaint's folded words")
        vector = f"{compiler.quote_name(self.lhs.alias)}.{connection.ops.quote_name(STORED_VECTOR)}"
        query = " & ".join(f"{token}:*" for token in self.tokens())
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", (query,)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        tokens = self.tokens()
        likes = " AND ".join(f"{lhs} LIKE %s ESCAPE '\\'" for _ in tokens)
        params = [param for token in tokens for param in (*lhs_params, f"% {_escaped(token)}%")]
        return f"({likes})", params


def _escaped(token: str) -> str:
    """A token (letters, digits, ``_``) as a literal piece of a ``LIKE`` pattern."""
    return token.replace("_", "\\_")


def word_beginnings(folded: str) -> list[str]:
    """The pieces of a typed word that must begin words of the description: its letters and
    digits, without an elided article or a one- or two-letter piece beside a longer one (the
    "d" of "d'integration" begins nearly every description)."""
    tokens = TOKEN.findall(folded)
    longer = [token for token in tokens if len(token) >= SHORT_PIECE]
    return longer or tokens


def word_matches(word: str) -> Q:
    """Where one typed word may match a complaint. The description comes first: PostgreSQL
    tests the rows its indexes hand out against the conditions in this order, and a common word
    is found in descriptions far more often than in names (each row then skips the typo's
    trigram similarity, the dearest test)."""
    folded = fold(word)
    beginnings = word_beginnings(folded)
    matches = [Q(WordsBegin(F("folded_words"), " ".join(beginnings)))] if beginnings else []
    matches += [
        Q(reference__icontains=word),
        Q(email__icontains=word),
        Q(folded_own_reference__contains=folded),
        Q(folded_names__contains=folded),
    ]
    if len(folded) >= TYPO_MIN_LENGTH:
        matches.append(Q(WordSimilar(F("folded_names"), Value(folded))))
    return reduce(operator.or_, matches)


@dataclass(frozen=True)
class Found:
    """What a search found: ``complaints`` (by id when there are at most ``EXACT_UP_TO``, else
    the search's condition); ``many`` when there are more."""

    complaints: QuerySet[Complaint]
    many: bool = False


def search(complaints: QuerySet[Complaint], query: str) -> Found:
    """``complaints`` narrowed to those that match every word of ``query``."""
    matched = complaints
    for word in query.split():
        if FULL_REFERENCE.fullmatch(word):
            matched = matched.filter(reference=word)
        else:
            matched = matched.filter(word_matches(word))
    if matched is complaints:
        return Found(complaints)
    with without_table_scan(connections[matched.db]):
        few = list(matched.order_by().values_list("pk", flat=True)[: EXACT_UP_TO + 1])
    if not few:
        return Found(complaints.none())
    if len(few) <= EXACT_UP_TO:
        return Found(complaints.filter(pk__in=few))
    return Found(matched, many=True)


# SQLite's stand-in for pg_trgm's word similarity (see the module's docstring).


def _within_one_edit(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 or (
            len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _sqlite_similar(word: str | None, text: str | None) -> bool:
    if not word or not text:
        return False
    return any(_within_one_edit(word, part) for part in TOKEN.findall(text))


def register_sqlite_functions(connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """Connected to ``connection_created`` (``complaints.apps``)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("querela_similar", 2, _sqlite_similar, deterministic=True)
