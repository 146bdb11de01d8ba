"""Settings shared by every environment. Everything that differs comes from the environment."""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../partons
BASE_DIR = PACKAGE_DIR.parent  # the repository root

env = environ.Env()
VAR_DIR = Path(env("PARTONS_VAR_DIR", default=str(BASE_DIR / "var")))
NODE_MODULES_DIR = Path(env("PARTONS_NODE_MODULES", default=str(BASE_DIR / "node_modules")))
# Folder holding the read-only reference files (used by an optional import in make run and by tests).
REFERENCE_DATA_DIR = Path(env("PARTONS_REFERENCE_DATA", default=str(BASE_DIR.parent / "shared" / "data" / "reference")))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "partons.core",
    "partons.territory",
    "partons.observatory",
    "partons.analysis",
    "partons.ideas",
    "partons.calls",
    "partons.events",
    "partons.cooperation",
    "partons.publications",
    "partons.surveys",
    "partons.newsletters",
    "partons.prints",
    "partons.api",
    "partons.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "partons.core.middleware.ApiCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partons.core.middleware.RequireSecondFactorMiddleware",
    "partons.core.middleware.RequestSizeLimitMiddleware",  # in the page's language, before any view reads the body
]

ROOT_URLCONF = "partons.config.urls"
WSGI_APPLICATION = "partons.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],  # project-wide overrides (allauth layouts)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partons.core.context_processors.site",
                "partons.core.context_processors.language_links",
                "partons.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'partons.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
# Keep connections open between requests (seconds; 0 closes them after each request) and check them before use.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never block the writer (WAL); a writer waits for the lock instead of failing at once, and takes it at
    # the start of the transaction so that two writers never deadlock on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://partons")}

SITE_ID = 1  # its name ("Partons") is what e-mails greet with
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "partons.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"  # a URL name, so the login page keeps the language prefix
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# django-allauth: e-mail and password, verified e-mail address, rate limits on its own forms.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partons] "
# A second factor (allauth's MFA: an authenticator app's codes, with recovery codes) offered to everyone and required
# of every role that sees personal data or decides (MFA_REQUIRED_ROLES) and of admin access: until they have set it
# up, such accounts are sent to its page. MFA_EXEMPT_EMAILS is for the demo of `make run` only: the production
# settings refuse it (system check partons.E002).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Partons"
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
MFA_REQUIRED_ROLES = ["coordinator", "moderator", "analyst", "jury_member"]
MFA_EXEMPT_EMAILS = env.list("MFA_EXEMPT_EMAILS", default=[])
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
# locale/: the project's own strings (`make messages`). locale-overrides/: a few catalogues of the libraries we use,
# redone where their wording breaks our rules (allauth's Dutch says "je"; the site says "u"). Both come before the
# libraries' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-overrides"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Partons <noreply@partons.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How many reverse proxies stand in front of the app and append the client's address to X-Forwarded-For. 0 (the
# default): the header is ignored and the connection's address is the client's. Every rate limit (ours, allauth's,
# the API's) reads the address through partons.core.clientip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_ADAPTER = "partons.core.adapters.AccountAdapter"

# Requests larger than this are refused with 413 before their body is read (uploads: photos, attachments, files).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=60 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files

# The public API, per client (anonymous by address, signed-in by account); exports more strictly.
API_THROTTLE_RATES = {
    "anonymous": env("API_RATE_ANONYMOUS", default="600/5m"),
    "account": env("API_RATE_ACCOUNT", default="1200/5m"),
    "export": env("API_RATE_EXPORT", default="30/5m"),
}
# API answers that only change with the data: browsers keep them this long and revalidate with their ETag.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=300)
# An import that would close more than this share of the open services it covers is refused without --confirm-closures.
IMPORT_MAX_CLOSE_SHARE = env.float("IMPORT_MAX_CLOSE_SHARE", default=0.2)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 100

PARTONS = {
    "DEMO_REGION": "westhoek",
    # Villages a public map request may return at most (the map asks by bounding box).
    "MAX_MAP_FEATURES": 2000,
    # Recompute the access indicators after imports and edits of facilities.
    "ACCESS_AUTO_RECOMPUTE": env.bool("ACCESS_AUTO_RECOMPUTE", default=True),
}

# Background tasks: "immediate" runs them in the process, after the change is committed (the embedded
# default); "database" queues them for `partons db_worker` (several web processes, PostgreSQL).
TASK_BACKENDS = {"immediate": "django_tasks.backends.immediate.ImmediateBackend",
                 "database": "django_tasks_db.DatabaseBackend"}
TASKS_BACKEND = env("TASKS_BACKEND", default="immediate")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# The newsletter goes out at this rate at most (messages per period, e.g. 600/min, 3000/hour): the batches of the
# background worker are spaced so, and so are the sender's limits at the mail provider respected.
NEWSLETTER_RATE = env("NEWSLETTER_RATE", default="600/min")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Background map tiles. Empty by default: the map draws the municipalities' boundaries itself and asks no
# outside server (browsers may be offline). Set a tile URL template of your own tile server to show one.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
# The base map drawn by the app when no tile server is set: Natural Earth countries from the npm package world-atlas.
BASEMAP_SOURCE = env.path("BASEMAP_SOURCE", default=str(BASE_DIR / "node_modules" / "world-atlas" / "countries-10m.json"))
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")

# Content-Security-Policy: everything from the site itself (scripts, styles, images, map data); a tile server of
# one's own, when set, is allowed for images.
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tile = urlsplit(MAP_TILE_URL)
    _tile_origin = f"{_tile.scheme}://{_tile.netloc.replace('{s}', '*')}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Features no page of the site uses are switched off for it and anything it could embed.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "camera": [], "display-capture": [],
    "encrypted-media": [], "fullscreen": ["self"], "geolocation": ["self"], "gyroscope": [], "magnetometer": [],
    "microphone": [], "midi": [], "payment": [], "usb": [], "xr-spatial-tracking": [],
}

# Absolute address of the site, for links in e-mails sent outside a request (e.g. https://partons.example.org).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
