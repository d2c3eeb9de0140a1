"""Development: convenient defaults, never for production."""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# One cache for the web server and the worker that `make run` starts: the pages read there the synthesis
# the worker computes (production: Redis, docs/deployment.md).
os.environ.setdefault("CACHE_URL", f"filecache://{Path(__file__).resolve().parents[2] / 'var' / 'cache'}")

from .base import *  # noqa: F403
from .base import BASE_DIR

(BASE_DIR / "var").mkdir(exist_ok=True)

# Static files straight from static/ and the apps (WhiteNoise finders); collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Security keys (WebAuthn) on http://127.0.0.1: browsers allow it on the local machine, allauth must too.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
