"""Backup and restore of a whole installation: its database and its uploaded files, in one archive.

`write_backup(path)` writes one gzip-compressed tar archive (docs/operations.md):

    database/db.sqlite3      SQLite: a consistent copy made by SQLite's online backup API (the
                             portal may keep running: in WAL mode readers and writers go on)
    database/portal.pgdump   PostgreSQL: `pg_dump --format=custom`, one consistent snapshot
    media/<name>             every uploaded file, read through the storage API (the file system or
                             an S3 bucket alike), except the rebuildable cache (the current dataset
                             builds); release files are kept: they are frozen, not rebuildable
    manifest.json            last: format version, creation time, database engine and migration state,
                             and the SHA-256 and size of every other member

The database is copied first, the files after it: a file uploaded meanwhile is an extra file nobody
refers to, never a row whose file is missing. Memory stays bounded: files are streamed in chunks
(through a spooled temporary file, since a tar header needs the size before the content).

The archive is checked and restored by `portal.core.restore` (`manage.py restore`); the pieces both
sides share (the archive's layout, the database's engine and file, PostgreSQL's client programs) are
here.
"""

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "concertation-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database/db.sqlite3", "postgresql": "database/portal.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
SPOOL = 8 * 1024 * 1024  # a file up to this size is held in memory while archived, a larger one on disk
MANIFEST_MAX = 64 * 1024 * 1024
COMPRESSLEVEL = 6  # gzip's default: most uploads (PDF, JPEG) are compressed already

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


class Progress:
    """What the functions report progress to: the command gives a progress bar, the default is silent."""

    def __init__(self, description: str, total: int | None = None):
        pass

    def update(self, amount: int) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[[str, int | None], Progress]


# --- Writing a backup ------------------------------------------------------------------------------

def write_backup(path, *, progress: ProgressFactory = Progress) -> dict:
    """Write the backup archive at `path` (written beside it under a temporary name and renamed
    when complete, readable by its owner only). Returns its manifest."""
    path = Path(path)
    vendor = database_vendor()
    storage = storages["default"]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    members: dict[str, dict] = {}
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, \
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESSLEVEL) as archive, \
                tempfile.TemporaryDirectory(prefix=".portal-backup-", dir=path.parent) as work:
            dump = Path(work) / "database"
            bar = progress(_("Database"), None)
            if vendor == "sqlite":
                migrations = _dump_sqlite(dump)
            else:
                migrations, dump_version = _dump_postgresql(dump)
            bar.close()
            with open(dump, "rb") as stream:
                members[DATABASE_MEMBERS[vendor]] = _add(archive, DATABASE_MEMBERS[vendor], stream)
            dump.unlink()

            skipped = rebuildable_prefixes(storage) + TRANSIENT_FOLDERS
            names = list(stored_files(storage, skipped))
            bar = progress(_("Uploaded files"), len(names))
            for name in names:
                try:
                    source = storage.open(name, "rb")
                except FileNotFoundError:  # deleted since the listing (a finished job's upload)
                    logger.info("Backup: %s was deleted while the backup ran; left out", name)
                    bar.update(1)
                    continue
                with source, tempfile.SpooledTemporaryFile(max_size=SPOOL, dir=work) as spool:
                    shutil.copyfileobj(source, spool, CHUNK)
                    spool.seek(0)
                    members[MEDIA_PREFIX + name] = _add(archive, MEDIA_PREFIX + name, spool)
                bar.update(1)
            bar.close()

            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {
                    "engine": vendor,
                    "member": DATABASE_MEMBERS[vendor],
                    "server_version": _server_version(),
                    **({"pg_dump": dump_version} if vendor == "postgresql" else {}),
                    "migrations": migrations,
                },
                "files": {
                    "storage": f"{type(storage).__module__}.{type(storage).__qualname__}",
                    "count": len(names),
                    "bytes": sum(members[MEDIA_PREFIX + n]["size"] for n in names),
                    "skipped": skipped,
                },
                "members": members,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, _BytesReader(data))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _add(archive: tarfile.TarFile, name: str, stream) -> dict:
    """Add `stream` (seekable, at its start) as member `name`; returns its checksum and size."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
    archive.addfile(info, stream)
    return {"sha256": digest.hexdigest(), "size": size}


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.position + size
        chunk, self.position = self.data[self.position:end], min(end, len(self.data))
        return chunk


# Files kept only while a task needs them (an import job's upload, deleted when the job ends): never
# worth restoring, and they may vanish while the backup runs.
TRANSIENT_FOLDERS = ["private/inventory-imports"]


# The folders on this machine's disk that hold a cache the portal rebuilds: each domain registers the
# function giving its folder, in its AppConfig.ready (the inventory: its current dataset builds,
# inventory/opendata/live.py `live_root`). The backup, part of the kernel, imports no domain.
REBUILT_FOLDERS: list[Callable[[], Path]] = []


def register_rebuilt_folder(folder: Callable[[], Path]) -> None:
    """Leave `folder()` out of backups (when inside the storage's folder) and empty it after a restore."""
    if folder not in REBUILT_FOLDERS:
        REBUILT_FOLDERS.append(folder)


def rebuildable_prefixes(storage) -> list[str]:
    """The folders of the storage that hold a cache the portal rebuilds, left out of backups: the
    registered folders (`register_rebuilt_folder`) that sit inside the storage's folder. Release files
    are not among them: a release is frozen, never rebuilt."""
    try:
        location = Path(storage.path("")).resolve()
    except NotImplementedError:  # object storage: the builds stay on the machine's disk
        return []
    folders = [folder().resolve() for folder in REBUILT_FOLDERS]
    return [f.relative_to(location).as_posix() for f in folders if f.is_relative_to(location)]


def stored_files(storage, skipped: list[str] = ()) -> Iterator[str]:
    """Every file name in `storage`, recursively, sorted, outside the `skipped` folders and the
    hidden work folders (`.release-…`: a release being frozen)."""

    def walk(folder: str) -> Iterator[str]:
        try:
            directories, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield f"{folder}/{name}" if folder else name
        for name in sorted(directories):
            path = f"{folder}/{name}" if folder else name
            if name.startswith(".") or path in skipped:  # work folders (`.release-…`), caches
                continue
            yield from walk(path)

    yield from walk("")


def database_vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": vendor})
    if vendor == "sqlite" and connection.is_in_memory_db():
        raise BackupError(_("The configured SQLite database is in memory: there is no file to back up "
                            "or restore. Set DATABASE_URL to a database file."))
    return vendor


def _server_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return str(connection.pg_version)


def _dump_sqlite(target: Path) -> dict[str, list[str]]:
    """A consistent copy of the SQLite database into `target` through SQLite's online backup API (one
    step: a read transaction while the portal keeps running), made a self-contained file (no WAL).
    Returns the copy's migration state."""
    if not sqlite_path().is_file():
        raise BackupError(_("No SQLite database at %(path)s: check DATABASE_URL.") % {"path": sqlite_path()})
    source = sqlite3.connect(sqlite_path(), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.OperationalError as error:
        raise BackupError(_("The database could not be copied: %(error)s") % {"error": error}) from error
    finally:
        copy.close()
        source.close()
    return _by_app(rows)


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _by_app(rows) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _migration_state() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return _by_app(MigrationRecorder(connection).applied_migrations())


def _dump_postgresql(target: Path) -> tuple[dict[str, list[str]], str]:
    """`pg_dump --format=custom` of the configured database (one snapshot) into `target`. Returns the
    migration state (read just before the dump) and the pg_dump used."""
    migrations = _migration_state()
    pg_dump = pg_tool("pg_dump")
    run_pg([pg_dump, "--format=custom", "--no-password", f"--file={target}"], _("pg_dump failed"))
    return migrations, _tool_version(pg_dump)


# --- PostgreSQL's client programs ------------------------------------------------------------------

def pg_tool(name: str) -> str:
    """The path of PostgreSQL's `name` (pg_dump, pg_restore) fit for the configured server: the one of
    the server's major version in /usr/lib/postgresql/<major>/bin (Debian's layout) if present, else the
    one on PATH or the newest installed if it is at least that version (they read older servers, not
    newer ones)."""
    connection.ensure_connection()
    major = connection.pg_version // 10000
    exact = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if exact.exists():
        return str(exact)
    candidates = [shutil.which(name)] + sorted(
        (str(p) for p in Path("/").glob(f"usr/lib/postgresql/*/bin/{name}")),
        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)), reverse=True,
    )
    for candidate in filter(None, candidates):
        version = _tool_version(candidate)
        if (found := re.search(r"(\d+)", version)) and int(found.group(1)) >= major:
            return candidate
    raise BackupError(
        _("No %(tool)s of PostgreSQL %(major)s or newer was found (PATH or /usr/lib/postgresql/*/bin): "
          "install the PostgreSQL client programs (Debian: postgresql-client-%(major)s).")
        % {"tool": name, "major": major}
    )


def _tool_version(tool: str) -> str:
    result = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


def _pg_environment() -> dict[str, str]:
    """The connection for PostgreSQL's programs, as libpq environment variables: the password never
    appears on a command line (where `ps` would show it)."""
    database = settings.DATABASES["default"]
    options = database.get("OPTIONS", {})
    values = {
        "PGHOST": database.get("HOST") or "", "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "", "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
        "PGSSLMODE": options.get("sslmode", ""), "PGSSLROOTCERT": options.get("sslrootcert", ""),
    }
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({k: v for k, v in values.items() if v})
    return environment


def run_pg(command: list[str], failure: str) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{failure}: {result.stderr.strip()[-2000:]}")
