"""The current data as files: rebuilt once per inventory version, in the worker (`inventory.opendata.refresh`,
inventory/tasks.py), never in a request.

Each build of inventory version N is written aside, then renamed into DATASETS_ROOT/live/vN, so a
build is complete or absent; a download is served the newest complete build (`live_directory`), and
a release freezes the build of exactly the version its confirmation page showed (`settled_live`).
"""

import json
import os
import re
import shutil
import time
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from portal.core.tasks import runs_immediately

from ..models import InventoryState, Release
from .package import LIVE_TITLES, DatasetMeta, absolute_url, build_package, build_tables
from .refresh import request_refresh

LIVE_KEEP = 2  # versions of the current files kept on disk (a download may still be reading the older)
LIVE_WAIT = 20  # seconds a build in place (tests) waits for another build of the same version
LIVE_STALE = 3600  # a build lock older than this was left by a dead process
TABLES_NOTE = ".tables.json"  # beside the current files: their inventory version and row counts
RETRY_AFTER = 30  # seconds a download asks to wait when no build exists yet


class DatasetsBeingBuilt(Exception):
    """No build of the current files to serve yet (the first one is being made)."""


def live_root() -> Path:
    return Path(settings.DATASETS_ROOT) / "live"


def live_meta(now: datetime | None = None) -> DatasetMeta:
    now = now or timezone.now()
    with translation.override("fr"):
        url = absolute_url(reverse("inventory:datasets"))
    return DatasetMeta(
        name="inventaire-mutuelles-courant",
        title=LIVE_TITLES["en"], title_fr=LIVE_TITLES["fr"],
        version=None, created=now, url=url, folder=f"inventaire-mutuelles-{now:%Y-%m-%d}",
    )


def _live_builds(root: Path) -> list[tuple[int, Path]]:
    """The complete builds on disk, oldest first (a build appears by one rename, complete)."""
    if not root.is_dir():
        return []
    return sorted((int(m.group(1)), p) for p in root.iterdir() if (m := re.fullmatch(r"v(\d+)", p.name)))


def live_directory() -> Path:
    """The current files a download serves: the build of the current inventory version if the worker
    has made it, else the newest build (stale by the time the worker takes) and a refresh is asked
    for. DatasetsBeingBuilt while no build exists at all. Never builds in the request, except where
    tasks run inside the call that queues them (the tests' backend)."""
    version = InventoryState.current_version()
    target = live_root() / f"v{version}"
    if target.is_dir():
        return target
    if runs_immediately():
        return build_live(wait=LIVE_WAIT)
    request_refresh(wait=False)
    builds = _live_builds(live_root())
    if not builds:
        raise DatasetsBeingBuilt
    return builds[-1][1]


def settled_live(version: int) -> Path | None:
    """The build of inventory version `version` if it exists and holds exactly that version (no
    change was committed while it was being written): what a release may freeze."""
    target = live_root() / f"v{version}"
    try:
        note = json.loads((target / TABLES_NOTE).read_text())
    except FileNotFoundError:
        return None
    return target if note.get("settled", True) and note["inventory_version"] == version else None


def refresh_live() -> Path | None:
    """The worker's side: build the current files unless they exist or another worker is at it."""
    try:
        return build_live(wait=0)
    except DatasetsBeingBuilt:
        return None


def build_live(wait: float | None = None) -> Path:
    """Build the current files of the current inventory version (its version counter names the
    folder) unless they exist; written aside, then renamed into place, so a build is complete or absent.

    One build at a time per version (a lock file): another caller waits for it up to `wait` seconds
    (None: as long as it takes), then DatasetsBeingBuilt.
    """
    version = InventoryState.current_version()
    root = live_root()
    target = root / f"v{version}"
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    lock = root / f".lock-v{version}"
    waited = 0.0
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if target.is_dir():
                return target
            try:
                if time.time() - lock.stat().st_mtime > LIVE_STALE:
                    lock.unlink(missing_ok=True)
                    continue
            except FileNotFoundError:
                continue
            if wait is not None and waited >= wait:
                raise DatasetsBeingBuilt from None
            time.sleep(0.25)
            waited += 0.25
    try:
        if target.is_dir():
            return target
        building = root / f".build-{uuid.uuid4().hex}"
        building.mkdir()
        try:
            counts = build_tables(building)
            build_package(building, live_meta(), counts)
            # A change committed during the build may be in the files: they serve as current data,
            # but a release of `version` must not freeze them.
            settled = InventoryState.current_version() == version
            (building / TABLES_NOTE).write_text(json.dumps({
                "inventory_version": version, "returns": counts[0], "synthesis": counts[1],
                "settled": settled}))
            os.rename(building, target)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    finally:
        os.close(fd)
        lock.unlink(missing_ok=True)
    _prune_live(root)
    return target


def _prune_live(root: Path) -> None:
    """Keep the newest builds, and those that a release waiting for its files will copy."""
    waiting = set(Release.objects.filter(files__isnull=True).values_list("inventory_version", flat=True))
    for version, path in _live_builds(root)[:-LIVE_KEEP]:
        if version not in waiting:
            shutil.rmtree(path, ignore_errors=True)

