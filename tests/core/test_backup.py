"""Backup and restore (portal/core/backup.py, portal/core/restore.py, docs/operations.md): an
installation with the demo content is backed up, restored into an empty one, and both give the same
open-data exports, byte for byte, and the same uploaded files.

The test process's own database cannot be the source (on SQLite it is in memory, out of a subprocess's
reach): the source is a separate installation built once for the module (`migrate` and `load_demo` in a
subprocess, one to two minutes), a temporary SQLite file, or a database created for the purpose on the
PostgreSQL server of the run (dropped at the end). Each installation runs its commands in a subprocess
of its own, with DATABASE_URL and MEDIA_ROOT pointing at it, as an operator would.
"""

import hashlib
import io
import json
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.test_settings import run_django

pytestmark = pytest.mark.slow

TIMEOUT = 900  # seconds: a whole installation's `load_demo` on a busy machine
RELEASE_FILE = "releases/inventaire-test-v1.0/returns.csv"  # frozen: must be backed up
CACHE_FILE = "datasets/live/v999/returns.csv"  # a dataset build, a cache: must be left out


@dataclass
class Installation:
    url: str
    media: Path

    def run(self, code: str):
        return run_django("portal.settings.test", code, timeout=TIMEOUT, DATABASE_URL=self.url,
                          MEDIA_ROOT=str(self.media))

    def manage(self, *args: str):
        argv = ["manage.py", *args]
        return self.run(f"from django.core.management import execute_from_command_line; "
                        f"execute_from_command_line({argv!r})")


class Databases:
    """Empty databases of the run's engine, each with its own media folder."""

    def __init__(self, root: Path):
        self.root = root
        self.created: list[str] = []
        self.database = settings.DATABASES["default"]
        self.postgresql = self.database["ENGINE"] == "django.db.backends.postgresql"

    def new(self, label: str) -> Installation:
        name = f"backup_{label}_{uuid.uuid4().hex[:8]}"
        media = self.root / name / "media"
        if not self.postgresql:
            (self.root / name).mkdir()
            return Installation(f"sqlite:///{self.root / name / 'db.sqlite3'}", media)
        with self._server() as server:
            server.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        db = self.database
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return Installation(f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{name}", media)

    def tables(self, installation: Installation) -> list[str]:
        """The tables in an installation's database, read without Django (nothing created by looking)."""
        if not self.postgresql:
            path = Path(installation.url.removeprefix("sqlite:///"))
            if not path.exists():
                return []
            import sqlite3

            with sqlite3.connect(path) as connection:
                return [row[0] for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
        import psycopg

        with psycopg.connect(**self._params(installation.url.rsplit("/", 1)[1])) as connection:
            return [row[0] for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]

    def drop_all(self):
        if self.created:
            with self._server() as server:
                for name in self.created:
                    server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _params(self, dbname: str) -> dict:
        db = self.database
        return {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                "password": db.get("PASSWORD") or None, "dbname": dbname}

    def _server(self):
        import psycopg

        return psycopg.connect(**self._params("postgres"), autocommit=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_files(installation: Installation) -> dict[str, str]:
    root = installation.media
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def exports(installation: Installation, folder: Path) -> dict[str, bytes]:
    """The public returns and synthesis exports (the open-data CSV files) and a count of the content,
    produced by the installation itself."""
    folder.mkdir(parents=True)
    result = installation.run(
        "from django.core.management import call_command; "
        f"call_command('export_inventory', what='returns', output={str(folder / 'returns.csv')!r}); "
        f"call_command('export_inventory', what='synthesis', output={str(folder / 'synthesis.csv')!r}); "
        "from django.contrib.auth import get_user_model; from wagtail.models import Page; "
        "from wagtail.documents import get_document_model; from inventory.models import Mutual; "
        "print(json.dumps({'users': get_user_model().objects.count(), 'pages': Page.objects.count(), "
        "'documents': get_document_model().objects.count(), 'mutuals': Mutual.objects.count()}))"
    )
    assert result.returncode == 0, result.stderr
    return {
        "returns.csv": (folder / "returns.csv").read_bytes(),
        "synthesis.csv": (folder / "synthesis.csv").read_bytes(),
        "counts": result.stdout.strip().splitlines()[-1].encode(),
    }


def rewrite(source: Path, target: Path, *, member=None, manifest=None) -> None:
    """A copy of the archive `source` with one member's bytes changed by `member(name, data)` (None:
    unchanged) and the manifest changed by `manifest(dict)`: the test's forger."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif member and (changed := member(info.name, data)) is not None:
                info.name, data = changed
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    databases = Databases(tmp_path_factory.mktemp("backup"))
    yield databases
    databases.drop_all()


@pytest.fixture(scope="module")
def source(databases):
    """An installation with the demo content (inventory included), a release file and a dataset build."""
    installation = databases.new("source")
    for args in [("migrate", "--verbosity=0"), ("load_demo", "--admin-password=backup-test")]:
        result = installation.manage(*args)
        assert result.returncode == 0, result.stderr
    for name, content in [(RELEASE_FILE, b"frozen release\n"), (CACHE_FILE, b"rebuildable\n")]:
        (installation.media / name).parent.mkdir(parents=True, exist_ok=True)
        (installation.media / name).write_bytes(content)
    return installation


@pytest.fixture(scope="module")
def archive(source, databases):
    path = databases.root / "backup.tar.gz"
    result = source.manage("backup", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def restored(archive, databases):
    target = databases.new("target")
    assert databases.tables(target) == []
    result = target.manage("restore", str(archive))
    assert result.returncode == 0, result.stderr
    return target


def test_a_restored_backup_gives_the_same_exports_and_files(source, restored, databases):
    before = exports(source, databases.root / "exports-source")
    after = exports(restored, databases.root / "exports-target")
    assert before["returns.csv"].count(b"\n") > 1, "the demo inventory has public returns"
    assert before["synthesis.csv"].count(b"\n") > 1
    assert after == before

    files = media_files(restored)
    assert files == {name: digest for name, digest in media_files(source).items() if name != CACHE_FILE}
    assert RELEASE_FILE in files and any(name.startswith("documents/") for name in files)


def test_the_archive_says_what_it_holds(archive, source):
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[-1] == "manifest.json"
    engine = "postgresql" if source.url.startswith("postgres") else "sqlite"
    assert manifest["database"]["engine"] == engine
    assert "0001_initial" in manifest["database"]["migrations"]["inventory"]
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert "media/" + RELEASE_FILE in manifest["members"]
    assert "media/" + CACHE_FILE not in manifest["members"]
    assert manifest["files"]["skipped"] == ["datasets/live", "private/inventory-imports"]
    assert (archive.stat().st_mode & 0o077) == 0, "a backup holds personal data: its owner's only"


def test_a_restore_into_an_installation_with_content_is_refused(restored, archive):
    before = media_files(restored)
    result = restored.manage("restore", str(archive))
    assert result.returncode != 0
    # The command speaks the portal's default language, French.
    assert "L’installation n’est pas vide" in result.stderr
    assert "Rien n’a été modifié" in result.stderr and "--force" in result.stderr
    assert media_files(restored) == before


def test_a_tampered_archive_is_refused_and_nothing_is_touched(archive, databases, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    rewrite(archive, tampered, member=lambda name, data: (
        (name, data[:-1] + bytes([data[-1] ^ 1])) if name.startswith("media/documents/") else None))
    target = databases.new("tampered")
    result = target.manage("restore", str(tampered))
    assert result.returncode != 0
    assert "ne correspond pas à sa somme de contrôle" in result.stderr
    assert "Rien n’a été restauré" in result.stderr
    assert databases.tables(target) == []
    assert not target.media.exists()


def test_an_archive_with_a_file_added_is_refused(archive, tmp_path):
    extended = tmp_path / "extended.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(extended, "w:gz") as new:
        for info in old.getmembers():
            if info.name == "manifest.json":
                extra = tarfile.TarInfo("media/documents/planted.pdf")
                extra.size = 4
                new.addfile(extra, io.BytesIO(b"%PDF"))
            new.addfile(info, old.extractfile(info))
    with translation.override("en"), pytest.raises(CommandError, match="planted.pdf is not in the manifest"):
        call_command("restore", str(extended))
    assert not Path(settings.MEDIA_ROOT).exists()


def test_an_archive_of_another_engine_is_refused(archive, tmp_path, source):
    """In the test process itself: the refusal comes before anything is touched."""
    ours = "postgresql" if source.url.startswith("postgres") else "sqlite"
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[ours]
    names = {"sqlite": "database/db.sqlite3", "postgresql": "database/portal.pgdump"}

    def to_other_engine(manifest):
        manifest["database"].update(engine=other, member=names[other])
        manifest["members"][names[other]] = manifest["members"].pop(names[ours])
        return manifest

    foreign = tmp_path / "foreign.tar.gz"
    rewrite(archive, foreign, manifest=to_other_engine,
            member=lambda name, data: (names[other], data) if name == names[ours] else None)
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    refusal = f"holds a {label[other]} database, but the configured database is {label[ours]}"
    with translation.override("en"), pytest.raises(CommandError, match=refusal):
        call_command("restore", str(foreign))


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive at all")
    with translation.override("en"), pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(bogus))


def test_uploaded_files_in_an_s3_bucket_are_backed_up_and_restored(source, databases):
    """Production keeps uploads in a bucket (docs/deployment.md): the same commands read and write it
    through the storage API. Here a bucket of moto's S3 server (CI starts it; skipped where none runs)."""
    from tests.deployment.conftest import S3_ENDPOINT_URL, require

    require(S3_ENDPOINT_URL, "an S3-compatible server (moto_server)")
    import boto3

    keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    s3 = boto3.client("s3", endpoint_url=S3_ENDPOINT_URL, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    buckets = [f"portal-backup-{uuid.uuid4().hex[:12]}" for _ in range(2)]
    for name in buckets:
        s3.create_bucket(Bucket=name)

    def in_bucket(installation, bucket, command):
        storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": bucket, "endpoint_url": S3_ENDPOINT_URL, "region_name": "us-east-1",
            "default_acl": "private", "file_overwrite": False}}
        return run_django(
            "portal.settings.test",
            "from django.test import override_settings; from django.core.management import call_command; "
            f"override_settings(STORAGES={{**s.STORAGES, 'default': {storage!r}}}).enable(); {command}",
            timeout=TIMEOUT, DATABASE_URL=installation.url, MEDIA_ROOT=str(installation.media), **keys,
        )

    def objects(bucket):
        listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {item["Key"]: hashlib.sha256(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
                .hexdigest() for item in listed}

    try:
        uploads = {name: digest for name, digest in media_files(source).items() if name != CACHE_FILE}
        for name in uploads:
            s3.put_object(Bucket=buckets[0], Key=name, Body=(source.media / name).read_bytes())
        archive = databases.root / "backup-s3.tar.gz"
        result = in_bucket(source, buckets[0], f"call_command('backup', {str(archive)!r})")
        assert result.returncode == 0, result.stderr
        with tarfile.open(archive, "r:gz") as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        assert manifest["files"]["storage"] == "storages.backends.s3.S3Storage"

        target = databases.new("s3")
        result = in_bucket(target, buckets[1], f"call_command('restore', {str(archive)!r})")
        assert result.returncode == 0, result.stderr
        assert objects(buckets[1]) == uploads
        assert not target.media.exists(), "the files went to the bucket, not to MEDIA_ROOT"
    finally:
        for name in buckets:
            for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
                s3.delete_object(Bucket=name, Key=item["Key"])
            s3.delete_bucket(Bucket=name)


def test_an_archive_of_a_newer_version_is_refused(archive, tmp_path, django_db_blocker):
    """Migrations this code does not have: a downgrade is not possible, the archive is refused.
    (Loading the migrations runs a read query, in wagtail-localize's first migration: the database is
    unblocked for it rather than asked with `db`, which would make pytest-django run this test apart
    from the module's others and build the module's installation a second time.)"""
    newer = tmp_path / "newer.tar.gz"

    def from_the_future(manifest):
        manifest["database"]["migrations"]["inventory"].append("9999_from_a_later_version")
        return manifest

    rewrite(archive, newer, manifest=from_the_future)
    newer_version = r"newer version of the portal .*inventory\.9999_from_a_later"
    refused = pytest.raises(CommandError, match=newer_version)
    with django_db_blocker.unblock(), translation.override("en"), refused:
        call_command("restore", str(newer))


def test_an_archive_of_an_older_version_is_migrated_on_restore(restored, archive, databases):
    """An archive whose database lacks migrations of this code (here: the core app's, unapplied before
    the backup) is brought up to date by the restore."""
    applied = (
        "from django.db import connection; from django.db.migrations.recorder import MigrationRecorder; "
        "print(json.dumps(sorted(n for a, n in MigrationRecorder(connection).applied_migrations() "
        "if a == 'core')))"
    )
    with tarfile.open(archive, "r:gz") as tar:
        current = json.loads(tar.extractfile("manifest.json").read())["database"]["migrations"]["core"]
    older = databases.root / "older.tar.gz"
    try:
        for args in [("migrate", "core", "0001", "--verbosity=0"), ("backup", str(older))]:
            result = restored.manage(*args)
            assert result.returncode == 0, result.stderr
    finally:
        assert restored.manage("migrate", "--verbosity=0").returncode == 0
    with tarfile.open(older, "r:gz") as tar:
        assert json.loads(tar.extractfile("manifest.json").read())["database"]["migrations"]["core"] == [
            "0001_initial"]

    target = databases.new("older")
    result = target.manage("restore", str(older))
    assert result.returncode == 0, result.stderr
    result = target.run(applied)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == current


def test_work_folders_and_transient_uploads_are_left_out_of_a_backup(tmp_path):
    """An import job's upload (deleted when the job ends) and a release being frozen (`.release-…`,
    at any depth) are no content to restore, and may vanish while a live backup lists the files."""
    from django.core.files.storage import FileSystemStorage

    from portal.core.backup import TRANSIENT_FOLDERS, stored_files

    for name in ("documents/guide.pdf", "releases/inv-v1.0/returns.csv", "private/inventory-imports/u.csv",
                 "datasets/.release-abc/returns.csv", ".release-top/x.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    names = list(stored_files(FileSystemStorage(location=tmp_path), TRANSIENT_FOLDERS))
    assert names == ["documents/guide.pdf", "releases/inv-v1.0/returns.csv"]
