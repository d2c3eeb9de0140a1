"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment, once, here
(see README "Configuration"). Integrations switch on in small files of their own when their URL is set.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "portal"
VAR_DIR = BASE_DIR / "var"  # git-ignored: SQLite database, uploaded media, local mail

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, []),
    ELASTICSEARCH_URL=(str, ""),
    ELASTICSEARCH_INDEX_PREFIX=(str, "portal"),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "portal.core",
    "portal.home",
    "portal.accounts",
    "portal.reference",
    "portal.news",
    "portal.newsletter",
    "portal.events",
    "portal.directory",
    "portal.demo",  # the demo content and `load_demo`: the top layer, nothing imports it
    "inventory",
    "library",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",  # /sitemap.xml (portal/home/seo.py)
    "wagtail.embeds",
    "wagtail.sites",
    "portal.accounts.apps.PortalUsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",  # two-factor authentication: required of the secretariat and focal points
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap templates
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (the admin's own under /admin/) and Permissions-Policy on every response.
    "portal.core.middleware.PortalCSPMiddleware",
    "portal.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel compressed: many readers pay for every kilobyte on mobile networks.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.core.middleware.ControlCharactersInPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous visitors' pages from the shared cache, revalidated with ETags (portal/core/page_cache.py).
    "portal.core.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request (its user and client address) for the audit log's entries (portal/core/audit.py).
    "portal.core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The secretariat and focal points reach the admin only with a second factor (accounts/second_factor.py).
    "portal.accounts.second_factor.SecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it wraps the view alone: a transaction for the requests that write, none for reads.
    "portal.core.middleware.WriteTransactionMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# No request-wide transaction (ATOMIC_REQUESTS): a request that writes runs its view in one transaction
# (portal.core.middleware.WriteTransactionMiddleware), a read runs in none.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for a writer, nor a writer for readers. A write transaction takes the write
    # lock when it begins (IMMEDIATE, so two writers queue instead of failing half-way), and a writer
    # waits up to 20 s for another one (the busy timeout) before "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# How long an anonymous page stays in the cache at most (portal/core/page_cache.py); 0: no page cache.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer fails a request in seconds instead of holding a gunicorn worker.
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 2})

# Background work (portal/core/tasks.py, docs/worker.md): imports, dataset builds, synthesis recomputes,
# text extraction and e-mail sending run in the worker (`manage.py run_worker`, started by `make run`).
# The queue lives in the database by default (SQLite or PostgreSQL, no other service); a redis:// URL
# puts it in Redis, run by RQ, for deployments with several machines.
TASK_QUEUE_URL = env("TASK_QUEUE_URL", default="database")
if TASK_QUEUE_URL.startswith(("redis://", "rediss://")):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": TASK_QUEUE_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail: smtp+tls://user:password@host:587 in production; consolemail:// (the default) or
# filemail:///var/mail (one file per message, under the project) in development; memorymail:// in tests.
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith(".filebased.EmailBackend"):
    # django-environ drops the first slash: filemail:///var/mail gives "var/mail", relative to the
    # project; filemail:////srv/mail gives /srv/mail; filemail:// alone gives var/mail.
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(BASE_DIR / (EMAIL_CONFIG["EMAIL_FILE_PATH"] or "var/mail"))
vars().update(EMAIL_CONFIG)
# Seconds before a silent SMTP server is given up on (the newsletter's sending must not hang).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Concertation <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# After logging in, the "to do" home (portal/core/todo.py); a safe `next` still wins (allauth checks it).
LOGIN_REDIRECT_URL = "todo"
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are reset through allauth's form (rate-limited, the same for everyone): Wagtail's own reset
# screens under /admin/password_reset/ answer 404.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# E-mail addresses and passwords change through allauth's pages only (a new address is confirmed first,
# a password change asks the current one): the admin's account page offers neither.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Concertation] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# Failed logins count per account *and* address (portal/accounts/adapter.py): five failures from one
# address lock that address out of that account for five minutes, never the account's owner elsewhere;
# ten failures a minute from one address, whatever the accounts.
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# "Successfully signed in as Awa Diop": the person's name or e-mail address, not the internal username.
ACCOUNT_USER_DISPLAY = "portal.accounts.adapter.user_display"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) or a security key (WebAuthn),
# with recovery codes. Offered to everyone from the profile, required of the secretariat and focal points.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Concertation"
MFA_PASSKEY_LOGIN_ENABLED = False

# Internationalisation: French first (the default and the fallback), English and Portuguese complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("pt", "Português")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Dakar"
USE_THOUSAND_SEPARATOR = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# The current dataset files (XLSX, Parquet, zip) are a cache the worker rebuilds after each change: they
# stay on this machine's disk even when uploads go to object storage (docs/deployment.md).
DATASETS_ROOT = env("DATASETS_ROOT", default=str(Path(MEDIA_ROOT) / "datasets"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Concertation"
# The portal's public address, the one base of every absolute URL written for use outside a page: e-mail
# links, feeds, citations, BibTeX/RIS, datapackage.json and CITATION.cff, the admin's own links, and
# Wagtail's default Site record (kept in step by portal.site_url). `make run` gives
# http://127.0.0.1:$PORT; production must set it.
_LOCAL_URL = f"http://127.0.0.1:{env('PORT', default='8000')}"
SITE_URL = env("SITE_URL", default=env("WAGTAILADMIN_BASE_URL", default=_LOCAL_URL)).rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# The secretariat's generic address given as the contact point of the open data in the DCAT-AP
# catalogue (never a person's): empty, the catalogue gives the open-data page only.
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", default="")
# No avatars from gravatar.com: they would send a hash of each user's e-mail address to a third party
# (and break without internet). The admin shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's own page search stays on the database (SQLite FTS5 or PostgreSQL full text);
# the library's faceted search has its own engines (see ELASTICSEARCH_URL below).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always served by Django (the private collections' restrictions apply), never by a
# redirect to the file: the web server must not serve MEDIA_ROOT/documents itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A form sends at most a few files (an article: an image and an attachment); each is bounded by its own
# limit, and this bounds how many a single request may make the server store.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Bounds on reading uploaded files (portal/core/archives.py): a file beyond one is refused with a
# message naming it. Zip-based files (DOCX, XLSX, ODT…) are measured before anything is inflated.
UPLOAD_MAX_ARCHIVE_MEMBERS = env.int("UPLOAD_MAX_ARCHIVE_MEMBERS", default=2000)
UPLOAD_MAX_INFLATED_BYTES = env.int("UPLOAD_MAX_INFLATED_BYTES", default=200 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = env.int("UPLOAD_MAX_COMPRESSION_RATIO", default=100)
UPLOAD_MAX_PDF_PAGES = env.int("UPLOAD_MAX_PDF_PAGES", default=5000)
UPLOAD_MAX_PDF_STREAM_BYTES = env.int("UPLOAD_MAX_PDF_STREAM_BYTES", default=32 * 1024 * 1024)
UPLOAD_MAX_TEXT_CHARS = env.int("UPLOAD_MAX_TEXT_CHARS", default=500_000)
UPLOAD_MAX_SECONDS = env.int("UPLOAD_MAX_SECONDS", default=30)
# An XLSX part other than a sheet (shared strings, styles), which openpyxl reads whole into memory.
UPLOAD_MAX_WORKBOOK_PART_BYTES = env.int("UPLOAD_MAX_WORKBOOK_PART_BYTES", default=16 * 1024 * 1024)
# Rows an imported inventory file may hold after its header, blank rows included.
INVENTORY_IMPORT_MAX_ROWS = env.int("INVENTORY_IMPORT_MAX_ROWS", default=100_000)
# Cells an imported table may hold (rows × columns read, empty cells included: 50,000 returns of 80
# columns), the seconds its reading and checking may take (in the worker), and a CSV's longest line and
# value (inventory/contract/reading.py, ReadingBounds).
INVENTORY_IMPORT_MAX_CELLS = env.int("INVENTORY_IMPORT_MAX_CELLS", default=4_000_000)
INVENTORY_IMPORT_MAX_SECONDS = env.int("INVENTORY_IMPORT_MAX_SECONDS", default=300)
INVENTORY_IMPORT_MAX_LINE_CHARS = env.int("INVENTORY_IMPORT_MAX_LINE_CHARS", default=65_536)
INVENTORY_IMPORT_MAX_FIELD_CHARS = env.int("INVENTORY_IMPORT_MAX_FIELD_CHARS", default=10_000)

# Library search engine: embedded by default, Elasticsearch when a URL is given.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
# One index alias per environment: "<prefix>-library" (e.g. "portal-staging-library").
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's page preview uses a same-origin frame

# Content-Security-Policy (portal/core/middleware.py). The public site runs only its own files: no
# inline script or style, no other origin (a script injected into a page would not run).
_CSP_COMMON = {
    "default-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],  # Wagtail's preview frames the site's own pages
}
# Images may also be data: URLs (the QR code that sets up an authenticator app is one).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**_CSP_COMMON, "img-src": [SELF, "data:"]}}
# Wagtail's admin (under /admin/) runs inline scripts of its templates and inserts <style> elements
# from its scripts, which the portal does not control; nothing else (no eval, no other origin). Measured
# in Chromium on the dashboard, the page explorer and editor, a snippet, images, documents and users
# (tests/browser/test_content_security_policy.py).
CONTENT_SECURITY_POLICY_ADMIN = {"DIRECTIVES": {
    **_CSP_COMMON,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
}}
# Permissions-Policy: features no page of the portal uses, refused to every origin, the site's own too
# (only names Chromium knows: an unknown one is an error in its console). Security keys (WebAuthn) and
# the clipboard stay allowed for the two-factor pages.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
    "midi", "magnetometer", "gyroscope", "accelerometer", "display-capture", "browsing-topics",
    "interest-cohort",
)}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
