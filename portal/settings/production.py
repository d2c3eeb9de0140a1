"""Production: every secret comes from the environment and has no default.

`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` must be set; start-up fails loudly otherwise.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
env.str("DATABASE_URL")  # no SQLite fallback in production: fail loudly when unset
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

# Uploaded files (documents, images, release files, kept uploads): MEDIA_ROOT on this machine by default,
# an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (docs/deployment.md "Object storage").
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's hashed and compressed files, our stylesheets minified (portal/core/staticfiles.py).
    "staticfiles": {"BACKEND": "portal.core.staticfiles.MinifiedCompressedManifestStaticFilesStorage"},
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # The keys are not copied here: boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the
    # machine's role) from the environment itself, so no secret sits in the settings.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Nothing in the bucket is public: documents (private collections included) are streamed
            # by Django's serve view, which checks the reader's rights first; the only URLs of the
            # bucket a browser sees are images', signed and valid for AWS_QUERYSTRING_EXPIRE seconds.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            # As on the file system: a second upload of the same name gets a new name, never
            # replaces the first (Wagtail and the release files count on it).
            "file_overwrite": False,
        },
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that reverse proxy, the client's address is the last one the proxy adds to X-Forwarded-For:
# the rate limits (subscriptions, registrations, sign-ups) count per client, not per proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The health check answers a load balancer's plain-HTTP probe itself, never with a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Django's deploy check asks for both. They are hard to undo once browsers have seen them: a site
# that serves sub-domains over plain HTTP sets them to false before its first deployment.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in env.list("ALLOWED_HOSTS")]
)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# X_FRAME_OPTIONS stays SAMEORIGIN (base.py): Wagtail's live preview frames the site's own pages.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

_REQUIRED = {
    "ALLOWED_HOSTS": "the site's host names, comma-separated",
    "EMAIL_URL": "smtp+tls://user:password@host:587",
    "SITE_URL": "the site's public address, e.g. https://portail.example.org",
}
for _name, _example in _REQUIRED.items():
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production ({_example})")
