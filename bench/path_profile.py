"""Where the web CPU of one complaint goes: the five requests of the public path, in-process.

A fresh SQLite database in a temporary VAR_DIR with production settings (plus ``TESTING`` off,
``DEBUG`` off); one Django test client, its cookies cleared between visitors, with CSRF checks
on. Prints the median CPU time of each request over ``--complaints`` complaints and, with
``--profile``, the functions that take the most time of each step (cProfile, own time and
cumulative). With ``--parts``, what the form post's write path spends on what the two ways of
lightening it would remove: the acknowledgement's rendering (which the worker could do) and the
ORM's work per row saved (which statements prepared once per table would skip). No HTTP server:
what gunicorn adds is the difference with ``path.py``'s figure.

    .venv/bin/python bench/path_profile.py [--complaints 200] [--profile 15] [--parts]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import ROOT

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEPS = ("GET triage", "POST triage", "GET form", "POST form", "GET confirmation")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, default=200, help="timed complaints (200)")
    parser.add_argument("--profile", type=int, default=0, help="top functions per step (0)")
    parser.add_argument("--parts", action="store_true", help="the write path's parts, timed")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-profile-"))
    try:
        for name in ("DATABASE_URL", "TESTING", "DEMO_MODE", "DEBUG"):
            os.environ.pop(name, None)
        os.environ.update(
            VAR_DIR=str(var_dir),
            DJANGO_SETTINGS_MODULE="querela.settings",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_COOKIES="false",
            LOG_LEVEL="WARNING",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            # Every visitor of the test client comes from one address: lift the filing limits.
            FILING_LIMIT_PER_ADDRESS="1000000",
            FILING_LIMIT_PER_EMAIL="1000000",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        quiet = io.StringIO()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", stdout=quiet)
        call_command("collectstatic", "--no-input", verbosity=0)
        call_command("load_demo", stdout=quiet)
        return measure(args)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def measure(args: argparse.Namespace) -> int:
    from django.test import Client

    from configuration.models import Category, TriageQuestion

    triage = {q.code: "no" for q in TriageQuestion.objects.filter(active=True)}
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)]
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    cpu: dict[str, list[float]] = {step: [] for step in STEPS}
    profiles = {step: cProfile.Profile() for step in STEPS}
    profiling = [False]

    def timed(step: str, call: Callable[[], Any]) -> Any:
        profile = profiles[step] if profiling[0] else None
        start = time.process_time()
        if profile is not None:
            profile.enable()
        response = call()
        if profile is not None:
            profile.disable()
        cpu[step].append(time.process_time() - start)
        return response

    def file_one(number: int) -> None:
        client.cookies.clear()
        page = timed("GET triage", lambda: client.get("/fr/complaint/"))
        token = CSRF.search(page.content.decode())
        assert token is not None
        form = {**triage, "csrfmiddlewaretoken": token.group(1)}
        answered = timed("POST triage", lambda: client.post("/fr/complaint/", form))
        assert answered.status_code == 302
        page = timed("GET form", lambda: client.get("/fr/complaint/form/"))
        token = CSRF.search(page.content.decode())
        assert token is not None
        complaint = {
            "csrfmiddlewaretoken": token.group(1),
            "complainant_kind": "person",
            "first_name": "Profile",
            "last_name": f"Visitor{number}",
            "email": f"profile{number}@example.be",
            "language": "fr",
            "category": categories[number % len(categories)],
            "facts_start": time.strftime("%Y-%m-%d", time.localtime(time.time() - 864000)),
            "description": "J'attends depuis trois mois une réponse à mon courrier.",
        }
        filed = timed("POST form", lambda: client.post("/fr/complaint/form/", complaint))
        assert filed.status_code == 302, filed.content[:2000]
        done = timed("GET confirmation", lambda: client.get(filed["Location"]))
        assert done.status_code == 200

    for number in range(10):  # warm-up: templates, translations, configuration
        file_one(number)
    for values in cpu.values():
        values.clear()
    for number in range(args.complaints):
        file_one(10 + number)
    total = sum(statistics.median(values) for values in cpu.values())
    print(f"## Web CPU per request of the public path, in-process ({args.complaints} complaints)\n")
    print("| step | median CPU ms |\n|---|---|")
    for step, values in cpu.items():
        print(f"| {step} | {statistics.median(values) * 1000:.2f} |")
    print(f"| **whole complaint** | **{total * 1000:.1f}** |")

    if args.profile:
        profiling[0] = True
        runs = min(args.complaints, 100)
        for number in range(runs):
            file_one(100_000 + number)
        print(f"\n## Own time per request by area (cProfile, {runs} complaints, ms)\n")
        areas = [area for area, _ in AREAS] + ["querela", "other"]
        print("| step | " + " | ".join(areas) + " |\n|---|" + "---|" * len(areas))
        for step, profile in profiles.items():
            spent = own_time_by_area(pstats.Stats(profile))
            cells = " | ".join(f"{spent.get(area, 0.0) / runs * 1000:.2f}" for area in areas)
            print(f"| {step} | {cells} |")
        for step, profile in profiles.items():
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.profile)
            print(f"\n### {step}: the {args.profile} functions with the most own time\n")
            print(f"```\n{trim(out.getvalue())}\n```")
    if args.parts:
        write_path_parts(args.complaints)
    return 0


def write_path_parts(runs: int) -> None:
    """Median CPU of the form post's write path (``complaint_submit``), of rendering its
    acknowledgement, and of saving one history row through the ORM against the same INSERT
    prepared once (the compiled statement kept, only the values computed per row)."""
    import datetime

    from django.db import connection, transaction
    from django.db.models.sql.subqueries import InsertQuery
    from django.utils import timezone

    from complaints.models import (
        AccessToken,
        Channel,
        ComplainantKind,
        Complaint,
        StatusChange,
    )
    from complaints.services import complaint_submit, message_context
    from configuration.models import Category
    from messaging.outbox import render_message

    category = Category.objects.first()
    assert category is not None

    def submit() -> None:
        complaint_submit(
            channel=Channel.WEB,
            complainant_kind=ComplainantKind.PERSON,
            first_name="Profile",
            last_name="Parts",
            email="parts@example.be",
            language="fr",
            category=category,
            facts_start=timezone.localdate() - datetime.timedelta(days=10),
            description="J'attends depuis trois mois une réponse à mon courrier.",
        )

    complaint = Complaint.objects.latest("pk")

    access = AccessToken.objects.filter(complaint=complaint).first()

    def orm_row() -> None:
        with transaction.atomic():
            StatusChange.objects.create(
                complaint=complaint, to_status="received", actor_kind="system", at=timezone.now()
            )

    fields = [f for f in StatusChange._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(StatusChange)
    query.insert_values(fields, [StatusChange(complaint=complaint)])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [StatusChange._meta.pk]
    sql = compiler.as_sql()[0][0]

    def prepared_row() -> None:
        row = StatusChange(
            complaint=complaint, to_status="received", actor_kind="system", at=timezone.now()
        )
        values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, values)
            row.pk = cursor.fetchone()[0]

    def render() -> None:
        render_message("acknowledgement", message_context(complaint, access), "fr")

    parts = {
        "the write path (complaint_submit)": submit,
        "rendering the acknowledgement (3 parts)": render,
        "one row saved through the ORM": orm_row,
        "the same row, statement prepared once": prepared_row,
    }
    print(f"\n## The form post's write path, in parts (median CPU ms of {runs} runs)\n")
    print("| part | median CPU ms |\n|---|---|")
    for name, call in parts.items():
        call()  # warm
        spent = []
        for _ in range(runs):
            start = time.process_time()
            call()
            spent.append(time.process_time() - start)
        print(f"| {name} | {statistics.median(spent) * 1000:.3f} |")


# Where a function's own time is counted, by the first pattern its file name contains; the
# project's own code is "querela"; built-in functions (isinstance, getattr, ...) are "other".
AREAS = [
    ("templates", "django/template"),
    ("forms", "django/forms"),
    ("database", "django/db"),
    ("sqlite/psycopg", "sqlite3"),
    ("sessions", "django/contrib/sessions"),
    ("middleware", "django/middleware"),
    ("i18n", "django/utils/translation"),
    ("urls", "django/urls"),
    ("test client", "django/test"),
]


def own_time_by_area(stats: pstats.Stats) -> dict[str, float]:
    spent: dict[str, float] = {}
    entries: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in entries.items():
        where = filename if filename != "~" else function
        area = next((name for name, pattern in AREAS if pattern in where), "other")
        if where.startswith(str(ROOT)) and ".venv" not in where:
            area = "querela"
        spent[area] = spent.get(area, 0.0) + own
    return spent


def trim(report: str) -> str:
    """The table of a pstats report, with the virtual environment's path cut short."""
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    site = str(ROOT / ".venv" / "lib")
    return "\n".join(line.replace(site, "…") for line in lines[start:] if line.strip())


if __name__ == "__main__":
    sys.exit(main())
