"""Grounds of inadmissibility the system proposes, each with its evidence (G1-G9, E6).

The complaints manager confirms or overrules; nothing here decides. Proposals come from what
is on file: the dates (G3), the triage answers (G4-G9), whether the complainant can be
identified and reached (G1), and how much the description says (G2).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.models import Complaint, facts_older_than_a_year
from configuration.dates import long_date
from configuration.models import Ground, TriageQuestion

# Fewer words than this, and the reasons are unlikely to be "clearly described" (G2).
THIN_DESCRIPTION_WORDS = 12


@dataclass(frozen=True)
class Proposal:
    ground: Ground
    evidence: str


def propose_grounds(complaint: Complaint) -> list[Proposal]:
    proposals: list[Proposal] = []
    received = timezone.localdate(complaint.received_at)

    if not complaint.first_name.strip() or not complaint.last_name.strip():
        proposals.append(Proposal(Ground.ANONYMOUS, _("The complainant gave no full name.")))
    elif not complaint.email and not complaint.postal_address.strip():
        proposals.append(
            Proposal(Ground.ANONYMOUS, _("There is no e-mail or postal address to answer to."))
        )

    words = len(complaint.description.split())
    if words < THIN_DESCRIPTION_WORDS:
        proposals.append(
            Proposal(
                Ground.NOT_MOTIVATED,
                ngettext(
                    "The description has only %(count)d word.",
                    "The description has only %(count)d words.",
                    words,
                )
                % {"count": words},
            )
        )

    if facts_older_than_a_year(complaint.facts_start, received):
        proposals.append(
            Proposal(
                Ground.TOO_OLD,
                _(
                    "The facts took place on %(facts)s; the complaint was received on "
                    "%(received)s, %(days)d days later."
                )
                % {
                    "facts": long_date(complaint.facts_start),
                    "received": long_date(received),
                    "days": (received - complaint.facts_start).days,
                },
            )
        )

    answered_yes = [code for code, yes in complaint.triage_answers.items() if yes]
    for question in TriageQuestion.objects.filter(code__in=answered_yes).exclude(ground=""):
        proposals.append(
            Proposal(
                Ground(question.ground),
                _("Before filing, the complainant answered yes to: “%(question)s”")
                % {"question": question.translated("question")},
            )
        )
    return sorted(proposals, key=lambda proposal: proposal.ground)
