"""Test run: fast hashing, mails kept in memory; the database comes from DATABASE_URL (SQLite by default)."""
from .base import *  # noqa: F401,F403


DEBUG = False
SECRET_KEY = "test-only-key-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]  # tests sign up many users from one address
# Static files come straight from the apps' folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]
# The access indicators are computed by the tests that are about them.
PARTONS = {**PARTONS, "ACCESS_AUTO_RECOMPUTE": False}  # noqa: F405
# Tests call the API far more often than a person; the throttling tests set their own small rates.
API_THROTTLE_RATES = {"anonymous": "100000/m", "account": "100000/m", "export": "100000/m"}
# Signed-in staff in most tests come from force_login; the tests of the second factor switch the requirement on.
MFA_REQUIRED = False
