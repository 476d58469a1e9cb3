"""The public form under load, against a real server.

A fresh database (SQLite in a temporary VAR_DIR, or the throwaway PostgreSQL database
``querela_bench`` with ``--postgres``), migrated and loaded with the demo configuration; gunicorn
with production settings (``--workers 2``, mail delivery replaced by Django's dummy task backend,
so the outbox rows are still written in the submitting transaction but nothing is sent); then
virtual users, each one a new visitor with its own cookies, who go through the triage (all
"no") and file the form: GET triage, POST triage, GET form, POST form. Only loopback; bounded in
submissions (``--total``) and in time (``--max-seconds``).

Reports submissions per second, the latency of each step (p50/p95/p99), errors, the peak RSS of
the gunicorn workers (VmHWM), and checks in the database that the references are unique and
consecutive. Everything it started or created is stopped and removed at the end.

    .venv/bin/python bench/submit.py [--postgres] [--users 20] [--total 400]
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
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
    table,
)

PG_DATABASE = "querela_bench"
HOST = "127.0.0.1"
STEPS = ("GET triage", "POST triage", "GET form", "POST form")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Dubois",
    "Lambert",
    "Dupont",
    "Claes",
    "Mertens",
    "Willems",
    "Martin",
    "Laurent",
    "Goossens",
    "Wouters",
    "Simon",
]


@dataclass
class Response:
    status: int
    location: str
    text: str


class Visitor:
    """One browser: its own cookies (session, CSRF), one connection per request (gunicorn's
    sync workers close the connection after each response anyway). The session cookie is
    marked Secure in production settings; a browser would only send it over TLS, this client
    sends it over loopback HTTP: the server's work is the same."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "querela-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(response.status, response.getheader("Location") or "", text)
        finally:
            connection.close()


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: Counter[str] = field(default_factory=Counter)
    filed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, step: str, call: float) -> None:
        with self.lock:
            self.latencies[step].append(call)


class Failed(Exception):
    pass


def csrf_token(page: Response, step: str) -> str:
    found = CSRF.search(page.text)
    if page.status != 200 or found is None:
        raise Failed(f"{step}: HTTP {page.status}" + ("" if found else ", no CSRF token"))
    return found.group(1)


def file_one(
    number: int,
    port: int,
    triage: dict[str, str],
    categories: list[str],
    timeout: float,
    results: Results | None,
) -> None:
    """One visitor goes through triage and form. Raises Failed on an unexpected answer."""
    language = ("nl", "fr")[number % 2]
    visitor = Visitor(port, timeout)
    base = f"/{language}/complaint/"

    def timed(step: str, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        start = time.perf_counter()
        response = visitor.request(method, path, form)
        if results is not None:
            results.timed(step, time.perf_counter() - start)
        return response

    token = csrf_token(timed("GET triage", "GET", base), "GET triage")
    answered = timed("POST triage", "POST", base, {**triage, "csrfmiddlewaretoken": token})
    if answered.status != 302 or not answered.location.endswith(f"{base}form/"):
        raise Failed(f"POST triage: HTTP {answered.status} to {answered.location!r}")
    token = csrf_token(timed("GET form", "GET", f"{base}form/"), "GET form")
    rng = random.Random(number)
    form = {
        "csrfmiddlewaretoken": token,
        "complainant_kind": "person",
        "organisation_name": "",
        "first_name": f"Bench{number}",
        "last_name": rng.choice(LAST_NAMES),
        "email": f"bench{number}@example.be",
        "postal_address": "",
        "phone": "",
        "language": language,
        "category": rng.choice(categories),
        "facts_start": time.strftime("%Y-%m-%d", time.localtime(time.time() - 10 * 86400)),
        "facts_end": "",
        "description": (
            "Ik wacht al drie maanden op een antwoord op mijn brief over mijn dossier. "
            "Ik heb twee keer gebeld en telkens werd me beloofd dat iemand zou terugbellen, "
            "maar niemand heeft dat gedaan. Ik wil weten wanneer mijn aanvraag wordt behandeld."
        ),
        "desired_outcome": "Een antwoord en een datum.",
        "concerned": "",
        "own_reference": f"B-{number}",
    }
    filed = timed("POST form", "POST", f"{base}form/", form)
    if filed.status != 302 or not filed.location.endswith(f"{base}filed/"):
        raise Failed(f"POST form: HTTP {filed.status} to {filed.location!r}")
    if results is not None:
        with results.lock:
            results.filed += 1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time ``pid`` has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent not idle (all processes, all CPUs), /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class MemoryWatch(threading.Thread):
    """Samples the workers' VmHWM (peak resident set) while they run: a worker that is
    replaced during the run keeps its peak in the record."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peaks: dict[int, int] = {}
        self.master_peak = 0
        self.stop = threading.Event()

    def sample(self) -> None:
        for pid in children(self.master):
            hwm = status_kib(pid, "VmHWM")
            if hwm is not None:
                self.peaks[pid] = max(self.peaks.get(pid, 0), hwm)
        self.master_peak = max(self.master_peak, status_kib(self.master, "VmHWM") or 0)

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.sample()


def wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log.read_text()[-3000:]}")
        try:
            if Visitor(port, 5).request("GET", "/nl/complaint/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # graceful: gunicorn stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


SETUP_QUERY = """
import json
from configuration.models import Category, TriageQuestion
print(json.dumps({
    "triage": [q.code for q in TriageQuestion.objects.filter(active=True)],
    "categories": [str(c.pk) for c in Category.objects.filter(active=True)],
}))
"""

VERIFY_QUERY = """
import json
from django.utils import timezone
from complaints.models import Complaint, Message, ReferenceCounter
from messaging.models import OutboxMessage
refs = list(Complaint.objects.values_list("reference", flat=True))
year = timezone.localdate().year
counter = ReferenceCounter.objects.filter(year=year).first()
print(json.dumps({
    "complaints": len(refs),
    "unique": len(set(refs)),
    "consecutive": sorted(refs) == [f"{year}-{n:06d}" for n in range(1, len(refs) + 1)],
    "counter": counter.last if counter else None,
    "messages": Message.objects.count(),
    "outbox": OutboxMessage.objects.count(),
}))
"""


def last_json(output: str) -> dict[str, object]:
    data = json.loads(output.strip().splitlines()[-1])
    assert isinstance(data, dict)
    return data


def run(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-submit-"))
    database_url = pg_url(PG_DATABASE) if args.postgres else None
    server: subprocess.Popen[bytes] | None = None
    watch: MemoryWatch | None = None
    try:
        if args.postgres:
            pg_create(PG_DATABASE)
        setup_env = instance_env(
            var_dir, database_url, DJANGO_SETTINGS_MODULE="querela.settings_test"
        )
        started = time.perf_counter()
        manage("migrate", "--no-input", "-v", "0", env=setup_env)
        manage("createcachetable", env=setup_env)
        manage("load_demo", env=setup_env)
        config = last_json(manage("shell", "-v", "0", "-c", SETUP_QUERY, env=setup_env))
        codes = config["triage"]
        categories = config["categories"]
        assert isinstance(codes, list) and isinstance(categories, list)
        triage = {str(code): "no" for code in codes}
        # Production settings (querela.settings): the manifest static storage needs collectstatic.
        server_env = instance_env(
            var_dir,
            database_url,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
            LOG_LEVEL="WARNING",
            # Every simulated visitor comes from 127.0.0.1: the filing limits would stop them.
            FILING_LIMIT_PER_ADDRESS="1000000",
            FILING_LIMIT_PER_EMAIL="1000000",
        )
        manage("collectstatic", "--no-input", "-v", "0", env=server_env)
        print(
            f"setup (migrate, cache table, demo, collectstatic): "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

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
        wait_until_up(port, server, log, 60)
        watch = MemoryWatch(server.pid)
        watch.start()

        # Warm-up: every worker renders each page once (template loading, translations).
        # These submissions are in the database (and checked) but not in the figures.
        for number in range(args.warmup):
            file_one(number, port, triage, [str(c) for c in categories], args.timeout, None)
        idle_peaks = {pid: status_kib(pid, "VmHWM") for pid in children(server.pid)}

        results = Results()
        lock = threading.Lock()
        halt = threading.Event()  # set on the way out (Ctrl-C): no new submissions
        issued = [args.warmup]
        deadline = time.monotonic() + args.max_seconds

        def user() -> None:
            while not halt.is_set():
                with lock:
                    if issued[0] >= args.warmup + args.total or time.monotonic() > deadline:
                        return
                    number = issued[0]
                    issued[0] += 1
                try:
                    file_one(
                        number, port, triage, [str(c) for c in categories], args.timeout, results
                    )
                except Failed as failed:
                    with results.lock:
                        results.errors[str(failed)[:120]] += 1
                except (OSError, http.client.HTTPException) as error:
                    with results.lock:
                        results.errors[f"{type(error).__name__}: {error}"[:120]] += 1

        load_before = os.getloadavg()[0]
        workers = children(server.pid)
        cpu_before = (
            sum(cpu_seconds(pid) for pid in workers),
            client_cpu_seconds(),
            machine_busy_seconds(),
        )
        threads = [threading.Thread(target=user, daemon=True) for _ in range(args.users)]
        load_start = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        finally:
            halt.set()
        elapsed = time.perf_counter() - load_start
        cpu = (
            sum(cpu_seconds(pid) for pid in workers) - cpu_before[0],
            client_cpu_seconds() - cpu_before[1],
            machine_busy_seconds() - cpu_before[2],
        )
        watch.sample()
        watch.stop.set()

        check = last_json(manage("shell", "-v", "0", "-c", VERIFY_QUERY, env=setup_env))
        attempted = issued[0] - args.warmup
        report(
            args,
            results,
            elapsed,
            attempted,
            check,
            watch,
            idle_peaks,
            server.pid,
            (load_before, os.getloadavg()[0]),
            cpu,
        )
        expected = results.filed + args.warmup
        ok = (
            check["complaints"] == expected
            and check["unique"] == expected
            and check["consecutive"] is True
            and check["counter"] == expected
            and check["outbox"] == expected
            and not results.errors
        )
        print(
            f"\nCheck (every submission filed, {expected} complaints, unique and consecutive "
            f"references, one outbox row each): {'PASSED' if ok else 'FAILED'}"
        )
        return 0 if ok else 1
    finally:
        if watch is not None:
            watch.stop.set()
        if server is not None:
            stop(server)
        if args.postgres:
            pg_drop(PG_DATABASE)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(
    args: argparse.Namespace,
    results: Results,
    elapsed: float,
    attempted: int,
    check: dict[str, object],
    watch: MemoryWatch,
    idle_peaks: dict[int, int | None],
    master: int,
    load: tuple[float, float],
    cpu: tuple[float, float, float],
) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"## Public form under load: {backend}, {args.users} users, "
        f"gunicorn --workers {args.workers}\n"
    )
    print(
        f"- submissions attempted: {attempted} (after {args.warmup} warm-up submissions), "
        f"filed: {results.filed}, errors: {sum(results.errors.values())}"
    )
    print(
        f"- wall time: {elapsed:.1f} s; **{results.filed / elapsed:.1f} submissions/s** "
        f"({4 * results.filed / elapsed:.1f} requests/s)"
    )
    print(
        f"- load average (1 min) before/after the run: {load[0]:.2f} / {load[1]:.2f} "
        f"({os.cpu_count()} CPUs; the load generator shares them)"
    )
    requests = sum(len(values) for values in results.latencies.values())
    print(
        f"- CPU used during the run: gunicorn workers {cpu[0]:.1f} s "
        f"(**{cpu[0] / max(requests, 1) * 1000:.1f} ms per request**, "
        f"{cpu[0] / max(results.filed, 1) * 1000:.0f} ms per complete submission), "
        f"load generator {cpu[1]:.1f} s; the whole machine was busy {cpu[2]:.1f} s "
        f"of {elapsed * (os.cpu_count() or 1):.1f} s (database server and other processes "
        "included)"
    )
    for error, count in results.errors.most_common(5):
        print(f"  - {count} x {error}")
    rows = []
    for step in STEPS:
        p = percentiles(results.latencies[step])
        rows.append(
            [
                step,
                len(results.latencies[step]),
                *(f"{p[key] * 1000:.0f}" for key in ("p50", "p95", "p99", "max")),
            ]
        )
    print("\nLatency per request (ms), as the visitor sees it (includes queueing for a worker):\n")
    print(table(["step", "n", "p50", "p95", "p99", "max"], rows))
    print(
        "\nDatabase afterwards (warm-up included): "
        f"{check['complaints']} complaints, {check['unique']} distinct references, "
        f"consecutive from 000001: {check['consecutive']}, counter at {check['counter']}, "
        f"{check['messages']} messages, {check['outbox']} outbox rows"
    )
    peaks = ", ".join(f"{kib / 1024:.0f} MB" for kib in watch.peaks.values())
    idle = ", ".join(f"{(kib or 0) / 1024:.0f} MB" for kib in idle_peaks.values())
    top = max(watch.peaks.values(), default=0) / 1024
    print(
        f"\nGunicorn worker peak RSS (VmHWM): {peaks} (max **{top:.0f} MB**; "
        f"after warm-up: {idle}); master {watch.master_peak / 1024:.0f} MB; "
        f"{len(watch.peaks)} worker process(es) seen (master pid {master})"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "backend": backend,
                    "users": args.users,
                    "workers": args.workers,
                    "attempted": attempted,
                    "filed": results.filed,
                    "errors": dict(results.errors),
                    "elapsed_s": elapsed,
                    "submissions_per_s": results.filed / elapsed,
                    "latency_ms": {
                        step: {k: v * 1000 for k, v in percentiles(values).items()}
                        for step, values in results.latencies.items()
                    },
                    "database": check,
                    "worker_peak_rss_mb": [kib / 1024 for kib in watch.peaks.values()],
                    "worker_cpu_s": cpu[0],
                    "client_cpu_s": cpu[1],
                    "machine_busy_s": cpu[2],
                    "load": load,
                },
                indent=2,
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"PostgreSQL database {PG_DATABASE} (created and dropped)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent visitors (20)")
    parser.add_argument("--total", type=int, default=400, help="submissions in all (400)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed submissions first (4)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=600,
        help="stop starting new submissions after this (600)",
    )
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds (60)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    interrupt_on_sigterm()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
