"""What search engines read: `/robots.txt` and `/sitemap.xml` (a sitemap index of Wagtail's pages and
the portal's own public views, in both languages, each URL with its `hreflang` alternates).

Every address is absolute on SITE_URL (`portal.site_url.public_url`), never the request's host nor
Django's `Site`: Django's sitemap framework writes `protocol://domain` + path, which cannot hold
SITE_URL's scheme, port or path prefix, so the sitemaps below build their own `location`s.

Only what anyone may read is listed: live pages under no view restriction (Wagtail's `.public()`),
public mutuals, the inventory's countries, the directory's organizations, the open data and its
releases, the theme pages. No account, reporting, review or form page; robots.txt says the same to
the crawlers.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site

from inventory.models import Mutual, Release, SupportingOrganization
from portal.reference.models import Country, Theme
from portal.site_url import page_public_url, public_url

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE  # x-default: the French version


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def view_url(code: str, name: str, args=()) -> str:
    """The absolute address of the view `name` in language `code` (i18n_patterns' /fr/…, /en/…)."""
    with translation.override(code):
        return public_url(reverse(name, args=args))


def with_default(alternates: list[dict]) -> list[dict]:
    """The alternates plus `x-default` → the French version (when there is one)."""
    for alternate in alternates:
        if alternate["lang_code"] == DEFAULT_LANGUAGE:
            return [*alternates, {"lang_code": "x-default", "location": alternate["location"]}]
    return alternates


class _AbsoluteUrls:
    """Sitemap items are (language, thing) pairs, one URL each, so that `limit` (50,000) counts URLs;
    `urls_of(thing)` gives {language: absolute URL} of the thing's versions."""

    def urls_of(self, thing) -> dict[str, str]:
        raise NotImplementedError

    def lastmod(self, thing):
        return None

    def _urls(self, page, protocol, domain):
        urls = []
        for code, thing in self.paginator.page(page).object_list:
            versions = self.urls_of(thing)
            if code not in versions:
                continue
            alternates = with_default([{"lang_code": lang, "location": loc}
                                       for lang, loc in versions.items()])
            urls.append({
                "item": thing, "location": versions[code], "lastmod": self.lastmod(thing),
                "changefreq": None, "priority": None,
                "alternates": alternates if len(versions) > 1 else [],
            })
        return urls


class PageSitemap(_AbsoluteUrls, WagtailSitemap):
    """Wagtail's pages of every language tree (wagtail-localize: one tree per locale under the root),
    live and public; each with its live public translations as alternates."""

    def items(self):
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        if site is None:
            return []
        roots = site.root_page.get_translations(inclusive=True)
        pages = Page.objects.none()
        for root in roots:
            pages = pages | Page.objects.descendant_of(root, inclusive=True)
        pages = (pages.live().public().select_related("locale").order_by("path")
                 .defer_streamfields().specific())
        return [(page.locale.language_code, page) for page in pages]

    def urls_of(self, page) -> dict[str, str]:
        translations = page.get_translations(inclusive=True).live().public().select_related("locale")
        versions = {}
        for version in translations:
            url = page_public_url(version)
            if url:
                versions[version.locale.language_code] = url
        return versions

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at


class ViewSitemap(_AbsoluteUrls, WagtailSitemap):
    """The portal's public pages that are views, not Wagtail pages: the inventory's overview,
    countries, glossary and mutuals, the open data and its releases, the directory, the theme pages.
    The same view in each language (i18n_patterns)."""

    def things(self):
        yield ("inventory:overview", ())
        yield ("inventory:countries", ())
        countries = Country.objects.in_network_or(Mutual.objects.public().values("country_id"))
        for code in countries.order_by("code").values_list("code", flat=True):
            yield ("inventory:country", (code,))
        yield ("inventory:glossary", ())
        yield ("inventory:mutual_list", ())
        for mutual_id in Mutual.objects.public().order_by("mutual_id").values_list("mutual_id", flat=True):
            yield ("inventory:mutual_detail", (mutual_id,))
        yield ("inventory:datasets", ())
        yield ("inventory:codebook", ())
        for slug, version in Release.objects.order_by("slug", "published_at").values_list("slug", "version"):
            yield ("inventory:release_detail", (slug, version))
        yield ("directory:list", ())
        for pk in SupportingOrganization.objects.in_directory().order_by("pk").values_list("pk", flat=True):
            yield ("directory:organization", (pk,))
        yield ("themes:overview", ())
        for slug in Theme.objects.order_by("slug").values_list("slug", flat=True):
            yield ("themes:detail", (slug,))

    def items(self):
        return [(code, thing) for thing in self.things() for code in languages()]

    def urls_of(self, thing) -> dict[str, str]:
        name, args = thing
        try:
            return {code: view_url(code, name, args) for code in languages()}
        except NoReverseMatch:
            return {}


SITEMAPS = {"pages": PageSitemap, "views": ViewSitemap}


def _sitemaps(request):
    return {name: cls(request) for name, cls in SITEMAPS.items()}


@require_safe
def sitemap_index(request):
    """/sitemap.xml: one entry per section and page of 50,000 URLs (Sitemap.limit)."""
    entries = []
    for name, sitemap in _sitemaps(request).items():
        path = reverse("sitemap_section", kwargs={"section": name})
        for number in sitemap.paginator.page_range:
            entries.append({"location": public_url(path + (f"?p={number}" if number > 1 else ""))})
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries},
                            content_type="application/xml")


@require_safe
def sitemap_section(request, section):
    """/sitemap-<section>.xml: Django's sitemap view on the section (its `?p=` page)."""
    sitemaps = _sitemaps(request)
    if section not in sitemaps:
        raise Http404("No sitemap section of that name.")
    try:
        response = sitemap_views.sitemap(request, {section: sitemaps[section]}, section=section)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
    return response


# -- robots.txt -------------------------------------------------------------------------------------

_ANY = "zzanyzz"  # stands for a URL argument (a str, a slug), replaced by `*`
_ANY_NUMBER = 9999  # stands for an id or a year

# What crawlers leave alone: accounts, the yearly reporting and its reviews, forms that write,
# the secretariat's pages; (name, example arguments).
_PRIVATE_VIEWS = [
    ("account_login", ()),  # cut to its prefix below: every account page
    ("search", ()),
    ("inventory:my_mutuals", ()),
    ("inventory:return_detail", (_ANY, _ANY_NUMBER)),
    ("inventory:campaigns", ()),
    ("inventory:dashboard", ()),
    ("inventory:mutual_register", ()),
    ("inventory:my_registrations", ()),
    ("inventory:registration_queue", ()),
    ("inventory:registration_review", (_ANY_NUMBER,)),
    ("inventory:import_upload", ()),
    ("inventory:dataset_guestbook", ()),
    ("inventory:release_publish", ()),
    ("inventory:download_statistics", ()),
    ("library:propose", ()),
    ("library:my_proposals", ()),
    ("news:submit", ()),
    ("news:mine", ()),
    ("news:flash_unsubscribe", (_ANY,)),
    ("newsletter:subscribe", ()),
    ("newsletter:confirm", (_ANY,)),
    ("newsletter:unsubscribe", (_ANY,)),
    ("events:register", (_ANY_NUMBER,)),
    ("events:cancel", (_ANY_NUMBER,)),
    ("events:participants", (_ANY_NUMBER,)),
]
# Outside the language prefix: the admin, the API's autocompletion (a crawl trap, not content), the
# development mailbox (DEBUG only, listed anyway).
_PRIVATE_PATHS = ["/admin/", "/api/v1/library/autocomplete", "/dev/mail/"]


def _robots_pattern(path: str) -> str:
    """A view's path as a robots.txt pattern: arguments become `*`, and a trailing run of them is
    dropped (rules match by prefix)."""
    pattern = path.replace(_ANY, "*").replace(str(_ANY_NUMBER), "*")
    while pattern.endswith("*/"):
        pattern = pattern[: -len("*/")]
    return pattern


def disallowed_paths() -> list[str]:
    """Every path prefix (or pattern) robots.txt disallows, in each language, without duplicates."""
    paths = [*_PRIVATE_PATHS]
    for code in languages():
        with translation.override(code):
            for name, args in _PRIVATE_VIEWS:
                try:
                    path = reverse(name, args=args)
                except NoReverseMatch:
                    continue
                if name == "account_login":  # /fr/comptes/connexion/ -> /fr/comptes/
                    path = "/".join(path.split("/")[:3]) + "/"
                paths.append(_robots_pattern(path))
    paths = list(dict.fromkeys(paths))
    # A path under another disallowed one says nothing more (/fr/inventaire/inscriptions/nouvelle/).
    return [path for path in paths
            if not any(other != path and "*" not in other and path.startswith(other) for other in paths)]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines += ["Allow: /", "", f"Sitemap: {public_url(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
