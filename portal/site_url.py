"""The portal's public address (`settings.SITE_URL`) and every absolute URL written for use outside a
page: e-mail links, feeds, citations, BibTeX/RIS, datapackage.json, CITATION.cff, calendar files.

Why one module: the portal used to take these URLs from three places that disagreed (Wagtail's Site
record, `WAGTAILADMIN_BASE_URL`, the host of the request), so with `PORT=8101 make run` an e-mail
pointed to port 8000 and a feed to `http://localhost/`. Now:

- `public_url(path)` is the one "absolute URL of a path" helper; `page_public_url(page)` the page's.
  Both use SITE_URL, never the request's host: a link sent by e-mail or read in a feed reader must
  work for the reader, whoever triggered its writing and through whichever address.
- `sync_default_site()` keeps Wagtail's default Site record (hostname, port) in step with SITE_URL
  (called after every `migrate` and by the demo loader), so `page.get_full_url()` and the admin agree;
  a system check warns when they differ.
- `stable_id(...)` gives identifiers that do not change with the host (feed entry ids): `urn:uuid:`
  from a uuid5 of the object's stable key, so moving the portal to its real domain later does not make
  every feed reader see every entry again.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import IntegrityError, transaction

# The namespace of the portal's uuid5 identifiers (fixed: changing it would change every feed id).
ID_NAMESPACE = uuid.UUID("5b0c3e9a-2f51-5d47-9f0e-6a3c2d1e8b74")


def site_url() -> str:
    """SITE_URL without its trailing slash."""
    return str(settings.SITE_URL).rstrip("/")


def public_url(path: str) -> str:
    """The public address of `path`: a root-relative path is put under SITE_URL, an absolute URL (a
    link to another site, a file on object storage) stays as it is, "" stays ""."""
    path = str(path or "")
    if not path:
        return ""
    if path.startswith("/") and not path.startswith("//"):
        return site_url() + path
    return path


def page_public_url(page) -> str:
    """The page's address under SITE_URL ("" when it has no route, e.g. not under a site).

    The page's path inside its site, not `get_full_url()`: a Site record holds a host and a port but no
    scheme (https on another port than 443 cannot be said) nor path prefix, which SITE_URL can."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    _site_id, _root, page_path = parts
    return public_url(page_path)


def stable_id(*parts) -> str:
    """`urn:uuid:…` from `parts` (e.g. a page's translation key and language): the same on every host."""
    name = "/".join(str(part) for part in parts)
    return uuid.uuid5(ID_NAMESPACE, name).urn


def page_stable_id(page) -> str:
    """A page's id in feeds: one per (translated) page, kept across edits, moves and hosts."""
    language = page.locale.language_code if page.locale_id else ""
    return stable_id("page", page.translation_key, language)


# -- Wagtail's default Site record ------------------------------------------------------------------

def site_address() -> tuple[str, int]:
    """(hostname, port) of SITE_URL, as Wagtail's Site record holds them."""
    parts = urlsplit(site_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (parts.hostname or "localhost", port)


def sync_default_site(using: str = "default") -> bool:
    """Give the default Site record SITE_URL's hostname and port; True when it changed.

    Nothing when there is no default site yet (the demo loader calls this again once it has made one)
    or when another Site record already has that address (the check below then says so)."""
    from wagtail.models import Site

    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    try:
        with transaction.atomic(using=using):
            site.save(using=using, update_fields=["hostname", "port"])
    except IntegrityError:
        return False
    Site.clear_site_root_paths_cache()
    return True


def sync_after_migrate(sender, using="default", **kwargs):
    """post_migrate receiver (connected by portal.core's AppConfig, sent once per app: only wagtailcore's
    is needed, the one that creates the default Site)."""
    if getattr(sender, "label", "") == "wagtailcore":
        sync_default_site(using=using)


@checks.register("portal")
def check_default_site(app_configs=None, **kwargs):
    """Warn when the default Site record does not match SITE_URL (e.g. SITE_URL changed since the last
    migrate): `page.get_full_url()` and the admin's links would then use the old address."""
    from django.db import DatabaseError
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return []  # no database yet (before the first migrate)
    if site is None or (site.hostname, site.port) == site_address():
        return []
    return [checks.Warning(
        f"Wagtail's default site is {site.hostname}:{site.port}, SITE_URL is {site_url()}.",
        hint="Run `manage.py migrate` (it brings the Site record in step with SITE_URL).",
        id="portal.W001",
    )]
