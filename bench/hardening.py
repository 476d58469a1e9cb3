"""What the security layers cost per request, in-process, against the same requests without
them in the same run (the ceiling).

The layers: Content-Security-Policy, the second factor (django-otp's middleware and the back
office's session rules), the request-size check, the login lock-out (django-axes) and, on
filing, the two rate-limit counters. "Without" runs the same requests with those middlewares
taken out of ``MIDDLEWARE`` (the filing limits' cache reads and writes are in the view: both
variants make them, so the filing row does not count them; their queries are counted in the
report). With and without alternate request by request (which goes first
swaps each round), so that a busy machine slows both alike.

    .venv/bin/python bench/hardening.py [--repetitions 200] [--postgres]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import ROOT, interrupt_on_sigterm, pg_create, pg_drop, pg_url, table

PG_DATABASE = "querela_bench_hardening_staff-login"
LAYERS = {
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.StaffSessionMiddleware",
    "portal.uploads.RequestSizeLimitMiddleware",
    "axes.middleware.AxesMiddleware",
}


def setup_django(var_dir: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "querela.settings_test"
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> None:
    import io

    from django.core.management import call_command
    from django.test import override_settings

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", stdout=quiet)
    call_command("load_demo", stdout=quiet)
    with override_settings(DEMO_MODE=True):
        call_command("demo_accounts", stdout=quiet)


def requests(middleware: list[str]) -> dict[str, Callable[[], Any]]:
    """Each request as a function that makes it once, through clients whose middleware is
    ``middleware`` (a test client loads it on its first request and keeps it)."""
    from django.contrib.auth.models import User
    from django.test import Client, override_settings

    from tests.helpers import pass_second_factor, triage_answers, valid_form

    with override_settings(MIDDLEWARE=middleware):
        public, visitor, manager = Client(), Client(), Client()
        user = User.objects.get(username="beheerder")
        manager.force_login(user)
        pass_second_factor(manager, user)
        for client in (public, visitor, manager):
            client.get("/fr/")  # loads the middleware chain under this setting
    counter = iter(range(10**9))

    def file() -> Any:
        visitor.cookies.clear()  # a new visitor each time
        visitor.post("/fr/complaint/", triage_answers())
        response = visitor.post(
            "/fr/complaint/form/", valid_form(email=f"p{next(counter)}@example.be")
        )
        assert response.status_code == 302, response.status_code
        return response

    return {
        "public home page (GET /fr/)": lambda: public.get("/fr/"),
        "complaint form (GET)": lambda: public.get("/fr/complaint/"),
        "filing a complaint (triage + POST, new visitor)": file,
        "work list (GET, manager)": lambda: manager.get("/nl/staff/complaints/"),
    }


def measure(repetitions: int) -> list[list[object]]:
    from django.conf import settings

    variants = {
        "with": requests(list(settings.MIDDLEWARE)),
        "without": requests([name for name in settings.MIDDLEWARE if name not in LAYERS]),
    }
    rows: list[list[object]] = []
    for name in variants["with"]:
        timings: dict[str, list[float]] = {"with": [], "without": []}
        for round_ in range(repetitions + 3):
            # Which goes first swaps each round: the second of a pair finds warmer caches.
            order = ["with", "without"] if round_ % 2 == 0 else ["without", "with"]
            for variant in order:
                started = time.perf_counter()
                response = variants[variant][name]()
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code in {200, 302}, (name, variant, response.status_code)
                if round_ >= 3:  # warm-up rounds are not counted
                    timings[variant].append(elapsed)
        with_ms = statistics.median(timings["with"])
        without_ms = statistics.median(timings["without"])
        with_calls, without_calls = (calls(variants[v][name]) for v in ("with", "without"))
        rows.append(
            [
                name,
                f"{with_ms:.2f}",
                f"{without_ms:.2f}",
                f"{with_ms / without_ms:.2f}",
                f"{with_calls} / {without_calls} ({with_calls / without_calls:.3f})",
            ]
        )
    return rows


def calls(make: Callable[[], Any]) -> int:
    """Python function calls one request makes: unlike time, the same on a busy machine."""
    profile = cProfile.Profile()
    profile.enable()
    make()
    profile.disable()
    total: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repetitions", type=int, default=200, help="per variant (200)")
    parser.add_argument(
        "--postgres", action="store_true", help=f"PostgreSQL database {PG_DATABASE}"
    )
    args = parser.parse_args()
    interrupt_on_sigterm()
    var_dir = Path(tempfile.mkdtemp(prefix="querela-bench-hardening-"))
    database_url = pg_url(PG_DATABASE) if args.postgres else None
    try:
        if args.postgres:
            pg_create(PG_DATABASE)
        setup_django(var_dir, database_url)
        prepare()
        load_before = os.getloadavg()[0]
        rows = measure(args.repetitions)
        load_after = os.getloadavg()[0]
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            pg_drop(PG_DATABASE)
        shutil.rmtree(var_dir, ignore_errors=True)
    print(
        f"{args.repetitions} requests per variant, alternating, medians in ms "
        f"({'PostgreSQL' if args.postgres else 'SQLite'}; load average "
        f"{load_before:.1f} / {load_after:.1f} on {os.cpu_count()} CPUs)\n"
    )
    print(
        table(
            ["request", "with the layers", "without (ceiling)", "ratio", "function calls (ratio)"],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
