"""Recurring themes for many complaints, in the worker.

Seeds ``--complaints`` generated complaints (100,000; nl, fr, de, en; 60 % on one of five
planted subjects, ``tests/themes_corpus.py``) received in one year, straight into a fresh
database: SQLite in a temporary VAR_DIR, or the throwaway PostgreSQL database
``querela_bench_themes`` (or ``--database``) with ``--postgres``. Then runs, each in a fresh
process as the worker would, ``--runs`` times (3):

- the floor: reading the complaints' texts from the database, nothing else;
- the task: ``improvement.tasks.refresh_themes`` (read texts and vectors, cluster, the words
  per language, match to the existing themes, the neighbours, write the memberships). Every
  complaint has its vector already, as the worker computes it when a complaint is filed
  (``seed`` says how the bench makes them). The first run finds every theme new; the next
  ones match the themes of the run before, as the nightly run does.

Prints wall time and peak memory (max RSS) of each run, their medians, and the ratio of the
task's median to the 60 s ceiling and to the floor.

    .venv/bin/python bench/themes.py [--postgres [--database NAME]] [--complaints 100000]
        [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import PYTHON, interrupt_on_sigterm, pg_create, pg_drop, pg_url
from worklist import setup_django

PG_DATABASE = "querela_bench_themes"
CEILING_SECONDS = 60.0
YEAR = 2025


def seed(count: int, encoded: int) -> float:
    """The complaints, and their vectors as the worker leaves them: ``encoded`` of them are
    encoded for real (a sample; encoding 100,000 takes 20 minutes on one core); each other
    complaint takes the vector of a sampled one of its subject and language, moved by noise
    (cosine about 0.87 to it), so the run clusters 100,000 distinct vectors."""
    import io
    import random

    import numpy as np
    from django.core.management import call_command
    from django.utils import timezone

    from improvement.embedding import MODEL, embed, to_bytes
    from improvement.models import ComplaintVector
    from tests.themes_corpus import generate, store

    began = time.perf_counter()
    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("load_demo", stdout=quiet)
    items = generate(count)
    zone = timezone.get_current_timezone()
    ids: list[tuple[int, int]] = []  # (index in items, pk)
    for month in range(12):  # spread over the year, a twelfth a month
        part = items[month::12]
        received = datetime.datetime(YEAR, month + 1, 10, 10, tzinfo=zone)
        pks = store(part, received, prefix=f"B{month:02d}-")
        ids += list(zip(range(month, count, 12), pks, strict=True))
    rng = random.Random(7)
    sample = rng.sample(range(count), min(encoded, count))
    vectors = embed([items[index].text for index in sample])
    pool: dict[tuple[str, str], list[np.ndarray]] = {}
    for index, vector in zip(sample, vectors, strict=True):
        if vector is not None:
            pool.setdefault((items[index].subject, items[index].language), []).append(vector)
    noise = np.random.default_rng(7)
    rows = []
    now = timezone.now()
    for index, pk in ids:
        base = rng.choice(pool[(items[index].subject, items[index].language)])
        vector = base + noise.normal(0, 0.025, base.shape).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append(
            ComplaintVector(complaint_id=pk, model=MODEL, vector=to_bytes(vector), computed_at=now)
        )
    ComplaintVector.objects.bulk_create(rows, batch_size=2000)
    return time.perf_counter() - began


def one_run(kind: str, profile: str | None = None) -> dict[str, float]:
    """In a fresh process: the floor or the task, timed (imports done first, as in a running
    worker); the process's peak memory."""
    from improvement.tasks import refresh_themes
    from improvement.themes import complaints_in
    from improvement.vectors import complaint_text

    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    began = time.perf_counter()
    if kind == "floor":
        texts = [
            complaint_text(description, wanted)
            for description, wanted in complaints_in(start, end).values_list(
                "description", "desired_outcome"
            )
        ]
        result = float(len(texts))
    elif profile:
        import cProfile

        profiler = cProfile.Profile()
        result = float(profiler.runcall(refresh_themes.call, start.isoformat(), end.isoformat()))
        profiler.dump_stats(profile)
    else:
        result = float(refresh_themes.call(start.isoformat(), end.isoformat()))
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "result": result}


def run_child(
    kind: str, var_dir: str, database_url: str | None, profile: str | None = None
) -> dict[str, float]:
    command = [str(PYTHON), __file__, "--child", kind, "--var-dir", var_dir]
    if profile:
        command += ["--profile", profile]
    if database_url:
        command += ["--database-url", database_url]
    output = subprocess.run(  # noqa: S603  # this script, with its own arguments
        command, check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    parser.add_argument(
        "--database", default=PG_DATABASE, help=f"the throwaway PostgreSQL database ({PG_DATABASE})"
    )
    parser.add_argument("--complaints", type=int, default=100_000, help="how many (100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (3)")
    parser.add_argument(
        "--encoded", type=int, default=4000, help="complaints encoded for real (4000)"
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="profile each task run into PREFIX-<run>.prof (then read it with pstats)",
    )
    parser.add_argument("--child", choices=["floor", "task"], help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_django(Path(args.var_dir), args.database_url)
        print(json.dumps(one_run(args.child, args.profile)))
        return 0
    interrupt_on_sigterm()
    var_dir = tempfile.mkdtemp(prefix="querela-bench-themes-")
    database_url = pg_url(args.database) if args.postgres else None
    try:
        if args.postgres:
            pg_create(args.database)
        setup_django(Path(var_dir), database_url)
        seeded = seed(args.complaints, args.encoded)
        floors = [run_child("floor", var_dir, database_url) for _ in range(args.runs)]
        tasks = [
            run_child(
                "task",
                var_dir,
                database_url,
                f"{args.profile}-{number}.prof" if args.profile else None,
            )
            for number in range(1, args.runs + 1)
        ]
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            pg_drop(args.database)
        shutil.rmtree(var_dir, ignore_errors=True)
    median_floor = statistics.median(r["seconds"] for r in floors)
    median_task = statistics.median(r["seconds"] for r in tasks)
    load = os.getloadavg()
    print(f"# themes, {args.complaints} complaints, {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores (shared); load {load[0]:.1f}")
    print(f"- seeded in {seeded:.1f} s")
    print("\n| run | floor: read texts (s) | task (s) | task peak memory (MB) | themes |")
    print("|---|---|---|---|---|")
    for number, (floor, task) in enumerate(zip(floors, tasks, strict=True), start=1):
        print(
            f"| {number} | {floor['seconds']:.1f} | {task['seconds']:.1f} "
            f"| {task['peak_mb']:.0f} | {task['result']:.0f} |"
        )
    print(
        f"\nmedian task {median_task:.1f} s = {median_task / CEILING_SECONDS:.2f} of the "
        f"{CEILING_SECONDS:.0f} s ceiling, {median_task / median_floor:.1f} times the floor "
        f"({median_floor:.1f} s)"
    )
    return 0 if median_task <= CEILING_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
