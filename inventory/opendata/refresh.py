"""The inventory's computed tables and files, brought up to date in the worker, never in a request.

Every committed change of published data bumps the inventory's version (`signals.py`) and asks for a
refresh: one `refresh_computed` task (inventory/tasks.py) brings the synthesis up to date
(`synthesis.refresh_synthesis`: the rows the changes touched, or all of it), then builds the current
dataset files (XLSX, Parquet, zip: `live.refresh_live`), then the files of any release still waiting
for them. Requests only read what is stored: the newest synthesis and the newest complete build,
stale by the seconds the worker takes; when theirs is missing they ask for a refresh too.

One task waits in the queue at a time: a flag in the shared cache is set when a run is queued and
cleared when it starts, so a burst of changes (or of readers) queues one run, and a change during a
run queues the next. The worker's schedule runs the same task every minute as a safety net (a task
lost, a cache emptied, a worker just started): it does nothing when everything is up to date.

Where tasks run inside the call that queues them (the tests' backend), nothing is queued: reads
compute in place.

A read never waits for a writer: on SQLite, queueing from a read (an INSERT into the task queue)
is tried without waiting for the write lock (`no_lock_wait`); while an import holds it, the read
queues nothing and a later read, the import's own change or the schedule queues the run.
"""

import contextlib
import logging

from django.core import checks
from django.core.cache import cache, caches
from django.db import OperationalError, connection, transaction

from portal.core import page_cache
from portal.core.tasks import enqueue, runs_immediately

logger = logging.getLogger(__name__)

QUEUED_KEY = "inventory:refresh:queued"
QUEUED_TIMEOUT = 600  # a flag older than this (its task lost) no longer holds back a new one


@contextlib.contextmanager
def no_lock_wait():
    """On SQLite, a write inside fails at once ("database is locked") instead of waiting the busy
    timeout for another connection's write lock. Elsewhere (PostgreSQL), nothing changes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (waited,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def request_refresh(*, wait: bool = True) -> bool:
    """Queue a refresh unless one is already waiting; whether one was queued now. A read passes
    `wait=False`: if the database is busy with another write, nothing is queued (see the module)."""
    if runs_immediately():
        return False
    if not cache.add(QUEUED_KEY, True, timeout=QUEUED_TIMEOUT):
        return False
    from ..tasks import refresh_computed

    if wait:
        enqueue(refresh_computed)
        return True
    try:
        with no_lock_wait(), transaction.atomic():
            enqueue(refresh_computed)
    except OperationalError:
        cache.delete(QUEUED_KEY)  # the next read tries again
        return False
    return True


def refresh() -> dict:
    """Bring the synthesis, the current files and pending releases up to the current version (the
    task's work). Each step does nothing when already done."""
    from ..models import InventoryState
    from . import downloads, live, releases
    from .synthesis import refresh_synthesis, stored_synthesis

    cache.delete(QUEUED_KEY)  # a change from now on queues the next run
    version = InventoryState.current_version()
    computed = stored_synthesis(version) is None
    refresh_synthesis(version)
    downloads.add_pending_download_counts()
    current = live.refresh_live()
    built = releases.build_pending_releases()
    if computed or built:
        # Pages stored since the change showed the previous table (or no files): draw them again.
        page_cache.invalidate()
    return {"inventory_version": version, "live": current.name if current else None, "releases_built": built}


@checks.register(checks.Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    """The pages read the synthesis the worker stores in the cache: a cache private to each process
    (locmem) would leave them on the empty table for ever."""
    from django.core.cache.backends.locmem import LocMemCache

    if runs_immediately() or not isinstance(caches["default"], LocMemCache):
        return []
    return [checks.Warning(
        "The cache is private to each process: the pages never see the synthesis the worker computes.",
        hint="Set CACHE_URL to a shared cache: redis://… (production) or filecache:///path (one machine).",
        id="inventory.W001",
    )]
