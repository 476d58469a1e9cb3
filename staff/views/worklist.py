"""The work list and the deadlines dashboard."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from complaints.models import CLOSED_STATUSES, Complaint, Status
from complaints.queries import ComplaintWithNextDue, with_next_due
from staff.access import CASE_ROLES, complaints_for, staff_view
from staff.forms import WorkListFilter

PAGE_SIZE = 25
# Rows per section of the dashboard; a long backlog is read in the work list.
DASHBOARD_ROWS = 50


def _search(complaints: QuerySet[Complaint], query: str) -> QuerySet[Complaint]:
    for word in query.split():
        complaints = complaints.filter(
            Q(reference__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation_name__icontains=word)
            | Q(email__icontains=word)
            | Q(description__icontains=word)
        )
    return complaints


def filtered(
    user: User, form: WorkListFilter
) -> tuple[QuerySet[ComplaintWithNextDue], dict[str, int]]:
    """The user's complaints narrowed by the filter, and the counts per status of the
    complaints the filter matches apart from their status."""
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    visible = complaints_for(user)
    if data.get("q"):
        visible = _search(visible, data["q"])
    for field in ("category", "channel", "unit", "handler"):
        if data.get(field):
            visible = visible.filter(**{field: data[field]})
    complaints = with_next_due(visible)
    if data.get("due_within") is not None:
        complaints = complaints.filter(
            next_due__lte=today + datetime.timedelta(days=data["due_within"])
        )
    if data.get("overdue"):
        complaints = complaints.filter(next_due__lt=today)
    counts = dict(complaints.order_by().values_list("status").annotate(n=Count("pk")))
    status = data.get("status")
    if status == "open":
        complaints = complaints.exclude(status__in=list(CLOSED_STATUSES))
    elif status:
        complaints = complaints.filter(status=status)
    sort = data.get("sort") or "next_due"
    if sort == "next_due":
        complaints = complaints.order_by(F("next_due").asc(nulls_last=True), "received_at")
    else:
        complaints = complaints.order_by(sort, "pk")
    return complaints, counts


@staff_view(*CASE_ROLES)
def work_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    form = WorkListFilter(request.GET or None)
    complaints, counts = filtered(request.user, form)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/work_list.html",
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "status_counts": [(status, counts.get(status.value, 0)) for status in Status],
            "query": query.urlencode(),
        },
    )


@staff_view(*CASE_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    today = timezone.localdate()
    end_of_week = today + datetime.timedelta(days=6 - today.weekday())
    complaints = with_next_due(complaints_for(request.user)).filter(next_due__isnull=False)
    late = complaints.filter(next_due__lt=today).order_by("next_due")
    due_today = complaints.filter(next_due=today).order_by("reference")
    this_week = complaints.filter(next_due__gt=today, next_due__lte=end_of_week).order_by(
        "next_due"
    )
    return render(
        request,
        "staff/dashboard.html",
        {
            "today": today,
            "shown": DASHBOARD_ROWS,
            # (rows shown, how many in all); the work list shows the rest.
            "late": (late[:DASHBOARD_ROWS], late.count()),
            "due_today": (due_today[:DASHBOARD_ROWS], due_today.count()),
            "this_week": (this_week[:DASHBOARD_ROWS], this_week.count()),
            "unassessed": complaints.filter(
                status__in=[Status.RECEIVED, Status.ACKNOWLEDGED]
            ).count(),
        },
    )
