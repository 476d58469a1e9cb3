"""The API's list of complaints (``GET /api/v1/staff/complaints``) at scale, in-process.

Seeds with ``bench/worklist.py``'s ``seed`` (the same complaints, statuses, deadlines, units
and handlers as the work list's benchmark) into the PostgreSQL database given by
``DATABASE_URL`` (dropped and made again unless ``--reuse``), or SQLite in a temporary
VAR_DIR without it. Then, with the complaints manager's API token (sees every complaint) and a
handler's (their unit's), times each request through Django's test Client: warm-ups, timed
requests, repeated rounds; and a bare view that reads one row behind the same middleware (the
ceiling) in the same run.

    DATABASE_URL=postgres://querela:querela@127.0.0.1:5432/querela_h5 \\
        .venv/bin/python bench/api_list.py --complaints 1000000 [--reuse]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import psycopg
from benchlib import interrupt_on_sigterm, percentiles, table
from psycopg import sql
from worklist import SEARCH_NAME, one_row, reuse, seed, setup_django

LIST = "/api/v1/staff/complaints"


def recreate(database_url: str) -> None:
    """A fresh, empty database of ``database_url``, made by its own user (CREATEDB)."""
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    maintenance = url._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def requests() -> list[tuple[str, str, str]]:
    """(name, who, URL): the list as a records system or a dashboard would read it."""
    from django.urls import clear_url_caches, path

    import querela.urls
    from complaints.models import Complaint
    from configuration.models import Unit

    querela.urls.urlpatterns.append(path("bench/one-row/", one_row))
    clear_url_caches()
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    middle = Complaint.objects.count() // 2
    reference = Complaint.objects.values_list("reference", flat=True).get(pk=middle)
    return [
        ("default (next deadline), 25 rows", "manager", LIST),
        ("limit=100", "manager", f"{LIST}?limit=100"),
        ("status=open", "manager", f"{LIST}?status=open"),
        ("status=answered", "manager", f"{LIST}?status=answered"),
        ("sort=-received_at", "manager", f"{LIST}?sort=-received_at"),
        ("sort=reference", "manager", f"{LIST}?sort=reference"),
        ("unit=(first)", "manager", f"{LIST}?unit={unit.pk}"),
        ("channel=phone", "manager", f"{LIST}?channel=phone"),
        ("due_within=7", "manager", f"{LIST}?due_within=7"),
        ("overdue=true", "manager", f"{LIST}?overdue=true"),
        (f"q={SEARCH_NAME}", "manager", f"{LIST}?q={SEARCH_NAME}"),
        ("q=(a reference)", "manager", f"{LIST}?q={reference}"),
        ("page 50 by cursor (default order)", "manager", "cursor:next_due:50"),
        ("page 50 by cursor, sort=-received_at", "manager", "cursor:-received_at:50"),
        ("a handler's default list", "handler", LIST),
        ("ceiling: bare view reading one row", "manager", f"/bench/one-row/?pk={middle}"),
    ]


def deep_cursor(client: Any, sort: str, pages: int) -> str:
    """The cursor of page ``pages`` + 1, found by following the list."""
    cursor = ""
    for _ in range(pages):
        query = urlencode({"sort": sort, "cursor": cursor})
        cursor = client.get(f"{LIST}?{query}").json()["next_cursor"]
    return f"{LIST}?{urlencode({'sort': sort, 'cursor': cursor})}"


def measure(warmups: int, repetitions: int) -> list[dict[str, Any]]:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from api.models import ApiToken, Scope
    from tests.helpers import pass_second_factor

    clients = {}
    for who, username in (("manager", "beheerder"), ("handler", "behandelaar")):
        user = User.objects.get(username=username)
        _row, token = ApiToken.issue(
            user=user,
            name="bench",
            scope=Scope.READ,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.force_login(user)  # for the ceiling view only
        pass_second_factor(client, user)
        clients[who] = client
    results = []
    for name, who, url in requests():
        client = clients[who]
        if url.startswith("cursor:"):
            _kind, sort, pages = url.split(":")
            url = deep_cursor(client, sort, int(pages))
        for _ in range(warmups):
            assert client.get(url).status_code == 200, url
        times = []
        rows = 0
        for _ in range(repetitions):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.content[:300])
        if url.startswith(LIST):
            rows = len(response.json()["items"])
        results.append(
            {
                "name": name,
                "median_ms": statistics.median(times) * 1000,
                "p95_ms": percentiles(times)["p95"] * 1000,
                "rows": rows,
            }
        )
    return results


def run(args: argparse.Namespace) -> int:
    database_url = os.environ.get("DATABASE_URL")
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-api-"))
    try:
        if database_url and not args.reuse:
            recreate(database_url)
        setup_django(var_dir, database_url)
        started = time.perf_counter()
        seeded = reuse() if args.reuse else seed(args.complaints, random.Random(args.seed))
        seed_seconds = time.perf_counter() - started
        from django.db import connection

        from complaints.models import Complaint

        with connection.cursor() as cursor:  # as autovacuum leaves a table at rest
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        count = Complaint.objects.count()
        load_before = os.getloadavg()
        rounds = [measure(args.warmups, args.repetitions) for _ in range(args.rounds)]
        load_after = os.getloadavg()
        ceiling = statistics.median(r["median_ms"] for r in rounds[0] if "ceiling" in r["name"])
        print(
            f"## The API's list: {connection.vendor}, {count:,} complaints "
            f"({'reused' if args.reuse else f'seeded in {seed_seconds:.0f} s'}; "
            f"statuses {seeded['statuses']})\n"
        )
        print(
            f"{args.rounds} rounds of {args.repetitions} timed requests after {args.warmups} "
            "warm-ups; the median of the rounds' medians and of their p95\n"
        )
        rows = []
        for same in zip(*rounds, strict=True):
            median = statistics.median(r["median_ms"] for r in same)
            p95 = statistics.median(r["p95_ms"] for r in same)
            rows.append(
                [
                    same[0]["name"],
                    f"{median:.1f}",
                    f"{p95:.1f}",
                    f"{median / ceiling:.1f}",
                    " / ".join(f"{r['median_ms']:.0f}" for r in same),
                    same[0]["rows"],
                ]
            )
        print(table(["request", "median ms", "p95 ms", "x ceiling", "round medians", "rows"], rows))
        print(
            f"\nLoad average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} "
            f"{load_before[2]:.2f}; after: {load_after[0]:.2f} {load_after[1]:.2f} "
            f"{load_after[2]:.2f} ({os.cpu_count()} CPUs)"
        )
        return 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, default=20_000, help="how many (20000)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database left by an earlier run"
    )
    parser.add_argument("--repetitions", type=int, default=20, help="timed requests (20)")
    parser.add_argument("--warmups", type=int, default=2, help="untimed requests first (2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all requests (3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    args = parser.parse_args()
    interrupt_on_sigterm()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
