"""Binôme settings, read from the environment.

Three modes: production (BINOME_PRODUCTION=true: strict, refuses demo data), demo
(BINOME_DEMO=true, as `make run` sets it) and the default used by the tests.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from binome.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BINOME_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("BINOME_PRODUCTION", False)
DEMO_MODE = env_bool("BINOME_DEMO", False)
DEBUG = env_bool("DEBUG", False)

if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("Demo mode is refused with production settings.")


def _secret_key() -> str:
    if PRODUCTION:
        key = env_str("SECRET_KEY", required=True)
        if len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        return key
    key = env_str("SECRET_KEY")
    if key:
        return key
    # Local runs keep a generated key under var/ so sessions survive restarts.
    from django.core.management.utils import get_random_secret_key

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "[::1]", "::1"}
if DEBUG and set(ALLOWED_HOSTS) - _LOCAL_HOSTS:
    # DEBUG pages leak settings and code: never on a host reachable by others.
    raise ImproperlyConfigured("DEBUG is refused with a public host in ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Links in e-mails (invitations, magic links) must not travel in clear text.
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the public https:// address in production.")

# Every domain app, in dependency order. Apps of later capabilities plug in here.
BINOME_APPS = [
    "binome.people",
    "binome.accounts",
    "binome.audit",
    "binome.web",
    "binome.api",
    "binome.partners",
    "binome.missions",
    "binome.accompaniment",
    "binome.tandems",
    "binome.involvement",
    "binome.voice",
    "binome.networks",
    "binome.compensation",
    "binome.steering",
    "binome.privacy",
    "binome.imports",
    "binome.messaging",
    "binome.fhir",
]

INSTALLED_APPS = [
    *BINOME_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "django_q",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "binome.web.middleware.PrivateAnswersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "binome.web.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "binome.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "binome.web.middleware.CurrentStructureMiddleware",
    "binome.accounts.middleware.SecondFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    # Turns django-ratelimit's block=True into our French 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "binome.urls"
WSGI_APPLICATION = "binome.wsgi.application"
AUTH_USER_MODEL = "people.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "binome" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "binome.web.context_processors.shell",
            ],
            "string_if_invalid": env_str("TEMPLATE_STRING_IF_INVALID", ""),
            # {% url %} through binome.core.reversing.reverse: the same URLs, reversed once each;
            # |date keeps Django's text per day (and minute) for formats that read no more.
            "builtins": [
                "binome.web.templatetags.fast_urls",
                "binome.web.templatetags.fast_dates",
            ],
        },
    },
    # The rows of long lists (binome.core.rows): Jinja2 templates under <app>/jinja2/.
    {
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "binome" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "binome.core.rows.environment"},
    },
]

# Django's widget templates written in Python, same HTML (binome/core/form_renderer.py).
FORM_RENDERER = "binome.core.form_renderer.FastRenderer"

# Database: SQLite (WAL) under var/ by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'binome.sqlite3'}")
# Persistent connections by default: opening a PostgreSQL connection per request halves
# the throughput (docs/performance.md); health checks drop a connection the server closed.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL searches every join order of up to join_collapse_limit tables (8 by default);
    # on our pages, planning a six-table join took 3.7 ms to run it in 0.2 ms. At 4, planning
    # takes 1.1 ms and the run 0.6 ms (docs/performance.md; PostgreSQL 15 documentation,
    # "Controlling the Planner with Explicit JOIN Clauses"). Sent when connecting, so no query
    # is added; 0 keeps the server's value (behind PgBouncer: docs/deployment.md).
    _collapse = env_int("DB_JOIN_COLLAPSE_LIMIT", 4)
    if _collapse:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c join_collapse_limit={_collapse}"
            f" -c from_collapse_limit={_collapse}"
        ).strip()
    # Prepared statements (psycopg 3): with server-side binding, a query run
    # DB_PREPARE_THRESHOLD times on a connection is prepared, and PostgreSQL may then skip
    # parsing and planning it. Behind PgBouncer in transaction mode it needs
    # max_prepared_statements (PgBouncer ≥ 1.21): docs/deployment.md.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        _options["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "binome",
    }
}
# Several workers or servers share one cache (rate limits, the network dashboard):
# REDIS_URL (redis://host:6379/0), or BINOME_CACHE=database after `binome createcachetable`
# (docs/deployment.md). With Redis, sessions are read from it first and written through to
# the database (cached_db), and the sign-in lockout counts there too.
REDIS_URL = env_str("REDIS_URL", "")
BINOME_CACHE = env_str("BINOME_CACHE", "redis" if REDIS_URL else "locmem")
if BINOME_CACHE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("BINOME_CACHE=redis needs REDIS_URL (redis://host:6379/0).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "binome",
            # A Redis that stops answering fails fast instead of holding every request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif BINOME_CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "binome_cache",
        }
    }
elif BINOME_CACHE != "locmem":
    raise ImproperlyConfigured(
        f"BINOME_CACHE must be 'locmem', 'database' or 'redis', got {BINOME_CACHE!r}."
    )

# Pro Santé Connect (ANS): OpenID Connect sign-in for health professionals, off unless an
# issuer and a client are configured. Issuer e.g. https://auth.esante.gouv.fr/auth/realms/esante-wallet
PSC_ISSUER = env_str("BINOME_PSC_ISSUER", "").rstrip("/")
PSC_CLIENT_ID = env_str("BINOME_PSC_CLIENT_ID", "")
PSC_CLIENT_SECRET = env_str("BINOME_PSC_CLIENT_SECRET", "")
PSC_REDIRECT_URL = env_str("BINOME_PSC_REDIRECT_URL", f"{SITE_URL}/connexion/psc/retour/")
PSC_SCOPE = env_str("BINOME_PSC_SCOPE", "openid scope_all")
PSC_ACR = env_str("BINOME_PSC_ACR", "eidas1")
if PRODUCTION and PSC_ISSUER and not PSC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("BINOME_PSC_ISSUER must be an https:// address in production.")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "binome.accounts.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sessions expire after two hours without activity, and with the browser. The idle
# deadline slides when the session is written; SessionActivityMiddleware writes it at most
# once every SESSION_REFRESH_SECONDS instead of on every request (a write per page view
# was three of the eight queries every page paid).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 60 * 60)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only allows submission to the preload list; the operator decides to submit.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Second factor (TOTP) and magic links for accompanied patients.
OTP_TOTP_ISSUER = "Binôme"
SESAME_MAX_AGE = env_int("SESAME_MAX_AGE", 30 * 60)
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "jeton"

# Login rate limiting: 5 failures per account and address, then 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form posts "username" (Django's AuthenticationForm), not the model's "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "binome.accounts.lockout.username_of"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if BINOME_CACHE == "redis":
    # Failed sign-ins counted in the shared cache: every app server sees the same lockout.
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
RATELIMIT_VIEW = "binome.web.views.ratelimited"

# Content Security Policy: nonces, no unsafe-inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "binome" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served publicly: files go through permission-checked views
# Uploaded files (proofs, receipts, evidence, photos): the local disk by default; with
# BINOME_S3_BUCKET, an S3-compatible object storage (django-storages), private objects only —
# files are still served by the views that check access, never by a bucket URL.
S3_BUCKET = env_str("BINOME_S3_BUCKET", "")
DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("BINOME_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("BINOME_S3_REGION", "") or None,
            "access_key": env_str("BINOME_S3_ACCESS_KEY", ""),
            "secret_key": env_str("BINOME_S3_SECRET_KEY", ""),
            "location": env_str("BINOME_S3_PREFIX", "media"),
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    from botocore.config import Config as _S3Config

    # Path-style addresses work with every S3-compatible server; a storage that stops
    # answering fails within seconds instead of holding the request.
    DEFAULT_STORAGE["OPTIONS"]["client_config"] = _S3Config(
        connect_timeout=3,
        read_timeout=10,
        retries={"max_attempts": 2},
        signature_version="s3v4",
        s3={"addressing_style": "path"},
    )
    if PRODUCTION and not env_str("BINOME_S3_SECRET_KEY", ""):
        raise ImproperlyConfigured(
            "BINOME_S3_BUCKET needs BINOME_S3_ACCESS_KEY and BINOME_S3_SECRET_KEY."
        )
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Upload limit for proofs, receipts and evidence files.
BINOME_MAX_UPLOAD_BYTES = env_int("BINOME_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

# SMS reminders (binome.messaging.sms): "file" writes var/sms/outbox.jsonl (demo, tests),
# "console" prints, "brevo" sends through Brevo's transactional SMS API, "off" offers e-mail only.
BINOME_SMS_BACKEND = env_str("BINOME_SMS_BACKEND", "off" if PRODUCTION else "file")
BINOME_SMS_BREVO_URL = env_str(
    "BINOME_SMS_BREVO_URL", "https://api.brevo.com/v3/transactionalSMS/send"
)
BINOME_SMS_BREVO_KEY = env_str("BINOME_SMS_BREVO_KEY")
BINOME_SMS_SENDER = env_str("BINOME_SMS_SENDER", "Binome")
BINOME_SMS_INBOUND_TOKEN = env_str("BINOME_SMS_INBOUND_TOKEN")
if BINOME_SMS_BACKEND not in ("off", "file", "console", "brevo"):
    raise ImproperlyConfigured(
        f"BINOME_SMS_BACKEND inconnu : {BINOME_SMS_BACKEND!r} (off, file, console ou brevo)."
    )
if BINOME_SMS_BACKEND == "brevo" and not BINOME_SMS_BREVO_KEY:
    raise ImproperlyConfigured(
        "BINOME_SMS_BACKEND=brevo demande BINOME_SMS_BREVO_KEY (la clé d'API Brevo)."
    )

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
if PRODUCTION and EMAIL_HOST_USER and not EMAIL_HOST_PASSWORD:
    # A forgotten secret would only show when the first invitation fails to leave.
    raise ImproperlyConfigured("EMAIL_HOST_PASSWORD is required when EMAIL_HOST_USER is set.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Binôme <ne-pas-repondre@binome.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: django-q2 on the database (ORM broker), no extra service needed.
Q_CLUSTER = {
    "name": "binome",
    "orm": "default",
    "workers": env_int("BINOME_WORKERS", 1),
    "timeout": 300,
    "retry": 600,
    "max_attempts": 3,
    "catch_up": False,
    "poll": 2,
    "sync": env_bool("BINOME_TASKS_SYNC", False),
    "label": "Tâches de fond",
}

# Audit log kept between 6 and 12 months (CNIL recommendation for access logs).
# An urgent alert nobody acknowledged goes to the coordination after this delay.
# An urgent alert goes to the referring professional at once; to the other named
# professionals after BINOME_ALERT_SECOND_LINE_MINUTES if nobody took it in charge.
BINOME_ALERT_SECOND_LINE_MINUTES = env_int("BINOME_ALERT_SECOND_LINE_MINUTES", 30)
BINOME_ALERT_ESCALATION_MINUTES = env_int("BINOME_ALERT_ESCALATION_MINUTES", 240)

AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
if not 180 <= AUDIT_RETENTION_DAYS <= 366:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be between 180 and 366.")

# A change audited outside its own transaction raises (tests, development) or is logged as
# an error (production and demo, where a missed path must not turn into a 500).
BINOME_AUDIT_STRICT = env_bool("BINOME_AUDIT_STRICT", not (PRODUCTION or DEMO_MODE))

# Pages keep the compiled SQL of the queries they repeat (binome/core/kept_sql.py); when
# true each query is built again on every call and must be the same (the tests turn it on).
BINOME_CHECK_KEPT_SQL = env_bool("BINOME_CHECK_KEPT_SQL", False)

# Error reporting (binome/core/error_reporting.py): e-mails to ADMINS ("Nom <adresse>" or
# addresses, comma-separated) and Sentry when SENTRY_DSN is set; neither carries what people
# typed nor the stack's variables.
ADMINS = [(address, address) for address in env_list("ADMINS", [])]
DEFAULT_EXCEPTION_REPORTER_FILTER = "binome.core.error_reporting.PersonalDataFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"level": "ERROR"},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "binome": {"handlers": ["mail_admins"], "level": "ERROR"},
    },
}
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from binome.core.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "demo"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )

SILENCED_SYSTEM_CHECKS = [
    # Locmem is atomic within one process; production uses one cache per worker and axes in DB.
    "django_ratelimit.E003",
    "django_ratelimit.W001",
]
