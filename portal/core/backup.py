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

`restore_backup(path)` reads the archive twice. The first pass checks everything without touching the
installation: the members against the manifest's checksums (none missing, none added, none altered),
the engine against the configured database, the migration state against this code (an archive of a
newer version is refused), and that the installation is empty (no user, no page beyond Wagtail's
root and default page, no document, image or uploaded file) unless `force`. The second pass replaces
the database (SQLite: the file, written beside and renamed into place; PostgreSQL: `pg_restore
--clean --if-exists --no-owner` in a single transaction), writes the files through the storage API,
then migrates (an archive of an older version upgrades) and empties the cache.

The checksums detect a damaged or altered archive, not a forged one: whoever can write the archive
can rewrite its manifest. Keep backups where only the operators can write (docs/operations.md).
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
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
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
    vendor = _vendor()
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


def _vendor() -> str:
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
    if not _sqlite_path().is_file():
        raise BackupError(_("No SQLite database at %(path)s: check DATABASE_URL.") % {"path": _sqlite_path()})
    source = sqlite3.connect(_sqlite_path(), timeout=60)
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


def _sqlite_path() -> Path:
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
    _run_pg([pg_dump, "--format=custom", "--no-password", f"--file={target}"], _("pg_dump failed"))
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


def _run_pg(command: list[str], failure: str) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{failure}: {result.stderr.strip()[-2000:]}")


# --- Checking an archive ---------------------------------------------------------------------------

def verify_archive(path, *, progress: ProgressFactory = Progress) -> dict:
    """Read the whole archive once and check it against its manifest, touching nothing. Returns the
    manifest; BackupError says what does not match."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No backup archive at %(path)s.") % {"path": path})
    found: dict[str, dict] = {}
    manifest = None
    bar = progress(_("Checking the archive"), None)
    try:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                name = member.name
                if manifest is not None:
                    raise BackupError(_("The archive has members after its manifest: it is not a backup "
                                        "written by `manage.py backup`, or it was altered."))
                if not member.isfile():
                    raise BackupError(_("The archive holds something other than a file (%(name)s): "
                                        "refused.") % {"name": name})
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX:
                        raise BackupError(_("The archive's manifest is implausibly large: refused."))
                    manifest = _parse_manifest(archive.extractfile(member).read())
                    continue
                _check_member_name(name)
                if name in found:
                    raise BackupError(_("The archive holds %(name)s twice: refused.") % {"name": name})
                found[name] = _digest(archive.extractfile(member))
                bar.update(member.size)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(_("The archive cannot be read (%(error)s): it is damaged or not a backup.")
                          % {"error": error}) from error
    finally:
        bar.close()
    if manifest is None:
        raise BackupError(_("The archive has no manifest (it is incomplete, or not a backup written by "
                            "`manage.py backup`)."))
    expected = manifest["members"]
    problems = [_("%(name)s is missing") % {"name": n} for n in sorted(set(expected) - set(found))]
    problems += [
        _("%(name)s is not in the manifest") % {"name": n} for n in sorted(set(found) - set(expected))
    ]
    problems += [
        _("%(name)s does not match its checksum") % {"name": n}
        for n in sorted(set(found) & set(expected)) if found[n] != expected[n]
    ]
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupError(_("The archive does not match its manifest (%(problems)s): it is damaged or was "
                            "altered. Nothing was restored.") % {"problems": shown})
    return manifest


def _digest(stream) -> dict:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _check_member_name(name: str) -> None:
    parts = PurePosixPath(name).parts
    if name not in DATABASE_MEMBERS.values() and not (
        name.startswith(MEDIA_PREFIX) and len(parts) > 1
        and not name.startswith("/") and ".." not in parts and "\\" not in name and "\x00" not in name
    ):
        raise BackupError(_("The archive holds an unexpected member (%(name)s): refused.") % {"name": name})


def _parse_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
        version = int(manifest["format_version"])
        engine, member = manifest["database"]["engine"], manifest["database"]["member"]
        valid = (
            manifest["format"] == FORMAT and engine in DATABASE_MEMBERS and member == DATABASE_MEMBERS[engine]
            and isinstance(manifest["members"], dict) and member in manifest["members"]
            and isinstance(manifest["database"]["migrations"], dict) and isinstance(manifest["files"], dict)
        )
    except (ValueError, KeyError, TypeError) as error:
        valid, cause = False, error
    else:
        cause = None
    if not valid:
        raise BackupError(_("The archive's manifest is not one `manage.py backup` writes: refused.")) \
            from cause
    if version > FORMAT_VERSION:
        raise BackupError(_("The archive is in format %(version)s, newer than this portal reads (%(ours)s): "
                            "restore it with the portal version that wrote it.")
                          % {"version": version, "ours": FORMAT_VERSION})
    return manifest


def check_compatible(manifest: dict) -> None:
    """The archive's engine is the configured database's, and this code knows every migration applied
    in it (an older archive is upgraded by `migrate` after the restore; a newer one is refused)."""
    engine, ours = manifest["database"]["engine"], connection.vendor
    if engine != ours:
        raise BackupError(
            _("The archive holds a %(engine)s database, but the configured database is %(ours)s: a backup "
              "restores into the same engine. Set DATABASE_URL to a %(engine)s database (to move between "
              "engines, restore into the same engine first, then use dumpdata/loaddata).")
            % {"engine": ENGINE_NAMES[engine], "ours": ENGINE_NAMES.get(ours, ours)}
        )
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    known |= {replaced for migration in loader.disk_migrations.values() for replaced in migration.replaces}
    unknown = sorted(
        f"{app}.{name}" for app, names in manifest["database"]["migrations"].items() for name in names
        if (app, name) not in known
    )
    if unknown:
        shown = ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")
        raise BackupError(_("The archive comes from a newer version of the portal (migrations this code "
                            "does not have: %(names)s): restore it with that version or a later one.")
                          % {"names": shown})
    _vendor()  # a database that can be restored into (not SQLite in memory)


def installation_contents() -> list[str]:
    """What the configured installation already holds, e.g. ["users: 5", "uploaded files"] (empty:
    nothing worth keeping). A migrated but unused installation counts as empty: Wagtail's root and
    default page are no content."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    if connection.vendor == "sqlite" and not _sqlite_path().exists():
        tables = set()  # no database file yet (the restore writes it): not created by looking
    else:
        tables = set(connection.introspection.table_names())
    contents = []
    for label, queryset in [
        (_("users"), get_user_model().objects.all()),
        (_("pages"), Page.objects.filter(depth__gt=1).exclude(
            depth=2, content_type__app_label="wagtailcore", content_type__model="page")),
        (_("documents"), get_document_model().objects.all()),
        (_("images"), get_image_model().objects.all()),
    ]:
        if queryset.model._meta.db_table in tables and (count := queryset.count()):
            contents.append(f"{label}: {count}")
    storage = storages["default"]
    if next(stored_files(storage, rebuildable_prefixes(storage)), None) is not None:
        contents.append(_("uploaded files"))
    return contents


# --- Restoring -------------------------------------------------------------------------------------

def restore_backup(path, *, force: bool = False, progress: ProgressFactory = Progress,
                   migrate: Callable[[], None] | None = None) -> dict:
    """Restore the archive at `path` into the configured installation (see the module). Returns the
    manifest. `migrate` runs the migrations afterwards (the command passes `manage.py migrate`)."""
    path = Path(path)
    manifest = verify_archive(path, progress=progress)
    check_compatible(manifest)
    if not force and (contents := installation_contents()):
        raise BackupError(
            _("The installation is not empty (%(contents)s): a backup restores into an empty installation "
              "only. Nothing was changed. Use --force to replace its database and overwrite its files.")
            % {"contents": ", ".join(contents)}
        )
    vendor = manifest["database"]["engine"]
    expected = manifest["members"]
    storage = storages["default"]
    database_done = False
    bar = None
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work, \
            tarfile.open(path, mode="r|*") as archive:
        for member in archive:
            if member.name == MANIFEST:
                break
            stream = archive.extractfile(member)
            if member.name == DATABASE_MEMBERS[vendor]:
                # SQLite: beside the database file, to be renamed into place; PostgreSQL: for pg_restore.
                dump = _sqlite_staging() if vendor == "sqlite" else Path(work) / "database"
                try:
                    with open(dump, "wb") as target:
                        found = _copy_digest(stream, target)
                    _same(found, expected[member.name], member.name)
                    database_bar = progress(_("Database"), None)
                    if vendor == "sqlite":
                        _restore_sqlite(dump)
                    else:
                        _restore_postgresql(dump)
                    database_bar.close()
                finally:
                    dump.unlink(missing_ok=True)
                database_done = True
                bar = progress(_("Uploaded files"), manifest["files"]["count"])
                continue
            if not database_done:
                raise BackupError(_("The archive's database comes after its files: it was not written by "
                                    "`manage.py backup`."))
            name = member.name[len(MEDIA_PREFIX):]
            with tempfile.SpooledTemporaryFile(max_size=SPOOL, dir=work) as spool:
                _same(_copy_digest(stream, spool), expected[member.name], member.name)
                spool.seek(0)
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(spool, name=PurePosixPath(name).name))
            if saved != name:
                raise BackupError(_("The storage saved %(name)s as %(saved)s: the restored database would "
                                    "not find it.") % {"name": name, "saved": saved})
            bar.update(1)
    if bar:
        bar.close()
    if migrate:
        migrate()
    caches["default"].clear()  # nothing computed from the installation's former content survives
    _drop_rebuilt_folders()
    return manifest


def _copy_digest(stream, target) -> dict:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _same(found: dict, expected: dict, name: str) -> None:
    if found != expected:
        raise BackupError(_("%(name)s changed since the archive was checked: restore stopped.")
                          % {"name": name})


def _sqlite_staging() -> Path:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{uuid.uuid4().hex}.restoring")


def _restore_sqlite(staged: Path) -> None:
    """Put the restored database file (`staged`, beside it) in place of the configured one, once it
    passes SQLite's integrity check. Nothing may use the database meanwhile (the portal and its worker
    are stopped): the file is replaced, not written into."""
    check = sqlite3.connect(staged)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("The archive's SQLite database fails its integrity check. Nothing was "
                                "changed."))
    finally:
        check.close()
    target = _sqlite_path()
    connection.close()
    # The old write-ahead log would be replayed into the new file: it goes first.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_postgresql(dump: Path) -> None:
    """`pg_restore` into the configured database, in one transaction: it applies entirely or not at all.
    `--clean --if-exists` drops what the archive recreates; `--no-owner --no-acl` gives every object to
    the configured user, whatever the roles of the machine the backup came from."""
    pg_restore = pg_tool("pg_restore")
    connection.close()
    database = settings.DATABASES["default"]["NAME"]
    _run_pg([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
             "--exit-on-error", "--no-password", f"--dbname={database}", str(dump)], _("pg_restore failed"))


def _drop_rebuilt_folders() -> None:
    """The rebuilt caches on this machine (the current dataset builds) were made from the former
    content: the worker makes them again from the restored one."""
    for folder in REBUILT_FOLDERS:
        shutil.rmtree(folder(), ignore_errors=True)
