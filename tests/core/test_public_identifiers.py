"""Every identifier the portal exports comes from the one public base URL (settings.SITE_URL): feed ids
and links (RSS, Atom, iCalendar), a resource's citation meta tags and its BibTeX, RIS and CSL-JSON, the
open data's citations, datapackage.json and CITATION.cff, current and released. Never Wagtail's Site
record (left here on localhost:8000, as an install that never ran `migrate` after setting SITE_URL)
nor the host the request came through (127.0.0.1:8211 here)."""

import datetime
import json
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from inventory.models import InventoryState
from inventory.opendata import live, releases
from library.services import library_index_get_or_create
from portal.accounts.roles import Role
from portal.core.pdf import pdf_bytes
from portal.events.models import EventIndexPage, EventPage
from tests.factories import UserFactory
from tests.inventory.open_data import build_inventory
from tests.library.helpers import document, resource
from tests.news.helpers import article

pytestmark = pytest.mark.django_db

PUBLIC = "https://portal.example.org"
REQUEST_HOST = "127.0.0.1:8211"
URL_RE = re.compile(r"https?://[^\s\"'<>\\{}]+")


@pytest.fixture
def public(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)
    Site.clear_site_root_paths_cache()
    return PUBLIC


def get(client, path) -> str:
    response = client.get(path, HTTP_HOST=REQUEST_HOST)
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def check_identifiers(name, text, *, expected=1):
    """No URL in `text` names localhost, the request's host or any port; the portal's own are under
    SITE_URL (at least `expected` of them)."""
    assert "localhost" not in text and REQUEST_HOST not in text and "127.0.0.1" not in text, name
    found = URL_RE.findall(text)
    for url in found:
        parts = urlsplit(url)
        assert parts.port is None, (name, url)
    ours = [url for url in found if url.startswith(PUBLIC + "/") or url == PUBLIC]
    assert len(ours) >= expected, (name, found)
    return ours


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_no_exported_identifier_holds_localhost_or_another_port(client, public, home_fr):
    # News feeds: links, guids and Atom ids.
    news = article("Les mutuelles de Sikasso se regroupent")
    with translation.override("fr"):
        rss = get(client, reverse("news:feed_rss"))
        atom = get(client, reverse("news:feed_atom"))
    assert f"<link>{PUBLIC}{news.url}</link>" in rss
    check_identifiers("RSS", rss, expected=2)
    assert f'href="{PUBLIC}{news.url}"' in atom
    check_identifiers("Atom", atom, expected=2)
    for guid in re.findall(r"<guid[^>]*>([^<]+)</guid>", rss) + re.findall(r"<id>([^<]+)</id>", atom):
        assert guid.startswith(("urn:uuid:", PUBLIC + "/")), guid

    # Calendars: the event's URL.
    index = EventIndexPage.objects.get(locale__language_code="fr")
    dakar, day = zoneinfo.ZoneInfo("Africa/Dakar"), timezone.localdate() + datetime.timedelta(days=10)
    event = EventPage(title="Atelier", time_zone="Africa/Dakar", locale=index.locale, city="Dakar",
                      start=datetime.datetime.combine(day, datetime.time(9), tzinfo=dakar),
                      end=datetime.datetime.combine(day, datetime.time(17), tzinfo=dakar))
    index.add_child(instance=event)
    event.save_revision().publish()
    with translation.override("fr"):
        calendar = get(client, reverse("events:feed"))
        single = get(client, reverse("events:event_ics", args=[event.pk]))
    for name, text in (("calendar.ics", calendar), ("event.ics", single)):
        unfolded = text.replace("\r\n ", "")
        assert f"URL:{PUBLIC}{event.url}" in unfolded, name
        check_identifiers(name, unfolded)

    # A library resource: its meta tags and its three citation exports.
    page = resource(library_index_get_or_create(language="fr"), ref="cite-public", external_url="",
                    authors="International Labour Office; Awa Diop",
                    document=document("guide.pdf", pdf_bytes("texte")))
    html = get(client, page.url)
    for tag in ("citation_abstract_html_url", "DC.identifier"):
        assert f'<meta name="{tag}" content="{PUBLIC}{page.url}">' in html
    assert f'name="citation_pdf_url" content="{PUBLIC}/' in html
    for export in ("bibtex", "ris", "csl-json"):
        text = get(client, f"{page.url}cite/{export}/")
        assert f"{PUBLIC}{page.url}" in check_identifiers(export, text)

    # The open data: the current data's citations, datapackage.json and CITATION.cff.
    build_inventory()
    directory = live.build_live()
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"].startswith(PUBLIC + "/")
    check_identifiers("datapackage.json", json.dumps(package))
    check_identifiers("CITATION.cff", (directory / "CITATION.cff").read_text(encoding="utf-8"))
    check_identifiers("datasets page", get(client, en("inventory:datasets")), expected=2)
    for export in ("bibtex", "ris", "csl-json"):
        check_identifiers(f"current {export}", get(client, en("inventory:datasets_cite", export)))

    # A release: its page, its exports, its frozen datapackage.json and CITATION.cff.
    release = releases.release_publish(
        name="Inventaire 2025", version="1.0", changelog="", user=UserFactory(roles=[Role.SECRETARIAT]),
        inventory_version=InventoryState.current_version())
    detail = en("inventory:release_detail", release.slug, release.version)
    check_identifiers("release page", get(client, detail), expected=2)
    for export in ("bibtex", "ris", "csl-json"):
        text = get(client, en("inventory:release_cite", release.slug, release.version, export))
        check_identifiers(f"release {export}", text)
    for filename in ("datapackage.json", "CITATION.cff"):
        text = get(client, en("inventory:release_file", release.slug, release.version, filename))
        check_identifiers(f"release {filename}", text)
