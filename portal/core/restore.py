"""Restore of a whole installation from an archive `portal.core.backup.write_backup` wrote (its layout:
that module's docstring, docs/operations.md).

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
import os
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.utils.translation import gettext as _

from .backup import (
    CHUNK,
    DATABASE_MEMBERS,
    ENGINE_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_MAX,
    MEDIA_PREFIX,
    REBUILT_FOLDERS,
    SPOOL,
    BackupError,
    Progress,
    ProgressFactory,
    database_vendor,
    pg_tool,
    rebuildable_prefixes,
    run_pg,
    sqlite_path,
    stored_files,
)

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
    database_vendor()  # a database that can be restored into (not SQLite in memory)


def installation_contents() -> list[str]:
    """What the configured installation already holds, e.g. ["users: 5", "uploaded files"] (empty:
    nothing worth keeping). A migrated but unused installation counts as empty: Wagtail's root and
    default page are no content."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    if connection.vendor == "sqlite" and not sqlite_path().exists():
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
    target = sqlite_path()
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
    target = sqlite_path()
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
    run_pg([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
             "--exit-on-error", "--no-password", f"--dbname={database}", str(dump)], _("pg_restore failed"))


def _drop_rebuilt_folders() -> None:
    """The rebuilt caches on this machine (the current dataset builds) were made from the former
    content: the worker makes them again from the restored one."""
    for folder in REBUILT_FOLDERS:
        shutil.rmtree(folder(), ignore_errors=True)
