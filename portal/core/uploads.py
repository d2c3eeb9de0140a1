"""Uploads over a view's size limit: answered with a 413 and a message, the rest of the form kept.

Django stores every uploaded file (in memory, then in a temporary file) before a view sees it, and its
own limit, DATA_UPLOAD_MAX_MEMORY_SIZE, covers the fields other than files: over it (or over
DATA_UPLOAD_MAX_NUMBER_FILES), reading the form raises an error Django answers with a bare 400. A view
wrapped in `limited_upload(limit)`:

- never stores a file over `limit` bytes: its bytes are dropped as they arrive, the other fields are
  still read, and `upload_too_large(request)` is true;
- finds `upload_too_large(request)` true as well when the form's fields go beyond Django's limits (the
  form then arrives empty);
- has the CSRF check made after the limit is in place (Django's documented order for upload handlers:
  `csrf_exempt` outside, `csrf_protect` inside), since the check reads the form. A request whose form
  could not be read at all reaches the view without that check: the view must only refuse it (413).

`refuse(form, field, message)` then binds the form's error to the file field for the page.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

_FLAG = "_upload_too_large"


class _LimitHandler(FileUploadHandler):
    """First of the request's upload handlers: drops the rest of a file once it passes `limit` bytes
    (Django then skips that file: nothing of it is stored, the next fields are read)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, _FLAG, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers build the file


def upload_too_large(request) -> bool:
    """A file of this request went over its view's limit, or its form over Django's limits."""
    return getattr(request, _FLAG, False)


def limited_upload(limit: Callable[[], int]):
    """View decorator: files over `limit()` bytes are dropped as they arrive (see the module)."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return protected(request, *args, **kwargs)
            request.upload_handlers.insert(0, _LimitHandler(request, limit()))
            try:
                request.POST  # noqa: B018 (read now, through the handler above)
            except (RequestDataTooBig, TooManyFilesSent):
                request._mark_post_parse_error()  # an empty form from now on
                setattr(request, _FLAG, True)
                return view(request, *args, **kwargs)
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorator


def refuse(form, field: str, message: str) -> None:
    """`form`, bound to the fields that arrived, with `message` as the only error of `field` (the file
    that did not arrive is not also 'required')."""
    form.full_clean()
    form.errors.pop(field, None)
    form.add_error(field, message)
