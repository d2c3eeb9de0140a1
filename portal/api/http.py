"""What every endpoint of the API (the inventory's and the library's) shares: errors as JSON,
pagination, conditional GET and caching, CORS. The query string's checks are `query.py`'s.

Part of the kernel: imports no domain (`inventory`, `library`…); the domains' endpoints import it.

Errors: `{"error": message, "details": {parameter: [messages]}}` with 400 for a bad query string
(unknown parameter, unknown code, empty value, malformed or out-of-range year, page size over the
maximum: `query.parse_query`), 404 for a page past the last, 405 for a method other than GET, HEAD
and OPTIONS.
The API is the same for everyone (it serves what a visitor may download), so responses never vary
on the session and public caches may keep them.

Hosts: navigation links (`next`/`previous`, the index's endpoint links, OpenAPI's `servers`) are built
on the host the client called (`request.build_absolute_uri`), so that a client that reaches the API
through another address (a tunnel, a container network) can follow them; they are not identifiers and
nobody keeps them. What a client keeps — mutual ids, country codes, library refs, the pages' `url`
(root-relative) — holds no host; addresses meant to be kept or shared come from SITE_URL
(portal.site_url). The ETag includes the full request URL, so two hosts never share a cached copy.
"""

import hashlib
import json
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.accounts.permissions import can

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# Short: a validation shows in the API within a minute even through a shared cache; after that a
# client revalidates with its ETag and gets a 304 while the inventory has not changed.
MAX_AGE = 60
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details or {}

    def response(self):
        return JsonResponse({"error": self.message, "details": self.details}, status=self.status,
                            json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """GET and HEAD answered with CORS headers, OPTIONS as a CORS preflight, anything else 405;
    `ApiError` becomes its JSON response."""

    @csrf_exempt  # never reached by a form, and a POST must read 405, not a CSRF failure
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            response = ApiError(405, _("Method %(method)s not allowed: the API is read-only.")
                                % {"method": request.method}).response()
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            try:
                if not can(AnonymousUser(), "download_public_data"):
                    raise ApiError(403, _("The inventory's data is not public."))
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
            if request.method == "HEAD" and response.streaming:
                response.streaming_content = []
            if response.status_code == 404:
                # LocaleMiddleware would redirect a 404 to /<language>/api/… (Wagtail's catch-all
                # makes any such path look valid); against the API's own URLs it leaves it alone.
                request.urlconf = "portal.api.root_urls"
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    return wrapper


def etag_of(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def data_validators(request, version, changed_at):
    """(etag, last_modified, 304 or None) of a data response whose source is at `version`, last
    changed at `changed_at`. The ETag changes with that version and with everything else the body
    depends on: the query, the host and scheme (absolute links) and the language."""
    etag = etag_of(f"{version}|{get_language()}|{request.build_absolute_uri()}".encode())
    return etag, changed_at, not_modified(request, etag, changed_at)


def cacheable(response, etag: str, last_modified=None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def not_modified(request, etag: str, last_modified=None):
    """A 304 when the client's copy is current, else None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    return cacheable(response, etag, last_modified) if response is not None else None


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def check_page(page: int, count: int, size: int) -> int:
    """The last page of `count` rows by `size` (page 1 always exists), or an ApiError (404) when
    `page` is past it."""
    last_page = max(1, -(-count // size))
    if page > last_page:
        raise ApiError(404, _("Page %(page)s does not exist: the last page is %(last)s.")
                       % {"page": page, "last": last_page},
                       {"page": [_("The last page is %(last)s.") % {"last": last_page}]})
    return last_page


def json_response(data) -> JsonResponse:
    """`data` as JSON (non-ASCII kept), public and cacheable for MAX_AGE seconds."""
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def paginated(request, pages: dict, count: int, rows_of_slice):
    """The streamed JSON page `{"count", "next", "previous", "results"}`: `rows_of_slice(start,
    stop)` yields the rows of that slice of the (stably ordered) result; next and previous are
    absolute links, null at the ends. A page past the last is a 404; page 1 always exists."""
    page = pages.get("page") or 1
    size = pages.get("page_size") or DEFAULT_PAGE_SIZE
    last_page = check_page(page, count, size)
    head = {
        "count": count,
        "next": _page_url(request, page + 1) if page < last_page else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
    }
    start = (page - 1) * size
    return StreamingHttpResponse(_json_page(head, rows_of_slice(start, start + size)),
                                 content_type="application/json")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _json_page(head: dict, rows, chunk=32_768):
    """The page's JSON text in pieces of about `chunk` characters, a few rows at a time."""
    buffer = [_dumps(head)[:-1] + ',"results":[']
    size = 0
    for i, row in enumerate(rows):
        text = ("," if i else "") + _dumps(row)
        buffer.append(text)
        size += len(text)
        if size >= chunk:
            yield "".join(buffer)
            buffer, size = [], 0
    buffer.append("]}")
    yield "".join(buffer)
