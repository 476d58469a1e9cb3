"""On PostgreSQL, with a few thousand complaints and fresh statistics, every query of the work
list and the dashboard reads the complaints table through an index: none scans it whole
(issue 10). Each plan is taken as its query runs, in the session's own settings, so a missing or
unusable index shows here as a "Seq Scan on complaints_complaint"."""

from __future__ import annotations

import datetime
import random
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, Scope
from complaints.models import Complaint
from complaints.queries import SORT_KEYS
from configuration.models import Category, Unit
from tests.conftest import Cast
from tests.helpers import file_complaint

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans of PostgreSQL (CI runs it)"
    ),
    # VACUUM cannot run inside a transaction; it sets the visibility map, as autovacuum does
    # on a live table, which makes counting from an index alone possible.
    pytest.mark.django_db(transaction=True),
]

CLOSED = ["answered", "answered", "answered", "inadmissible", "forwarded", "withdrawn"]
OPEN = ["received", "acknowledged", "in_handling", "waiting"]
NAMES = ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Martin", "Dupont", "Simon"]


def seed(template: Complaint, count: int) -> None:
    """``count`` complaints over two years, as a service keeps them: nearly all old ones
    closed, the last weeks' open."""
    rng = random.Random(2026)
    now = timezone.now()
    categories = list(Category.objects.all())
    units = list(Unit.objects.all())
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Complaint._meta.concrete_fields
        if f.attname != "id"
    }
    rows = []
    for n in range(count):
        age = count - n  # days/… : older first, like the real table
        received_at = now - datetime.timedelta(hours=age * 3.5)
        is_open = age < count // 25
        name = rng.choice(NAMES)
        rows.append(
            Complaint(
                **fields
                | {
                    "reference": f"2025-{n + 1:06d}",
                    "status": rng.choice(OPEN if is_open else CLOSED),
                    "last_name": name,
                    "email": f"{name.lower()}{n}@example.be",
                    "channel": rng.choice(["web", "web", "web", "email", "letter", "phone"]),
                    "category_id": rng.choice(categories).pk,
                    "unit_id": rng.choice(units).pk if is_open else None,
                    "received_at": received_at,
                    "acknowledged_at": None if rng.random() < 0.2 else received_at,
                    "acknowledgement_due": received_at.date() + datetime.timedelta(days=5),
                    "answer_due": received_at.date() + datetime.timedelta(days=45),
                }
            )
        )
    for row in rows:
        row.fold_for_search()  # as its save would: bulk_create calls none
    Complaint.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")


def plans(client: Client, url: str) -> list[tuple[str, str]]:
    """The plan of each query on the complaints table that ``url`` runs, taken just before it
    runs, in the same session (whatever the code set for it)."""
    found = []

    def explain(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if sql.lstrip().startswith("SELECT") and "complaints_complaint" in sql:
            raw = context["cursor"].cursor  # the driver's cursor: not through this wrapper
            raw.execute("EXPLAIN " + sql, params)
            found.append((sql, "\n".join(row[0] for row in raw.fetchall())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        assert client.get(url).status_code == 200
    return found


def test_no_query_of_the_work_list_or_the_dashboard_scans_the_complaints_table(
    cast: Cast, client: Client
) -> None:
    seed(file_complaint(client), 5000)
    staff = cast.client_for(cast.manager)
    work_list = reverse("staff:work_list")
    category = Category.objects.first()
    unit = Unit.objects.first()
    assert category is not None and unit is not None
    urls = [
        work_list,
        work_list + "?status=open",
        work_list + "?status=answered",
        work_list + "?status=undecided&sort=received",
        work_list + f"?category={category.pk}",
        work_list + f"?unit={unit.pk}",
        work_list + "?channel=phone",
        work_list + "?due_within=7",
        work_list + "?overdue=on",
        work_list + "?sort=-received_at&page=40",
        work_list + "?q=Peeters",
        work_list + "?q=2025-000123",
        reverse("staff:dashboard"),
    ]
    # Every sortable column, either way, alone and under the "open" filter.
    for sort in sorted(SORT_KEYS):
        urls += [work_list + f"?sort={sort}", work_list + f"?status=open&sort={sort}"]
    scans = [
        f"{url}\n{sql}\n{plan}"
        for url in urls
        for sql, plan in plans(staff, url)
        if "Seq Scan on complaints_complaint" in plan
    ]
    assert not scans, "\n\n".join(scans)


def test_no_query_of_the_apis_list_scans_the_complaints_table(cast: Cast, client: Client) -> None:
    seed(file_complaint(client), 5000)
    _row, token = ApiToken.issue(
        user=cast.manager,
        name="plans",
        scope=Scope.READ,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    listing = "/api/v1/staff/complaints"
    unit = Unit.objects.first()
    assert unit is not None
    urls = [
        listing,
        listing + "?status=open",
        listing + "?status=answered&sort=-received_at",
        listing + f"?unit={unit.pk}",
        listing + "?channel=phone&sort=reference",
        listing + "?overdue=true",
        listing + "?q=Peeters",
    ]
    for sort in ("next_due", "-received_at", "received_at"):
        cursor = ""
        for _ in range(3):  # a page deep in the list, reached as a client reaches it
            cursor = api.get(listing, {"sort": sort, "cursor": cursor}).json()["next_cursor"]
        urls.append(f"{listing}?{urlencode({'sort': sort, 'cursor': cursor})}")
    scans = [
        f"{url}\n{sql}\n{plan}"
        for url in urls
        for sql, plan in plans(api, url)
        if "Seq Scan on complaints_complaint" in plan
    ]
    assert not scans, "\n\n".join(scans)
