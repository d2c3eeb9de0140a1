"""The news pages: the index with its filters, an article, an author's page, the sanitized body."""

import html
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase

from portal.home.models import HomePage
from portal.news.models import ArticlePage, NewsIndexPage
from portal.news.richtext import plain_text_to_html, sanitize_html
from portal.news.selectors import recent_news_for_country
from tests.factories import UserFactory
from tests.news.helpers import article

pytestmark = pytest.mark.django_db


class TestNewsTree(WagtailPageTestCase):
    def test_news_page_under_home_and_articles_under_it(self):
        assert NewsIndexPage in HomePage.allowed_subpage_models()
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())


def test_index_lists_published_articles_of_its_language_only(client):
    article("Assemblée générale à Kaolack")
    article("General assembly in Kaolack", language="en")
    article("Brouillon non publié", live=False)
    response = client.get("/fr/actualites/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Assemblée générale à Kaolack" in text
    assert "General assembly in Kaolack" not in text
    assert "Brouillon non publié" not in text
    assert '<link rel="alternate" type="application/rss+xml"' in text


def test_index_filters_by_country_theme_and_kind(client):
    article("Nouvelles du Mali", countries=["ML"], themes=["financing"], kind="news")
    article("Nouvelles du Sénégal", countries=["SN"], themes=["governance"])
    text = client.get("/fr/actualites/?country=ML").content.decode()
    assert "Nouvelles du Mali" in text and "Nouvelles du Sénégal" not in text
    text = client.get("/fr/actualites/?theme=governance").content.decode()
    assert "Nouvelles du Sénégal" in text and "Nouvelles du Mali" not in text
    text = client.get("/fr/actualites/?kind=news").content.decode()
    assert "Nouvelles du Mali" in text and "Nouvelles du Sénégal" not in text
    # The feed links of a filtered page carry the filter.
    assert "?country=ML" in client.get("/fr/actualites/?country=ML").content.decode()


def test_bad_filter_values_are_named_and_the_valid_ones_still_apply(client):
    article("Nouvelles du Mali", countries=["ML"])
    article("Nouvelles du Sénégal", countries=["SN"])
    with translation.override("en"):
        response = client.get("/en/news/?country=ZZ&theme=nothing&kind=poem")
    text = response.content.decode()
    assert response.status_code == 400
    assert "Unknown country code “ZZ”" in text and "Unknown theme “nothing”" in text
    assert "poem" in text
    # The valid part of a half-bad query still filters.
    response = client.get("/fr/actualites/?country=ML&theme=nothing")
    assert response.status_code == 400
    assert "Nouvelles du Mali" in response.content.decode()
    assert "Nouvelles du Sénégal" not in response.content.decode()


def test_the_country_filter_takes_the_countries_it_offers_only(client):
    # France is a country (every ISO one is in the table), outside the network, and no article is
    # about it: it is not offered, and asked for it is named as unknown, as a code that is no country.
    article("Nouvelles du Mali", countries=["ML"])
    article("Nouvelles du Cap-Vert", countries=["CV"])
    with translation.override("en"):
        response = client.get("/en/news/?country=fr")
    text = response.content.decode()
    assert response.status_code == 400 and "Unknown country code “FR”" in text
    assert 'value="FR"' not in text and "France" not in text
    # A country outside the network that a published article is about is offered and filters.
    response = client.get("/fr/actualites/?country=cv")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nouvelles du Cap-Vert" in text and "Nouvelles du Mali" not in text
    assert 'value="CV" selected' in text


def test_index_is_paginated(client):
    for n in range(NewsIndexPage.PER_PAGE + 2):
        article(f"Article numéro {n:02d}")
    first = client.get("/fr/actualites/").content.decode()
    second = client.get("/fr/actualites/?page=2").content.decode()
    assert first.count('class="news-item"') == NewsIndexPage.PER_PAGE
    assert second.count('class="news-item"') >= 2
    assert 'rel="next"' in first


def test_page_links_keep_the_valid_filters_only(client):
    for n in range(NewsIndexPage.PER_PAGE + 2):
        article(f"Article numéro {n:02d}", themes=["governance"])
    response = client.get("/fr/actualites/?country=ZZ&theme=governance&kind=poem")
    assert response.status_code == 400  # the bad filters are named and ignored, the list is shown
    next_link = re.search(r'<a rel="next" href="([^"]*)"', response.content.decode()).group(1)
    query = QueryDict(html.unescape(next_link).split("?", 1)[1])
    assert query.dict() == {"theme": "governance", "page": "2"}
    second = client.get("/fr/actualites/" + html.unescape(next_link))
    assert second.status_code == 200 and second.content.decode().count('class="news-item"') == 2
    previous = re.search(r'<a rel="prev" href="([^"]*)"', second.content.decode()).group(1)
    assert QueryDict(html.unescape(previous).split("?", 1)[1]).dict() == {"theme": "governance", "page": "1"}


def test_article_page_shows_author_name_and_organization_linked_to_the_author_page(client):
    author = UserFactory(first_name="Fatou", last_name="Ndiaye", organization="Union de Thiès",
                         email="fatou.private@example.org")
    page = article("La santé pour tous à Thiès", author=author)
    text = client.get(page.url).content.decode()
    assert "Fatou Ndiaye" in text and "Union de Thiès" in text
    assert reverse("news:author", args=[author.pk]) in text
    assert "fatou.private@example.org" not in text


def test_author_page_lists_published_articles_without_personal_data(client):
    author = UserFactory(first_name="Fatou", last_name="Ndiaye", organization="Union de Thiès",
                         email="fatou.private@example.org", username="fatou-login")
    article("Publié à Thiès", author=author)
    article("Pas encore publié", author=author, live=False)
    response = client.get(reverse("news:author", args=[author.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Fatou Ndiaye" in text and "Union de Thiès" in text and "Publié à Thiès" in text
    assert "Pas encore publié" not in text
    for private in ("fatou.private@example.org", "fatou-login", "example.org"):
        assert private not in text


def test_author_page_of_someone_without_published_articles_is_a_404(client):
    author = UserFactory()
    article("Pas encore publié", author=author, live=False)
    assert client.get(reverse("news:author", args=[author.pk])).status_code == 404
    assert client.get(reverse("news:author", args=[999999])).status_code == 404


def test_script_and_handlers_in_a_body_are_removed_on_save():
    page = article("Article piégé", body='<p onclick="steal()">Bonjour<script>alert(1)</script>'
                                      '<a href="javascript:alert(2)">lien</a>'
                                      '<img src=x onerror="alert(3)"></p>'
                                      '<iframe src="https://evil.example"></iframe><h2>Titre</h2>')
    stored = ArticlePage.objects.get(pk=page.pk).body
    for bad in ("<script", "onclick", "javascript:", "<img", "onerror", "<iframe"):
        assert bad not in stored
    assert "<h2>Titre</h2>" in stored and "Bonjour" in stored


def test_sanitize_keeps_the_safe_features():
    html = '<h2>T</h2><p><b>gras</b> <i>it</i> <a href="https://example.org">lien</a></p><ul><li>un</li></ul>'
    assert sanitize_html(html) == html


def test_plain_text_becomes_paragraphs_with_everything_escaped():
    html = plain_text_to_html("Un <script>alert(1)</script>\nligne 2\n\n\nDeux & trois")
    assert html == "<p>Un &lt;script&gt;alert(1)&lt;/script&gt;<br/>ligne 2</p><p>Deux &amp; trois</p>"


def test_an_article_slug_cannot_hide_behind_the_news_urls():
    from django.core.exceptions import ValidationError

    page = article("Brouillon", live=False)
    page.slug = reverse("news:submit").strip("/").split("/")[2]
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "slug" in error.value.message_dict


def test_recent_news_for_a_country_in_the_active_language():
    article("Ancienne nouvelle du Mali", countries=["ML"], date=__import__("datetime").date(2020, 1, 1))
    article("Nouvelle du Mali", countries=["ML"])
    article("News from Mali", countries=["ML"], language="en")
    article("Nouvelle du Bénin", countries=["BJ"])
    with translation.override("fr"):
        titles = [a.title for a in recent_news_for_country("ml", limit=2)]
    assert titles[0] == "Nouvelle du Mali" and len(titles) == 2
    assert "News from Mali" not in titles and "Nouvelle du Bénin" not in titles


def test_country_page_shows_its_recent_news(client):
    from portal.core import country_sections

    assert "recent_news" in country_sections.registry.keys()
    article("Une mutuelle ouvre à Ségou", countries=["ML"])
    text = client.get(reverse("inventory:country", args=["ML"])).content.decode()
    assert "Une mutuelle ouvre à Ségou" in text
