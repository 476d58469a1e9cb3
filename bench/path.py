"""The whole public path under load, beside the ceiling of the same server.

A fresh database (SQLite in a temporary VAR_DIR, or a throwaway PostgreSQL database with
``--postgres``), migrated and loaded with the demo configuration; gunicorn with production
settings plus two bench-only views (``ceiling_settings``, ``ceiling_urls``): a bare page (no
query, no template) and a bare one-row INSERT. Mail is queued as in production (outbox row and
task row in the database) but no worker runs, so nothing is sent.

Each visitor is a new browser with its own cookies that takes the CSRF token from the page, and
files one complaint in five requests: GET triage, POST triage, GET form, POST form, GET
confirmation. The ceiling is the same number of bare requests: four bare pages and one bare
insert. For each concurrency (8 and 32 by default) the ceiling and the path run in turn,
``--repeat`` times; the report gives medians over the repeats of complaints per second, the
ratio to the ceiling, latency per request and per complaint (p50/p95/p99), the gunicorn workers'
CPU per complaint and their memory after the load, and checks that nothing was lost: complaints,
acknowledgements in the outbox and delivery tasks in the database equal the accepted posts.

    .venv/bin/python bench/path.py [--postgres] [--concurrency 8 32] [--complaints 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import (
    GUNICORN,
    ROOT,
    instance_env,
    interrupt_on_sigterm,
    manage,
    percentiles,
    pg_create,
    pg_drop,
    pg_url,
    pg_version,
    table,
)
from submit import (
    HOST,
    LAST_NAMES,
    SETUP_QUERY,
    Failed,
    MemoryWatch,
    Visitor,
    children,
    client_cpu_seconds,
    cpu_seconds,
    csrf_token,
    free_port,
    last_json,
    machine_busy_seconds,
    status_kib,
    stop,
    wait_until_up,
)

PATH_STEPS = ("GET triage", "POST triage", "GET form", "POST form", "GET confirmation")
CEILING_STEPS = ("GET bare", "GET bare ", "GET bare  ", "POST bare insert", "GET bare   ")
SETTINGS = "bench.ceiling_settings"
CPUS = os.cpu_count() or 1
# The ceiling's units are several times faster: more of them make a run of similar length.
CEILING_RUN = 4

CREATE_CEILING_TABLE = """
from django.db import connection
from bench.ceiling_urls import CREATE_TABLE
with connection.cursor() as cursor:
    cursor.execute(CREATE_TABLE[connection.vendor])
"""

VERIFY_QUERY = """
import json
from django.db import connection
from django_tasks_db.models import DBTaskResult
from complaints.models import Complaint, Message
from messaging.models import OutboxMessage
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM bench_ceiling_row")
    inserted = cursor.fetchone()[0]
refs = list(Complaint.objects.values_list("reference", flat=True))
print(json.dumps({
    "complaints": len(refs),
    "unique": len(set(refs)),
    "acknowledgements": Message.objects.filter(kind="acknowledgement").count(),
    "outbox": OutboxMessage.objects.count(),
    "tasks": DBTaskResult.objects.count(),
    "ceiling_rows": inserted,
}))
"""


@dataclass
class Run:
    """One timed run: the path or the ceiling at one concurrency."""

    kind: str
    concurrency: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    totals: list[float] = field(default_factory=list)  # one whole complaint (five requests)
    errors: Counter[str] = field(default_factory=Counter)
    done: int = 0
    elapsed: float = 0.0
    worker_cpu: float = 0.0
    client_cpu: float = 0.0
    machine_busy: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0

    def requests(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]


Flow = Callable[[int, int, float, Run | None], None]


class Timer:
    def __init__(self, visitor: Visitor, run: Run | None) -> None:
        self.visitor = visitor
        self.run = run
        self.spent = 0.0

    def __call__(self, step: str, method: str, path: str, form: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        response = self.visitor.request(method, path, form)
        took = time.perf_counter() - start
        self.spent += took
        if self.run is not None:
            with self.run.lock:
                self.run.latencies.setdefault(step, []).append(took)
        return response


def path_flow(triage: dict[str, str], categories: list[str]) -> Flow:
    def file_one(number: int, port: int, timeout: float, run: Run | None) -> None:
        language = ("nl", "fr")[number % 2]
        timed = Timer(Visitor(port, timeout), run)
        base = f"/{language}/complaint/"
        token = csrf_token(timed("GET triage", "GET", base), "GET triage")
        answered = timed("POST triage", "POST", base, {**triage, "csrfmiddlewaretoken": token})
        if answered.status != 302 or not answered.location.endswith(f"{base}form/"):
            raise Failed(f"POST triage: HTTP {answered.status} to {answered.location!r}")
        token = csrf_token(timed("GET form", "GET", f"{base}form/"), "GET form")
        form = {
            "csrfmiddlewaretoken": token,
            "complainant_kind": "person",
            "first_name": f"Path{number}",
            "last_name": LAST_NAMES[number % len(LAST_NAMES)],
            "email": f"path{number}@example.be",
            "language": language,
            "category": categories[number % len(categories)],
            "facts_start": time.strftime("%Y-%m-%d", time.localtime(time.time() - 10 * 86400)),
            "description": (
                "Ik wacht al drie maanden op een antwoord op mijn brief over mijn dossier. "
                "Niemand heeft teruggebeld, hoewel dat twee keer beloofd werd."
            ),
            "own_reference": f"P-{number}",
        }
        filed = timed("POST form", "POST", f"{base}form/", form)
        if filed.status != 302 or not filed.location.endswith(f"{base}filed/"):
            raise Failed(f"POST form: HTTP {filed.status} to {filed.location!r}")
        confirmation = timed("GET confirmation", "GET", filed.location)
        if confirmation.status != 200 or 'class="reference"' not in confirmation.text:
            raise Failed(f"GET confirmation: HTTP {confirmation.status}")
        if run is not None:
            with run.lock:
                run.done += 1
                run.totals.append(timed.spent)

    return file_one


def ceiling_flow(number: int, port: int, timeout: float, run: Run | None) -> None:
    """Four bare pages and one bare insert: the same number of requests as one complaint."""
    timed = Timer(Visitor(port, timeout), run)
    for step in CEILING_STEPS:
        if "insert" in step:
            response = timed(step, "POST", "/bench/ceiling/insert/", {"n": str(number)})
            expected = 201
        else:
            response = timed(step, "GET", "/bench/ceiling/page/")
            expected = 200
        if response.status != expected:
            raise Failed(f"{step}: HTTP {response.status}")
    if run is not None:
        with run.lock:
            run.done += 1
            run.totals.append(timed.spent)


def load(flow: Flow, run: Run, first: int, total: int, port: int, timeout: float) -> None:
    """``total`` units of ``flow`` by ``run.concurrency`` visitors at once."""
    issued = [first]
    lock = threading.Lock()

    def visitor() -> None:
        while True:
            with lock:
                if issued[0] >= first + total:
                    return
                number = issued[0]
                issued[0] += 1
            try:
                flow(number, port, timeout, run)
            except Failed as failed:
                with run.lock:
                    run.errors[str(failed)[:120]] += 1
            except (OSError, http.client.HTTPException) as error:
                with run.lock:
                    run.errors[f"{type(error).__name__}: {error}"[:120]] += 1

    threads = [threading.Thread(target=visitor, daemon=True) for _ in range(run.concurrency)]
    return_cpu = (client_cpu_seconds(), machine_busy_seconds())
    workers = children(SERVER_PID[0])
    worker_cpu = sum(cpu_seconds(pid) for pid in workers)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - started
    run.worker_cpu = sum(cpu_seconds(pid) for pid in workers) - worker_cpu
    run.client_cpu = client_cpu_seconds() - return_cpu[0]
    run.machine_busy = machine_busy_seconds() - return_cpu[1]


SERVER_PID = [0]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    args: argparse.Namespace,
    runs: list[Run],
    check: dict[str, object],
    accepted: int,
    memory: dict[str, list[float]],
) -> bool:
    backend = f"PostgreSQL {pg_version()}" if args.postgres else "SQLite"
    print(
        f"## The public path beside its ceiling: {backend}, gunicorn --workers {args.workers}\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}, "
        f"{os.cpu_count()} CPUs (shared), Python {platform.python_version()}; "
        f"{args.complaints} complaints and {args.complaints * CEILING_RUN} ceiling units (4 bare "
        f"pages + 1 bare insert) per run, {args.repeat} runs per concurrency, medians of the "
        "runs. Ratio: complaints/s over ceiling units/s; ratio of CPU: the web workers' CPU "
        "per ceiling unit over their CPU per complaint, which other load on the machine "
        "disturbs less.\n"
    )
    rows = []
    for concurrency in args.concurrency:
        path_runs = [r for r in runs if r.kind == "path" and r.concurrency == concurrency]
        ceiling_runs = [r for r in runs if r.kind == "ceiling" and r.concurrency == concurrency]
        path_rate = median([r.rate for r in path_runs])
        ceiling_rate = median([r.rate for r in ceiling_runs])
        requests = [percentiles(r.requests()) for r in path_runs]
        totals = [percentiles(r.totals) for r in path_runs]
        ceiling_requests = [percentiles(r.requests()) for r in ceiling_runs]
        path_cpu = median([r.worker_cpu / max(r.done, 1) for r in path_runs])
        ceiling_cpu = median([r.worker_cpu / max(r.done, 1) for r in ceiling_runs])
        rows.append(
            [
                concurrency,
                f"{path_rate:.1f}",
                f"{ceiling_rate:.1f}",
                f"**{path_rate / ceiling_rate:.0%}**" if ceiling_rate else "-",
                " / ".join(ms(median([p[k] for p in requests])) for k in ("p50", "p95", "p99")),
                " / ".join(ms(median([p[k] for p in totals])) for k in ("p50", "p95", "p99")),
                " / ".join(
                    ms(median([p[k] for p in ceiling_requests])) for k in ("p50", "p95", "p99")
                ),
                f"{path_cpu * 1000:.1f}",
                f"{ceiling_cpu * 1000:.1f}",
                f"{ceiling_cpu / path_cpu:.0%}" if path_cpu else "-",
                f"{median([r.machine_busy / (r.elapsed * CPUS) for r in path_runs]):.0%}",
            ]
        )
    print(
        table(
            [
                "concurrency",
                "complaints/s",
                "ceiling units/s",
                "ratio",
                "path request p50/p95/p99 ms",
                "whole complaint p50/p95/p99 ms",
                "ceiling request p50/p95/p99 ms",
                "server CPU ms per complaint",
                "server CPU ms per ceiling unit",
                "ratio of CPU",
                "machine busy",
            ],
            rows,
        )
    )
    print("\nPer step of the path, medians of the runs (ms, p50 / p95 / p99):\n")
    step_rows = []
    for concurrency in args.concurrency:
        path_runs = [r for r in runs if r.kind == "path" and r.concurrency == concurrency]
        for step in PATH_STEPS:
            cuts = [percentiles(r.latencies.get(step, [])) for r in path_runs]
            step_rows.append(
                [
                    concurrency,
                    step,
                    " / ".join(ms(median([c[k] for c in cuts])) for k in ("p50", "p95", "p99")),
                ]
            )
    print(table(["concurrency", "step", "p50 / p95 / p99"], step_rows))
    errors: Counter[str] = Counter()
    for run in runs:
        errors.update(run.errors)
    for error, count in errors.most_common(5):
        print(f"\n- {count} x {error}")
    resident = ", ".join(f"{mb:.0f}" for mb in memory["rss"])
    peak = ", ".join(f"{mb:.0f}" for mb in memory["peak"])
    print(f"\nGunicorn workers after the load: resident {resident} MB; peak {peak} MB")
    lost = not (
        check["complaints"] == accepted
        and check["unique"] == accepted
        and check["acknowledgements"] == accepted
        and check["outbox"] == accepted
        and check["tasks"] == accepted
    )
    print(
        f"\nNothing lost: {accepted} accepted posts (warm-up included); in the database "
        f"{check['complaints']} complaints ({check['unique']} distinct references), "
        f"{check['acknowledgements']} acknowledgements, {check['outbox']} outbox rows, "
        f"{check['tasks']} delivery tasks: {'PASSED' if not lost else 'FAILED'}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "backend": backend,
                    "runs": [
                        {
                            "kind": r.kind,
                            "concurrency": r.concurrency,
                            "done": r.done,
                            "elapsed_s": r.elapsed,
                            "rate": r.rate,
                            "worker_cpu_s": r.worker_cpu,
                            "client_cpu_s": r.client_cpu,
                            "machine_busy_s": r.machine_busy,
                            "errors": dict(r.errors),
                            "latency_ms": {
                                step: {k: v * 1000 for k, v in percentiles(values).items()}
                                for step, values in r.latencies.items()
                            },
                        }
                        for r in runs
                    ],
                    "database": check,
                    "memory_mb": memory,
                },
                indent=2,
            )
        )
    return not lost and not errors


def run(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-path-"))
    database_url = pg_url(args.pg_database) if args.postgres else None
    server: subprocess.Popen[bytes] | None = None
    watch: MemoryWatch | None = None
    try:
        if args.postgres:
            pg_create(args.pg_database)
        setup_env = instance_env(
            var_dir, database_url, DJANGO_SETTINGS_MODULE="querela.settings_test"
        )
        manage("migrate", "--no-input", "-v", "0", env=setup_env)
        manage("createcachetable", env=setup_env)
        manage("load_demo", env=setup_env)
        manage("shell", "-v", "0", "-c", CREATE_CEILING_TABLE, env=setup_env)
        config = last_json(manage("shell", "-v", "0", "-c", SETUP_QUERY, env=setup_env))
        triage = {str(code): "no" for code in config["triage"]}  # type: ignore[attr-defined]
        categories = [str(pk) for pk in config["categories"]]  # type: ignore[attr-defined]
        server_env = instance_env(
            var_dir,
            database_url,
            DJANGO_SETTINGS_MODULE=SETTINGS,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            LOG_LEVEL="WARNING",
            # Every simulated visitor comes from 127.0.0.1: the filing limits would stop them.
            FILING_LIMIT_PER_ADDRESS="1000000",
            FILING_LIMIT_PER_EMAIL="1000000",
        )
        manage("collectstatic", "--no-input", "-v", "0", env=server_env)

        port = free_port()
        log = var_dir / "gunicorn.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(  # noqa: S603  # our own gunicorn, loopback only
                [
                    str(GUNICORN),
                    "querela.wsgi:application",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(args.workers),
                ],
                cwd=ROOT,
                env=server_env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        SERVER_PID[0] = server.pid
        wait_until_up(port, server, log, 60)
        watch = MemoryWatch(server.pid)
        watch.start()

        file_one = path_flow(triage, categories)
        number = 0
        for _ in range(args.warmup):  # every worker renders every page once, untimed
            file_one(number, port, args.timeout, None)
            ceiling_flow(number, port, args.timeout, None)
            number += 1
        accepted = args.warmup
        runs: list[Run] = []
        for concurrency in args.concurrency:
            for repeat in range(args.repeat):
                for kind, flow in (("ceiling", ceiling_flow), ("path", file_one)):
                    measured = Run(kind, concurrency)
                    total = args.complaints * (CEILING_RUN if kind == "ceiling" else 1)
                    load(flow, measured, number, total, port, args.timeout)
                    number += total
                    if kind == "path":
                        accepted += measured.done
                    runs.append(measured)
                    print(
                        f"c={concurrency} run {repeat + 1} {kind}: {measured.rate:.1f}/s, "
                        f"{sum(measured.errors.values())} errors",
                        file=sys.stderr,
                    )
        watch.sample()
        memory = {
            "rss": [(status_kib(pid, "VmRSS") or 0) / 1024 for pid in children(server.pid)],
            "peak": [kib / 1024 for kib in watch.peaks.values()],
        }
        check = last_json(manage("shell", "-v", "0", "-c", VERIFY_QUERY, env=server_env))
        return 0 if report(args, runs, check, accepted, memory) else 1
    finally:
        if watch is not None:
            watch.stop.set()
        if server is not None:
            stop(server)
        if args.postgres:
            pg_drop(args.pg_database)
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL database")
    parser.add_argument(
        "--pg-database", default="querela_bench_path", help="its name (querela_bench_path)"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--complaints", type=int, default=200, help="per run (200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per concurrency (3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--warmup", type=int, default=6, help="untimed complaints first (6)")
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds (60)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    interrupt_on_sigterm()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
