"""Django settings for AMIS.

Everything that differs between a laptop demo, CI and production comes from the environment
(`docs/security.md` lists what production sets, and `manage.py check --deploy` then warns of nothing):

- DATABASE_URL (dj-database-url format; a local SQLite file by default), AMIS_DATA_DIR (`var/`).
- AMIS_SECRET_KEY: required in production; see `secret_key` in `amis/keys.py` for the demo.
- AMIS_DEBUG, AMIS_ALLOWED_HOSTS.
- AMIS_HTTPS=1 behind HTTPS: secure cookies, redirect to https, HSTS (AMIS_HSTS_SECONDS, default a
  year; AMIS_HSTS_INCLUDE_SUBDOMAINS, AMIS_HSTS_PRELOAD, both on unless set to 0).
- AMIS_PROXY_SSL_HEADER: the header the reverse proxy sets to "https" (e.g. X-Forwarded-Proto); only
  set it when a proxy always sets or strips it, or clients could claim https themselves.
- AMIS_TRUSTED_PROXIES: how many reverse proxies of your own stand before AMIS (0: none, the client is
  REMOTE_ADDR), or AMIS_TRUSTED_CLIENT_IP_HEADER: the header one trusted proxy puts the client's
  address in (e.g. X-Real-IP). Login rate limits and the audit trail read the address this way
  (`amis.core.client_ip`).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from amis.keys import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("AMIS_DATA_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


DEBUG = _flag("AMIS_DEBUG")
SECRET_KEY = secret_key(DATA_DIR, debug=DEBUG)
ALLOWED_HOSTS = os.environ.get("AMIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# HTTPS (all off by default: the demo serves plain http on 127.0.0.1).
HTTPS = _flag("AMIS_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("AMIS_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _flag("AMIS_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and _flag("AMIS_HSTS_PRELOAD", default=True)
if os.environ.get("AMIS_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["AMIS_PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_HTTPONLY = True
# Who the client is, behind reverse proxies (read by amis.core.client_ip, for allauth and audit).
AMIS_TRUSTED_PROXIES = int(os.environ.get("AMIS_TRUSTED_PROXIES", "0"))
AMIS_TRUSTED_CLIENT_IP_HEADER = os.environ.get("AMIS_TRUSTED_CLIENT_IP_HEADER", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "amis.core",
    "amis.accounts",
    "amis.organisations",
    "amis.programme",
    "amis.calls",
    "amis.applications",
    "amis.integrity",
    "amis.selection",
    "amis.projects",
    "amis.reporting",
    "amis.verification",
    "amis.payments",
    "amis.declarations",
    "amis.evaluation",
    "amis.dashboard",
    "amis.annual_reports",
    "amis.audit",
    "amis.sampling",
    "amis.public",
    "amis.home",
    "amis.demo",
]

MIDDLEWARE = [
    "amis.core.health.HealthCheckMiddleware",  # /healthz, /readyz: before host checks and the log
    "amis.core.request_log.RequestLogMiddleware",  # request id, one JSON log line per request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amis.core.middleware.RefuseMalformedInputMiddleware",  # NUL characters, oversized bodies: 400
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "amis.core.middleware.CurrentRequestMiddleware",
    "amis.accounts.middleware.RequireTwoFactorMiddleware",
    "amis.accounts.middleware.LoginForRefusedAnonymousMiddleware",
]

ROOT_URLCONF = "amis.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "amis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amis.accounts.context_processors.navigation",
                "amis.home.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "amis.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'amis.sqlite3'}"),
        conn_max_age=int(os.environ.get("AMIS_CONN_MAX_AGE", "0")),  # `amis serve`: 60 by default
        conn_health_checks=True,  # a kept connection is checked before a request uses it
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
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

# Login with e-mail and password (django-allauth); TOTP for every authority role (allauth.mfa,
# enforced by RequireTwoFactorMiddleware); repeated failures lock the account out for a while
# (allauth rate limits: 5 failed logins per e-mail address per 15 minutes).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/15m/key"}
# The reset e-mail carries a short code typed into the page that asked for it, not a link with a key
# in its path: a key in a URL lands in the access logs of the proxy and the server, in the browser's
# history and in the Referer of the next page. The code is bound to the browser session that asked,
# tried at most 3 times and valid for 3 minutes (allauth's defaults).
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_ADAPTER = "amis.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AMIS] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AMIS"
# Accept the code of the neighbouring 30-second step too (RFC 6238 section 5.2: clock drift, and a
# code typed just as the step changes). A used code still cannot be replayed.
MFA_TOTP_TOLERANCE = 1
LOGIN_REDIRECT_URL = "/"
DEFAULT_FROM_EMAIL = os.environ.get("AMIS_FROM_EMAIL", "amis@amis.example")
# the address the footer gives for questions, the privacy notice and the accessibility statement
AMIS_CONTACT_EMAIL = os.environ.get("AMIS_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# The demo writes e-mails as files under var/mail (read confirmation links there); production
# sets AMIS_EMAIL_BACKEND to SMTP.
EMAIL_BACKEND = os.environ.get("AMIS_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
# Background work (receipts, decision notifications) goes through django-tasks' database backend:
# enqueued on commit of the change that caused it, run by `amis worker` (`amis demo` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The list of operations is published again by the task queue (`amis publications`, daily by cron)
# when the last publication covering a programme is this many days old, per programming period:
# CPR Art. 49(3) asks at least every four months for 2021-2027 (115 days leaves a margin for a refused
# publication to be put right), Del. Reg. (EU) No 1048/2014 once a year for 2014-2020.
AMIS_PUBLICATION_INTERVAL_DAYS = {"2021-2027": 115, "2014-2020": 360}
# An officer's publication on demand is built by the task queue; one queued or building that shows no
# progress for this many minutes (no worker, a worker killed mid-build) is shown as failed, and a new
# request for the same list gives it up (amis/public/publications.py).
AMIS_PUBLICATION_BUILD_TIMEOUT_MINUTES = int(os.environ.get("AMIS_PUBLICATION_BUILD_TIMEOUT_MINUTES", "30"))
# Shared by all processes, so login rate limits hold across workers (created by `amis demo` / migrate).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "amis_cache"}}

# The open-data API without login (/api/v1/public/..., amis/public/http.py): each client address may
# make AMIS_PUBLIC_API_RATE requests in every window of AMIS_PUBLIC_API_RATE_WINDOW seconds, counted in
# the cache above; past it 429 with Retry-After. 0 turns the limit off. Callers with a token are known
# and not limited.
AMIS_PUBLIC_API_RATE = int(os.environ.get("AMIS_PUBLIC_API_RATE", "120"))
AMIS_PUBLIC_API_RATE_WINDOW = int(os.environ.get("AMIS_PUBLIC_API_RATE_WINDOW", "60"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "amis" / "locale"]
# Dates and number marks per language (EU day-month order in English too): docs/translations.md
FORMAT_MODULE_PATH = ["amis.core.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of body besides uploaded files; more is refused with a 400
MEDIA_ROOT = Path(os.environ.get("AMIS_MEDIA_ROOT", DATA_DIR / "media"))  # uploaded documents (not public)
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("AMIS_STATIC_ROOT", DATA_DIR / "static"))  # `amis serve` gathers them here
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; the demo database lives beside it
STATICFILES_DIRS = [BASE_DIR / "amis" / "static"]
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "account_login"

# Uploaded documents: every read and write goes through Django's default storage (`amis.core.uploads`,
# the download views), so several web servers share them. AMIS_STORAGE=local (the default): the folder
# MEDIA_ROOT, which several servers share only when it is a shared file system. AMIS_STORAGE=s3: any
# S3-compatible object store (django-storages, `pip install amis[s3]`; docs/deploy.md): AMIS_S3_BUCKET,
# AMIS_S3_ENDPOINT_URL (other than AWS), AMIS_S3_REGION, AMIS_S3_ACCESS_KEY_ID and
# AMIS_S3_SECRET_ACCESS_KEY (or boto3's own credentials: environment, instance role), AMIS_S3_PREFIX.
# Files stay private: AMIS reads them and serves them to whoever may see them, never by a public URL.
AMIS_STORAGE = os.environ.get("AMIS_STORAGE", "local")


def _default_storage(kind: str) -> dict:
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # location: MEDIA_ROOT
    if kind == "s3":
        options = {
            "bucket_name": os.environ.get("AMIS_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("AMIS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AMIS_S3_REGION") or None,
            "access_key": os.environ.get("AMIS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AMIS_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AMIS_S3_PREFIX", ""),
            "addressing_style": os.environ.get("AMIS_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,  # two uploads of the same name never replace each other
        }
        if not options["bucket_name"]:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("AMIS_STORAGE=s3 needs AMIS_S3_BUCKET.")
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"AMIS_STORAGE must be 'local' or 's3', not {kind!r}.")


STORAGES = {
    "default": _default_storage(AMIS_STORAGE),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Logs: one JSON line per request on `amis.request` (amis.core.request_log), with the request id that
# the audit trail keeps too. AMIS_REQUEST_LOG=0 turns the lines off (`amis demo` does: runserver prints
# its own); AMIS_TRUST_REQUEST_ID=1 takes the id from the X-Request-ID header of a reverse proxy that
# always sets it. The lines go to stderr (gunicorn's own, and the rest of Django's, too).
AMIS_REQUEST_LOG = _flag("AMIS_REQUEST_LOG", default=True)
AMIS_TRUST_REQUEST_ID = _flag("AMIS_TRUST_REQUEST_ID")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "amis.core.request_log.JsonFormatter"}},
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "amis.request": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and requests come from AMIS itself, and
# nothing inline runs: a script or style smuggled into a page through some text is not executed. The
# pages keep their scripts in static files (amis/static/amis/) and set no inline style; HTMX is told
# by a meta tag in base.html not to inject its indicator style and never to evaluate code
# (`allowEval`, `allowScriptTags` off), so it needs neither 'unsafe-inline' nor 'unsafe-eval'. Images
# may be data: URIs: allauth shows the TOTP QR code as one. No page may be framed (clickjacking).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
