"""Anonymous visitors' pages from the shared cache, with `ETag` and `Last-Modified` so that a browser or
a proxy revalidates with a 304 (issue 16).

A page is stored when a visitor without a session (no session nor messages cookie) GETs it and the
answer is a plain 200 HTML page (or one of the SVG charts a page loads after itself) that sets no
cookie, wrote no session and varies on nothing but the encoding: a page with a form's CSRF token varies
on the cookie and is never stored, a logged-in page never read from here. The key is the host, the path
(its language prefix included), the query when it holds only the parameters that change a page
(`CACHED_PARAMETERS`: a search's words are not kept), today's date (what is upcoming, which years are
provisional) and the cache's *generation*.

The generation changes, once the transaction commits, whenever something a public page shows
changes: a page published, unpublished, moved or deleted (Wagtail saves the page), any other model of
the content apps saved or deleted (`_touches_pages`: not the operational ones, nor the drafts of
yearly returns), and the inventory's version bumped (`inventory.models.InventoryState.bump`, which
covers the validations, imports and registry changes; a queryset `update()` sends no signal). Entries
also expire after `PAGE_CACHE_SECONDS` (300 by default; 0 turns the cache off), which bounds anything
changed without a signal. The cache is the configured one: Redis in production, files under var/cache
in `make run` (shared by the server and the worker), memory in the tests.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date, urlencode

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# The query parameters whose pages are kept (a year, a page number, a filter); any other parameter,
# or a value longer than `MAX_VALUE`, and the page is served fresh (a visitor cannot fill the cache).
# "measure", "drawing" and "indicator": the inventory overview's map and the charts its pages load after
# themselves (an unknown value is a 400, never stored).
CACHED_PARAMETERS = frozenset({"year", "page", "country", "theme", "kind", "when", "month", "type", "sort",
                               "measure", "drawing", "indicator"})
# What is kept: HTML pages, and the charts a page loads after itself (its first round trip holds none).
CACHED_TYPES = ("text/html", "image/svg+xml")
MAX_VALUE = 40
HEADER = "X-Page-Cache"  # "hit", "miss" (stored now) or "bypass": for operators and the benchmarks

# Models whose changes no public page shows: operations, drafts, queues, counters, logs. The inventory's
# returns change public pages through the inventory's version only (a draft saved changes nothing).
_QUIET_APPS = frozenset({
    "sessions", "admin", "contenttypes", "auth", "account", "mfa", "django_tasks_database",
    "wagtailusers", "wagtailsearch", "wagtailadmin", "wagtailembeds", "wagtail_localize",
})
_QUIET_MODELS = frozenset({
    "core.periodicclaim", "news.flashnewssubscription", "news.flashnewsreceipt", "newsletter.delivery",
    "newsletter.deliveryrecipient", "newsletter.subscriber", "inventory.yearlyreturn",
    "inventory.returnrevision", "inventory.returntransition", "inventory.importjob",
    "inventory.mutualidsequence", "inventory.datasetdownloadcount", "inventory.guestbookentry",
    "inventory.inventorystate", "library.searchentry", "library.searchfacetvalue",
    "library.studydeclaration", "accounts.user",
    "wagtailcore.revision", "wagtailcore.pagelogentry", "wagtailcore.modellogentry",
    "wagtailcore.workflowstate", "wagtailcore.taskstate", "wagtailcore.pagesubscription",
    "wagtailcore.comment", "wagtailcore.commentreply", "wagtailcore.referenceindex",
    "wagtailimages.rendition", "wagtailforms.formsubmission", "wagtailcore.uploadedfile",
})


def seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def invalidate() -> None:
    """Every stored page is out of date: now, and again once the current transaction (if any)
    commits, since a request between the change and the commit would store the old page under the
    new generation."""
    _new_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # A save must not fail for the cache; the stored pages expire within PAGE_CACHE_SECONDS.
        logger.warning("page cache unreachable: stored pages not invalidated", exc_info=True)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _touches_pages(sender) -> bool:
    meta = sender._meta
    return meta.app_label not in _QUIET_APPS and meta.label_lower not in _QUIET_MODELS


def _on_change(sender, **kwargs):
    if not kwargs.get("raw") and _touches_pages(sender):
        invalidate()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_change, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="page-cache-m2m")


def _on_m2m_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and _touches_pages(type(instance)):
        invalidate()


def cache_key(request) -> str | None:
    """The page's key, or None when this request is not served from (nor stored in) the cache."""
    if request.method not in ("GET", "HEAD") or not seconds():
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None  # someone logged in, or with something waiting in their session
    if any(name not in CACHED_PARAMETERS or len(value) > MAX_VALUE
           for name, values in request.GET.lists() for value in values):
        return None
    if request.path_info.startswith(("/admin/", "/django-admin/")):
        return None
    # Every value of a repeated parameter (the library's facets: ?type=a&type=b), not only the last.
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = hashlib.sha256(f"{request.get_host()}{request.path_info}?{query}".encode()).hexdigest()
    return f"pagecache:{_generation()}:{timezone.localdate().isoformat()}:{address}"


def storable(request, response) -> bool:
    session = getattr(request, "session", None)
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith(CACHED_TYPES)
        and not response.cookies
        and vary <= {"accept-encoding"}
        and "Cache-Control" not in response
        # Reading the (empty) session of a visitor without one is harmless: every page asks who is there.
        and not (session is not None and (session.modified or not session.is_empty()))
    )


class PageCacheMiddleware:
    """Anonymous pages from the cache; `Cache-Control` on every HTML page (module docstring).

    Placed after LocaleMiddleware and CommonMiddleware, before CsrfViewMiddleware: the stored page
    carries the headers of every middleware inside it (X-Frame-Options, the CSRF cookie's Vary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            key = cache_key(request)
            stored = cache.get(key) if key is not None else None
        except Exception:  # the cache down (Redis unreachable): pages are drawn, /healthz says so
            logger.warning("page cache unreachable", exc_info=True)
            key = stored = None
        if stored is not None:
            return self._answer(request, self._rebuild(stored), "hit")
        response = self.get_response(request)
        if key is not None and storable(request, response):
            etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            response["ETag"] = etag
            response["Last-Modified"] = http_date()
            self._public(response)
            try:
                cache.set(key, self._freeze(response), timeout=seconds())
            except Exception:
                logger.warning("page cache unreachable", exc_info=True)
            return self._answer(request, response, "miss")
        if response.get("Content-Type", "").startswith("text/html") and "Cache-Control" not in response:
            # Logged-in pages, forms with a token: a proxy keeps none, a browser asks again.
            response["Cache-Control"] = "private, no-cache"
        if key is not None or request.method in ("GET", "HEAD"):
            response[HEADER] = "bypass"
        return response

    @staticmethod
    def _public(response):
        # Any cache may keep the page, and must ask whether it changed before showing it (a 304).
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ("Cookie",))  # a visitor with a session gets another page

    @staticmethod
    def _freeze(response) -> tuple:
        return response.status_code, response.content, list(response.items())

    @staticmethod
    def _rebuild(stored) -> HttpResponse:
        status, content, headers = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _answer(request, response, outcome):
        response[HEADER] = outcome
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=parse_http_date(response["Last-Modified"]),
            response=response,
        )
        if conditional is not response:
            conditional[HEADER] = outcome
        return conditional
