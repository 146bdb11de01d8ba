"""The embedded default that `make run` serves: the app as production serves it (application server, DEBUG off, the
site's own error pages, hashed and compressed static files) on SQLite in one process, over plain HTTP on this
machine, e-mails printed on the console, background tasks run in the process once the change is committed."""
import secrets

from .base import *  # noqa: F401,F403
from .base import DATABASES, VAR_DIR, env


def _local_secret_key() -> str:
    """A random key made once for this installation and kept in var/ (never in the repository)."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
# The demo coordinator of `make run` signs in with the password it printed, without a second factor (this machine
# only: `check --deploy` refuses an exemption, so production settings cannot carry one).
MFA_EXEMPT_EMAILS = env.list("MFA_EXEMPT_EMAILS", default=[  # the demo accounts of `make run` (demo_coordinator)
    "coordinator@example.org", "moderator@example.org", "analyst@example.org", "jury1@example.org",
    "jury2@example.org", "jury3@example.org"])
