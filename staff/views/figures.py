"""The year's figures, for the complaints manager and management: counts only, no names."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from complaints.figures import year_figures
from complaints.models import Channel, ComplainantKind, DecisionKind, Outcome, Status
from configuration.models import Category, Ground
from staff.access import member_of, staff_view
from staff.models import Role


@staff_view(*Role)
def home(request: HttpRequest) -> HttpResponse:
    """Where a staff member lands after logging in: their deadlines, or the figures."""
    member = member_of(request.user)
    if member is not None and member.role in {Role.MANAGER, Role.HANDLER}:
        return redirect("staff:dashboard")
    if member is not None and member.role == Role.MANAGEMENT:
        return redirect("staff:figures")
    return redirect("admin:index")


def labelled(
    counts: dict[str, int], choices: Sequence[tuple[str, object]]
) -> list[tuple[str, int]]:
    return [(str(label), counts.get(value, 0)) for value, label in choices]


@staff_view(Role.MANAGER, Role.MANAGEMENT)
def figures(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year)
    found = year_figures(year)
    categories = [(c.code, c.translated("label")) for c in Category.objects.all()]
    return render(
        request,
        "staff/figures.html",
        {
            "figures": found,
            "year": year,
            "years": range(this_year, this_year - 5, -1),
            "tables": [
                ("channel", labelled(found.by_channel, Channel.choices)),
                ("category", labelled(found.by_category, categories)),
                ("kind", labelled(found.by_kind, ComplainantKind.choices)),
                ("status", labelled(found.by_status, Status.choices)),
                ("decision", labelled(found.decisions, DecisionKind.choices)),
                ("ground", labelled(found.grounds, Ground.choices)),
                ("outcome", labelled(found.outcomes, Outcome.choices)),
            ],
        },
    )
