"""Alliage settings: one file, every value read from the environment (see .env.example)."""

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    dev_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_required_in_production,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ALLIAGE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# Development without a key gets a random one made once per checkout (var/secret_key), never
# a key published in the source: sessions and signed links of a dev box stay its own.
SECRET_KEY = env_required_in_production("DJANGO_SECRET_KEY", debug=DEBUG) or \
    dev_secret_key(VAR_DIR / "secret_key")
# "testserver" is the test client's host: never a real one outside development (Django's
# test runner adds it by itself).
ALLOWED_HOSTS = [h for h in env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
                 if DEBUG or h != "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Links inside emails: production must name its own address (never 127.0.0.1).
SITE_URL = env_required_in_production("ALLIAGE_SITE_URL", debug=DEBUG,
                                      dev_default="http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in ("http", "https") or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(
        f"ALLIAGE_SITE_URL: expected an address like https://alliage.example.org, got {SITE_URL!r}")
if not DEBUG:
    # Production never starts with a guessable key, any host, or links sent in clear.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or \
            SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY: needs 50 random characters or more in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')")
    if any(h in ("*", ".") or "*" in h for h in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS: name the site's hosts in production, not '*'")
    if urlsplit(SITE_URL).scheme != "https":
        raise ImproperlyConfigured(
            f"ALLIAGE_SITE_URL: production links must be https://, got {SITE_URL!r}")

INSTALLED_APPS = [
    # The admin site logs in through the site's own login and second factor.
    "alliage.accounts.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # the API docs' Swagger UI from its own static files (no CDN, no inline script)
    "template_partials",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time backup codes (digests only, accounts.services)
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "django_tables2",  # staff tables sorted and paginated (templates/tables/table.html)
    "django_filters",
    "alliage.core",
    "alliage.accounts",
    "alliage.members",
    "alliage.billing",
    "alliage.events",
    "alliage.symbiosis",
    "alliage.mailing",
    "alliage.advantages",
    "alliage.fair",
    "alliage.surveys",
    "alliage.governance",
    "alliage.showcase",
    "alliage.pages",
    "alliage.support",
    "alliage.reports",  # reads every app's report.py
    "alliage.demo",  # above every app: `seed_demo` assembles their demo parts
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache and the session: a NUL anywhere never reaches the database.
    "alliage.core.middleware.RequestSanityMiddleware",
    "alliage.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the logged-in person (user + roles) from the shared cache when there
    # is one (PERSON_CACHE below; alliage/core/personcache.py).
    "alliage.core.personcache.CachedAuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "alliage.core.middleware.FrenchFirstLocaleMiddleware",
    "alliage.core.middleware.ApiMethodMiddleware",
    "alliage.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "alliage.core.middleware.FriendlyNotFoundMiddleware",  # demo only: DEBUG + setting below
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "csp.context_processors.nonce",
                "alliage.core.context_processors.association",
            ],
        },
    }
]
# Every form drawn the same way: labels without colons, required ones marked, a checkbox
# beside its label, help and errors tied to the field (alliage/core/forms_renderer.py).
FORM_RENDERER = "alliage.core.forms_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alliage.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except Exception as exc:  # dj_database_url raises several kinds; one clear line is the goal
    raise ImproperlyConfigured(f"DATABASE_URL: cannot parse {DATABASE_URL!r} ({exc})") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the web server and the task worker share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL: only sqlite:// and postgres:// are supported")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Django's RedisCache reusing its Redis client (alliage/core/rediscache.py).
    CACHES = {"default": {"BACKEND": "alliage.core.rediscache.ReusedClientRedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "alliage"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With a cache every process shares (Redis): sessions are read from it and written through
# to the database (a flushed cache costs a reload, never a logout), and the logged-in
# person (user row and roles) is kept there, invalidated on change (core.personcache).
# A per-process cache could not see another worker's logout or role change: database
# sessions and no person cache then.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if REDIS_URL
                  else "django.contrib.sessions.backends.db")
PERSON_CACHE = bool(REDIS_URL)

# --- Background tasks -----------------------------------------------------------------
TASKS_BACKEND = env_choice(
    "TASKS_BACKEND", {"database", "immediate"}, "database"
)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "mail", "mailing", "reports"],
    }
}

# --- Accounts and security ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "alliage.accounts.backends.EmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Alliage")
INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "alliage.accounts.services.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# 429 with the wait in Retry-After and on the page (the template alone cannot set a header).
AXES_LOCKOUT_CALLABLE = "alliage.accounts.views.locked_out"
AXES_VERBOSE = False
# One client address for lockouts, throttles, consent and audit (alliage.core.clientip):
# the PROXY_COUNT-th X-Forwarded-For entry from the right, only from TRUSTED_PROXIES if set.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
if PROXY_COUNT and not TRUSTED_PROXIES and not DEBUG:
    import sys

    print("WARNING: PROXY_COUNT is set without TRUSTED_PROXIES: if gunicorn can be reached "
          "without the proxy, visitors choose their own address (lockouts, audit)",
          file=sys.stderr)
AXES_CLIENT_IP_CALLABLE = "alliage.core.clientip.client_ip"
# Attempts per client IP and per email address (attempts, seconds); alliage.core.throttle.
# Login also counts across usernames per IP (password spraying); a success takes its attempt
# back, and a browser where the address logged in before counts apart (device cookie,
# alliage.accounts.devicecookie); axes locks a username from one address after
# AXES_FAILURE_LIMIT failures. Reset mails past the address limit are not sent, silently.
THROTTLE_RATES = {
    "login": {"ip": (30, 15 * 60), "address": (20, 15 * 60)},
    "password_reset": {"ip": (10, 60 * 60), "address": (3, 60 * 60)},
    "subscribe": {"ip": (10, 60 * 60), "address": (3, 60 * 60)},
    "application": {"ip": (5, 60 * 60), "address": (3, 60 * 60)},
    "guest_registration": {"ip": (10, 60 * 60), "address": (5, 60 * 60)},
    "quote_request": {"ip": (10, 60 * 60), "address": (5, 60 * 60)},
    "contact": {"ip": (5, 60 * 60), "address": (3, 60 * 60)},
}
# A visitor's seat unpaid this many days after registering is released (online payment on).
GUEST_PAYMENT_DAYS = env_int("GUEST_PAYMENT_DAYS", 7, minimum=1)
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Production never runs with a protection off by accident: turning one off needs its name in
# ALLIAGE_WEAKER_SECURITY_ACCEPTED too, and start-up then says so on stderr every time.
_weakened = [name for name, on in (("STAFF_2FA_REQUIRED", STAFF_2FA_REQUIRED),
                                   ("AXES_ENABLED", AXES_ENABLED)) if not on]
if _weakened and not DEBUG:
    _accepted = set(env_list("ALLIAGE_WEAKER_SECURITY_ACCEPTED", ""))
    if not set(_weakened) <= _accepted:
        _name = sorted(set(_weakened) - _accepted)[0]
        raise ImproperlyConfigured(
            f"{_name}: off in production; also list it in ALLIAGE_WEAKER_SECURITY_ACCEPTED "
            "to run that way on purpose")
    import sys

    print(f"WARNING: production runs with {', '.join(_weakened)} off "
          "(ALLIAGE_WEAKER_SECURITY_ACCEPTED)", file=sys.stderr)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
CSRF_COOKIE_HTTPONLY = True
# An expired form explained in the site's layout and language, not Django's technical page.
CSRF_FAILURE_VIEW = "alliage.core.views.csrf_failure"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Empty: maps degrade to a list, no outside call. `make run` sets OpenStreetMap's tiles
# (https://tile.openstreetmap.org/{z}/{x}/{y}.png); production sets its own tile server.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
# The demo (`make run`) shows the site's own 404 page even with DEBUG on (see middleware).
ALLIAGE_FRIENDLY_404 = env_bool("ALLIAGE_FRIENDLY_404", False)
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]).replace("{s}.", "") if MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "alliage_language"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet's JS/CSS come from the django-leaflet package's static files; the app itself is not
# installed because its admin widgets need GDAL, which Alliage does not use.
_LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static"
STATICFILES_DIRS = [BASE_DIR / "static", _LEAFLET_STATIC]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}[env_choice("EMAIL_BACKEND", {"console", "smtp", "locmem", "file"},
             "console" if DEBUG else "smtp")]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alliage <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Billing --------------------------------------------------------------------------
TPS_RATE_PPM = env_int("TPS_RATE_PPM", 50000, minimum=0)  # 5 %, parts per million
TVQ_RATE_PPM = env_int("TVQ_RATE_PPM", 99750, minimum=0)  # 9.975 %
INVOICE_PREFIX = env_str("INVOICE_PREFIX", "F")
# PAYMENT_PROVIDER: "offline" (default: cheque, transfer, card at the office), "stripe" (Stripe
# Checkout, paid online, confirmed only by its signed webhook) or a PaymentProvider's dotted path.
_PAYMENT_PROVIDERS = {"offline": "alliage.billing.providers.OfflineProvider",
                      "stripe": "alliage.billing.stripe_provider.StripeCheckoutProvider"}
_payment_provider = env_str("PAYMENT_PROVIDER", "").strip() or "offline"
PAYMENT_PROVIDER = _PAYMENT_PROVIDERS.get(_payment_provider.lower(), _payment_provider)
if "." not in PAYMENT_PROVIDER:
    raise ImproperlyConfigured(
        f"PAYMENT_PROVIDER: expected offline, stripe or a dotted path, got {_payment_provider!r}")
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "").strip()
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "").strip()
# Only for tests and local fakes of Stripe's API (the SDK's default otherwise).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "").strip().rstrip("/")
if PAYMENT_PROVIDER.endswith(".StripeCheckoutProvider"):
    for _name, _value, _prefix in (("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY, ("sk_", "rk_")),
                                   ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET, ("whsec_",))):
        if not _value:
            raise ImproperlyConfigured(
                f"{_name}: this environment variable is required with PAYMENT_PROVIDER=stripe")
        if not _value.startswith(_prefix):
            raise ImproperlyConfigured(f"{_name}: expected a Stripe value starting with "
                                       f"{' or '.join(_prefix)}")
        if not DEBUG and len(_value.split("_", 1)[-1]) < 16:
            raise ImproperlyConfigured(f"{_name}: too short to be a real Stripe value")
    if STRIPE_API_BASE and not DEBUG and not STRIPE_API_BASE.startswith("https://"):
        raise ImproperlyConfigured("STRIPE_API_BASE: production talks to Stripe over https://")
# The pay button's form is sent on to Stripe's hosted page: the pages' form-action allows it.
STRIPE_CHECKOUT_ORIGIN = env_str("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")
if PAYMENT_PROVIDER.endswith(".StripeCheckoutProvider"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(STRIPE_CHECKOUT_ORIGIN)
if STRIPE_API_BASE and urlsplit(STRIPE_API_BASE).scheme not in ("http", "https"):
    raise ImproperlyConfigured(
        f"STRIPE_API_BASE: expected an address like https://api.stripe.com, "
        f"got {STRIPE_API_BASE!r}")

# --- Privacy (Québec Law 25) ----------------------------------------------------------
RETENTION_LAPSED_CONTACT_DAYS = env_int("RETENTION_LAPSED_CONTACT_DAYS", 365 * 3, minimum=30)
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 365 * 7, minimum=365)
# Newsletter opens and clicks per person (when tracking is on): 13 months.
RETENTION_TRACKING_DAYS = env_int("RETENTION_TRACKING_DAYS", 395, minimum=30)

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Symbiosis listings expire after this many months unless their owner confirms them.
SYMBIOSIS_LISTING_MONTHS = 12

# --- Mailing (newsletters) --------------------------------------------------------------
MAILING_FROM = env_str("MAILING_FROM", DEFAULT_FROM_EMAIL)
MAILING_DOMAIN = env_str("MAILING_DOMAIN", "alliage.localhost")
MAILING_UNSUBSCRIBE_MAILBOX = env_str("MAILING_UNSUBSCRIBE_MAILBOX",
                                      f"desabonnement@{MAILING_DOMAIN}")
# Where mail to the unsubscribe address is read (imaps://user:password@host/INBOX); empty:
# deliver it by pipe (`mailing_unsubscribe_inbox --stdin`) or not at all.
MAILING_UNSUBSCRIBE_IMAP = env_str("MAILING_UNSUBSCRIBE_IMAP", "")
MAILING_RATE_PER_MINUTE = env_int("MAILING_RATE_PER_MINUTE", 6000, minimum=1)
MAILING_BATCH = env_int("MAILING_BATCH", 500, minimum=1)
# Batches of one campaign run on this many workers at once (each on its share of the rows).
MAILING_WORKERS = env_int("MAILING_WORKERS", 2, minimum=1)
MAILING_SOFT_BOUNCE_LIMIT = env_int("MAILING_SOFT_BOUNCE_LIMIT", 3, minimum=1)
# A worker's claim (rows being sent, its chain of batches) lapses when not renewed this long.
MAILING_STALL_SECONDS = env_int("MAILING_STALL_SECONDS", 120, minimum=10)

# --- Provider webhooks (django-anymail): bounces and complaints ---------------------------
# Only ANYMAIL_PROVIDER's webhook is mounted (/anymail/<provider>/tracking/; Mandrill:
# /anymail/mandrill/). Every post must carry HTTP basic auth ANYMAIL_WEBHOOK_SECRET
# ("user:password", put in the URL given to the provider) and, where the provider signs
# its posts, a signature made with ANYMAIL_WEBHOOK_SIGNING_KEY. No secret: nothing mounted.
_WEBHOOK_SIGNING = {  # provider -> anymail's setting for its signing key (None: unsigned)
    "amazon_ses": None, "brevo": None, "mailjet": None, "postmark": None, "sparkpost": None,
    "mailersend": "MAILERSEND_SIGNING_SECRET", "mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY",
    "mailtrap": "MAILTRAP_TRACKING_SECRET", "mandrill": "MANDRILL_WEBHOOK_KEY",
    "postal": "POSTAL_WEBHOOK_KEY", "unisender_go": "UNISENDER_GO_API_KEY",
}
ANYMAIL_PROVIDER = env_choice("ANYMAIL_PROVIDER", {"", *_WEBHOOK_SIGNING}, "")
_webhook_secret = env_str("ANYMAIL_WEBHOOK_SECRET", "").strip()
if not (_webhook_secret or DEBUG):
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET: this environment variable is required when DJANGO_DEBUG is off")
_hook_user, _hook_colon, _hook_password = _webhook_secret.partition(":")
if _webhook_secret and not (_hook_user.strip() and _hook_password.strip()):
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET: expected user:password (basic auth of the webhook URL)")
if _webhook_secret and not DEBUG and len(_hook_password) < 16:
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET: the password part needs at least 16 characters in production")
_signing_setting = _WEBHOOK_SIGNING.get(ANYMAIL_PROVIDER)
_signing_key = env_str("ANYMAIL_WEBHOOK_SIGNING_KEY", "").strip()
if _signing_setting and not _signing_key:
    raise ImproperlyConfigured(
        f"ANYMAIL_WEBHOOK_SIGNING_KEY: required with ANYMAIL_PROVIDER={ANYMAIL_PROVIDER}, "
        "which signs its webhooks")
ANYMAIL = {"WEBHOOK_SECRET": _webhook_secret or None,
           **({_signing_setting: _signing_key} if _signing_setting else {})}
