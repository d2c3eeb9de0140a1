"""Configuration comes from the environment; each check runs Django in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "portail.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "CACHE_URL": "redis://127.0.0.1:6390/1",  # shared with the worker (inventory.W001); not reached here
    "SITE_URL": "https://portail.example.org",
}


def run_django(settings_module, code, *, timeout=120, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL", "CACHE_URL",
        "ELASTICSEARCH_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "WAGTAILADMIN_BASE_URL", "SITE_URL", "PORT",
        "TASK_QUEUE_URL",
        "AWS_STORAGE_BUCKET_NAME", "MEDIA_ROOT", "DATASETS_ROOT",
    }}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    script = "import django, json; django.setup(); from django.conf import settings as s; " + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=timeout,
    )


def settings_of(settings_module, names, **env):
    result = run_django(
        settings_module, f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_defaults_need_no_service():
    values = settings_of("portal.settings.dev", ["DEBUG", "DATABASES", "EMAIL_BACKEND", "CACHES"])
    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"].endswith("var/db.sqlite3")
    assert values["EMAIL_BACKEND"] == "portal.core.mailbox.MailboxBackend"  # var/mailbox/, read at /dev/mail/
    # A file cache that the web server and the worker of `make run` share (the synthesis, rate limits).
    assert "FileBasedCache" in values["CACHES"]["default"]["BACKEND"]
    assert values["CACHES"]["default"]["LOCATION"].endswith("var/cache")


def test_database_email_cache_and_search_urls_are_read_from_the_environment():
    values = settings_of(
        "portal.settings.dev",
        ["DATABASES", "INSTALLED_APPS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT",
         "EMAIL_USE_TLS", "CACHES", "ELASTICSEARCH_URL"],
        DATABASE_URL="postgres://u:p@127.0.0.1:5433/portal",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:587",
        CACHE_URL="redis://127.0.0.1:6390/1",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
    )
    db = values["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["PORT"], db["NAME"]) == (
        "django.db.backends.postgresql", "127.0.0.1", 5433, "portal",
    )
    assert "django.contrib.postgres" in values["INSTALLED_APPS"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "smtp.example.org", 587, True,
    )
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["ELASTICSEARCH_URL"] == "http://127.0.0.1:9200"


@pytest.mark.parametrize("raw,expected", [("false", False), ("0", False), ("true", True)])
def test_debug_is_parsed_as_a_boolean(raw, expected):
    assert settings_of("portal.settings.dev", ["DEBUG"], DEBUG=raw)["DEBUG"] is expected


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_django("portal.settings.production", "print(s.SECRET_KEY)", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "missing", ["DATABASE_URL", "ALLOWED_HOSTS", "EMAIL_URL", "SITE_URL"]
)
def test_production_refuses_to_start_without_its_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django("portal.settings.production", "print(s.DATABASES)", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_debug_defaults_to_off():
    assert settings_of("portal.settings.production", ["DEBUG"], **PRODUCTION_ENV)["DEBUG"] is False


def test_deploy_check_is_clean_with_production_values():
    result = run_django(
        "portal.settings.production",
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_puts_uploads_in_a_private_bucket_when_one_is_named():
    values = settings_of(
        "portal.settings.production", ["STORAGES", "CACHES"],
        **{**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6390/1"},
        AWS_STORAGE_BUCKET_NAME="portal-media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:5000",
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("portal-media", "http://127.0.0.1:5000")
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False
    assert "secret" not in json.dumps(values).lower()  # the keys stay in the environment, for boto3
    # A Redis that does not answer fails the request in seconds.
    assert values["CACHES"]["default"]["OPTIONS"]["socket_timeout"] == 2


def test_production_keeps_uploads_on_the_local_disk_by_default():
    values = settings_of("portal.settings.production", ["STORAGES", "DATASETS_ROOT", "MEDIA_ROOT"],
                         **PRODUCTION_ENV)
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["DATASETS_ROOT"] == values["MEDIA_ROOT"] + "/datasets"
