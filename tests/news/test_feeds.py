"""The RSS 2.0 and Atom feeds, parsed as a feed reader would."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.news.helpers import article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def rss_items(client, query="", language="fr"):
    response = client.get(url("news:feed_rss", language) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel"), root.findall("channel/item")


def test_rss_lists_published_articles_with_link_date_author_and_themes(client):
    author = UserFactory(first_name="Moussa", last_name="Traoré", email="moussa.private@example.org")
    page = article("Les mutuelles de Sikasso se regroupent", author=author, themes=["governance"],
                   summary="Sept mutuelles fusionnent.")
    article("Pas encore publié", live=False)
    channel, items = rss_items(client)
    assert channel.findtext("language") == "fr"
    titles = [item.findtext("title") for item in items]
    assert "Les mutuelles de Sikasso se regroupent" in titles and "Pas encore publié" not in titles
    item = items[titles.index("Les mutuelles de Sikasso se regroupent")]
    assert item.findtext("link").endswith(page.url)
    assert item.findtext("description") == "Sept mutuelles fusionnent."
    assert item.findtext("pubDate")
    assert "Gouvernance" in [c.text for c in item.findall("category")]
    # RSS puts an e-mail in <author>; Django writes dc:creator for a name alone: never the e-mail.
    assert b"moussa.private@example.org" not in client.get(url("news:feed_rss")).content


def test_feeds_come_in_the_readers_language(client):
    article("Nouvelle en français")
    article("News in English", language="en")
    channel, items = rss_items(client, language="en")
    assert channel.findtext("language") == "en"
    assert [i.findtext("title") for i in items if i.findtext("title") in ("News in English",
                                                                          "Nouvelle en français")] == \
        ["News in English"]


def test_feeds_per_country_and_per_theme(client):
    article("Au Mali", countries=["ML"], themes=["financing"])
    article("Au Sénégal", countries=["SN"], themes=["governance"])
    _channel, items = rss_items(client, "?country=ML")
    titles = [i.findtext("title") for i in items]
    assert "Au Mali" in titles and "Au Sénégal" not in titles
    channel, items = rss_items(client, "?theme=governance")
    titles = [i.findtext("title") for i in items]
    assert "Au Sénégal" in titles and "Au Mali" not in titles
    assert "Gouvernance" in channel.findtext("title")


def test_atom_feed_parses_with_entries(client):
    page = article("Atelier à Cotonou", countries=["BJ"], themes=["feasibility"])
    response = client.get(url("news:feed_atom") + "?country=BJ&theme=feasibility")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Atelier à Cotonou"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(page.url)
    assert entries[0].findtext(f"{ATOM}updated")


def test_a_bad_filter_is_a_400_naming_it(client):
    response = client.get(url("news:feed_rss") + "?country=XX")
    assert response.status_code == 400
    assert "country" in response.content.decode()


def test_a_country_the_news_do_not_offer_is_a_400_not_an_empty_feed(client):
    article("Au Mali", countries=["ML"])
    for name in ("news:feed_rss", "news:feed_atom"):
        response = client.get(url(name, "en") + "?country=fr")
        assert response.status_code == 400
        assert "Unknown country code “FR”" in response.content.decode()
    # Once a published article is about France, its feed is there.
    article("En France", countries=["FR"])
    channel, items = rss_items(client, "?country=FR")
    assert [i.findtext("title") for i in items] == ["En France"] and "France" in channel.findtext("title")


@pytest.mark.parametrize("query", ["", "?country=ML", "?theme=governance", "?kind=news"])
def test_feed_descriptions_are_plain_text_without_markup(client, query):
    # A summary pasted from a web page, with tags and entities (one of them encoded twice).
    article("Mutuelles au Mali", kind="news", countries=["ML"], themes=["governance"],
            summary="<p>Les <b>mutuelles</b> &amp; l'État : <script>alert(1)</script>"
                    "&lt;i&gt;bilan&lt;/i&gt; &amp;lt;em&amp;gt;2025&amp;lt;/em&amp;gt;</p>")
    expected = "Les mutuelles & l'État : bilan 2025"
    rss = client.get(url("news:feed_rss") + query).content.decode()
    atom = client.get(url("news:feed_atom") + query).content.decode()
    for feed in (rss, atom):
        described = re.findall(r"<(description|summary)[^>]*>(.*?)</\1>", feed, re.S)
        assert described
        for _tag, text in described:
            assert "<" not in text and "&lt;" not in text and "alert" not in text, text
    _channel, items = rss_items(client, query)
    descriptions = [i.findtext("description") for i in items if i.findtext("title") == "Mutuelles au Mali"]
    assert descriptions == [expected]
    entry = ElementTree.fromstring(atom.encode()).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").get("type") == "text"
    assert entry.findtext(f"{ATOM}summary") == expected
