"""Download counts of the dataset files, current and released. A download never waits for a writer:
while another connection holds SQLite's write lock (an import), it is counted in the cache, and the
worker adds it to the database (`add_pending_download_counts`, run by `refresh.refresh`).
"""

from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import F

from ..models import DatasetDownloadCount, ReleaseFile
from .package import FILES
from .refresh import no_lock_wait

PENDING_DOWNLOADS_KEY = "inventory:downloads:pending:{filename}"


def count_live_download(filename: str) -> None:
    """Count a download of the current files. A download never waits for a writer: while another
    connection holds SQLite's write lock (an import), it is counted in the cache, and the worker adds
    it to the database (`add_pending_download_counts`)."""
    try:
        with no_lock_wait(), transaction.atomic():
            _add_downloads(filename, 1)
    except OperationalError:
        key = PENDING_DOWNLOADS_KEY.format(filename=filename)
        cache.add(key, 0, timeout=None)
        cache.incr(key)


def _add_downloads(filename: str, count: int) -> None:
    counter, _created = DatasetDownloadCount.objects.get_or_create(filename=filename)
    DatasetDownloadCount.objects.filter(pk=counter.pk).update(downloads=F("downloads") + count)


def add_pending_download_counts() -> None:
    """The worker's side of `count_live_download` and `count_release_download`: the downloads
    counted in the cache while the database was busy, into the database."""
    for filename in FILES:
        key = PENDING_DOWNLOADS_KEY.format(filename=filename)
        pending = cache.get(key)
        if pending:
            cache.decr(key, pending)
            _add_downloads(filename, pending)
    for pk in cache.get(PENDING_RELEASE_DOWNLOADS_KEY) or []:
        key = f"{PENDING_RELEASE_DOWNLOADS_KEY}:{pk}"
        pending = cache.get(key)
        if pending:
            cache.decr(key, pending)
            ReleaseFile.objects.filter(pk=pk).update(downloads=F("downloads") + pending)


PENDING_RELEASE_DOWNLOADS_KEY = "inventory:downloads:pending-releases"


def count_release_download(release_file: ReleaseFile) -> None:
    """Count a download of a release's file, without waiting for a writer (as `count_live_download`)."""
    try:
        with no_lock_wait(), transaction.atomic():
            ReleaseFile.objects.filter(pk=release_file.pk).update(downloads=F("downloads") + 1)
    except OperationalError:
        key = f"{PENDING_RELEASE_DOWNLOADS_KEY}:{release_file.pk}"
        cache.add(key, 0, timeout=None)
        cache.incr(key)
        pending = cache.get(PENDING_RELEASE_DOWNLOADS_KEY) or []
        if release_file.pk not in pending:
            cache.set(PENDING_RELEASE_DOWNLOADS_KEY, [*pending, release_file.pk], timeout=None)

