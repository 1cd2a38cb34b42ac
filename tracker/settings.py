"""
Settings for the study-and-follow tracker.

Everything comes from environment variables (see .env.example). For local runs,
`make run` and `make test` write a git-ignored `.env` with DEBUG on and a random
SECRET_KEY; real environment variables always win over that file.
"""

import os
import sys
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_env_file(path):
    """Load KEY=VALUE lines from a local .env file without overriding the environment."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_read_env_file(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=1 for a local run."
        )
    SECRET_KEY = "insecure-local-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tracker",  # the project's own commands (backup) and checks
    "simple_history",
    "axes",
    "import_export",
    "units",
    "activities",
    "members",
    "reporting",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server, compressed and cached for good.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.periods",
            ],
        },
    },
    # For the few templates with a thousand rows (the quarter overview's table), which
    # Django's engine renders in about a second: Jinja2 takes a few tens of milliseconds.
    # Its templates live in <app>/jinja2/.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "tracker.jinja2.environment", "extensions": ["jinja2.ext.i18n"]},
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'tracker.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one person saves; IMMEDIATE takes the write lock
    # when a transaction starts, so concurrent saves wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite creates a missing file when it connects: a database file moved or not yet
    # restored would come back empty, every page a 500. So the file is opened only if
    # it exists, and a missing one is an error the health check reports; `migrate`
    # (tracker/management/commands/migrate.py; `make run` and bin/deploy run it first)
    # creates it. `makemigrations` may create it too: it only reads the migration
    # history, and on a fresh clone (`make test` runs it first) there is no file yet.
    # Tests use a database of their own, in memory.
    name = DATABASES["default"]["NAME"]
    if name != ":memory:" and sys.argv[1:2] != ["makemigrations"]:
        DATABASES["default"]["NAME"] = f"file:{quote(str(name))}?mode=rw"

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT off for every connection: it compiles a statement when its planned cost is
    # high, not when its rows are many, and the reports' statements are short. Measured
    # on the demo province (bench/README.md, python -m bench.pages): the declared
    # figures of the whole bloc took 4.8 s with JIT, 0.3 s without; the overview's
    # statement the same either way.
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}

# A read replica (optional): the report pages and their downloads read from it, everything
# else reads and writes the primary (tracker/db_router.py, tracker/middleware.py). Without
# REPLICA_DATABASE_URL there is no second database, no router and no middleware.
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS") or 5)
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    # The replica answers the same statements as the primary: JIT off there too.
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["OPTIONS"] = {"options": "-c jit=off"}
    # Tests never open the configured replica: Django points this alias at the primary's
    # test database (test_<name>), so the suite runs as it does without a replica. The
    # streaming-replica tests (tracker/tests/test_replica_streaming.py) point it at the
    # replica's host and port themselves, where that test database arrives by replication.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tracker.db_router.ReplicaRouter"]
    # First, so that it wraps every other middleware and the view.
    MIDDLEWARE.insert(0, "tracker.middleware.ReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The quarterly report document: the place in its date line, the superior named above
# a top unit (a unit's own parent is named otherwise), and the signer's title.
REPORT_PLACE = os.environ.get("REPORT_PLACE") or "Đồng Nai"
REPORT_SUPERIOR = os.environ.get("REPORT_SUPERIOR") or "Đảng bộ tỉnh Đồng Nai"
REPORT_SIGNER_TITLE = os.environ.get("REPORT_SIGNER_TITLE") or "Bí thư"

# Mail (the reporting cycle's reminders and summaries, `manage.py send_reminders`):
# SMTP when EMAIL_HOST is set, else printed on the console (a local run).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL") or "Theo dõi Học tập và làm theo Bác <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for the links in emails, e.g. https://tracker.example.vn
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Where `manage.py backup` writes its snapshots unless told otherwise.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language, time and formats: Vietnamese by default, English on request; dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["tracker.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there at start
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, `collectstatic` writes each file under a name with its hash and
    # a compressed copy; WhiteNoise serves them with a cache lifetime of a year.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# Where a login lands when its `next` is missing or off-site (Django ignores those).
LOGIN_REDIRECT_URL = "activities:home"
# A form whose token went stale: a Vietnamese page that says to reload it.
CSRF_FAILURE_VIEW = "tracker.views.csrf_failure"

# Failed logins: after AXES_FAILURE_LIMIT failures for the same user name from the
# same address, that pair is locked out for AXES_COOLOFF_HOURS. Successful login
# resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.middleware.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tracker.middleware.client_ip"
# How many reverse proxies stand in front of the app; behind them the client's
# address is read from X-Forwarded-For, never trusted otherwise.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Import and export (django-import-export). Each needs its own permission
# (import_<model>, export_<model>); an import runs in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# The audit history records each imported row; one admin log entry per row is noise.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Refused before the file is read whole.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
# What an XLSX may hold once unpacked: a few kilobytes of XLSX can unpack to gigabytes.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES") or 200 * 1024 * 1024)

# A checked upload waits for its confirm in the "imports" cache, a table in the database
# (`manage.py createcachetable` makes it): every app server sees it, and it expires
# IMPORT_UPLOAD_TTL seconds after the preview (tracker/imports/storage.py). Expired
# entries cannot be read; their rows are deleted when read or when the table passes
# MAX_ENTRIES at a write (expired ones first). Nothing else is cached.
IMPORT_UPLOAD_TTL = int(os.environ.get("IMPORT_UPLOAD_TTL") or 2 * 60 * 60)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "imports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tracker_import_uploads",
        "TIMEOUT": IMPORT_UPLOAD_TTL,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Content-Security-Policy: scripts only from this site, never inline. The admin
# still sets a few inline style attributes, so styles allow them.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Production hardening; all on unless DEBUG. Behind a proxy that terminates TLS,
# the proxy must set X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health check speaks plain HTTP to the app server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
