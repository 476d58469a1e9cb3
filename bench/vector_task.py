"""What computing a complaint's vector adds to its processing in the worker (issue 20: 20 ms
or less).

Files ``--complaints`` generated complaints (``tests/themes_corpus.py``: nl, fr, de, en, their
lengths as generated) into a fresh SQLite database in a temporary VAR_DIR, loads the encoder
once (as a worker does on its first vector), then runs, for each complaint in turn, as the
worker runs a task:

- the task ``improvement.tasks.compute_vector`` (read the complaint's text, encode it, store the
  vector), and
- the reference, in the same run, interleaved: the same task's reading of the complaint alone
  (``without_vector(...).values_list(...)``), which every task of the worker pays anyway.

Prints the median and p95 of each, per complaint, over ``--runs`` rounds (each round deletes
the vectors first); what the vector adds is the task's time less the reference.

    .venv/bin/python bench/vector_task.py [--complaints 200] [--runs 3] [--chars 1000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from worklist import setup_django

CEILING_MS = 20.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lengthened(text: str, chars: int) -> str:
    """``text`` said again until it is ``chars`` characters long, cut after a word."""
    longer = text
    while len(longer) < chars:
        longer += " " + text
    return longer[:chars].rsplit(" ", 1)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, default=200, help="how many (200)")
    parser.add_argument("--runs", type=int, default=3, help="rounds over them all (3)")
    parser.add_argument(
        "--chars",
        type=int,
        default=0,
        help="each text repeated to this many characters (the encoder reads at most 1,000)",
    )
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="querela-bench-vectors-")
    try:
        setup_django(Path(var_dir), None)
        from django.core.management import call_command
        from django.utils import timezone

        from complaints.models import Complaint
        from improvement.embedding import embed
        from improvement.models import ComplaintVector
        from improvement.tasks import compute_vector
        from improvement.vectors import without_vector
        from tests.themes_corpus import generate, store

        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        items = generate(args.complaints)
        if args.chars:
            items = [replace(item, text=lengthened(item.text, args.chars)) for item in items]
        pks = store(items, timezone.now() - datetime.timedelta(days=1), prefix="V")
        embed(["warm"])  # the encoder loaded, as in a worker that has computed one vector
        tasks: list[float] = []
        reads: list[float] = []
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):
            ComplaintVector.objects.all().delete()
            for pk in pks:
                started = time.perf_counter()
                list(
                    without_vector(Complaint.objects.filter(pk=pk)).values_list(
                        "pk", "description", "desired_outcome"
                    )
                )
                reads.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                compute_vector.call(pk)
                tasks.append((time.perf_counter() - started) * 1000)
        load_after = os.getloadavg()[0]
        stored = ComplaintVector.objects.exclude(vector=None).count()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    lengths = [len(item.text) for item in items]
    added = statistics.median(tasks) - statistics.median(reads)
    print(f"# the vector task, {args.complaints} complaints x {args.runs} rounds, SQLite")
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} cores (shared); load (1 min) "
        f"{load_before:.2f} before / {load_after:.2f} after"
    )
    print(
        f"- texts: median {statistics.median(lengths):.0f} characters, longest {max(lengths)}; "
        f"{stored} vectors stored in the last round"
    )
    print("\n| per complaint | median ms | p95 ms | max ms |\n|---|---|---|---|")
    for name, values in (("task `compute_vector`", tasks), ("reference: its read alone", reads)):
        print(
            f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
            f"| {max(values):.1f} |"
        )
    print(f"\nadded by the vector (median task less median read): {added:.1f} ms")
    print(f"ceiling {CEILING_MS:.0f} ms: {'met' if added <= CEILING_MS else 'NOT met'}")
    return 0 if added <= CEILING_MS else 1


if __name__ == "__main__":
    sys.exit(main())
