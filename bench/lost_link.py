"""How long "I lost my link" takes when the reference and the address match, when the address
is wrong and when the reference is unknown: medians, and a Mann-Whitney U test of the matching
case against each of the others (a small p-value: the answer's time tells them apart). The
reference in the same run is a GET of the same form.

In-process (Django's test client, the suite's settings with the database task queue, as in
production), tries interleaved case by case (each case goes first in turn) from a fresh
address each (the limit per address is not what is measured).

    .venv/bin/python bench/lost_link.py [--tries 200] [--database-url postgres://...]

Without ``--database-url``: SQLite in a temporary VAR_DIR. With it, the database must be one
you may fill and empty (the run migrates it and flushes it at the end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import interrupt_on_sigterm, table
from worklist import setup_django


def queue_in_the_database() -> None:
    from django.conf import settings

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def prepare() -> str:
    """The demo configuration and one complaint; its reference."""
    import io

    from django.core.management import call_command
    from django.test import Client

    from tests.helpers import file_complaint

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", stdout=quiet)
    call_command("load_demo", stdout=quiet)
    return file_complaint(Client(), email="anne.dupont@example.be").reference


def measure(reference: str, tries: int) -> dict[str, list[float]]:
    from django.test import Client

    posts = {
        "matching": {"reference": reference, "email": "anne.dupont@example.be"},
        "wrong address": {"reference": reference, "email": "someone@example.be"},
        "unknown reference": {"reference": "2020-999999", "email": "anne.dupont@example.be"},
    }
    names = [*posts, "reference: GET of the form"]
    times: dict[str, list[float]] = {name: [] for name in names}
    n = 0
    for round_ in range(tries + 5):
        order = names[round_ % 4 :] + names[: round_ % 4]
        for name in order:
            n += 1
            client = Client(REMOTE_ADDR=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
            started = time.perf_counter()
            if name in posts:
                response = client.post("/fr/follow/lost/", posts[name])
            else:
                response = client.get("/fr/follow/lost/")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code in {200, 302}, (name, response.status_code)
            if round_ >= 5:  # warm-up
                times[name].append(elapsed)
    return times


def main() -> int:
    from scipy.stats import mannwhitneyu

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tries", type=int, default=200, help="per case (200)")
    parser.add_argument("--database-url", help="PostgreSQL to fill and empty (else SQLite)")
    args = parser.parse_args()
    interrupt_on_sigterm()
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-lost-link-"))
    try:
        setup_django(var_dir, args.database_url)
        queue_in_the_database()
        reference = prepare()
        load_before = os.getloadavg()[0]
        times = measure(reference, args.tries)
        load_after = os.getloadavg()[0]
    finally:
        if args.database_url:
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)
    matching = times["matching"]
    rows = []
    for name, values in times.items():
        compared = name in ("wrong address", "unknown reference")
        p = f"{mannwhitneyu(matching, values).pvalue:.2g}" if compared else ""
        rows.append(
            [
                name,
                f"{statistics.median(values):.2f}",
                f"{statistics.quantiles(values, n=20)[18]:.2f}",
                f"{statistics.median(matching) - statistics.median(values):+.2f}",
                p,
            ]
        )
    print(
        f"{args.tries} tries per case, interleaved, in ms "
        f"({'PostgreSQL' if args.database_url else 'SQLite'}; load average "
        f"{load_before:.1f} / {load_after:.1f} on {os.cpu_count()} CPUs)\n"
    )
    print(
        table(
            ["case", "median", "p95", "matching minus this (median)", "p (Mann-Whitney U)"],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
