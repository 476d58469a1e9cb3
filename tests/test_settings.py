"""The production settings (``querela.settings``) cannot be relaxed by the environment; the
tests run on their own module (``querela.settings_test``)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` after loading the production settings, in a clean environment."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "DEBUG",
            "DEMO_MODE",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' plug-in
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "querela.settings", **env})
    return subprocess.run(  # noqa: S603  # our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key_whatever_the_variables_say() -> None:
    done = production("print('started')", TESTING="true", DEMO_MODE="true", DEBUG="true")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


DEMO_FLAGS = (
    "from django.conf import settings as s; "
    "print(s.DEMO_MODE, s.SECOND_FACTOR_REQUIRED, s.SESSION_COOKIE_SECURE)"
)


def test_no_variable_switches_production_to_the_demo(tmp_path: Path) -> None:
    done = production(
        DEMO_FLAGS,
        SECRET_KEY="x" * 50,
        DEMO_MODE="true",
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]


def test_the_demo_settings_ask_no_second_factor(tmp_path: Path) -> None:
    done = production(
        DEMO_FLAGS,
        DJANGO_SETTINGS_MODULE="querela.settings_demo",
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "False"]


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


def test_check_deploy_passes_with_the_production_settings(tmp_path: Path) -> None:
    done = production(
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="klachten.example.be",
        SITE_URL="https://klachten.example.be",
        BEHIND_TLS_PROXY="true",
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_behind_tls_every_response_says_https_only(tmp_path: Path) -> None:
    done = production(
        "from django.test import Client; "
        "r = Client(HTTP_HOST='klachten.example.be').get('/', secure=True); "
        "print(r['Strict-Transport-Security']); "
        "print(Client(HTTP_HOST='klachten.example.be').get('/').status_code)",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="klachten.example.be",
        BEHIND_TLS_PROXY="true",
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    hsts, plain = done.stdout.splitlines()[-2:]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert plain == "301"


def test_production_limits_filing(tmp_path: Path) -> None:
    done = production(
        "from django.conf import settings; "
        "print(settings.FILING_LIMIT_PER_ADDRESS, settings.FILING_LIMIT_PER_EMAIL)",
        SECRET_KEY="x" * 50,
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["10", "3"]


def test_a_staff_session_lasts_twelve_hours_unless_the_deployment_says_otherwise(
    tmp_path: Path,
) -> None:
    code = "from django.conf import settings; print(settings.STAFF_SESSION_MAX_SECONDS)"
    done = production(code, SECRET_KEY="x" * 50, VAR_DIR=str(tmp_path))
    assert (done.returncode, done.stdout.strip()) == (0, str(12 * 3600)), done.stderr
    done = production(code, SECRET_KEY="x" * 50, VAR_DIR=str(tmp_path), STAFF_SESSION_MAX_HOURS="6")
    assert (done.returncode, done.stdout.strip()) == (0, str(6 * 3600)), done.stderr


def test_a_local_health_check_path_can_be_exempt_from_the_https_redirect(tmp_path: Path) -> None:
    done = production(
        "from django.http import HttpResponse; "
        "from django.middleware.security import SecurityMiddleware; "
        "from django.test import RequestFactory; "
        "m = SecurityMiddleware(lambda request: HttpResponse('ok')); "
        "f = RequestFactory(HTTP_HOST='klachten.example.be'); "
        "print(m(f.get('/health/')).status_code, m(f.get('/')).status_code)",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="klachten.example.be",
        BEHIND_TLS_PROXY="true",
        SECURE_REDIRECT_EXEMPT="^health/$",
        VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["200", "301"]
