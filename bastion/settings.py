"""Bastion settings, read from the environment (12-factor).

BASTION_ENV selects the mode:
  production  (default) safe defaults: no DEBUG, HTTPS only, secrets must be given.
  development what `make run` uses: plain HTTP on loopback, a generated secret key under var/.
  test        what the test suite uses (see bastion/settings_test.py).
Everything else is an environment variable documented in docs/configuration.md.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


BASTION_ENV = env("BASTION_ENV", "production")
if BASTION_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"BASTION_ENV must be production, development or test, not {BASTION_ENV!r}")
PRODUCTION = BASTION_ENV == "production"

VAR_DIR = Path(env("BASTION_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required in production mode")
    # Development and tests keep a generated key in var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", BASTION_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    "bastion.core",
    "bastion.audit",
    "bastion.accounts",
    "bastion.merchants",
    "bastion.catalog",
    "bastion.inventory",
    "bastion.payments",
    "bastion.shipping",
    "bastion.cart",
    "bastion.orders",
    "bastion.ops",
    "bastion.storefront",
    "bastion.seller",
    "bastion.console",
    "bastion.security",
]

MIDDLEWARE = [
    "bastion.core.middleware.RequestIdMiddleware",
    "bastion.core.middleware.ApiProblemMiddleware",
    "bastion.ops.metrics.MetricsMiddleware",
    "bastion.security.waf.middleware.WafMiddleware",
    "bastion.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bastion.accounts.middleware.SessionTimeoutMiddleware",
    "bastion.ops.middleware.MaintenanceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bastion.urls"
WSGI_APPLICATION = "bastion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bastion" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bastion.accounts.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. It is tuned so that a committed order is never lost:
#   journal_mode=WAL     readers do not block the writer and vice versa;
#   synchronous=FULL     every commit is fsynced before it returns (WAL+NORMAL may lose the
#                        last transactions on power loss; an order is worth an fsync);
#   IMMEDIATE            a write transaction takes the write lock at BEGIN, so two writers
#                        queue on busy_timeout instead of failing with "database is locked"
#                        half-way through (the deferred default cannot be retried safely);
#   busy_timeout         how long a writer waits for the lock before giving up;
#   foreign_keys=ON      referential integrity enforced by the engine.
SQLITE_PATH = VAR_DIR / "bastion.sqlite3"
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA busy_timeout={env_int('SQLITE_BUSY_TIMEOUT_SECONDS', 20) * 1000};"
            "PRAGMA cache_size=-20000;"
            "PRAGMA temp_store=MEMORY"
        ),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 connection pool inside each server process; CONN_MAX_AGE must stay 0 with it.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "pool": {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        },
    }
else:
    raise ImproperlyConfigured(f"DATABASE_URL must be sqlite:// or postgres://, not {_db['ENGINE']}")
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, rate-limit counters, task queue -------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "bastion"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", "bastion"),
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bastion",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "bastion",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": False,
    }

# --- Identity ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bastion.accounts.backends.EmailRoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "bastion.accounts.passwords.CommonPasswordVariantValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "storefront:signin"
LOGIN_REDIRECT_URL = "storefront:home"
EMAIL_VERIFICATION_MAX_AGE = timedelta(hours=env_int("EMAIL_VERIFICATION_HOURS", 48))
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)

# Brute-force protection: a lockout after AXES_FAILURE_LIMIT failures on one account, or from
# one client address, for AXES_COOLOFF. The response is the same for known and unknown
# accounts, so a lockout tells nothing about whether an account exists.
# Failed sign-ins are kept in the database in both modes: they are security evidence, not a cache.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
# A success must not wipe the failures counted against the client address, or one attacker could
# guess across many accounts and reset the count by signing into their own; failures expire anyway.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "bastion.core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "bastion.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Abuse-prone flows that send mail or probe accounts, per client address and per email address.
RATE_LIMITS = {
    "register": env("RATE_LIMIT_REGISTER", "10/hour"),
    "password_reset": env("RATE_LIMIT_PASSWORD_RESET", "5/hour"),
    "verification_mail": env("RATE_LIMIT_VERIFICATION_MAIL", "5/hour"),
}

# --- Sessions ------------------------------------------------------------------------------
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_TRANSPORT = env_bool("SECURE_TRANSPORT", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_TRANSPORT
CSRF_COOKIE_SECURE = SECURE_TRANSPORT
if SECURE_TRANSPORT:
    # __Host- cookies are only sent over HTTPS, to this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-bastion-session"
    CSRF_COOKIE_NAME = "__Host-bastion-csrf"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
else:
    SESSION_COOKIE_NAME = "bastion-session"
    CSRF_COOKIE_NAME = "bastion-csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Request limits ------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_BYTES", 1024 * 1024)
MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "bastion" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "media")}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Mail ----------------------------------------------------------------------------------
# Development writes each message to var/mail/ so the verification link can be opened.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Bastion <no-reply@bastion.local>")

# --- MFA -----------------------------------------------------------------------------------
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Bastion")
OTP_TOTP_THROTTLE_FACTOR = 1
MFA_BACKUP_CODE_COUNT = 10

# --- Audit ledger checkpoints --------------------------------------------------------------
# An Ed25519 key (PEM, PKCS#8) signs Merkle checkpoints of the ledger. Development and tests
# generate it on first use (mode 0600); production refuses to sign without it. Each checkpoint is
# also appended to the witness file, outside the database: keep it on another disk or ship it away.
AUDIT_SIGNING_KEY_FILE = Path(env("AUDIT_SIGNING_KEY_FILE", str(VAR_DIR / "ledger-signing.key")))
AUDIT_WITNESS_FILE = Path(env("AUDIT_WITNESS_FILE", str(VAR_DIR / "ledger-witness.log")))
AUDIT_CHECKPOINT_EVERY_ENTRIES = env_int("AUDIT_CHECKPOINT_EVERY_ENTRIES", 100)
AUDIT_CHECKPOINT_EVERY_MINUTES = env_int("AUDIT_CHECKPOINT_EVERY_MINUTES", 10)

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bastion.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "WARNING"}},
}

if PRODUCTION:
    missing = [name for name in ("ALLOWED_HOSTS",) if not env(name)]
    if missing:
        raise ImproperlyConfigured(f"{', '.join(missing)} required in production mode")

# --- Snapshot backups of the SQLite database (bastion/ops/backups; issue 6) -------------------
# BACKUP_DIR is the backup media folder; in production put it on other storage than var/.
# The backup key is 32 random bytes: BACKUP_KEY (base64) wins over BACKUP_KEY_FILE (a 0600 file
# holding the base64). Development and test create the file on first use; production refuses to
# back up without a key rather than write an unencrypted or unrecoverable backup. Keep a copy of
# the key away from the backups: without it no backup can be restored.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups"))).resolve()
BACKUP_KEY = env("BACKUP_KEY")
BACKUP_KEY_FILE = Path(env("BACKUP_KEY_FILE", str(VAR_DIR / "backup.key")))
BACKUP_KEEP_FULL = env_int("BACKUP_KEEP_FULL", 4)
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 14)

# --- Web application firewall (bastion.security.waf) ---------------------------------------
# Every request passes through ModSecurity v3 (the `libmodsecurity` bindings) with the OWASP Core
# Rule Set from Debian's modsecurity-crs, before anything else acts on it. Values are checked
# when the WAF starts (bastion/security/waf/config.py); a wrong one refuses start-up.
#   WAF_MODE                       block (default) | detect (record, let through) | off
#   WAF_PARANOIA_LEVEL             1-4, the CRS paranoia level (1: fewest false positives)
#   WAF_INBOUND_ANOMALY_THRESHOLD  the CRS anomaly score that blocks (5 = one critical match)
#   WAF_RULES_DIR, WAF_CRS_SETUP   where the CRS rules and its setup file are (Debian's paths)
#   WAF_ALLOW_MISSING_RULES        production only: true runs WITHOUT a WAF when the rules are
#                                  missing instead of refusing to start (development and test
#                                  always run "degraded", loudly logged, when they are missing)
# Per-route exclusions, each with its reason: bastion/security/waf_exclusions.conf.
WAF_MODE = env("WAF_MODE", "block")
WAF_PARANOIA_LEVEL = env_int("WAF_PARANOIA_LEVEL", 1)
WAF_INBOUND_ANOMALY_THRESHOLD = env_int("WAF_INBOUND_ANOMALY_THRESHOLD", 5)
WAF_RULES_DIR = env("WAF_RULES_DIR", "/usr/share/modsecurity-crs/rules")
WAF_CRS_SETUP = env("WAF_CRS_SETUP", "/etc/modsecurity/crs/crs-setup.conf")
WAF_ALLOW_MISSING_RULES = env_bool("WAF_ALLOW_MISSING_RULES", False)

# --- Metrics --------------------------------------------------------------------------------
# /metrics answers a scraper that sends this token as a Bearer token, and signed-in operations
# staff; nobody else. Empty: staff only.
METRICS_TOKEN = env("METRICS_TOKEN")
# Monitor readings (one set a minute, taken by the worker) are kept this many days.
MONITOR_RETENTION_DAYS = env_int("MONITOR_RETENTION_DAYS", 14)

# --- Continuous replication (Litestream, SQLite only) ---------------------------------------
# Where `bastion run` replicates the SQLite database to; empty turns replication off.
# A folder by default; s3://bucket/path (with LITESTREAM_ACCESS_KEY_ID etc.) for object storage.
LITESTREAM_REPLICA_URL = env("LITESTREAM_REPLICA_URL", f"file://{VAR_DIR / 'replica'}")

# --- Payments and the sandbox gateway (bastion/payments, bastion/sandbox; issue 3) ----------
# PAYMENT_GATEWAY_URL          where Bastion calls the gateway's API (the sandbox by default)
# PAYMENT_GATEWAY_SECRET_KEY   the API secret key Bastion sends as a Bearer token
# PAYMENT_WEBHOOK_SECRET       the secret webhooks are signed with (Standard Webhooks HMAC-SHA256)
# SANDBOX_WEBHOOK_URL          where the sandbox gateway delivers its webhooks (Bastion's endpoint)
# Development and test generate both secrets once under VAR_DIR (0600 files) so that Bastion and
# the sandbox gateway started by `bastion sandbox-gateway` agree. Production never generates them:
# unset, they stay empty and payments fail closed (every webhook is refused with 503, no call
# reaches the gateway) and `bastion check` reports the error payments.E001.


def _payment_secret(name: str) -> str:
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        return ""
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


PAYMENT_GATEWAY_URL = env("PAYMENT_GATEWAY_URL", "http://127.0.0.1:8701").rstrip("/")
PAYMENT_GATEWAY_SECRET_KEY = _payment_secret("PAYMENT_GATEWAY_SECRET_KEY")
PAYMENT_WEBHOOK_SECRET = _payment_secret("PAYMENT_WEBHOOK_SECRET")
SANDBOX_WEBHOOK_URL = env("SANDBOX_WEBHOOK_URL", f"{SITE_URL}/api/v1/payments/webhooks/sandbox")
