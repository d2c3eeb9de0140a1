"""Production: every secret comes from the environment and has no default.

`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` must be set; start-up fails loudly otherwise.
"""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
env.str("DATABASE_URL")  # no SQLite fallback in production: fail loudly when unset
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in env.list("ALLOWED_HOSTS")]
)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# X_FRAME_OPTIONS stays SAMEORIGIN (base.py): Wagtail's live preview frames the site's own pages.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

if "EMAIL_URL" not in os.environ:
    raise RuntimeError("EMAIL_URL must be set in production (smtp://user:password@host:587)")
