"""Checks on the files members attach to articles: the library's checks (content sniffed, size
limited) for documents, Wagtail's image field (format read from the content) for images."""

from django.utils.translation import gettext as _

from library.extraction import check_upload


def document_problem(document) -> str:
    """Why an attached Wagtail document is refused (too large, wrong or disguised type), or ""."""
    try:
        with document.open_file() as handle:
            data = handle.read()
    except (OSError, ValueError):
        return _("The file cannot be read.")
    check = check_upload(document.file.name, data)
    return "" if check.ok else check.message
