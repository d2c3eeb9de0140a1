"""Checks on the files members attach to articles: the library's checks (content sniffed, size
limited) for documents, Wagtail's image field (format read from the content) for images. And the
files of a refused form kept for the member's next try (see views._keep_uploads): each in its own
folder, `news/kept/<token>/<name>`, deleted once the article is sent, replaced or a day old."""

import datetime
import uuid

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.extraction import check_upload

KEPT_DIR = "news/kept"
KEPT_MAX_AGE = datetime.timedelta(days=1)  # the form's own stamp expires after a day too


def document_problem(document) -> str:
    """Why an attached Wagtail document is refused (too large, wrong or disguised type), or ""."""
    try:
        with document.open_file() as handle:
            data = handle.read()
    except (OSError, ValueError):
        return _("The file cannot be read.")
    check = check_upload(document.file.name, data)
    return "" if check.ok else check.message


def keep(upload) -> tuple[str, str]:
    """Stores an accepted upload under a new token: (token, stored path)."""
    token = uuid.uuid4().hex
    upload.seek(0)
    path = default_storage.save(f"{KEPT_DIR}/{token}/{upload.name}", upload)
    return token, path


def is_kept_path(path) -> bool:
    return isinstance(path, str) and path.startswith(KEPT_DIR + "/") and path.count("/") == 3 \
        and ".." not in path


def delete_kept(path: str) -> None:
    """Deletes a kept file and its token's folder (nothing outside `KEPT_DIR`)."""
    if not is_kept_path(path):
        return
    for name in (path, path.rsplit("/", 1)[0]):
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the folder holds something else
            pass


def delete_old_kept(max_age: datetime.timedelta = KEPT_MAX_AGE) -> int:
    """Deletes the kept files older than `max_age` (forms abandoned, sessions ended) and their folders;
    returns how many files were deleted."""
    cutoff = timezone.now() - max_age
    try:
        folders, _files = default_storage.listdir(KEPT_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for folder in folders:
        base = f"{KEPT_DIR}/{folder}"
        try:
            _dirs, files = default_storage.listdir(base)
            old = [name for name in files if default_storage.get_modified_time(f"{base}/{name}") < cutoff]
            for name in old:
                default_storage.delete(f"{base}/{name}")
            deleted += len(old)
            if len(old) == len(files) and (files or default_storage.get_modified_time(base) < cutoff):
                default_storage.delete(base)
        except OSError:  # removed meanwhile by another request, or not empty: left for next time
            continue
    return deleted
