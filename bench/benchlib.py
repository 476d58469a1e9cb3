"""What the benchmarks share: the throwaway PostgreSQL database, the environment of a fresh
instance, percentiles and a Markdown table. No Django imports: ``submit.py`` drives the project
from outside, through ``manage.py`` and HTTP."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def interrupt_on_sigterm() -> None:
    """``kill`` stops a run like Ctrl-C does: through the ``finally`` that cleans up."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def pg_url(database: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def pg_drop(database: str) -> None:
    """Drops ``database``, closing whatever connections are left on it."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def pg_create(database: str) -> None:
    """A fresh, empty ``database`` (a leftover of an interrupted run is dropped first)."""
    pg_drop(database)
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def pg_version() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def instance_env(var_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a fresh instance: its own VAR_DIR, its own database."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DEMO_MODE", "DEBUG", "SECRET_KEY_FILE"):
        env.pop(name, None)
    env["VAR_DIR"] = str(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "querela.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    """Runs ``manage.py args`` from the project root; returns its standard output."""
    done = subprocess.run(  # noqa: S603  # our own interpreter and manage.py
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"manage.py {args[0]} failed with exit code {done.returncode}")
    return done.stdout


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 (linear interpolation between ranks), min, max and mean."""
    if not values:
        return {
            "p50": float("nan"),
            "p95": float("nan"),
            "p99": float("nan"),
            "min": float("nan"),
            "max": float("nan"),
            "mean": float("nan"),
        }
    if len(values) == 1:
        (only,) = values
        return {"p50": only, "p95": only, "p99": only, "min": only, "max": only, "mean": only}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "min": min(values),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
