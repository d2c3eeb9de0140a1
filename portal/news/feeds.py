"""RSS 2.0 and Atom feeds of the news, overall or for a country, a theme or a kind (the index's query
string: `?country=ML&theme=financing`), in the reader's language (the URL's).

Descriptions are plain text (portal.core.text.plain_text): feed readers render an RSS description as
HTML, so markup typed into a summary must not reach them as markup.

Links are on the public address (SITE_URL, portal.site_url), whatever host the feed was asked
through. Entry ids (RSS `<guid isPermaLink="false">`, Atom `<id>`) are `urn:uuid:`s of the article's
translation key and language: they survive a change of host, an edit or a move of the page, so a
reader never sees an article twice."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core.text import plain_text
from portal.site_url import page_public_url, page_stable_id, public_url, stable_id

from .filters import NewsFilter
from .selectors import news_index, published_articles

ITEMS = 30


class PageFeed(Feed):
    """A feed of Wagtail pages: each entry the page's title, its public address, and an id that
    survives a change of host, an edit or a move (`page_stable_id`)."""

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return page_public_url(item)

    def item_guid(self, item):
        return page_stable_id(item)

    def item_guid_is_permalink(self, item):
        return False


class NewsRssFeed(PageFeed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        news_filter = NewsFilter(request.GET)
        if news_filter.errors:
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in news_filter.errors.items())
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return NewsFilter(request.GET)

    def title(self, obj):
        description = obj.description()
        return _("Concertation news") + (f" — {description}" if description else "")

    def link(self, obj):
        index = news_index()
        query = obj.feed_query()
        return public_url(index.url if index else "/") + (f"?{query}" if query else "")

    def feed_url(self, obj):
        return public_url(self.request.get_full_path())

    def feed_guid(self, obj):
        """The feed's own id (Atom): its language and filters, not its host."""
        return stable_id("news-feed", get_language(), obj.feed_query())

    def description(self, obj):
        return _("Articles and news from the members of the network of mutual health organizations.")

    def items(self, obj):
        return obj.apply(published_articles())[:ITEMS]

    def item_description(self, item):
        return plain_text(item.summary)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.make_aware(
            datetime.datetime.combine(item.date, datetime.time(12)))

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        return item.author_name or None

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose entry summaries say they are text (Django's say `type="html"`)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NewsAtomFeed(NewsRssFeed):
    feed_type = PlainTextAtom1Feed

    def subtitle(self, obj):
        return self.description(obj)
