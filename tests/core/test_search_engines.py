"""What search engines read (issue 15, "Discoverable"): /robots.txt, /sitemap.xml (an index of
sections, every public page in each language with its hreflang alternates, nothing private) and, in
every public page's head, a canonical link, hreflang alternates and a description. Every address on
SITE_URL, whichever host the request came through."""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, PageViewRestriction

from inventory.models import Release, SupportingOrganization
from portal.core.models import StandardPage
from portal.home import seo
from tests.core.search_engines import PUBLIC, REQUEST_HOST, assert_no_local_address, get, head
from tests.factories import MutualFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_address")]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"



def url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def content(home_fr):
    """A page in both languages, a page behind a login, public and hidden mutuals and organizations, a
    release."""
    page = StandardPage(title="Le réseau", slug="le-reseau",
                        intro="Ce qu'est la Concertation, qui la compose et comment elle travaille.")
    home_fr.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.slug = "The network", "the-network"
    english.intro = "What the network is, who its members are and how it works."
    english.save_revision().publish()
    english = StandardPage.objects.get(pk=english.pk)
    private = StandardPage(title="Espace des membres", slug="espace-membres")
    home_fr.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    mutual = MutualFactory(name="Mutuelle de Thiès", contact_name="Moussa Contact",
                           contact_email="moussa.contact@example.org")
    hidden_mutual = MutualFactory(name="Mutuelle retirée", is_public=False)
    organization = SupportingOrganization.objects.create(
        name="Appui Sénégal", description_en="Supports the mutual health organizations of Senegal.")
    hidden_organization = SupportingOrganization.objects.create(name="Masquée", in_directory=False)
    release = Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.0",
                                     published_at=timezone.now(), inventory_version=1, returns_count=0,
                                     synthesis_count=0)
    return {"page": page, "english": english, "private": private, "mutual": mutual,
            "hidden_mutual": hidden_mutual, "organization": organization,
            "hidden_organization": hidden_organization, "release": release}


# -- robots.txt ---------------------------------------------------------------------------------------

def test_robots_txt_disallows_private_areas_and_points_to_the_sitemap_on_site_url(client):
    response = client.get("/robots.txt", HTTP_HOST=REQUEST_HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    rules = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Disallow: ")]
    expected = ["/admin/", "/dev/mail/", url("inventory:my_mutuals", "fr"),
                url("inventory:my_mutuals", "en"),
                url("inventory:release_publish", "fr"), url("newsletter:subscribe", "en"),
                url("library:propose", "fr"), url("news:submit", "en")]
    for path in expected:
        assert path in rules, (path, rules)
    # Every account page in both languages, every return (a mutual's reporting), through their prefix.
    for language in ("fr", "en"):
        assert any(url("accounts:profile", language).startswith(rule) for rule in rules)
        assert any(url("inventory:return_detail", language, "SN-0001", 2024).startswith(rule)
                   for rule in rules)
        assert any(url("account_login", language).startswith(rule) for rule in rules)
    # ... and never a public page.
    public = [url("inventory:overview", "fr"), url("inventory:datasets", "en"), url("directory:list", "fr"),
              url("inventory:mutual_detail", "fr", "SN-0001"), "/fr/", "/en/"]
    for path in public:
        assert not any(path.startswith(rule) for rule in rules if "*" not in rule), path
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in text.splitlines()
    assert_no_local_address(text)


# -- sitemap.xml ----------------------------------------------------------------------------------

def sitemap_urls(client) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of every URL of every section the index lists."""
    index = client.get("/sitemap.xml", HTTP_HOST=REQUEST_HOST)
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    assert_no_local_address(index.content.decode())
    locations = [loc.text for loc in ElementTree.fromstring(index.content).iter(f"{SM}loc")]
    assert locations and all(loc.startswith(PUBLIC + "/sitemap-") for loc in locations), locations
    urls = {}
    for location in locations:
        section = client.get(location.removeprefix(PUBLIC), HTTP_HOST=REQUEST_HOST)
        assert section.status_code == 200, location
        assert_no_local_address(section.content.decode())
        for entry in ElementTree.fromstring(section.content).iter(f"{SM}url"):
            loc = entry.findtext(f"{SM}loc")
            assert loc not in urls, f"{loc} listed twice"
            urls[loc] = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    return urls


def versions(name, *args):
    """A view's address in each of the site's languages (French, English, Portuguese)."""
    return {language: url(name, language, *args) for language in ("fr", "en", "pt")}


def test_sitemap_lists_every_public_page_in_every_language_with_hreflang_alternates(client, content):
    urls = sitemap_urls(client)
    assert urls and all(loc.startswith(PUBLIC + "/") for loc in urls)
    mutual = content["mutual"].mutual_id
    expected = [
        # Wagtail pages: their live translations only (none in Portuguese here).
        {"fr": content["page"].url, "en": content["english"].url},
        {"fr": "/fr/", "en": "/en/"},
        # The portal's own views: the same view in each language.
        versions("inventory:overview"),
        versions("inventory:glossary"),
        versions("inventory:country", "SN"),
        versions("inventory:mutual_detail", mutual),
        versions("inventory:datasets"),
        versions("inventory:release_detail", "inventaire-2025", "1.0"),
        versions("directory:list"),
        versions("directory:organization", content["organization"].pk),
        versions("themes:overview"),
        versions("themes:detail", "financing"),
    ]
    for paths in expected:
        assert len(set(paths.values())) == len(paths), paths
        alternates = {language: PUBLIC + path for language, path in paths.items()}
        for loc in alternates.values():
            assert loc in urls, loc
            # Each version names every other, and French as the default.
            assert urls[loc] == {**alternates, "x-default": alternates["fr"]}, (loc, urls[loc])
    # Every alternate is itself listed (the alternates are reciprocal).
    for loc, alternates in urls.items():
        for href in alternates.values():
            assert href in urls and urls[href] == alternates, (loc, href)


def test_sitemap_lists_nothing_private(client, content):
    urls = sitemap_urls(client)
    private_paths = [
        content["private"].url,
        url("inventory:mutual_detail", "fr", content["hidden_mutual"].mutual_id or "none"),
        url("directory:organization", "fr", content["hidden_organization"].pk),
        url("directory:organization", "en", content["hidden_organization"].pk),
        url("inventory:my_mutuals", "fr"), url("accounts:profile", "en"),
        url("inventory:release_publish", "fr"),
        "/admin/",
    ]
    listed = " ".join(urls)
    for path in private_paths:
        assert PUBLIC + path not in urls, path
    assert "/admin/" not in listed and "/comptes/" not in listed and "/accounts/" not in listed


def test_sitemap_is_paginated_past_its_limit(client, content, monkeypatch):
    monkeypatch.setattr(seo.ViewSitemap, "limit", 10)
    index = client.get("/sitemap.xml", HTTP_HOST=REQUEST_HOST)
    locations = [loc.text for loc in ElementTree.fromstring(index.content).iter(f"{SM}loc")]
    assert f"{PUBLIC}/sitemap-views.xml?p=2" in locations
    last = max(int(loc.rsplit("=", 1)[1]) for loc in locations if "?p=" in loc)
    page = client.get(f"/sitemap-views.xml?p={last}", HTTP_HOST=REQUEST_HOST)
    assert page.status_code == 200
    assert 0 < len(list(ElementTree.fromstring(page.content).iter(f"{SM}url"))) <= 10
    assert client.get(f"/sitemap-views.xml?p={last + 1}", HTTP_HOST=REQUEST_HOST).status_code == 404
    assert client.get("/sitemap-nothing.xml", HTTP_HOST=REQUEST_HOST).status_code == 404


# -- The head of each page -------------------------------------------------------------------------

def test_head_of_pages_and_views_has_canonical_hreflang_and_description(client, content):
    mutual = content["mutual"].mutual_id
    samples = [
        {"fr": content["page"].url, "en": content["english"].url},
        {"fr": "/fr/", "en": "/en/"},
        versions("inventory:overview"),
        versions("inventory:countries"),
        versions("inventory:country", "SN"),
        versions("inventory:glossary"),
        versions("inventory:mutual_list"),
        versions("inventory:mutual_detail", mutual),
        versions("inventory:datasets"),
        versions("inventory:codebook"),
        versions("inventory:release_detail", "inventaire-2025", "1.0"),
        versions("directory:organization", content["organization"].pk),
    ]
    for paths in samples:
        assert len(set(paths.values())) == len(paths), paths
        alternates = {language: PUBLIC + path for language, path in paths.items()}
        for path in paths.values():
            meta = head(get(client, path))
            assert meta["canonical"] == [PUBLIC + path], (path, meta["canonical"])
            expected = {**alternates, "x-default": alternates["fr"]}
            assert meta["alternates"] == expected, (path, meta["alternates"])
            assert len(meta["description"]) >= 40, (path, meta["description"])
            assert_no_local_address(meta["head"])


def test_description_falls_back_to_the_page_text_and_is_short(client, home_fr):
    from portal.core.blocks import BodyBlock  # noqa: F401 - the body's blocks

    page = StandardPage(title="Historique", slug="historique", body=[
        ("heading", "Les débuts"),
        ("paragraph", "<p>En 1998, à Abidjan, les promoteurs des mutuelles " + "se réunissent " * 30),
    ])
    home_fr.add_child(instance=page)
    page.save_revision().publish()
    meta = head(get(client, page.url))
    assert meta["description"].startswith("En 1998, à Abidjan, les promoteurs des mutuelles")
    assert len(meta["description"]) <= 160 and "<" not in meta["description"]


def test_a_page_without_translation_has_a_canonical_but_no_alternates(client, home_fr):
    page = StandardPage(title="Seulement en français", slug="seul", intro="Une page sans traduction.")
    home_fr.add_child(instance=page)
    page.save_revision().publish()
    meta = head(get(client, page.url))
    assert meta["canonical"] == [PUBLIC + page.url]
    assert meta["alternates"] == {}


def test_a_list_keeps_its_page_number_and_drops_its_filters_in_the_canonical(client, content):
    path = url("inventory:mutual_list", "en")
    meta = head(get(client, path + "?country=SN&page=1"))
    assert meta["canonical"] == [PUBLIC + path]
    meta = head(client.get(path + "?page=2&country=SN", HTTP_HOST=REQUEST_HOST).content.decode())
    assert meta["canonical"] == [PUBLIC + path + "?page=2"]


def test_a_missing_page_is_not_indexed_and_has_no_canonical(client):
    html = get(client, "/fr/nulle-part/", status=404)
    meta = head(html)
    assert meta["canonical"] == [] and meta["alternates"] == {}
    robots = BeautifulSoup(html, "html.parser").head.find("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex"
