"""Letters to complainants, composed from named parts: the one composing path.

A letter is its template (``messaging/<template>/subject.txt`` and ``body.txt``) with the
case's facts and the parts a person fills (``PARTS``: what we found, the question to the
complainant...), followed by the closing part that staff cannot remove. The preview and the
letter sent are both made by ``letter_compose``, so what was previewed is what is sent; and
``letter_problems`` refuses a letter while a required part is empty or a placeholder is left
anywhere in it (healthchecks' one ``emails.py``, a lesson of this codebase)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.outbox import render_part

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Part:
    """A part of a letter that a person writes; the template shows it as ``parts.<name>``."""

    name: str
    label: StrOrPromise
    help_text: StrOrPromise = ""
    required: bool = True


PARTS: dict[str, tuple[Part, ...]] = {
    "answer": (
        Part(
            "findings",
            _("What we found"),
            _("What the examination of the complaint showed, in the complainant's language."),
        ),
        Part(
            "changes",
            _("What we changed"),
            _("What changes so that it does not happen again (leave empty if nothing)."),
            required=False,
        ),
    ),
    "information_request": (
        Part(
            "question",
            _("The question to the complainant"),
            _("What the complainant should send or tell us, in their language."),
        ),
    ),
}

# What a draft or a template leaves behind: an ellipsis standing for text to come, template
# markers, and the usual "to fill" marks.
PLACEHOLDER = re.compile(r"…|\.\.\.|\{\{|\}\}|\{%|%\}|\[\[|\]\]|<<|>>|\bTODO\b|\bXXX\b")


class LetterIncomplete(ValueError):
    """A letter that may not leave; the message says why, in the active language."""


def parts_of(template: str) -> tuple[Part, ...]:
    return PARTS.get(template, ())


def letter_compose(
    template: str, context: Mapping[str, Any], parts: Mapping[str, str], language: str
) -> tuple[str, str]:
    """The subject and the body (without the closing part) of ``template`` in ``language``,
    with the case's ``context`` and the ``parts`` a person wrote."""
    filled = {part.name: parts.get(part.name, "").strip() for part in parts_of(template)}
    full = {**context, "parts": filled}
    subject = " ".join(render_part(template, "subject.txt", full, language).split())
    body = render_part(template, "body.txt", full, language).strip() + "\n"
    return subject, body


def letter_problems(template: str, parts: Mapping[str, str], *texts: str) -> list[str]:
    """Why the letter may not leave yet (translated), or nothing: an empty required part, a
    placeholder in a part or anywhere in ``texts`` (the subject, the body, the closing)."""
    problems = []
    for part in parts_of(template):
        written = parts.get(part.name, "").strip()
        if part.required and not written:
            problems.append(gettext("Write “%(part)s”.") % {"part": part.label})
        elif found := PLACEHOLDER.search(written):
            problems.append(
                gettext("“%(part)s” still holds a placeholder (%(found)s): replace it.")
                % {"part": part.label, "found": found.group()}
            )
    if not problems:
        for text in texts:
            if found := PLACEHOLDER.search(text):
                problems.append(
                    gettext("The letter still holds a placeholder (%(found)s): replace it.")
                    % {"found": found.group()}
                )
                break
    return problems


def letter_check(template: str, parts: Mapping[str, str], *texts: str) -> None:
    """Raises ``LetterIncomplete`` with every problem of the letter."""
    if problems := letter_problems(template, parts, *texts):
        raise LetterIncomplete(" ".join(problems))
