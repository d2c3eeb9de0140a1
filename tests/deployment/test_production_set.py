"""The production set, as real processes on loopback (docs/deployment.md): `scripts/run_production.py`
(what `make run-production` runs) starts gunicorn and the task worker with the production settings on
PostgreSQL, Redis as cache and task queue (RQ), uploads in an S3 bucket (moto's server) and the
library's search on a search server (osmem). Then, as a deployment would be checked:

- /healthz answers 200 with every check ok, and the home page answers;
- a document saved through the storage API lands in the bucket (private) and is served back by Django;
- a task queued by a web request runs in the worker process;
- the library's index is built on the search server and the library's search API answers from it;
- SIGTERM to the runner stops gunicorn and the worker.

Skipped on SQLite (production runs PostgreSQL; CI's second run, on PostgreSQL, runs it), and when Redis
or the S3 server is absent — except in CI, where their absence fails (tests/deployment/conftest.py).
Every wait is bounded, and every process started here is stopped in `finally`.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import unreachable_url

ROOT = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 600  # collectstatic and migrate of an empty database, on a busy 2-core machine
DOCUMENT = b"Rapport annuel du reseau - production set\n" * 10


def postgres_or_skip():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the production set runs on PostgreSQL; this run's database is SQLite "
                    "(.ci/run's PostgreSQL run covers it: DATABASE_URL=postgres://…)")
    return database


def http(method, url, data=None, timeout=30):
    """(status, body, headers) of one request; never raises on an HTTP error status."""
    request = urllib.request.Request(url, data=data, method=method, headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def scratch_database():
    """An empty database on the test run's PostgreSQL server, dropped afterwards."""
    import psycopg

    database = postgres_or_skip()
    name = f"portal_prodset_{uuid.uuid4().hex[:8]}"
    params = {"host": database["HOST"] or "127.0.0.1", "port": database["PORT"] or 5432,
              "user": database["USER"], "password": database["PASSWORD"] or None, "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    yield f"postgres://{database['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def bucket(s3_endpoint_url):
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_endpoint_url, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    name = f"portal-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield s3, name
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture
def search_server(osmem_server):
    clone = osmem_server.clone()
    yield clone.url
    clone.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not reaped yet counts as stopped.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture
def run_directory():
    """MEDIA_ROOT, STATIC_ROOT and the processes' log, outside pytest's own temporary directories (which
    another pytest session on the machine may prune while the set runs)."""
    directory = Path(tempfile.mkdtemp(prefix="production-set-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_the_production_set_runs_on_one_machine(
    scratch_database, redis_url, bucket, s3_endpoint_url, search_server, run_directory
):
    tmp_path = run_directory
    s3, bucket_name = bucket
    port = int(unreachable_url("http").rsplit(":", 1)[1])
    base = f"http://127.0.0.1:{port}"
    index_prefix = f"prodset-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "tests.deployment.production_settings",
        "SECRET_KEY": "production-set-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": scratch_database,
        "EMAIL_URL": "consolemail://",
        "SITE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": f"{redis_url}/5",
        "TASK_QUEUE_URL": f"{redis_url}/6",
        "AWS_STORAGE_BUCKET_NAME": bucket_name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint_url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "ELASTICSEARCH_URL": search_server,
        "ELASTICSEARCH_INDEX_PREFIX": index_prefix,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "INFO",
    }
    env.pop("DEBUG", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    log_path = tmp_path / "run_production.log"

    def log():
        return log_path.read_text(errors="replace")[-6000:]

    def child_pids():
        started = re.search(r"^run_production: .*$", log_path.read_text(errors="replace"), re.M)
        return [int(pid) for pid in re.findall(r"\(pid (\d+)\)", started.group())] if started else []

    with open(log_path, "w") as log_file:
        runner = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "run_production.py")], cwd=ROOT, env=env,
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        # Up: the release steps ran, then gunicorn answers.
        deadline = time.monotonic() + START_SECONDS
        status = None
        while time.monotonic() < deadline and runner.poll() is None:
            try:
                status, body, _ = http("GET", f"{base}/healthz", timeout=10)
                break
            except OSError:
                time.sleep(1)
        assert status is not None, f"gunicorn never answered:\n{log()}"

        # /healthz: every check ok, against PostgreSQL, Redis (cache) and Redis (RQ).
        assert status == 200, body
        health = json.loads(body)
        assert (health["database"], health["cache"], health["queue"]) == ("ok", "ok", "ok")

        # The home page answers (through WhiteNoise's compressed, hashed static files).
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(urllib.request.Request(f"{base}/"), timeout=30)
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302
            home = redirect.headers["Location"]
        status, body, _ = http("GET", base + home if home.startswith("/") else home)
        assert status == 200, body[:500]
        assert b"<html" in body.lower()

        # A document saved through the storage API goes to the bucket, private, and Django serves it.
        script = (
            "from django.core.files.base import ContentFile; "
            "from wagtail.documents import get_document_model; from wagtail.models import Collection; "
            "d = get_document_model()(title='Production set', collection=Collection.get_first_root_node()); "
            f"d.file.save('rapport-annuel.txt', ContentFile({DOCUMENT!r}), save=False); d.save(); "
            "from django.core.files.storage import storages; "
            "print('DOCUMENT', d.id, d.file.name, d.filename, type(storages['default']).__name__)"
        )
        made = subprocess.run([*manage, "shell", "-c", script], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=180)
        assert made.returncode == 0, made.stderr[-3000:]
        line = re.search(r"^DOCUMENT .*$", made.stdout, re.M).group()
        _, document_id, key, filename, storage = line.split()
        assert storage == "S3Storage"
        stored = s3.get_object(Bucket=bucket_name, Key=key)["Body"].read()
        assert stored == DOCUMENT
        grants = s3.get_object_acl(Bucket=bucket_name, Key=key)["Grants"]
        assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]  # not public
        assert not (tmp_path / "media" / "documents").exists()  # nothing on the local disk
        status, body, headers = http("GET", f"{base}/documents/{document_id}/{filename}")
        assert status == 200, body[:500]
        assert body == DOCUMENT

        # A task queued by a web request runs in the worker, another process.
        import redis

        token = uuid.uuid4().hex
        status, body, _ = http("POST", f"{base}/deployment-probe/{token}", data=b"")
        assert status == 200, body[:500]
        web_pid = json.loads(body)["web_pid"]
        cache = redis.Redis.from_url(f"{redis_url}/5")
        deadline = time.monotonic() + 120
        ran_in = None
        while time.monotonic() < deadline and ran_in is None:
            ran_in = cache.get(f":1:deployment-probe:{token}")
            time.sleep(0.5)
        assert ran_in is not None, f"the worker did not run the task within 120 s:\n{log()}"
        assert int(ran_in) != web_pid

        # The library's search server: its index is built there, and the search API answers from it.
        built = subprocess.run([*manage, "rebuild_library_index"], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300)
        assert built.returncode == 0, built.stderr[-3000:]
        status, body, _ = http("GET", f"{search_server}/{index_prefix}-library/_count")
        assert status == 200, body
        status, body, _ = http("GET", f"{base}/api/v1/library/search?q=rapport")
        assert status == 200, body[:500]
        assert json.loads(body)["count"] == 0  # an empty library, searched on the search server

        # SIGTERM stops the runner, gunicorn and the worker, in time.
        pids = child_pids()
        assert len(pids) == 2, log()
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=90)
        assert runner.returncode == 0, log()
        assert not [pid for pid in pids if alive(pid)]
    finally:
        if runner.poll() is None:
            runner.send_signal(signal.SIGTERM)
            try:
                runner.wait(timeout=60)
            except subprocess.TimeoutExpired:
                runner.kill()
                runner.wait()
        for pid in child_pids():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
