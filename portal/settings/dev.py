"""Development: convenient defaults, never for production."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")

from .base import *  # noqa: F403
from .base import BASE_DIR

(BASE_DIR / "var").mkdir(exist_ok=True)

# Static files straight from static/ and the apps (WhiteNoise finders); collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Security keys (WebAuthn) on http://127.0.0.1: browsers allow it on the local machine, allauth must too.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
