"""The one settings module of Masarat, driven by environment variables (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from masarat.env import env_bool, env_int, env_list, env_probability, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("MASARAT_DATA_DIR", str(Path.cwd() / "var")))

# Production is the default: a deployment that forgets a variable stays safe.
DEBUG = env_bool("MASARAT_DEBUG", False)
DEMO = env_bool("MASARAT_DEMO", False)
INSECURE_TRANSPORT = DEBUG or DEMO or env_bool("MASARAT_INSECURE_TRANSPORT", False)

SECRET_KEY = env_str("MASARAT_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured("MASARAT_SECRET_KEY (or MASARAT_SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = "masarat-demo-only-secret-key-never-use-in-production-0123456789"  # noqa: S105

# Keys that encrypt identities at rest (see masarat/vault/keys.py). Never stored in the database.
MASARAT_ENCRYPTION_KEYS = env_str("MASARAT_ENCRYPTION_KEYS")
MASARAT_BLIND_INDEX_KEY = env_str("MASARAT_BLIND_INDEX_KEY")
MASARAT_DEMO_KEYS_ALLOWED = DEBUG or DEMO
if not (MASARAT_ENCRYPTION_KEYS and MASARAT_BLIND_INDEX_KEY) and not MASARAT_DEMO_KEYS_ALLOWED:
    raise ImproperlyConfigured(
        "MASARAT_ENCRYPTION_KEYS and MASARAT_BLIND_INDEX_KEY (or their _FILE variants) must be set in production."
    )

ALLOWED_HOSTS = env_list("MASARAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if INSECURE_TRANSPORT else [])
CSRF_TRUSTED_ORIGINS = env_list("MASARAT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "masarat.web",
    "masarat.organisations",
    "masarat.accounts",
    "masarat.audit",
    "masarat.deadlines",
    "masarat.vault",
    "masarat.people",
    "masarat.matching",
    "masarat.duplicates",
    "masarat.cases",
    "masarat.screening",
    "masarat.referrals",
    "masarat.statistics",
    "masarat.actionplan",
    "masarat.directory",
    "masarat.consent",
    "masarat.pathways",
    "masarat.care",
    "masarat.proceedings",
    "masarat.documents",
    "masarat.api",
    "masarat.backups",
    "masarat.rights",
    "masarat.rectification",
    "masarat.sensitive",
    "masarat.htcds",
    "masarat.webhooks",
    "masarat.transnational",
    "masarat.imports",
    "masarat.notifications",
    "masarat.operations",
    "masarat.demo",
]

MIDDLEWARE = [
    "masarat.operations.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "masarat.accounts.middleware.IdleTimeoutMiddleware",
    "masarat.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masarat.audit.middleware.RequestContextMiddleware",
    "masarat.web.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "masarat.urls"
WSGI_APPLICATION = "masarat.wsgi.application"

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
                "django.template.context_processors.i18n",
                "masarat.web.context_processors.navigation",
                "masarat.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'masarat.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("MASARAT_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The statistics' covering indexes carry extra columns on PostgreSQL; SQLite (the demo) builds them
# without, which is what it says at every migrate: silence that one notice there.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "masarat.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in security (see README, "Sign-in security").
# A second factor (TOTP app, with recovery codes) for every account; optional only in the demo.
MASARAT_MFA_REQUIRED = env_bool("MASARAT_MFA_REQUIRED", not (DEBUG or DEMO))
MASARAT_IDLE_TIMEOUT_MINUTES = env_int("MASARAT_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
MASARAT_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = "Masarat"
# After MASARAT_LOCKOUT_FAILURES failed sign-ins, the username is locked from that address.
AXES_FAILURE_LIMIT = env_int("MASARAT_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MASARAT_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "masarat.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "masarat.audit.middleware.client_address"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["masarat.formats"]
USE_TZ = True
TIME_ZONE = env_str("MASARAT_TIME_ZONE", "Africa/Casablanca")
LANGUAGE_COOKIE_NAME = "masarat_language"
LANGUAGE_COOKIE_SECURE = not INSECURE_TRANSPORT
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("MASARAT_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or DEMO)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO

# Transport and cookie security: strict unless explicitly running the local demo.
SESSION_COOKIE_SECURE = not INSECURE_TRANSPORT
CSRF_COOKIE_SECURE = not INSECURE_TRANSPORT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("MASARAT_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = not INSECURE_TRANSPORT
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # probes speak plain HTTP to the application server
SECURE_HSTS_SECONDS = 0 if INSECURE_TRANSPORT else env_int("MASARAT_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not INSECURE_TRANSPORT
SECURE_HSTS_PRELOAD = not INSECURE_TRANSPORT and env_bool("MASARAT_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies in front of Masarat append to X-Forwarded-For (for the audit trail's addresses).
MASARAT_TRUSTED_PROXY_COUNT = env_int("MASARAT_TRUSTED_PROXY_COUNT", 0, minimum=0)
if env_bool("MASARAT_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "masarat.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "masarat.api.pagination.CasePagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "masarat.api.errors.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Masarat API",
    "DESCRIPTION": "Referrals, cases and identification decisions of the national referral mechanism.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "masarat.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {"ServiceOutcomeEnum": "masarat.pathways.vocabulary.Outcome",
                            "ServiceKindEnum": "masarat.directory.vocabulary.ServiceKind",
                            "ServiceReferralStatusEnum": "masarat.pathways.vocabulary.ReferralStatus"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MASARAT_LOG_LEVEL", "INFO")},
    # django-axes logs every start and every failed sign-in at INFO; lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Deadlines of the mechanism (see masarat/deadlines). Configurable per deployment.
MASARAT_DEADLINES = {
    "acknowledge_working_days": env_int("MASARAT_ACKNOWLEDGE_WORKING_DAYS", 1, minimum=0),
    "preliminary_decision_working_days": env_int("MASARAT_PRELIMINARY_WORKING_DAYS", 5, minimum=1),
    "reflection_period_days": env_int("MASARAT_REFLECTION_PERIOD_DAYS", 30, minimum=1),
    "negative_review_working_days": env_int("MASARAT_NEGATIVE_REVIEW_WORKING_DAYS", 5, minimum=1),
    "formal_decision_working_days": env_int("MASARAT_FORMAL_DECISION_WORKING_DAYS", 5, minimum=0),
    "information_request_working_days": env_int("MASARAT_INFORMATION_REQUEST_WORKING_DAYS", 10, minimum=1),
}
# Law 09-08: identities are erased this many years after the person's last case was closed
# (longer for identified victims, whose proceedings and assistance can last), unless a legal hold applies.
MASARAT_WEBHOOK_MAX_ATTEMPTS = env_int("MASARAT_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
MASARAT_WEBHOOK_BACKOFF_SECONDS = env_int("MASARAT_WEBHOOK_BACKOFF_SECONDS", 30, minimum=1)
MASARAT_WEBHOOK_TIMEOUT_SECONDS = env_int("MASARAT_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)

# Transnational referrals (see masarat/transnational): this instance's private keys (X25519 for
# encryption, Ed25519 for signatures; never in the database), the countries packages may go to
# (Law 09-08, art. 43: adequate protection or a CNDP authorisation; empty: none) and how long a package is valid.
MASARAT_TRANSNATIONAL_ENCRYPTION_KEY = env_str("MASARAT_TRANSNATIONAL_ENCRYPTION_KEY")
MASARAT_TRANSNATIONAL_SIGNING_KEY = env_str("MASARAT_TRANSNATIONAL_SIGNING_KEY")
MASARAT_TRANSFER_COUNTRIES = [code.upper() for code in env_list("MASARAT_TRANSFER_COUNTRIES")]
MASARAT_PACKAGE_EXPIRY_DAYS = env_int("MASARAT_PACKAGE_EXPIRY_DAYS", 30, minimum=1)
# E-mail of notifications and daily digests (sent by `masarat worker`): printed on the console in the
# demo, sent through an SMTP relay otherwise. Links in e-mails start with MASARAT_SITE_URL.
MASARAT_SITE_URL = env_str("MASARAT_SITE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = env_str("MASARAT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MASARAT_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("MASARAT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("MASARAT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("MASARAT_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("MASARAT_EMAIL_TIMEOUT_SECONDS", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("MASARAT_EMAIL_FROM", "masarat@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = ("django.core.mail.backends.console.EmailBackend" if DEMO or DEBUG
                 else "django.core.mail.backends.smtp.EmailBackend")
MASARAT_EMAIL_MAX_ATTEMPTS = env_int("MASARAT_EMAIL_MAX_ATTEMPTS", 8, minimum=1)

MASARAT_RETENTION_YEARS = {
    "identified": env_int("MASARAT_RETENTION_IDENTIFIED_YEARS", 10, minimum=1),
    "other": env_int("MASARAT_RETENTION_OTHER_YEARS", 3, minimum=1),
}
# Prometheus scrapes /metrics with "Authorization: Bearer <token>"; without a token, /metrics does not exist.
MASARAT_METRICS_TOKEN = env_str("MASARAT_METRICS_TOKEN")
# "Breaking the glass": how long an emergency access to a case outside one's region lasts.
MASARAT_EMERGENCY_ACCESS_HOURS = env_int("MASARAT_EMERGENCY_ACCESS_HOURS", 4, minimum=1)
# Service referrals: how long a provider has to accept or decline (clock hours: shelters work every day).
MASARAT_REFERRAL_RESPONSE_HOURS = env_int("MASARAT_REFERRAL_RESPONSE_HOURS", 48, minimum=1)
MASARAT_EMERGENCY_SHELTER_RESPONSE_HOURS = env_int("MASARAT_EMERGENCY_SHELTER_RESPONSE_HOURS", 4, minimum=1)
MASARAT_DOCUMENT_MAX_BYTES = env_int("MASARAT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Imports of existing case lists (masarat/imports): limits on an uploaded file, and up to how many
# rows a file is checked and recorded in the web request (larger ones by `masarat import work`).
MASARAT_IMPORT_MAX_BYTES = env_int("MASARAT_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
MASARAT_IMPORT_MAX_ROWS = env_int("MASARAT_IMPORT_MAX_ROWS", 50_000, minimum=1)
MASARAT_IMPORT_MAX_COLUMNS = env_int("MASARAT_IMPORT_MAX_COLUMNS", 100, minimum=1)
MASARAT_IMPORT_MAX_CELL = env_int("MASARAT_IMPORT_MAX_CELL", 20_000, minimum=100)
MASARAT_IMPORT_INLINE_ROWS = env_int("MASARAT_IMPORT_INLINE_ROWS", 200, minimum=0)
MASARAT_REFERENCE_PREFIX = env_str("MASARAT_REFERENCE_PREFIX", "MNR")
# The country of the mechanism: persons of another nationality get the residence and return sections.
MASARAT_COUNTRY = env_str("MASARAT_COUNTRY", "MA")
MASARAT_PHONE_DEFAULT_REGION = env_str("MASARAT_PHONE_DEFAULT_REGION", "MA")
# Duplicates: a new referral whose person is this likely (0 to 1) to be an existing one is linked to
# it without waiting for a coordinator (audited, reversible). Unset: never; a coordinator decides.
MASARAT_AUTO_LINK_SCORE = env_probability("MASARAT_AUTO_LINK_SCORE")


# Statistics (see masarat/statistics): disclosure control of everything an analyst sees or exports.
# Counts of people from 1 to MASARAT_STATISTICS_MIN_CELL - 1 are hidden, with complementary cells.
MASARAT_STATISTICS_MIN_CELL = env_int("MASARAT_STATISTICS_MIN_CELL", 5, minimum=2)
# k of the k-anonymous CTDC export (each combination of published values describes at least k people).
MASARAT_STATISTICS_CTDC_K = env_int("MASARAT_STATISTICS_CTDC_K", 11, minimum=2)
# Differential privacy of published tables: epsilon spent per release, and per calendar year at most.
MASARAT_STATISTICS_EPSILON = env_str("MASARAT_STATISTICS_EPSILON", "0.5")
MASARAT_STATISTICS_PRIVACY_BUDGET = env_str("MASARAT_STATISTICS_PRIVACY_BUDGET", "2.0")
# Fonts of the PDF reports (TrueType, with Arabic glyphs): Debian's fonts-dejavu-core by default.
MASARAT_PDF_FONT = env_str("MASARAT_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MASARAT_PDF_FONT_BOLD = env_str("MASARAT_PDF_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# Population figures for rates per 100,000 (GLOTIP / SDG 16.2.2); empty: the file shipped in masarat/statistics/data.
MASARAT_POPULATION_FILE = env_str("MASARAT_POPULATION_FILE")
