"""Django settings. Production reads everything from the environment (README: Configuration).

- `DATABASE_URL`: PostgreSQL in production (`postgres://user:pass@host:5432/name`); without it, the
  embedded SQLite file `var/opencse.sqlite3`.
- `OPENCSE_SECRET_KEY`: Django's signing key. Without it (demo and tests) a random key is generated
  once under `var/secret.key`; a server on `DATABASE_URL` refuses to start without it.
- `OPENCSE_FIELD_KEY`: the key that encrypts confidential fields (SSNs) and keys their blind index.
  Without it (demo and tests) a key is generated once under `var/field.key`; required with `DATABASE_URL`.
- `OPENCSE_ALLOWED_HOSTS`: comma-separated host names. `OPENCSE_DEBUG=1` for development.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from opencse.security.keys import generated_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("OPENCSE_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("OPENCSE_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("OPENCSE_SECRET_KEY", "")
SECRET_KEY_GENERATED = not SECRET_KEY
if SECRET_KEY_GENERATED:
    # Demo and tests: a random key kept in var/. A server on DATABASE_URL refuses it (opencse.security.keys).
    SECRET_KEY = generated_key(VAR_DIR / "secret.key")
ALLOWED_HOSTS = [host for host in os.environ.get("OPENCSE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if host]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "opencse.security",
    "opencse.people",
    "opencse.cases",
    "opencse.web",
    "opencse.orders",
    "opencse.documents",
    "opencse.closure",
    "opencse.intake",
    "opencse.paternity",
    "opencse.locate",
    "opencse.ledger",
    "opencse.establishment",
    "opencse.court",
    "opencse.enforcement",
    "opencse.work",
    "opencse.cli",
    "ninja",  # the API docs page serves Swagger UI from django-ninja's own static files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opencse.common.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "opencse.security.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opencse.security.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opencse.urls"
WSGI_APPLICATION = "opencse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "string_if_invalid": "",
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'opencse.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a transaction takes the write lock at BEGIN, so concurrent writers wait for each other
    # (up to `timeout` seconds) instead of failing with "database is locked" (docs/ledger.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries read few rows, and PostgreSQL's JIT (on by default) spent 30-40 ms
    # compiling a search that runs in 20 ms once the planner's estimate passed jit_above_cost on a million cases
    # (docs/search.md). OPENCSE_POSTGRES_JIT=on gives it back, e.g. to a batch host.
    jit = "on" if os.environ.get("OPENCSE_POSTGRES_JIT", "off") == "on" else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "security.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "opencse.security.backends.LockoutModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/signin/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("OPENCSE_TIME_ZONE", "America/Chicago")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Scans of correspondence (opencse.documents.correspondence.storage): outside the web root, served only through
# the audited view that checks the case; never under STATIC_ROOT or a media URL.
CORRESPONDENCE_DIR = Path(os.environ.get("OPENCSE_CORRESPONDENCE_DIR", VAR_DIR / "correspondence"))
CORRESPONDENCE_UPLOAD_MAXIMUM = int(os.environ.get("OPENCSE_CORRESPONDENCE_UPLOAD_MAXIMUM", str(20 * 1024 * 1024)))
STATICFILES_DIRS = [d for n in ("@uswds/uswds", "htmx.org") if (d := Path.cwd() / "node_modules" / n / "dist").exists()]

SESSION_COOKIE_HTTPONLY = True
# Idle timeout (NIST SP 800-53 AC-12, IRS Publication 1075): each request renews the session; a session
# unused for OPENCSE_SESSION_IDLE_MINUTES ends, and the next request goes to the sign-in page.
SESSION_COOKIE_AGE = int(os.environ.get("OPENCSE_SESSION_IDLE_MINUTES", "15")) * 60
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and os.environ.get("OPENCSE_SECRET_KEY"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60  # browsers come back over HTTPS only, for a year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
if os.environ.get("OPENCSE_TLS_PROXY") == "1":  # TLS ends at a proxy that sets X-Forwarded-Proto (and strips it)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

OPENCSE_FIELD_KEY = os.environ.get("OPENCSE_FIELD_KEY", "")
OPENCSE_STATE = os.environ.get("OPENCSE_STATE", "MS")  # the jurisdiction this installation serves
# Interest on arrears: the parameter file to use instead of <state>/interest.yaml (src/opencse/ledger/interest.py).
OPENCSE_INTEREST_PARAMS = os.environ.get("OPENCSE_INTEREST_PARAMS", "")
# The disbursement unit's bank (ODFI) for outgoing direct deposits (NACHA PPD credits). The defaults are
# a test routing number and names for the demo; production sets its own.
OPENCSE_ODFI_ROUTING = os.environ.get("OPENCSE_ODFI_ROUTING", "011000015")
OPENCSE_ODFI_NAME = os.environ.get("OPENCSE_ODFI_NAME", "DISBURSEMENT BANK")
OPENCSE_SDU_NAME = os.environ.get("OPENCSE_SDU_NAME", "STATE DISBURSEMENT UNIT")
# Where employers send withheld support (the Income Withholding for Support's "Remit payment to"); lines split by |.
OPENCSE_SDU_ADDRESS = os.environ.get("OPENCSE_SDU_ADDRESS", "P.O. Box 1001|Capital City, MS 39299")
OPENCSE_SDU_COMPANY_ID = os.environ.get("OPENCSE_SDU_COMPANY_ID", "1640000000")  # "1" + the agency's FEIN
OPENCSE_IVA_AGENCY_NAME = os.environ.get("OPENCSE_IVA_AGENCY_NAME", "State TANF agency (assistance reimbursement)")
# The agency that signs the documents (opencse.documents, docs/documents.md). The defaults name a demonstration
# agency, so a demo letter can never pass for a real one; production sets its own. Address lines are separated
# by "|". The letterhead is an optional image file (PNG or SVG) printed at the top of every document.
OPENCSE_AGENCY_NAME = os.environ.get("OPENCSE_AGENCY_NAME", "OpenCSE Demonstration Child Support Agency")
OPENCSE_AGENCY_ADDRESS = os.environ.get("OPENCSE_AGENCY_ADDRESS", "P.O. Box 1000|Capital City, MS 39299")
OPENCSE_AGENCY_PHONE = os.environ.get("OPENCSE_AGENCY_PHONE", "(800) 555-0100")
OPENCSE_AGENCY_EMAIL = os.environ.get("OPENCSE_AGENCY_EMAIL", "documents@demo.opencse.invalid")
OPENCSE_AGENCY_LETTERHEAD = os.environ.get("OPENCSE_AGENCY_LETTERHEAD", "")
# Credit bureau reporting (Metro 2, docs/interfaces/metro2.md): the furnisher's Identification Number and the
# program identifiers each consumer reporting agency assigns the agency. The demo default names no real furnisher.
OPENCSE_CREDIT_FURNISHER_ID = os.environ.get("OPENCSE_CREDIT_FURNISHER_ID", "DEMO00000")
OPENCSE_CREDIT_EQUIFAX_ID = os.environ.get("OPENCSE_CREDIT_EQUIFAX_ID", "")
OPENCSE_CREDIT_EXPERIAN_ID = os.environ.get("OPENCSE_CREDIT_EXPERIAN_ID", "")
OPENCSE_CREDIT_TRANSUNION_ID = os.environ.get("OPENCSE_CREDIT_TRANSUNION_ID", "")
OPENCSE_CREDIT_INNOVIS_ID = os.environ.get("OPENCSE_CREDIT_INNOVIS_ID", "")
# What a document prints instead of a family-violence-protected party's address (42 U.S.C. 654(26)).
ADDRESS_WITHHELD = "Address of record withheld (family violence indicator): deliver through the agency."
OPENCSE_ADDRESS_WITHHELD_TEXT = os.environ.get("OPENCSE_ADDRESS_WITHHELD_TEXT", ADDRESS_WITHHELD)
# A directory of the agency's own document templates, searched before the ones shipped with OpenCSE
# (<state or us>/<kind>/v<N>.yaml and .html, as in src/opencse/documents/templates/documents/).
OPENCSE_DOCUMENT_TEMPLATES_DIR = os.environ.get("OPENCSE_DOCUMENT_TEMPLATES_DIR", "")
DEFAULT_FROM_EMAIL = os.environ.get("OPENCSE_FROM_EMAIL", OPENCSE_AGENCY_EMAIL)
EMAIL_BACKEND = os.environ.get("OPENCSE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("OPENCSE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("OPENCSE_EMAIL_PORT", "25"))
EMAIL_USE_TLS = os.environ.get("OPENCSE_EMAIL_USE_TLS", "") == "1"
LOCKOUT_FAILURES_MAXIMUM = 5
LOCKOUT_MINUTES = 15
# Requests per client and minute (opencse.security.middleware): sign-in per address; search and the API
# per user or token.
RATE_LIMITS_PER_MINUTE = {
    "signin": int(os.environ.get("OPENCSE_RATE_SIGNIN_PER_MINUTE", "20")),
    "search": int(os.environ.get("OPENCSE_RATE_SEARCH_PER_MINUTE", "60")),
    "api": int(os.environ.get("OPENCSE_RATE_API_PER_MINUTE", "600")),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENCSE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},  # its progress lines ("Step 5 - Creating layout") on every document
        "fontTools": {"level": "WARNING"},
    },
}
