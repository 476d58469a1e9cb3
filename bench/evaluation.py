"""The yearly evaluation at scale, on PostgreSQL, in-process.

Seeds a year of ``--complaints`` complaints (1,000,000) and the year before it with
``--previous`` (500,000) straight in SQL (``INSERT ... SELECT ... generate_series``, one
statement per table, no ORM rows): channels, languages, categories, units, statuses, due dates,
acts (some late), decisions with grounds, final answers with outcomes and breached norms,
satisfaction, interim extensions and Ombudsman requests, in proportions like
``bench/worklist.py``'s. What followed is drawn on the complaint's own columns (decision,
grounds, outcome, norms breached, extension, satisfaction) and the rows it copies are made from
them, as the application keeps them. The complaint's local dates (``received_on`` and the
others) are generated columns: PostgreSQL fills them from the timestamps as the rows go in.
Due dates are calendar approximations (3 and 14 days): the benchmark measures the reading, not
the deadline rules. The database is ``querela_bench_evaluation``, dropped at the end.

Then times, after one warm-up, ``--repetitions`` runs of each (median, min, max):
- the ceiling: one bare ``COUNT(*)`` of the year's complaints (the least any figure costs);
- ``evaluate()`` of the big year, and of the year before (the ``year`` figures at 500,000);
- everything the evaluation page computes (both years, the five-year trend);
- the evaluation page and the PDF report, through Django's test client as management.

    .venv/bin/python bench/evaluation.py [--complaints 1000000] [--previous 500000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import ROOT, interrupt_on_sigterm, pg_create, pg_drop, pg_url, pg_version, table

PG_DATABASE = "querela_bench_evaluation"
YEAR = 2025

# One statement per table; %(...)s are parameters, {name} are the tables' own names.
SEED_COMPLAINTS = """
INSERT INTO complaints_complaint (
    reference, status, channel, complainant_kind, first_name, last_name, organisation_name,
    email, postal_address, phone, language, category_id, facts_start, description,
    desired_outcome, concerned, own_reference, triage_answers, unit_id, received_at,
    acknowledgement_due, answer_due, acknowledged_at, answered_at, closed_at, created_at,
    decision_kind, refusal_grounds, not_a_complaint_kind, outcome, satisfied, breached_norms,
    extended
)
SELECT
    %(prefix)s || lpad(g::text, 7, '0'),
    status, channel, 'person', 'Anne', 'Peeters', '', 'anne@example.be', '', '', language,
    category_id, received_at::date - 10, 'Ik wacht al drie maanden op een antwoord.',
    '', '', '', '{}'::jsonb, unit_id, received_at,
    received_at::date + 3, received_at::date + 14,
    CASE WHEN r_ack < 0.97 THEN received_at + r_ack * interval '4 days' END,
    CASE WHEN status NOT IN ('withdrawn', 'in_handling', 'waiting')
         THEN received_at + r_answer * interval '20 days' END,
    CASE WHEN status = 'withdrawn' THEN received_at + interval '1 day'
         WHEN status NOT IN ('in_handling', 'waiting')
         THEN received_at + r_answer * interval '20 days' END,
    received_at,
    CASE status WHEN 'withdrawn' THEN '' WHEN 'inadmissible' THEN 'inadmissible'
        WHEN 'not_a_complaint' THEN 'not_a_complaint' WHEN 'forwarded' THEN 'not_competent'
        ELSE 'admissible' END,
    CASE WHEN status = 'inadmissible'
         THEN jsonb_build_array('G' || (1 + g %% 9), 'G' || (1 + (g + 4) %% 9))
         ELSE '[]'::jsonb END,
    CASE WHEN status = 'not_a_complaint'
         THEN (ARRAY['question', 'suggestion', 'other'])[1 + g %% 3] ELSE '' END,
    CASE WHEN status = 'answered'
         THEN (ARRAY['founded', 'partially_founded', 'unfounded', 'no_judgement'])[1 + g %% 4]
         ELSE '' END,
    CASE WHEN status = 'answered' AND g %% 10 = 0 THEN g %% 3 <> 0 END,
    CASE WHEN status = 'answered' AND g %% 4 < 2
         THEN jsonb_build_array(((%(norms)s::int[])[1 + g %% %(norm_count)s])::text)
         ELSE '[]'::jsonb END,
    g %% 20 = 0
FROM (
    SELECT
        g,
        %(start)s::timestamptz + random() * %(seconds)s * interval '1 second' AS received_at,
        CASE WHEN r < 0.70 THEN 'answered' WHEN r < 0.80 THEN 'inadmissible'
             WHEN r < 0.87 THEN 'not_a_complaint' WHEN r < 0.95 THEN 'forwarded'
             WHEN r < 0.97 THEN 'withdrawn' WHEN r < 0.99 THEN 'in_handling'
             ELSE 'waiting' END AS status,
        (ARRAY['web', 'web', 'web', 'web', 'email', 'email', 'letter', 'phone', 'counter'])
            [1 + floor(random() * 9)::int] AS channel,
        (ARRAY['nl', 'nl', 'nl', 'fr', 'fr', 'de', 'en'])[1 + floor(random() * 7)::int]
            AS language,
        (%(categories)s::int[])[1 + floor(random() * %(category_count)s)::int] AS category_id,
        CASE WHEN random() < 0.8
             THEN (%(units)s::int[])[1 + floor(random() * %(unit_count)s)::int] END AS unit_id,
        random() AS r_ack,
        random() AS r_answer
    FROM (SELECT g, random() AS r FROM generate_series(1, %(count)s) g) numbered
) drawn
"""
SEED_DECISIONS = """
INSERT INTO complaints_admissibilitydecision (
    complaint_id, kind, grounds, not_a_complaint_kind, reasoning, decided_by_id, decided_at
)
SELECT id, decision_kind, refusal_grounds, not_a_complaint_kind, '', %(manager)s,
    received_at + interval '1 day'
FROM complaints_complaint WHERE decision_kind <> ''
"""
SEED_ANSWERS = """
INSERT INTO complaints_finalanswer (complaint_id, outcome, measure, sent_by_id, sent_at)
SELECT id, outcome, '', %(manager)s, answered_at
FROM complaints_complaint WHERE outcome <> ''
"""
SEED_NORMS = """
INSERT INTO complaints_finalanswer_norms_breached (finalanswer_id, norm_id)
SELECT answer.id, (complaint.breached_norms ->> 0)::int
FROM complaints_finalanswer answer
JOIN complaints_complaint complaint ON complaint.id = answer.complaint_id
WHERE complaint.breached_norms <> '[]'::jsonb
"""
SEED_SATISFACTION = """
INSERT INTO complaints_satisfaction (complaint_id, satisfied, helped, comment, at)
SELECT id, satisfied, '', '', answered_at + interval '2 days'
FROM complaints_complaint WHERE satisfied IS NOT NULL
"""
SEED_EXTENSIONS = """
INSERT INTO complaints_extension (complaint_id, reason, previous_due, new_due, by_id, at)
SELECT id, 'Meer tijd nodig.', answer_due, answer_due + 14, %(manager)s,
    received_at + interval '10 days'
FROM complaints_complaint WHERE extended
"""
SEED_OMBUDSMAN = """
INSERT INTO complaints_ombudsmanrequest (
    complaint_id, received_on, due, summary, answered_at, registered_by_id, registered_at
)
SELECT id, received_at::date + 30, received_at::date + 45, 'Vraag.',
    CASE WHEN id %% 3 <> 0 THEN received_at + interval '40 days' END, %(manager)s,
    received_at + interval '30 days'
FROM complaints_complaint WHERE id %% 200 = 0
"""


def setup_django(var_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "querela.settings_test"
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = pg_url(PG_DATABASE)
    # Seeding a table of a million rows is one statement of a minute or more: no time limit
    # here (production keeps its 15 s; the evaluation's own queries are timed below).
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(big: int, previous: int) -> dict[str, int]:
    import io

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from configuration.models import Category, Norm, Unit

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", stdout=quiet)
    call_command("load_demo", stdout=quiet)
    with override_settings(DEMO_MODE=True):  # the demo's accounts, outside demo mode
        call_command("demo_accounts", stdout=quiet)
    common: dict[str, Any] = {
        "categories": list(Category.objects.values_list("pk", flat=True)),
        "units": list(Unit.objects.values_list("pk", flat=True)),
        "norms": list(Norm.objects.values_list("pk", flat=True)),
        "manager": User.objects.get(username="beheerder").pk,
    }
    common.update(
        category_count=len(common["categories"]),
        unit_count=len(common["units"]),
        norm_count=len(common["norms"]),
    )
    with connection.cursor() as cursor:
        for year, count in ((YEAR - 1, previous), (YEAR, big)):
            start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
            seconds = (datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC) - start).days * 86400
            cursor.execute(
                SEED_COMPLAINTS,
                {
                    **common,
                    "prefix": f"{year}-",
                    "start": start,
                    "seconds": seconds,
                    "count": count,
                },
            )
        for statement in (
            SEED_DECISIONS,
            SEED_ANSWERS,
            SEED_NORMS,
            SEED_SATISFACTION,
            SEED_EXTENSIONS,
            SEED_OMBUDSMAN,
        ):
            cursor.execute(statement, common)
        # As autovacuum leaves a table that has settled: without the visibility map, index-only
        # scans still read the table (3.1 s instead of 2.2 s for the same evaluation).
        cursor.execute("VACUUM ANALYZE")
        counts = {}
        for name in ("complaint", "admissibilitydecision", "finalanswer", "extension"):
            cursor.execute(f"SELECT COUNT(*) FROM complaints_{name}")  # noqa: S608  # fixed names
            counts[name] = cursor.fetchone()[0]
    return counts


def timed(run: Callable[[], object], repetitions: int) -> dict[str, float]:
    run()  # warm-up: caches, the calendar table
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def measure(repetitions: int) -> list[tuple[str, dict[str, float]]]:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone, translation

    from complaints.models import Complaint
    from reporting.evaluation import evaluate, received_in
    from reporting.periods import Period
    from reporting.views import evaluation_context
    from tests.helpers import pass_second_factor

    def ceiling() -> None:
        Complaint.objects.filter(received_in(Period.year(YEAR))).count()

    client = Client()
    management = User.objects.get(username="directie")
    client.force_login(management)
    pass_second_factor(client, management)

    def get(url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
            return response

        return run

    big, previous = (
        Complaint.objects.filter(received_in(Period.year(year))).count()
        for year in (YEAR, YEAR - 1)
    )
    with translation.override("nl"):
        return [
            ("ceiling: COUNT(*) of the year's complaints", timed(ceiling, repetitions)),
            (
                f"evaluate({YEAR}), {big:,} complaints",
                timed(lambda: evaluate(Period.year(YEAR)), repetitions),
            ),
            (
                f"evaluate({YEAR - 1}), {previous:,} complaints",
                timed(lambda: evaluate(Period.year(YEAR - 1)), repetitions),
            ),
            (
                f"the page's figures ({YEAR}, {YEAR - 1}, five-year trend)",
                timed(
                    lambda: evaluation_context(Period.year(YEAR), timezone.localdate()), repetitions
                ),
            ),
            (
                "the evaluation page (HTTP, management)",
                timed(get(f"/nl/staff/figures/?year={YEAR}"), repetitions),
            ),
            (
                "the PDF report (HTTP, management)",
                timed(get(f"/nl/staff/figures/report.pdf?year={YEAR}"), repetitions),
            ),
        ]


def run(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-evaluation-"))
    try:
        if not args.reuse:
            pg_create(PG_DATABASE)
        setup_django(var_dir)
        started = time.perf_counter()
        counts = {} if args.reuse else seed(args.complaints, args.previous)
        seeding = time.perf_counter() - started
        results = measure(args.repetitions)
    finally:
        if not args.keep:
            pg_drop(PG_DATABASE)
    ceiling = results[0][1]["median"]
    print(
        f"\n## Evaluation, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), PostgreSQL "
        f"{pg_version()}. Seeded {args.complaints:,} complaints in {YEAR} and "
        f"{args.previous:,} in {YEAR - 1} in {seeding:.0f} s ({counts}). "
        f"Median of {args.repetitions} runs after one warm-up; the ratio is to the ceiling. "
        f"Load average at the end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}.\n"
    )
    rows = [
        (
            name,
            f"{timing['median'] * 1000:.0f}",
            f"{timing['min'] * 1000:.0f}-{timing['max'] * 1000:.0f}",
            f"{timing['median'] / ceiling:.1f}",
        )
        for name, timing in results
    ]
    print(table(["what", "median ms", "min-max ms", "x ceiling"], rows))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--previous", type=int, default=500_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    interrupt_on_sigterm()
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
