"""The production settings. Everything a deployment sets comes from the environment.

Unset variables fall back to values that are safe for a laptop: SQLite in ``var/``, mail to a
local catcher on port 1025, DEBUG off. A value that cannot be read fails loudly at start-up.
The test suite runs on ``querela.settings_test``, which imports this module and relaxes what
tests need: no variable here relaxes anything for tests.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A string from the environment, or from the file named by ``NAME_FILE`` (secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Demo mode (demo accounts, the demo mailbox page, no second factor) is a settings module of
# its own, querela.settings_demo, never a variable of the environment.
DEMO_MODE = False

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set (or SECRET_KEY_FILE)")
# Former keys, after a rotation: personal links issued under them can still be put into mail.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Links in e-mails point here: the complainant's follow-up link, for instance.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before django_tasks_db: its db_worker command is the one that waits out outages.
    "messaging",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "common",
    "configuration",
    "access",
    "complaints",
    "portal",
    "staff",
    "inbox",
    "improvement",
    "reporting",
    "api",
    # The API's documentation page (Swagger UI) from its own static files, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that answers with one of the site's error pages.
    "api.middleware.ApiProblemPagesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.StaffSessionMiddleware",
    "staff.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # No middleware above reads the body; CSRF reads the form later, in its process_view.
    "portal.uploads.RequestSizeLimitMiddleware",
    # Then a form body that cannot be read gets the translated 400 before anything reads it.
    "querela.errors.MalformedRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "querela.unavailable.DatabaseUnavailableMiddleware",
    "configuration.cache.ConfigurationMiddleware",
    # Last: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "querela.urls"
WSGI_APPLICATION = "querela.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "configuration.context_processors.organisation",
                "staff.context_processors.staff_role",
            ],
        },
    },
]

VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = env("DATABASE_URL")
# Each web process keeps its database connection between requests (opening one costs more than
# most pages), checked before reuse so a restarted database server costs one retry, not errors.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Nobody waits half a minute: an unreachable server, a runaway query or a server that
        # stops answering fails fast (the visitor gets the "try again in a moment" page within
        # 15 s; workers wait and retry). Django's backend, with a deadline on every wait for
        # the server (querela/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "querela.postgresql"
        # Seconds; 0: no limit (as DATABASE_STATEMENT_TIMEOUT=0, for a bulk load).
        answer_timeout = env_int("DATABASE_ANSWER_TIMEOUT", 12)
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {
                "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5),
                "options": f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT', 15)}s",
                # Packets that go unanswered (dropped, not refused): the kernel gives the
                # connection up after answer_timeout instead of retrying for 15 minutes, and
                # probes a kept connection that sits idle.
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 2,
                "tcp_user_timeout": answer_timeout * 1000,
                # Bytes taken but never answered (a proxy in front of a silent server).
                "answer_timeout": answer_timeout or None,
            }
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "querela.sqlite3"),
            "OPTIONS": {
                # Writers queue up instead of failing with "database is locked": every
                # transaction takes the write lock first, and waits up to 20 s for it.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so a live server's threads and the test share the data.
            # One per process, so two test runs on one machine do not share it.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing of the product counts on the default cache (rate limits are rows of
# ``common.models.RateWindow``); it is in the database so that whatever a library keeps there is
# shared by every web worker without a cache server. ``migrate`` does not create its table:
# ``createcachetable`` does (dev.py run).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "querela_cache",
    },
    # Public pages that are the same for every visitor, rendered once per process; their keys
    # hold the configuration's stamp (portal/pages.py).
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is even checked.
    "staff.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as written here: day before month, 24-hour clock.
FORMAT_MODULE_PATH = ["configuration.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Development serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments are personal data: they live outside the static tree and are never served
# directly, only through views that check who asks.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# With S3_BUCKET set, attachments live in S3-compatible object storage instead (private
# objects, read through the same views), so that web processes on several machines share them.
S3_BUCKET = env("S3_BUCKET")


def object_storage(bucket: str) -> dict[str, object]:
    """The storage of attachments in the S3-compatible ``bucket`` (django-storages)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "location": env("S3_PREFIX"),
            "addressing_style": env("S3_ADDRESSING_STYLE") or None,
            # No ACL on objects: they are as private as the bucket (services that disable ACLs,
            # as AWS does by default, refuse uploads that set one).
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


if S3_BUCKET:
    STORAGES["default"] = object_storage(S3_BUCKET)

# Mail: SMTP only. Delivery goes through the outbox (messaging app), never straight from a view.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", "127.0.0.1"),
            "port": env_int("EMAIL_PORT", 1025),
            "username": env("EMAIL_HOST_USER") or None,
            "password": env("EMAIL_HOST_PASSWORD") or None,
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "klachten@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The service's mailbox, read by `manage.py read_mailbox` (inbox app): IMAP over TLS (port
# 993), with a password or an OAuth 2 access token (XOAUTH2: Microsoft 365, Google). The token
# is read from MAILBOX_OAUTH2_TOKEN_FILE at every connection, so whatever refreshes it (it
# lasts an hour) only rewrites that file. No MAILBOX_HOST: nothing reads the mailbox.
MAILBOX_HOST = env("MAILBOX_HOST")
MAILBOX_PORT = env_int("MAILBOX_PORT", 993)
MAILBOX_TLS = env_bool("MAILBOX_TLS", True)
MAILBOX_USER = env("MAILBOX_USER")
MAILBOX_PASSWORD = env("MAILBOX_PASSWORD")
MAILBOX_OAUTH2_TOKEN_FILE = os.environ.get("MAILBOX_OAUTH2_TOKEN_FILE", "")
MAILBOX_FOLDER = env("MAILBOX_FOLDER", "INBOX")
MAILBOX_INTERVAL = env_int("MAILBOX_INTERVAL", 30)
MAILBOX_TIMEOUT = env_int("MAILBOX_TIMEOUT", 60)
# A larger message is not read: it is kept aside, whole, for a person to look at.
MAILBOX_MAX_MESSAGE_BYTES = env_int("MAILBOX_MAX_MESSAGE_BYTES", 64 * 1024 * 1024)
# Replies go here (Reply-To of every mail about a complaint); with plus-addressing, to a
# per-complaint address such as klachten+2026-000123.<tag>@example.org (messaging.replies).
MAILBOX_REPLY_ADDRESS = env("MAILBOX_REPLY_ADDRESS")
MAILBOX_PLUS_ADDRESSING = env_bool("MAILBOX_PLUS_ADDRESSING", True)
# The demo's mailbox without a mail server: a folder of .eml files (inbox.folder), read when
# MAILBOX_HOST is not set. Set by querela.settings_demo only.
MAILBOX_DIRECTORY = ""

# Attachments on the public form.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 5)
# Attachments are scanned by a ClamAV daemon when one is configured: a Unix socket, or a host
# and port. A configured scanner that does not answer makes the form refuse files.
CLAMD_SOCKET = env("CLAMD_SOCKET")
CLAMD_HOST = env("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)
# What one personal link may upload over the complaint's life, on top of the form's files.
ATTACHMENT_MAX_PER_COMPLAINT = env_int("ATTACHMENT_MAX_PER_COMPLAINT", 20)
ATTACHMENT_MAX_BYTES_PER_COMPLAINT = env_int(
    "ATTACHMENT_MAX_BYTES_PER_COMPLAINT", 100 * 1024 * 1024
)
# Complaints filed from one address per hour, and complaints mailing one address per day.
FILING_LIMIT_PER_ADDRESS = env_int("FILING_LIMIT_PER_ADDRESS", 10)
FILING_LIMIT_PER_EMAIL = env_int("FILING_LIMIT_PER_EMAIL", 3)
# The largest request any form can make: every attachment at its largest, and the text.
REQUEST_MAX_BYTES = ATTACHMENT_MAX_COUNT * ATTACHMENT_MAX_BYTES + 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# How often the scheduler wakes up (seconds).
SCHEDULER_INTERVAL = env_int("SCHEDULER_INTERVAL", 5)

# Staff logins (back office and admin, one login page): after LOGIN_FAILURE_LIMIT failed tries
# an account is locked for LOGIN_LOCKOUT_MINUTES (django-axes); after LOGIN_ADDRESS_FAILURE_LIMIT
# failed tries, whatever the accounts, so is the address they came from (higher: a whole office
# may come from one address; common.ratelimit).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when it does not lock addresses itself: the login view does, with its own,
# higher limit (staff.views.login.LoginView). Django warns that SQLite has no covering indexes:
# the complaint's index for the evaluation (complaints.models) covers on PostgreSQL only.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "staff.views.login.login_address"
AXES_LOCKOUT_CALLABLE = "staff.views.login.locked_out"
AXES_VERBOSE = False

# A second factor (an authenticator app's code, or a recovery code) for every staff account on
# the back office and the admin (the demo settings ask for none).
SECOND_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = env("OTP_ISSUER", "Querela")
# Single sign-on for staff through OpenID Connect: on when OIDC_RP_CLIENT_ID is set. The
# provider's e-mail claim finds the staff member (staff/sso.py); nobody is created.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(missing)} as well")
    # Seconds to wait for the provider: a provider that hangs must not hold a web worker.
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    LOGIN_REDIRECT_URL_FAILURE = "/staff/login/?sso=failed"
    AUTHENTICATION_BACKENDS.append("staff.sso.StaffOIDCBackend")

# A staff session ends after this many hours without a request, and this many hours after
# logging in whatever the use (OWASP ASVS 3.3.2: at least every 12 hours).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_HOURS", 8) * 3600
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_HOURS", 12) * 3600

SESSION_ENGINE = "querela.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own): scripts and styles only from our static files, or
# inline with the page's nonce (the admin's); no inline style attributes anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # The organisation's logo may be on its own site.
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Behind a reverse proxy that terminates TLS and appends the client's address to
# X-Forwarded-For (nginx: proxy_add_x_forwarded_for).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Paths (regular expressions, no leading slash) a local health check reaches over HTTP.
    SECURE_REDIRECT_EXEMPT = env_list("SECURE_REDIRECT_EXEMPT", "")
    # Browsers keep to HTTPS for a year, this host's subdomains included.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lock-outs, not every attempt
    },
}
