#!/usr/bin/env python3
"""The project's two commands, for a machine with nothing but Python 3.12+.

    python3 dev.py run    # virtualenv, install, migrate, demo data, then web + worker +
                          # scheduler + a local mail catcher; Ctrl-C stops them all
    python3 dev.py test   # lint (ruff), types (mypy --strict), layers, the whole test suite
    python3 dev.py lock   # after a change of dependencies in pyproject.toml: pin them in uv.lock

Both install exactly the versions pinned in uv.lock (with uv, which pip puts into .venv).

Extra arguments after ``test`` go to pytest (``python3 dev.py test -k deadlines``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
UV_VERSION = "0.13.9"
HOST, PORT, MAIL_PORT = "127.0.0.1", int(os.environ.get("PORT", "8000")), 1025


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def check_python() -> None:
    if sys.version_info < (3, 12):
        sys.exit(f"Python 3.12 or newer is needed; this is {sys.version.split()[0]}.")


def ensure_venv(*extras: str) -> None:
    """Creates .venv and installs exactly what uv.lock pins; again only when the lock changed."""
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    wanted = ",".join(sorted(extras))
    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes() + wanted.encode()).hexdigest()
    stamp = VENV / f".installed-{wanted or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing the locked dependencies (uv.lock)")
    command = [*uv(), "sync", "--quiet", "--locked", "--inexact"]
    for extra in extras:
        command += ["--extra", extra]
    subprocess.run(command, check=True, cwd=ROOT, env=uv_environment())
    stamp.write_text(digest)


def uv() -> list[str]:
    """uv, the installer that reads uv.lock, itself pinned and installed into .venv by pip."""
    if not (BIN / "uv").exists():
        subprocess.run(
            [str(PYTHON), "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"], check=True
        )
    return [str(BIN / "uv")]


def uv_environment() -> dict[str, str]:
    # The project's .venv and its Python: uv must neither make its own nor download a Python.
    return {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(VENV),
        "UV_PYTHON": str(PYTHON),
        "UV_PYTHON_DOWNLOADS": "never",
    }


def lock() -> None:
    """Pins every dependency again after pyproject.toml changed (then commit uv.lock)."""
    check_python()
    if not PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([*uv(), "lock", *sys.argv[2:]], check=True, cwd=ROOT, env=uv_environment())


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], check=True, cwd=ROOT, env=env)


def run() -> None:
    check_python()
    ensure_venv("demo")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "querela.settings_demo",
        "SITE_URL": os.environ.get("SITE_URL", f"http://{HOST}:{PORT}"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(MAIL_PORT),
    }
    say("Preparing the database and the demo configuration")
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    manage("createcachetable", env=env)
    manage("load_demo", env=env)
    manage("demo_accounts", env=env)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    processes = {
        "mail catcher": [str(PYTHON), "manage.py", "mailcatcher", "--port", str(MAIL_PORT)],
        "worker": [str(PYTHON), "manage.py", "db_worker", "--no-startup-delay"],
        "scheduler": [str(PYTHON), "manage.py", "scheduler"],
        "web": [
            str(BIN / "gunicorn"),
            "querela.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
    }
    running = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in processes.items()}
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # stopped by a supervisor: same as Ctrl-C
    time.sleep(2)
    say(f"Complaints site:   http://{HOST}:{PORT}/")
    say(f"Staff back office: http://{HOST}:{PORT}/nl/staff/  (demo accounts above)")
    say(f"Mail the demo sent: http://{HOST}:{PORT}/nl/staff/demo-mailbox/  (log in first)")
    say("Press Ctrl-C to stop everything.")
    try:
        while all(p.poll() is None for p in running.values()):
            time.sleep(1)
        failed = [name for name, p in running.items() if p.poll() is not None]
        say(f"Stopped because {', '.join(failed)} exited.")
    except KeyboardInterrupt:
        say("Stopping")
    finally:
        for process in running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def test(pytest_args: list[str]) -> None:
    check_python()
    ensure_venv("dev", "demo")
    # The test settings; production's (querela.settings) relax nothing for tests.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "querela.settings_test"}
    chromium = find_chromium()
    if chromium:
        env["CHROMIUM_PATH"] = chromium
    else:
        say("No Chromium found: letting Playwright download its own")
        subprocess.run([str(PYTHON), "-m", "playwright", "install", "chromium"], check=True)
    steps = [
        ("Lint (ruff)", [str(BIN / "ruff"), "check", "."]),
        ("Formatting (ruff format)", [str(BIN / "ruff"), "format", "--check", "."]),
        ("Types (mypy --strict)", [str(BIN / "mypy"), "."]),
        ("Layers (import-linter, pyproject.toml)", [str(BIN / "lint-imports")]),
        (
            "Migrations are up to date",
            [str(PYTHON), "manage.py", "makemigrations", "--check", "--dry-run"],
        ),
        ("Tests (pytest)", [str(PYTHON), "-m", "pytest", *pytest_args]),
    ]
    for title, command in steps:
        say(title)
        if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
            sys.exit(f"{title}: failed")
    say("All checks passed")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "lock"}:
        sys.exit(__doc__)
    if sys.argv[1] == "run":
        run()
    elif sys.argv[1] == "lock":
        lock()
    else:
        test(sys.argv[2:])
