"""Feed links are on the public address (SITE_URL) whatever host the feed is read through, and entry
ids do not change when that address does (a reader never sees every article again after a move)."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from tests.news.helpers import article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = "http://127.0.0.1:8101"


def feed(client, name, host="testserver"):
    with translation.override("fr"):
        path = reverse(name)
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode(), ElementTree.fromstring(response.content)


def test_rss_and_atom_links_are_on_site_url_not_the_requested_host(client, settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]
    page = article("Les mutuelles de Kayes")
    text, rss = feed(client, "news:feed_rss", host="localhost")
    item = rss.find("channel/item")
    assert item.findtext("link") == PUBLIC + page.url
    assert rss.findtext("channel/link").startswith(PUBLIC + "/")
    text_atom, atom = feed(client, "news:feed_atom", host="localhost")
    entry = atom.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == PUBLIC + page.url
    hrefs = [link.get("href") for link in atom.iter(f"{ATOM}link")]
    assert hrefs and all(href.startswith(PUBLIC + "/") for href in hrefs), hrefs
    for body in (text, text_atom):
        assert "localhost" not in body and "testserver" not in body


def test_entry_ids_are_the_same_under_two_site_urls(client, settings):
    article("Les mutuelles de Ségou")
    ids = []
    for address in ("http://127.0.0.1:8000", "https://portail.example.org"):
        settings.SITE_URL = address
        _text, rss = feed(client, "news:feed_rss")
        guid = rss.find("channel/item/guid")
        _text, atom = feed(client, "news:feed_atom")
        ids.append((guid.text, guid.get("isPermaLink"), atom.findtext(f"{ATOM}entry/{ATOM}id"),
                    atom.findtext(f"{ATOM}id")))
    assert ids[0] == ids[1]
    guid, permalink, entry_id, feed_id = ids[0]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", guid) and permalink == "false"
    assert entry_id == guid and feed_id.startswith("urn:uuid:") and feed_id != guid


def test_french_and_english_versions_of_an_article_have_different_ids(client):
    article("Nouvelle en français")
    article("News in English", language="en")
    _text, fr = feed(client, "news:feed_rss")
    with translation.override("en"):
        path = reverse("news:feed_rss")
    en = ElementTree.fromstring(client.get(path).content)
    assert fr.findtext("channel/item/guid") != en.findtext("channel/item/guid")
