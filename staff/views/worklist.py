"""The work list and the deadlines dashboard."""

from __future__ import annotations

import csv
import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from access.members import CASE_ROLES, member_of, staff_view, user_of
from access.models import AuditAction, AuditEntry, Role
from complaints import handling
from complaints.access import complaints_for
from complaints.handling import Keep
from complaints.models import UNDECIDED, Complaint, Delivery, Message, Status
from complaints.queries import (
    DEFAULT_SORT,
    EXACT_UP_TO,
    SORT_COLUMNS,
    STATUS_GROUPS,
    ComplaintWithNextDue,
    Tally,
    count_per_status,
    narrowed,
    sorted_by,
    two_digits,
    with_next_due,
)
from improvement.plan import action_link_complaints
from improvement.themes import ThemeError, themes_add
from staff.forms import BULK_CHANGES, BulkForm, ColumnsForm, SavedViewForm, WorkListFilter
from staff.models import DEFAULT_COLUMNS, WORK_LIST_COLUMNS, SavedView, WorkListSettings

PAGE_SIZE = 25
# A complaint's own words and their folded copy: what a list does not show.
LONG_TEXT = ("description", "desired_outcome", "folded_words")
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
    found = narrowed(complaints_for(user), data)
    complaints = found.complaints
    # A search has no index with the status: above the limit, its counts are estimates.
    counts = count_per_status(
        complaints,
        indexed_with_status=not data.get("q"),
        more_than_exact=found.more_than_exact,
    )
    statuses = STATUS_GROUPS.get(data.get("status") or "", list(counts))
    total = sum((counts[s] for s in statuses if s in counts), Tally(0))
    if not total.exact:  # a sum of estimates, said as one
        total = Tally(two_digits(total.n), exact=False)
    if data.get("status"):
        complaints = complaints.filter(status__in=statuses)
    return sorted_by(complaints, data.get("sort") or DEFAULT_SORT), counts, total


class CountedPaginator(Paginator[Any]):
    """A paginator told how many rows there are (counted once, or estimated), instead of
    counting them again."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


# The columns every work list shows, before the ones a person chooses.
FIXED_COLUMNS: dict[str, Any] = {
    "reference": _("Reference"),
    "complainant": _("Complainant"),
    "category": _("Category"),
    "status": _("Status"),
}


def columns_of(user: User) -> list[str]:
    """The optional columns ``user`` chose, in the order the list shows them."""
    chosen = WorkListSettings.objects.filter(user=user).values_list("columns", flat=True).first()
    wanted = set(DEFAULT_COLUMNS if chosen is None else chosen)
    return [key for key in WORK_LIST_COLUMNS if key in wanted]


def headers(columns: list[str], sort: str, query: QueryDict) -> list[dict[str, Any]]:
    """Each column's header: its label and, for a sortable one, the link that sorts by it
    (the other way round when it is the current order) and its ``aria-sort``."""
    current = sort or DEFAULT_SORT
    found = []
    for key in [*FIXED_COLUMNS, *columns]:
        # Translated once here: each row's cells repeat it (``labels``).
        label = str(FIXED_COLUMNS.get(key) or WORK_LIST_COLUMNS[key])
        header: dict[str, Any] = {"key": key, "label": label}
        if key in SORT_COLUMNS or key == DEFAULT_SORT:
            ascending = current == key
            descending = current == f"-{key}"
            linked = query.copy()
            linked.pop("page", None)
            linked["sort"] = f"-{key}" if ascending else key
            header["url"] = "?" + linked.urlencode()
            header["aria_sort"] = (
                "ascending" if ascending else "descending" if descending else "none"
            )
        found.append(header)
    return found


def views_for(user: User) -> QuerySet[SavedView]:
    """The saved views ``user`` sees: their own and those shared with their unit."""
    member = member_of(user)
    shared = Q(unit_id=member.unit_id) if member and member.unit_id else Q(pk__in=[])
    return SavedView.objects.filter(Q(owner=user) | shared).select_related("unit")


@staff_view(*CASE_ROLES)
def work_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101  # staff_view lets in users only
    form = WorkListFilter(request.GET or None)
    complaints, counts, total = filtered(request.user, form)
    columns = columns_of(request.user)
    if "theme" in columns:
        complaints = complaints.select_related("theme_membership__theme")
    # The list shows no text of a complaint: its longest columns stay in the database.
    complaints = complaints.defer(*LONG_TEXT)
    page = CountedPaginator(with_letter_to_post(complaints), PAGE_SIZE, total.n).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    member = member_of(request.user)
    sort = form.cleaned_data.get("sort", "") if form.is_bound and form.is_valid() else ""
    columns_headers = headers(columns, sort, query)
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
            "columns": columns,
            "headers": columns_headers,
            "labels": {header["key"]: header["label"] for header in columns_headers},
            "shown": dict.fromkeys(columns, True),
            "columns_form": ColumnsForm(initial={"columns": columns}),
            "view_form": SavedViewForm(prefix="view"),
            "can_share": bool(member and member.unit_id),
            "saved_views": views_for(request.user),
            "bulk_form": BulkForm(prefix="bulk"),
            "may_change": bool(member and member.role == Role.MANAGER),
        },
    )


@require_POST
@staff_view(*CASE_ROLES)
def work_list_columns(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = ColumnsForm(request.POST)
    if form.is_valid():
        WorkListSettings.objects.update_or_create(
            user=user, defaults={"columns": form.cleaned_data["columns"]}
        )
        messages.success(request, _("The work list shows the columns you chose."))
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    """The work list as it was (its filters and order), from the ``back`` field."""
    back = request.POST.get("back", "")
    return reverse("staff:work_list") + (f"?{back}" if back and "\n" not in back else "")


@require_POST
@staff_view(*CASE_ROLES)
def saved_view_save(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = SavedViewForm(request.POST, prefix="view")
    member = member_of(user)
    if form.is_valid():
        query = QueryDict(request.POST.get("back", ""), mutable=True)
        query.pop("page", None)
        unit = member.unit if form.cleaned_data["shared"] and member else None
        SavedView.objects.create(
            owner=user, unit=unit, name=form.cleaned_data["name"], query=query.urlencode()
        )
        messages.success(request, _("The view has been saved."))
    else:
        messages.error(request, _("Give the view a name."))
    return redirect(_back_to_list(request))


@require_POST
@staff_view(*CASE_ROLES)
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _rows = SavedView.objects.filter(owner=user_of(request), pk=pk).delete()
    if deleted:
        messages.success(request, _("The view has been deleted."))
    return redirect("staff:work_list")


@require_POST
@staff_view(*CASE_ROLES)
def work_list_bulk(request: HttpRequest) -> HttpResponse:
    """One action on the complaints chosen on the work list. They go through the write path
    their own page uses, in its batch form (one transaction, the same rules on each, one audit
    row each); what is refused is said, the rest is done."""
    user = user_of(request)
    form = BulkForm(request.POST, prefix="bulk")
    back = _back_to_list(request)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
        return redirect(back)
    data = form.cleaned_data
    member = member_of(user)
    if data["action"] in BULK_CHANGES and (member is None or member.role != Role.MANAGER):
        raise Http404
    chosen = complaints_for(user).filter(pk__in=data["selected"]).order_by("reference")
    if data["action"] == "export":
        return bulk_export(user, list(with_next_due(chosen)))
    try:
        done, refused = bulk_apply(user, list(chosen), data)
    except ThemeError as error:  # a theme merged since the form was shown: nothing is done
        messages.error(request, str(error))
        return redirect(back)
    if done:
        messages.success(
            request,
            ngettext("%(count)d complaint changed.", "%(count)d complaints changed.", done)
            % {"count": done},
        )
    for reference, reason in refused:
        messages.error(request, f"{reference}: {reason}")
    return redirect(back)


def bulk_apply(
    user: User, complaints: list[Complaint], data: dict[str, Any]
) -> tuple[int, list[tuple[str, str]]]:
    """Applies the bulk action to the complaints through the batch form of the write path the
    complaint's own page uses (the same function, with one complaint there): one transaction,
    the same rules on each complaint under its lock, one audit row each; how many were
    changed, and why the others were not (by reference)."""
    if data["action"] == "assign":
        handler = data["handler"]
        member = getattr(handler, "staff_member", None) if handler else None
        # A handler of a unit takes the complaints into their unit; otherwise each keeps its own.
        unit = member.unit if member is not None and member.unit_id is not None else Keep.UNIT
        batch = handling.complaints_assign(
            complaints=complaints, unit=unit, handler=handler, by=user
        )
    elif data["action"] == "unit":
        batch = handling.complaints_change_unit(complaints=complaints, unit=data["unit"], by=user)
    elif data["action"] == "theme":
        added = themes_add(theme=data["theme"], complaints=complaints, by=user)
        return added, []
    else:
        batch = action_link_complaints(
            action=data["improvement_action"], complaints=complaints, by=user
        )
    refused = sorted((complaint.reference, str(error)) for complaint, error in batch.refused)
    return len(batch.done), refused


def bulk_export(user: User, complaints: list[Any]) -> HttpResponse:
    """The chosen complaints as CSV, one audit row (export) each."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "received",
            "status",
            "channel",
            "language",
            "category",
            "unit",
            "handler",
            "next_deadline",
        ]
    )
    with transaction.atomic():
        for complaint in complaints:
            writer.writerow(
                [
                    complaint.reference,
                    timezone.localtime(complaint.received_at).date().isoformat(),
                    complaint.status,
                    complaint.channel,
                    complaint.language,
                    complaint.category.code if complaint.category else "",
                    complaint.unit.code if complaint.unit else "",
                    complaint.handler.get_username() if complaint.handler else "",
                    complaint.next_due.isoformat() if complaint.next_due else "",
                ]
            )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=user, action=AuditAction.EXPORT, complaint=complaint, detail="work list CSV"
            )
            for complaint in complaints
        )
    return response


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
                "status=undecided&sort=received",
            ),
            "saved_views": [
                (view, filtered(request.user, WorkListFilter(QueryDict(view.query)))[2])
                for view in views_for(request.user)
            ],
        },
    )
