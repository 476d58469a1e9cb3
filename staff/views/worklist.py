"""The work list and the deadlines dashboard."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.members import CASE_ROLES, staff_view
from complaints.access import complaints_for
from complaints.models import UNDECIDED, Delivery, Message, Status
from complaints.queries import (
    EXACT_UP_TO,
    STATUS_GROUPS,
    ComplaintWithNextDue,
    Tally,
    count_per_status,
    narrowed,
    two_digits,
    with_next_due,
)
from staff.forms import WorkListFilter

PAGE_SIZE = 25
# Rows per section of the dashboard, as many as a page of the work list, which shows the rest:
# four sections of 50 rows took 80 ms to render, twice a work-list page.
DASHBOARD_ROWS = PAGE_SIZE


def with_letter_to_post(complaints: QuerySet[Any]) -> QuerySet[Any]:
    """Adds ``letter_to_post``: a letter to the complainant is printed but not posted yet. For
    the rows shown only: it is a subquery per row."""
    letters = Message.objects.filter(
        complaint=OuterRef("pk"), delivery=Delivery.LETTER, posted_at__isnull=True
    )
    annotated: QuerySet[Any] = complaints.annotate(letter_to_post=Exists(letters))
    return annotated


def filtered(
    user: User, form: WorkListFilter
) -> tuple[QuerySet[ComplaintWithNextDue], dict[str, Tally], Tally]:
    """The user's complaints narrowed by the filter; the counts per status of the complaints
    the filter matches apart from their status; how many it matches in all."""
    data = form.cleaned_data if form.is_valid() else {}
    complaints = narrowed(complaints_for(user), data)
    # A search has no index with the status: above the limit, its counts are estimates.
    counts = count_per_status(complaints, indexed_with_status=not data.get("q"))
    statuses = STATUS_GROUPS.get(data.get("status") or "", list(counts))
    total = sum((counts[s] for s in statuses if s in counts), Tally(0))
    if not total.exact:  # a sum of estimates, said as one
        total = Tally(two_digits(total.n), exact=False)
    if data.get("status"):
        complaints = complaints.filter(status__in=statuses)
    sort = data.get("sort") or "next_due"
    if sort == "next_due":
        complaints = complaints.order_by(F("next_due").asc(nulls_last=True), "received_at")
    else:
        complaints = complaints.order_by(sort, "pk")
    return complaints, counts, total


class CountedPaginator(Paginator[Any]):
    """A paginator told how many rows there are (counted once, or estimated), instead of
    counting them again."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@staff_view(*CASE_ROLES)
def work_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    form = WorkListFilter(request.GET or None)
    complaints, counts, total = filtered(request.user, form)
    page = CountedPaginator(with_letter_to_post(complaints), PAGE_SIZE, total.n).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/work_list.html",
        {
            "form": form,
            "page": page,
            "total": total,
            "today": timezone.localdate(),
            "status_counts": [(status, counts.get(status.value, Tally(0))) for status in Status],
            "query": query.urlencode(),
        },
    )


def _section(complaints: QuerySet[Any], link: str) -> dict[str, Any]:
    """A dashboard section: its first rows, how many in all (exact up to ``EXACT_UP_TO``),
    and the work list that shows them all."""
    capped = complaints.order_by().values("pk")[: EXACT_UP_TO + 1].count()
    return {
        "rows": with_letter_to_post(complaints)[:DASHBOARD_ROWS],
        "total": capped,
        "more": capped > EXACT_UP_TO,
        "link": link,
    }


@staff_view(*CASE_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """What is next: late deadlines, today's, those of the next 7 days (whatever the weekday),
    and the new complaints awaiting an admissibility decision. Each count links to the work
    list filtered the same way."""
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    today = timezone.localdate()
    complaints = with_next_due(complaints_for(request.user))
    by_deadline = F("next_due").asc(), "received_at"
    return render(
        request,
        "staff/dashboard.html",
        {
            "today": today,
            "shown": DASHBOARD_ROWS,
            "exact_up_to": EXACT_UP_TO,
            "late": _section(
                complaints.filter(next_due__lt=today).order_by(*by_deadline), "overdue=on"
            ),
            "due_today": _section(
                complaints.filter(next_due=today).order_by(*by_deadline), "due=today"
            ),
            "next_week": _section(
                complaints.filter(
                    next_due__gt=today, next_due__lte=today + datetime.timedelta(days=7)
                ).order_by(*by_deadline),
                "due=week",
            ),
            "undecided": _section(
                complaints.filter(status__in=UNDECIDED).order_by("received_at", "pk"),
                "status=undecided&sort=received_at",
            ),
        },
    )
