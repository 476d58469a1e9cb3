"""The production settings (``querela.settings``) cannot be relaxed by the environment; the
tests run on their own module (``querela.settings_test``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` after loading the production settings, in a clean environment."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DEMO_MODE", "DATABASE_URL"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="querela.settings", **env)
    return subprocess.run(  # noqa: S603  # our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key_whatever_testing_says() -> None:
    done = production("print('started')", TESTING="true")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_production_keeps_the_slow_password_hash_whatever_testing_says() -> None:
    done = production(
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        TESTING="true",
        SECRET_KEY="x" * 50,
    )
    assert done.returncode == 0, done.stderr
    assert "MD5" not in done.stdout
    assert "PBKDF2" in done.stdout


def test_the_suite_runs_on_the_test_settings_without_being_told() -> None:
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "querela.settings_test"
