"""Development: convenient defaults, never for production."""

import os
from pathlib import Path

import environ

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# E-mails go to the development mailbox (var/mailbox/, read at /dev/mail/: portal/core/mailbox.py);
# EMAIL_URL=consolemail:// prints them instead, smtp://… sends them.
MAILBOX_BACKEND = "portal.core.mailbox.MailboxBackend"
environ.Env.EMAIL_SCHEMES = {**environ.Env.EMAIL_SCHEMES, "mailbox": MAILBOX_BACKEND}
os.environ.setdefault("EMAIL_URL", "mailbox://")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# One cache for the web server and the worker that `make run` starts: the pages read there the synthesis
# the worker computes (production: Redis, docs/deployment.md).
os.environ.setdefault("CACHE_URL", f"filecache://{Path(__file__).resolve().parents[2] / 'var' / 'cache'}")

from .base import *  # noqa: E402, F403 - after the environment and the mailbox:// scheme above
from .base import BASE_DIR  # noqa: E402

(BASE_DIR / "var").mkdir(exist_ok=True)

# mailbox:// alone: var/mailbox/; as filemail://, mailbox:///dir is under the project, mailbox:////dir
# anywhere.
MAILBOX_DIR = BASE_DIR / (EMAIL_FILE_PATH or "var/mailbox")  # noqa: F405
MAILBOX_KEEP = 200  # the newest messages kept
DEV_MAILBOX = EMAIL_BACKEND == MAILBOX_BACKEND  # noqa: F405 - run_portal prints the mailbox's address

# Static files straight from static/ and the apps (WhiteNoise finders); collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Security keys (WebAuthn) on http://127.0.0.1: browsers allow it on the local machine, allauth must too.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
