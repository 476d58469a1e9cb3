"""The work list and the dashboard with many complaints, in-process.

Seeds ``--complaints`` complaints (20,000) straight into a fresh database with ``bulk_create``:
two years of receipts, statuses by age (almost all old complaints closed, a backlog of open
ones, some with an interim extension), due dates from the configured deadlines, categories,
units, handlers, a few Ombudsman requests, and the reference counters. SQLite in a temporary
VAR_DIR, or the throwaway PostgreSQL database ``querela_bench_worklist`` with ``--postgres``.

Then, logged in as the complaints manager (Django's test Client, no test instrumentation of
templates), times each page: 2 warm-ups, 20 timed requests, then one more inside
``CaptureQueriesContext`` to count the queries and name the slowest ones.

    .venv/bin/python bench/worklist.py [--postgres] [--complaints 20000]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchlib import ROOT, interrupt_on_sigterm, percentiles, pg_create, pg_drop, pg_url, table

PG_DATABASE = "querela_bench_worklist"
SEARCH_NAME = "Peeters"

FIRST_NAMES = [
    "Anne",
    "Jan",
    "Marie",
    "Pieter",
    "Sofie",
    "Luc",
    "Nathalie",
    "Mohamed",
    "Els",
    "Thomas",
    "Sarah",
    "Koen",
    "Fatima",
    "Julie",
    "Marc",
    "Isabelle",
    "Youssef",
    "Lien",
    "Philippe",
    "Ines",
    "Bart",
    "Camille",
    "Hans",
    "Amira",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Martin",
    "Dupont",
    "Simon",
    "Laurent",
    "Leclercq",
    "Lejeune",
    "Renard",
    "Dumont",
    "Vermeulen",
    "Hermans",
    "Aerts",
    "Michiels",
    "Lemmens",
    "Smets",
    "Cools",
    "Pauwels",
    "Van Damme",
    "El Amrani",
    "Benali",
    "Nowak",
    "Schmitz",
    "Weber",
    "Marchal",
    "Denis",
    "Hendrickx",
    "Bosmans",
    "Van den Bossche",
    "Lefebvre",
]
SENTENCES = [
    "Ik wacht al drie maanden op een antwoord op mijn brief over mijn leefloon.",
    "Niemand neemt de telefoon op, ik heb het twaalf keer geprobeerd.",
    "De medewerker aan het onthaal was onvriendelijk en luisterde niet.",
    "Mon dossier d'intégration sociale est bloqué depuis le mois de mars.",
    "On m'a donné des informations contradictoires sur mes droits.",
    "Le formulaire en ligne ne fonctionne pas avec un lecteur d'écran.",
    "Personne ne répond à mes courriels depuis six semaines.",
    "Ich habe keine Antwort auf meinen Antrag erhalten.",
    "The letter I received was unclear and did not explain the decision.",
    "Mijn OCMW zegt dat de federale dienst moet beslissen, en omgekeerd.",
    "Ik heb documenten opgestuurd die nu zoek zijn geraakt.",
    "Le délai de traitement annoncé n'a pas été respecté.",
]
# One complaint in RARE_EVERY also says this: a word found in about a thousand of a million.
RARE_SENTENCE = "Mijn huurwaarborg werd nooit terugbetaald."
RARE_EVERY = 1000
OWN_REFERENCE_EVERY = 40  # complainants who give their own case number (an OCMW's)
CHANNELS = [("web", 70), ("email", 15), ("letter", 8), ("phone", 5), ("counter", 2)]
LANGUAGES = [("nl", 55), ("fr", 40), ("de", 2), ("en", 3)]
CLOSED = [
    ("answered", 70),
    ("inadmissible", 10),
    ("not_a_complaint", 7),
    ("forwarded", 8),
    ("withdrawn", 5),
]


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def open_probability(age_days: int) -> float:
    """How likely a complaint received ``age_days`` ago is still open: nearly all of the last
    week's, a backlog tail of the older ones."""
    if age_days < 7:
        return 0.9
    if age_days < 30:
        return 0.5
    if age_days < 90:
        return 0.15
    return 0.04


def own_database(url: str, *, create: bool) -> None:
    """Drops the database ``url`` names and, with ``create``, makes it again empty; as the
    role the URL names (connected to its ``postgres`` database), not as the superuser."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    name = sql.Identifier(parts.path.lstrip("/"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def setup_django(var_dir: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "querela.settings_test"
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        # Seeding a million rows takes minutes.
        os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
        os.environ["DATABASE_ANSWER_TIMEOUT"] = "0"
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(count: int, rng: random.Random) -> dict[str, Any]:
    """Writes ``count`` complaints (with their reference counters) and returns what was made.

    The rows are made as ``Complaint`` objects and written by each field's own database
    conversion, so a new column with a default needs nothing here. On PostgreSQL they go in with
    COPY, the complaints table's secondary indexes dropped first and built again after (how a
    bulk load is done: about ten times faster than keeping them up to date row by row)."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from access.models import Role, StaffMember
    from complaints import deadlines
    from complaints.models import Complaint, Extension, OmbudsmanRequest, ReferenceCounter
    from configuration.models import Category, DeadlineKind, TriageQuestion, Unit

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", stdout=quiet)
    call_command("load_demo", stdout=quiet)
    with override_settings(DEMO_MODE=True):  # the demo's accounts, outside demo mode
        call_command("demo_accounts", stdout=quiet)

    units = list(Unit.objects.all())
    for number in range(8):  # more handlers than the demo's two
        user = User.objects.create_user(
            f"handler{number}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"handler{number}@example.org",
        )
        StaffMember.objects.create(user=user, role=Role.HANDLER, unit=units[number % len(units)])
    handlers_by_unit: dict[int, list[User]] = {
        unit.pk: [
            m.user
            for m in StaffMember.objects.select_related("user").filter(role=Role.HANDLER, unit=unit)
        ]
        for unit in units
    }
    manager = User.objects.get(username="beheerder")
    categories = list(Category.objects.filter(active=True))
    triage = {q.code: False for q in TriageQuestion.objects.filter(active=True)}
    calendar = deadlines.calendar_from_configuration()
    ack_policy = deadlines.policy_from_configuration(DeadlineKind.ACKNOWLEDGEMENT)
    answer_policy = deadlines.policy_from_configuration(DeadlineKind.ANSWER)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    due_dates: dict[datetime.date, tuple[datetime.date, datetime.date]] = {}

    per_year: Counter[int] = Counter()
    statuses: Counter[str] = Counter()
    extended: list[tuple[int, datetime.date, datetime.date, datetime.datetime]] = []
    asked: list[tuple[int, datetime.datetime, datetime.datetime | None]] = []

    def complaints() -> Iterator[Complaint]:
        # Sorted offsets, made in order: 1,000,000 datetimes sorted in memory are not needed.
        offsets = sorted(rng.uniform(0, 730 * 86400) for _ in range(count))
        for index, offset in enumerate(reversed(offsets)):
            received_at = now - datetime.timedelta(seconds=offset)
            received_on = received_at.astimezone(tz).date()
            age = (today - received_on).days
            per_year[received_on.year] += 1
            if received_on not in due_dates:
                due_dates[received_on] = (
                    deadlines.due_date(received_on, ack_policy, calendar),
                    deadlines.due_date(received_on, answer_policy, calendar),
                )
            ack_due, answer_due = due_dates[received_on]
            kind = rng.choices(["person", "company", "institution"], weights=[90, 7, 3])[0]
            last_name = rng.choice(LAST_NAMES)
            has_email = rng.random() < 0.85
            unit = handler = None
            acknowledged_at = answered_at = closed_at = None
            if rng.random() < open_probability(age):
                if age <= 2 and rng.random() < 0.5:
                    status = "received"
                elif age <= 5:
                    status = rng.choice(["acknowledged", "in_handling"])
                else:
                    status = rng.choices(
                        ["acknowledged", "in_handling", "waiting"], weights=[15, 60, 25]
                    )[0]
                if age > 14 and rng.random() < 0.6:  # an interim message moved the answer date
                    new_due = today + datetime.timedelta(days=rng.randint(-3, 45))
                    extended.append(
                        (index + 1, answer_due, new_due, received_at + datetime.timedelta(days=12))
                    )
                    answer_due = new_due
            else:
                status = weighted(rng, CLOSED)
                closed_at = received_at + datetime.timedelta(days=rng.uniform(2, 25))
                if closed_at > now:
                    closed_at = now
                if status != "withdrawn":
                    answered_at = closed_at
            if status != "received":
                acknowledged_at = received_at + datetime.timedelta(hours=rng.uniform(0.01, 20))
            if status in {"in_handling", "waiting", "answered"} or (
                status == "acknowledged" and rng.random() < 0.5
            ):
                unit = rng.choice(units)
                if status != "acknowledged":
                    handler = rng.choice(handlers_by_unit[unit.pk] or [manager])
            statuses[status] += 1
            if rng.random() < 0.005:  # the Ombudsman asks about 0.5 %
                asked.append((index + 1, received_at, closed_at))
            complaint = Complaint(
                id=index + 1,
                reference=f"{received_on.year}-{per_year[received_on.year]:06d}",
                status=status,
                channel=weighted(rng, CHANNELS),
                complainant_kind=kind,
                first_name=rng.choice(FIRST_NAMES),
                last_name=last_name,
                organisation_name="" if kind == "person" else f"{last_name} & Co",
                email=f"{last_name.lower().replace(' ', '')}{index}@example.be"
                if has_email
                else "",
                postal_address="" if has_email else f"Kerkstraat {index % 200 + 1}, 1000 Brussel",
                phone=f"+32 2 {index:07d}" if rng.random() < 0.3 else "",
                language=weighted(rng, LANGUAGES),
                category=rng.choice(categories),
                facts_start=received_on - datetime.timedelta(days=rng.randint(0, 120)),
                description=" ".join(rng.sample(SENTENCES, rng.randint(2, 5)))
                + (f" {RARE_SENTENCE}" if index % RARE_EVERY == 0 else ""),
                own_reference=f"OCMW-Gent/{index}" if index % OWN_REFERENCE_EVERY == 0 else "",
                desired_outcome=rng.choice(["", "Een antwoord.", "Une réponse rapide."]),
                triage_answers=triage,
                unit=unit,
                handler=handler,
                received_at=received_at,
                acknowledgement_due=ack_due,
                answer_due=answer_due,
                acknowledged_at=acknowledged_at,
                answered_at=answered_at,
                closed_at=closed_at,
                created_at=received_at,
            )
            complaint.fold_for_search()  # as its save would (COPY calls none)
            yield complaint

    write_rows(Complaint, complaints())
    with transaction.atomic():
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(year=year, last=last) for year, last in per_year.items()]
        )
        Extension.objects.bulk_create(
            [
                Extension(
                    complaint_id=complaint_id,
                    reason="Meer tijd nodig voor onderzoek.",
                    previous_due=previous,
                    new_due=new,
                    by=manager,
                    at=at,
                )
                for complaint_id, previous, new, at in extended
            ],
            batch_size=5000,
        )
        requests = []
        for complaint_id, received_at, closed_at in asked:
            on = min(timezone.localdate(received_at) + datetime.timedelta(days=30), today)
            requests.append(
                OmbudsmanRequest(
                    complaint_id=complaint_id,
                    received_on=on,
                    due=on + datetime.timedelta(days=15),
                    summary="De Ombudsman vraagt het dossier op.",
                    answered_at=None if rng.random() < 0.3 else closed_at or now,
                    registered_by=manager,
                    registered_at=now,
                )
            )
        OmbudsmanRequest.objects.bulk_create(requests, batch_size=5000)
        # As ombudsman_request_register keeps it: the earliest open reply on the complaint.
        for request in requests:
            if request.answered_at is None:
                Complaint.objects.filter(pk=request.complaint_id).update(ombudsman_due=request.due)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), %s)", [count]
            )
    return {
        "statuses": dict(statuses.most_common()),
        "extensions": len(extended),
        "ombudsman_requests": len(requests),
    }


def reuse() -> dict[str, Any]:
    """The database a ``--keep`` run left, brought up to the code's migrations (new indexes)."""
    from django.core.management import call_command
    from django.db.models import Count

    from complaints.models import Complaint, Extension, OmbudsmanRequest, Reminder

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    Reminder.objects.all().delete()  # the sweep's steady state is made again
    statuses = Complaint.objects.values_list("status").annotate(n=Count("pk")).order_by("-n")
    return {
        "statuses": dict(statuses),
        "extensions": Extension.objects.count(),
        "ombudsman_requests": OmbudsmanRequest.objects.count(),
    }


def write_rows(model: Any, rows: Iterator[Any]) -> None:
    """Writes ``rows`` (unsaved instances of ``model``, their ids set) as fast as the database
    takes them: COPY on PostgreSQL, batches of INSERT on SQLite."""
    from django.db import connection, transaction

    # Generated columns (the complaint's local dates) are filled by the database.
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def values(row: Any) -> tuple[Any, ...]:
        return tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            placeholders = ", ".join(["%s"] * len(fields))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(values(row))
                if len(batch) == 5000:
                    cursor.executemany(insert, batch)
                    batch = []
            cursor.executemany(insert, batch)
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # The rows refer to what seed() just read: no foreign-key trigger per row. A superuser
        # turns the triggers off; the table's owner drops the foreign keys and adds them back
        # after (one check of the whole table each).
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        foreign_keys: list[tuple[str, str]] = []
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            foreign_keys = cursor.fetchall()
            for name, _ in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
    # After the commit: CREATE INDEX refuses a table with pending (deferred) trigger events.
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


@dataclass
class PageResult:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    rows: int
    slowest: list[tuple[float, str]]
    round_medians: list[float]


def measure(
    pages: list[tuple[str, str]], warmups: int, repetitions: int, profile: int, explain: bool
) -> list[PageResult]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from tests.helpers import pass_second_factor

    client = Client()
    manager = User.objects.get(username="beheerder")
    client.force_login(manager)
    pass_second_factor(client, manager)
    with translation.override("nl"):  # a complaint's link in a table row
        one = reverse("staff:complaint", kwargs={"pk": 999999999})
    row = re.compile('href="' + re.escape(one).replace("999999999", r"\d+") + '"')
    measured = []
    for name, url in pages:
        for _ in range(warmups):
            warmup = client.get(url)
            assert warmup.status_code == 200, f"{url}: HTTP {warmup.status_code}"
        times = []
        for _ in range(repetitions):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Read now: the next request (request_started) empties the connection's query log.
        queries = list(captured.captured_queries)
        slowest = sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries), reverse=True)[:3]
        if explain and slowest:
            prefix = (
                "EXPLAIN (ANALYZE, COSTS OFF) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            with connection.cursor() as cursor:
                cursor.execute(prefix + slowest[0][1])
                plan = [" | ".join(str(cell) for cell in line) for line in cursor.fetchall()]
            print(f"\n### Plan of the slowest query: {name} ({slowest[0][0]:.0f} ms)\n")
            print("```\n" + slowest[0][1] + "\n\n" + "\n".join(plan) + "\n```")
        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            print(f"\n### Profile: {name} (one request, top {profile} by own time)\n")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(profile)
        measured.append(
            PageResult(
                name=name,
                url=url,
                median_ms=statistics.median(times) * 1000,
                p95_ms=percentiles(times)["p95"] * 1000,
                queries=len(queries),
                rows=len(row.findall(response.content.decode())),
                slowest=slowest,
                round_medians=[statistics.median(times) * 1000],
            )
        )
    return measured


def merge(rounds: tuple[PageResult, ...]) -> PageResult:
    """One page over repeated rounds: the median of the rounds' medians and of their p95."""
    first = rounds[0]
    medians = [r.median_ms for r in rounds]
    return PageResult(
        name=first.name,
        url=first.url,
        median_ms=statistics.median(medians),
        p95_ms=statistics.median(r.p95_ms for r in rounds),
        queries=max(r.queries for r in rounds),
        rows=first.rows,
        slowest=first.slowest,
        round_medians=medians,
    )


def one_row(request: Any) -> Any:
    """The ceiling: a bare view that reads one complaint, behind the same middleware and login
    as the staff pages, on the same database."""
    from django.http import HttpResponse

    from complaints.models import Complaint

    complaint = Complaint.objects.only("reference").get(pk=request.GET["pk"])
    return HttpResponse(complaint.reference)


def bench_pages() -> list[tuple[str, str]]:
    """The pages of issue 10's table, and the ceiling (its URL added to the project's)."""
    from django.db.models import Count
    from django.urls import clear_url_caches, path, reverse
    from django.utils import translation

    import querela.urls
    from complaints.models import Complaint
    from configuration.models import Category, Unit

    querela.urls.urlpatterns.append(path("bench/one-row/", one_row))
    clear_url_caches()
    category = Category.objects.order_by("pk").first()
    unit = Unit.objects.order_by("pk").first()
    assert category is not None and unit is not None  # the demo made them
    middle = Complaint.objects.count() // 2
    reference = Complaint.objects.values_list("reference", flat=True).get(pk=middle)
    busy = (
        Complaint.objects.exclude(status="answered")
        .annotate(n=Count("extensions"))
        .filter(n__gt=0, pk__gt=middle)
        .values_list("pk", flat=True)
        .first()
    ) or middle
    with translation.override("nl"):
        work_list, dashboard = reverse("staff:work_list"), reverse("staff:dashboard")
        case = reverse("staff:complaint", kwargs={"pk": busy})
    return [
        ("work list, default (next deadline)", work_list),
        ("?status=open", f"{work_list}?status=open"),
        ("?status=answered", f"{work_list}?status=answered"),
        ("?category=(first)", f"{work_list}?category={category.pk}"),
        ("?unit=(first)", f"{work_list}?unit={unit.pk}"),
        ("?channel=phone", f"{work_list}?channel=phone"),
        ("?due_within=7", f"{work_list}?due_within=7"),
        ("?overdue=on", f"{work_list}?overdue=on"),
        (
            "?status=open&sort=-received_at&page=50",
            f"{work_list}?status=open&sort=-received_at&page=50",
        ),
        (f"search by name ?q={SEARCH_NAME}", f"{work_list}?q={SEARCH_NAME}"),
        (f"search by reference ?q={reference}", f"{work_list}?q={reference}"),
        # A word of no description whose three-letter pieces are in most of them: the trigram
        # index handed out every such description to be read (before issue 20).
        ("search, a word found nowhere ?q=courrier", f"{work_list}?q=courrier"),
        ("search, letters found nowhere ?q=zyxwv", f"{work_list}?q=zyxwv"),
        ("search, a name with a typo ?q=Peters", f"{work_list}?q=Peters"),
        ("search, without accents ?q=integration", f"{work_list}?q=integration"),
        (
            "search, two words without accents ?q=dossier d'integration",
            f"{work_list}?q=dossier+d%27integration",
        ),
        ("search, a rare word's beginning ?q=huurwaarb", f"{work_list}?q=huurwaarb"),
        (
            "search, an own reference ?q=ocmw-gent/4000",
            f"{work_list}?q=ocmw-gent/{OWN_REFERENCE_EVERY * 100}",
        ),
        ("search, own references' start ?q=OCMW-Gent", f"{work_list}?q=OCMW-Gent"),
        ("dashboard (deadlines)", dashboard),
        ("a complaint's page", case),
        ("ceiling: bare view reading one row", f"/bench/one-row/?pk={middle}"),
    ]


def sort_pages() -> list[tuple[str, str]]:
    """Issue 22: the work list sorted by each of its columns, either way, alone, under the
    "open" filter and under a unit's filter; with every optional column shown (the manager's
    choice); and the ceiling last."""
    from django.urls import reverse
    from django.utils import translation

    from complaints.queries import SORT_KEYS
    from configuration.models import Unit
    from staff.models import WORK_LIST_COLUMNS, WorkListSettings

    pages = bench_pages()
    ceiling = pages[-1]
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    WorkListSettings.objects.update_or_create(
        user=User_by_name("beheerder"), defaults={"columns": list(WORK_LIST_COLUMNS)}
    )
    with translation.override("nl"):
        work_list = reverse("staff:work_list")
    found = []
    for key in sorted(SORT_KEYS):
        found += [
            (f"?sort={key}", f"{work_list}?sort={key}"),
            (f"?status=open&sort={key}", f"{work_list}?status=open&sort={key}"),
            (f"?unit=(first)&sort={key}", f"{work_list}?unit={unit.pk}&sort={key}"),
        ]
    return [*found, ceiling]


def User_by_name(username: str) -> Any:  # reads as the model it returns
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def measure_bulk(size: int, repetitions: int, profile: int = 0) -> dict[str, Any]:
    """Issue 22: a bulk action on ``size`` complaints, as the work list's form posts it: assign
    (``complaints_assign``, the batch form of the write path: one audit row each) and the CSV
    export; each run on other open complaints. The reference, in the same run: the same
    assignment through the single-complaint write path (``complaint_assign``) called once per
    complaint in one transaction, as the work list did before the batch form. ``profile``: also
    profile one more bulk assignment and print its top functions."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints import handling
    from complaints.models import CLOSED, Complaint
    from tests.helpers import pass_second_factor

    manager = User_by_name("beheerder")
    client = Client()
    client.force_login(manager)
    pass_second_factor(client, manager)
    url = "/nl/staff/complaints/bulk/"
    open_ids = list(
        Complaint.objects.exclude(status__in=CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)[: size * (2 * repetitions + 2)]
    )
    chunks = [open_ids[n * size : (n + 1) * size] for n in range(2 * repetitions + 2)]
    timings: dict[str, list[float]] = {"assign": [], "export": [], "reference": []}
    queries = 0
    for n in range(repetitions):
        chosen = chunks[n]
        for action in ("assign", "export"):
            data = {"bulk-selected": chosen, "bulk-action": action, "bulk-handler": manager.pk}
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, data)
            timings[action].append(time.perf_counter() - started)
            assert response.status_code in {200, 302}, response.status_code
            if action == "assign":
                queries = len(captured)
        # The reference: one call of the single write path per complaint.
        others = list(Complaint.objects.filter(pk__in=chunks[repetitions + n]).order_by("pk"))
        started = time.perf_counter()
        with transaction.atomic():
            for complaint in others:
                handling.complaint_assign(
                    complaint=complaint, unit=complaint.unit, handler=manager, by=manager
                )
        timings["reference"].append(time.perf_counter() - started)
    done = open_ids[: size * 2 * repetitions]
    assert Complaint.objects.filter(pk__in=done, handler=manager).count() == len(done)
    if profile:
        profiler = cProfile.Profile()
        data = {"bulk-selected": chunks[-1], "bulk-action": "assign", "bulk-handler": manager.pk}
        profiler.runcall(client.post, url, data)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        print(f"\nProfile of one bulk assignment of {size}:\n{out.getvalue()}")
    return {
        action: {
            "median_s": statistics.median(times),
            "p95_s": percentiles(times)["p95"],
            "max_s": max(times),
            "runs": len(times),
        }
        for action, times in timings.items()
    } | {"size": size, "queries": queries}


def measure_sweep(repetitions: int) -> dict[str, Any]:
    """The reminder sweep in steady state: every reminder due today is marked as sent first (as
    the sweep every 15 minutes leaves it), then the sweep is timed finding nothing new."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from complaints.models import CLOSED, Complaint, Reminder
    from complaints.reminders import reminders_due, reminders_sweep

    today = timezone.localdate()
    due = reminders_due(today)
    Reminder.objects.bulk_create(
        [
            Reminder(complaint_id=pk, deadline=deadline, due=on, kind=kind, sent_at=timezone.now())
            for pk, deadline, on, kind in due
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:  # as autovacuum does after so many inserts
        cursor.execute(
            "VACUUM ANALYZE complaints_reminder"
            if connection.vendor == "postgresql"
            else "ANALYZE complaints_reminder"
        )
    times, sent = [], 0
    for _ in range(repetitions):
        started = time.perf_counter()
        sent += reminders_sweep(today=today)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        sent += reminders_sweep(today=today)
    return {
        "open": Complaint.objects.exclude(status__in=CLOSED).count(),
        "marked": len(due),
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "queries": len(captured),
        "sent": sent,
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-worklist-"))
    try:
        if args.url:  # a database of one's own, under one's own role (see --url)
            args.postgres = True
            args.database = urlsplit(args.url).path.lstrip("/")
        if args.postgres and not args.reuse:
            own_database(args.url, create=True) if args.url else pg_create(args.database)
        setup_django(var_dir, (args.url or pg_url(args.database)) if args.postgres else None)
        rng = random.Random(args.seed)
        started = time.perf_counter()
        seeded = reuse() if args.reuse else seed(args.complaints, rng)
        seed_seconds = time.perf_counter() - started
        rss_after_seed = rss_mb()
        from django.db import connection

        with connection.cursor() as cursor:  # as autovacuum leaves a table at rest
            cursor.execute("VACUUM ANALYZE" if args.postgres else "ANALYZE")
        pages = sort_pages() if args.sorts else bench_pages()
        if args.only_bulk:
            pages = pages[-1:]  # the ceiling alone
        load_before = os.getloadavg()[0]
        rounds = [
            measure(
                pages,
                args.warmups,
                args.repetitions,
                args.profile if n == 0 else 0,
                args.explain and n == 0,
            )
            for n in range(args.rounds)
        ]
        results = [merge(same_page) for same_page in zip(*rounds, strict=True)]
        report(args, seeded, seed_seconds, rss_after_seed, results)
        if args.sorts:
            bulk = measure_bulk(args.bulk, args.bulk_runs, args.profile)
            print(
                f"\nBulk action on {bulk['size']} complaints ({args.bulk_runs} runs each, "
                f"each on other open complaints; {bulk['queries']} queries per assignment):"
            )
            for action in ("assign", "export", "reference"):
                print(
                    f"- {action}: median {bulk[action]['median_s']:.2f} s, "
                    f"p95 {bulk[action]['p95_s']:.2f} s, max {bulk[action]['max_s']:.2f} s"
                )
            print(
                f"\nLoad average (1 min) before/after timing: {load_before:.2f} / "
                f"{os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
            )
            return 0
        sweep = measure_sweep(args.repetitions)
        print(
            f"\nReminder sweep, steady state (every due reminder already sent, "
            f"{sweep['open']:,} open complaints): median {sweep['median_ms']:.0f} ms, "
            f"max {sweep['max_ms']:.0f} ms, {sweep['queries']} queries, {sweep['sent']} sent "
            f"({sweep['marked']:,} reminders marked as sent first)"
        )
        print(
            f"\nLoad average (1 min) before/after timing: {load_before:.2f} / "
            f"{os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
        )
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "backend": "PostgreSQL" if args.postgres else "SQLite",
                        "complaints": args.complaints,
                        "seeded": seeded,
                        "seed_s": seed_seconds,
                        "pages": [r.__dict__ for r in results],
                        "sweep": sweep,
                        "peak_rss_mb": rss_mb(),
                    },
                    indent=2,
                    default=str,
                )
            )
        return 0
    finally:
        if args.postgres and not args.keep and not args.url:
            from django.db import connections

            connections.close_all()
            own_database(args.url, create=False) if args.url else pg_drop(args.database)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(
    args: argparse.Namespace,
    seeded: dict[str, Any],
    seed_seconds: float,
    rss_after_seed: float,
    results: list[PageResult],
) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    ceiling = results[-1].median_ms  # the bare one-row view, measured in the same run
    print(f"## Work list and dashboard: {backend}, {args.complaints:,} complaints\n")
    print(
        f"- seeded in {seed_seconds:.1f} s (migrate, demo configuration, bulk_create); "
        f"statuses: {seeded['statuses']}; {seeded['extensions']} extensions, "
        f"{seeded['ombudsman_requests']} Ombudsman requests"
    )
    print(
        f"- {args.repetitions} timed requests per page after {args.warmups} warm-ups; "
        "logged in as the complaints manager (sees every complaint)\n"
    )
    print(
        table(
            ["page", "median ms", "p95 ms", "x ceiling", "round medians", "queries", "rows"],
            [
                [
                    r.name,
                    f"{r.median_ms:.1f}",
                    f"{r.p95_ms:.1f}",
                    f"{r.median_ms / ceiling:.1f}",
                    " / ".join(f"{m:.0f}" for m in r.round_medians),
                    r.queries,
                    r.rows,
                ]
                for r in results
            ],
        )
    )
    print(
        f"\nPeak RSS of the process: {rss_mb():.0f} MB ({rss_after_seed:.0f} MB after "
        "seeding, which holds all the complaints in memory once)"
    )
    print("\nSlowest queries per page (ms, one request):\n")
    for r in results:
        print(f"- {r.name}:")
        for ms, sql in r.slowest:
            print(f"  - {ms:.0f} ms: {sql[: args.sql_chars]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="a throwaway PostgreSQL database (created, and dropped unless --keep)",
    )
    parser.add_argument(
        "--database", default=PG_DATABASE, help=f"its name ({PG_DATABASE}); replaced if it exists"
    )
    parser.add_argument(
        "--url",
        help="a PostgreSQL URL instead of --postgres/--database: that database, replaced, "
        "under that role (e.g. postgres://querela:querela@127.0.0.1:5432/querela_h4)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database, to look at plans"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a --keep run left (migrated first) instead of seeding",
    )
    parser.add_argument(
        "--sorts",
        action="store_true",
        help="issue 22: the work list sorted by every column, and a bulk action (--bulk)",
    )
    parser.add_argument(
        "--only-bulk", action="store_true", help="with --sorts: the bulk action and the ceiling"
    )
    parser.add_argument("--bulk", type=int, default=500, help="complaints per bulk action (500)")
    parser.add_argument(
        "--bulk-runs", type=int, default=3, help="timed runs of each bulk action (3)"
    )
    parser.add_argument("--complaints", type=int, default=20_000, help="how many (20000)")
    parser.add_argument("--repetitions", type=int, default=20, help="timed requests (20)")
    parser.add_argument("--warmups", type=int, default=2, help="untimed requests first (2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages (3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument("--sql-chars", type=int, default=300, help="SQL shown per query (300)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also profile one request per page, print the top N functions",
    )
    parser.add_argument(
        "--explain", action="store_true", help="also print the plan of each page's slowest query"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    interrupt_on_sigterm()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
