"""Tests: fast hashing, in-memory cache and mail; the database comes from DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["EMAIL_URL"] = "memorymail://"
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["DEBUG"] = "false"
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
ACCOUNT_RATE_LIMITS = False
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run inside the call that queues them; tests/worker/ run the real database queue and worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files straight from static/ and the apps (WhiteNoise finders); collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
