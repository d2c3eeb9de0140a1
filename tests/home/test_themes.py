"""The knowledge map (issue 18): a page per theme gathering every kind of content on it, the overview
of themes × countries, the feeds per theme; only public, live content in the reader's language."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction, Site

from inventory.models import SupportingOrganization
from library.models import LibraryIndexPage
from portal.core.models import SiteLinks
from portal.events.models import EventIndexPage, EventPage, ForumPage, ForumProceeding
from portal.home import themes
from portal.reference.models import Theme
from tests.factories import ThemeFactory, network_country
from tests.library.helpers import project_profile, resource
from tests.news.helpers import article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, *args, language="fr", query=""):
    with translation.override(language):
        return reverse(name, args=args) + query


def event(title, *, model=EventPage, themes=(), country=None, language="fr", live=True, days=10):
    index = EventIndexPage.objects.get(locale__language_code=language)
    start = timezone.now() + datetime.timedelta(days=days)
    page = model(title=title, locale=index.locale, start=start, end=start + datetime.timedelta(hours=8),
                 country=country, city="Dakar")
    if model is ForumPage:
        page.edition = 4
    page.themes = list(themes)
    page.live = False
    index.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


@pytest.fixture
def content():
    """One of each kind on "financing" about Mali, and what must stay off its page: drafts, a
    restricted resource, another theme's resource, an English resource."""
    financing, governance = Theme.objects.get(slug="financing"), Theme.objects.get(slug="governance")
    mali = network_country("ML")
    network_country("SN")
    library = LibraryIndexPage.objects.get(locale__language_code="fr")
    library_en = LibraryIndexPage.objects.get(locale__language_code="en")
    o = {
        "resource": resource(library, title="Guide du recouvrement des cotisations", slug="recouvrement",
                             themes=[financing], countries=[mali]),
        "profile": project_profile(library, title="Projet de fonds de garantie", slug="fonds-garantie",
                                   project_name="Fonds de garantie", themes=[financing], countries=[mali]),
        "article": article("Les cotisations rentrent mieux à Ségou", themes=["financing"], countries=["ML"]),
        "event": event("Atelier sur le financement", themes=[financing], country=mali),
        "forum": event("Forum de Bamako", model=ForumPage, themes=[financing], country=mali, days=-400),
        "other_theme": resource(library, title="Statuts types de la mutuelle", slug="statuts",
                                themes=[governance], countries=[mali]),
        "english": resource(library_en, title="Collection guide in English", slug="collection-en",
                            themes=[financing], countries=[mali]),
        "draft": article("Brouillon sur le financement", themes=["financing"], live=False),
        "private": resource(library, title="Note interne du secrétariat", slug="note-interne",
                            themes=[financing], countries=[mali]),
    }
    PageViewRestriction.objects.create(page=o["private"], restriction_type=PageViewRestriction.LOGIN)
    o["proceedings"] = resource(library, title="Actes du Forum de Bamako", slug="actes", themes=[financing])
    forum = o["forum"]
    ForumProceeding.objects.create(page=forum, resource=o["proceedings"])
    organization = SupportingOrganization.objects.create(name="Appui au financement mutualiste")
    organization.themes.add(financing)
    organization.countries.add(mali)
    hidden = SupportingOrganization.objects.create(name="Organisation hors annuaire", in_directory=False)
    hidden.themes.add(financing)
    SupportingOrganization.objects.create(name="Organisation de gouvernance").themes.add(governance)
    return o


SHOWN = ["Guide du recouvrement des cotisations", "Projet de fonds de garantie",
         "Les cotisations rentrent mieux à Ségou", "Atelier sur le financement", "Forum de Bamako",
         "Actes du Forum de Bamako", "Appui au financement mutualiste"]
NOT_SHOWN = ["Statuts types de la mutuelle", "Collection guide in English", "Brouillon sur le financement",
             "Note interne du secrétariat", "Organisation hors annuaire", "Organisation de gouvernance"]


def test_a_theme_page_gathers_every_kind_of_public_content_on_it(client, content):
    response = client.get(url("themes:detail", "financing"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in SHOWN:
        assert title in html, title
    for title in NOT_SHOWN:
        assert title not in html, title
    soup = BeautifulSoup(html, "html.parser")
    # each section links to the full filtered list where one exists
    more = {a["href"] for a in soup.select("main a")}
    library_url = LibraryIndexPage.objects.get(locale__language_code="fr").url
    assert f"{library_url}?theme=financing" in more
    assert f"{library_url}?theme=financing&type=project_profile" in more
    assert any(h.endswith("?theme=financing") and "actualites" in h for h in more)
    assert any(h.endswith("?theme=financing") and "agenda" in h for h in more)
    # the feeds are announced, the glossary linked for the indicators
    alternates = [link["href"] for link in soup.select('link[rel="alternate"]')]
    assert url("themes:feed_rss", "financing") in alternates
    assert url("themes:feed_atom", "financing") in alternates
    assert soup.select_one(f'a[href="{url("inventory:glossary")}#collection_rate"]')


def test_a_theme_page_for_a_country_keeps_only_what_is_about_it(client, content):
    senegal_html = client.get(url("themes:detail", "financing", query="?country=SN")).content.decode()
    for title in SHOWN[:5]:
        assert title not in senegal_html
    mali_html = client.get(url("themes:detail", "financing", query="?country=ml")).content.decode()
    for title in SHOWN:
        assert title in mali_html
    assert client.get(url("themes:detail", "financing", query="?country=ZZ")).status_code == 404
    assert client.get(url("themes:detail", "no-such-theme")).status_code == 404


def test_the_page_comes_in_the_readers_language(client, content):
    html = client.get(url("themes:detail", "financing", language="en")).content.decode()
    assert "Collection guide in English" in html and "Financing" in html
    assert "Guide du recouvrement des cotisations" not in html


def test_the_overview_links_every_theme_by_country_cell(client, content):
    response = client.get(url("themes:overview"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table")
    countries = [th.get_text(strip=True) for th in table.select("thead th")[1:-1]]
    assert {"ML", "SN"} <= set(countries)
    rows = table.select("tbody tr")
    assert len(rows) == Theme.objects.count()
    for row in rows:
        assert row.th["scope"] == "row"
        slug = row.th.a["href"].rstrip("/").rsplit("/", 1)[-1]
        links = [td.a["href"] for td in row.select("td")]
        assert links[:-1] == [url("themes:detail", slug, query=f"?country={code}") for code in countries]
    financing = next(r for r in rows if r.th.a["href"] == url("themes:detail", "financing"))
    cells = dict(zip(countries, [td.get_text(strip=True) for td in financing.select("td")], strict=False))
    # Mali: the resource, the proceedings? (no country), the profile, the article, the event, the Forum,
    # the organization; the restricted, draft and English ones are not counted.
    assert cells["ML"] == "6" and cells["SN"] == "0"


def feed(client, name, language="fr"):
    response = client.get(url(name, "financing", language=language))
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_the_rss_and_atom_feeds_carry_every_kind_with_stable_ids(client, content):
    rss = feed(client, "themes:feed_rss")
    assert rss.findtext("channel/language") == "fr"
    titles = [item.findtext("title") for item in rss.findall("channel/item")]
    assert set(SHOWN[:5]) <= set(titles)
    assert not set(NOT_SHOWN) & set(titles)
    guids = [item.findtext("guid") for item in rss.findall("channel/item")]
    assert all(g.startswith("urn:uuid:") for g in guids) and len(set(guids)) == len(guids)
    again = feed(client, "themes:feed_rss").findall("channel/item")
    assert guids == [item.findtext("guid") for item in again]
    kinds = {c.text for item in rss.findall("channel/item") for c in item.findall("category")}
    assert len(kinds) >= 4
    atom = feed(client, "themes:feed_atom")
    entries = atom.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == set(titles)
    assert {e.findtext(f"{ATOM}id") for e in entries} == set(guids)
    english = feed(client, "themes:feed_rss", language="en")
    assert [i.findtext("title") for i in english.findall("channel/item")] == ["Collection guide in English"]


def test_no_stale_theme_page_after_a_resource_on_it_is_published(client, content):
    SiteLinks.for_site(Site.objects.get(is_default_site=True))
    path = url("themes:detail", "financing")
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    library = LibraryIndexPage.objects.get(locale__language_code="fr")
    resource(library, title="Nouvelle étude sur les cotisations", slug="nouvelle-etude",
             themes=[Theme.objects.get(slug="financing")])
    assert "Nouvelle étude sur les cotisations" in client.get(path).content.decode()


def test_indicators_come_from_the_inventorys_glossary():
    assert set(themes.INDICATORS) <= {slug for slug, *_ in __import__(
        "portal.reference.themes", fromlist=["THEMES"]).THEMES}
    from inventory.opendata.glossary import anchor
    from inventory.opendata.synthesis import synthesis_columns

    for columns in themes.INDICATORS.values():
        for column in columns:
            assert column in synthesis_columns() and anchor(column), column


def test_a_theme_the_secretariat_added_has_its_page(client):
    theme = ThemeFactory(slug="sante-communautaire")
    cache.clear()
    response = client.get(url("themes:detail", theme.slug))
    assert response.status_code == 200 and theme.name_fr in response.content.decode()
    assert re.search(r"Nothing yet|Rien", response.content.decode())


def test_the_indicators_show_the_inventorys_latest_values_of_the_network_and_of_a_country(client):
    from inventory.models import InventoryState
    from tests.factories import MutualFactory, ReturnFactory

    mali = network_country("ML")
    ReturnFactory(mutual=MutualFactory(country=mali), year=2024, members=4321, status="functional",
                  state="validated")
    InventoryState.bump()
    for query in ("", "?country=ML"):
        soup = BeautifulSoup(client.get(url("themes:detail", "microfinance", query=query)).content,
                             "html.parser")
        section = soup.select_one("section[aria-labelledby=indicators]")
        assert "2024" in section.get_text() and "4\u00a0321" in section.get_text()
        assert section.select_one(f'a[href="{url("inventory:glossary")}#members"]')
    assert "Mali" in soup.select_one("section[aria-labelledby=indicators] p").get_text()


def test_the_secretariat_gives_an_organization_its_themes_in_the_admin_and_its_pages_link_them(client):
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    financing = Theme.objects.get(slug="financing")
    data = {
        "name": "Réseau d'appui au financement", "acronym": "", "description_fr": "", "description_en": "",
        "countries": [], "themes": [financing.pk], "in_directory": "on", "website": "", "address": "",
        "email": "", "phone": "", "staff": [],
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/admin/snippets/inventory/supportingorganization/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organization = SupportingOrganization.objects.get(name="Réseau d'appui au financement")
    assert list(organization.themes.all()) == [financing]
    client.logout()
    theme_page = BeautifulSoup(client.get(url("themes:detail", "financing")).content, "html.parser")
    assert "Réseau d'appui au financement" in theme_page.select_one("#organizations").parent.get_text()
    detail = BeautifulSoup(client.get(url("directory:organization", organization.pk)).content, "html.parser")
    assert detail.select_one(f'a[href="{url("themes:detail", "financing")}"]')
