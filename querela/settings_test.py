"""The test suite's settings: production's (``querela.settings``) with what tests relax.

pytest and mypy use this module (``pyproject.toml``); a deployment never does, so no variable
of the environment can relax the production settings.
"""

from __future__ import annotations

import os

# Production refuses to start without a secret key; the tests sign with a throwaway one.
os.environ.setdefault("SECRET_KEY", "insecure-test-key-do-not-use-in-production")

from querela.settings import *  # noqa: F403
from querela.settings import STORAGES

# The slow hash protects stored passwords; tests store throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The suite files many complaints from one test client's address and e-mail address; the
# tests of the filing limits set the limits they test.
FILING_LIMIT_PER_ADDRESS = 10_000
FILING_LIMIT_PER_EMAIL = 10_000

# The test client speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
