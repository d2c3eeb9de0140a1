"""RSS 2.0 and Atom feeds of a theme across every kind of content (`portal.home.themes`): the latest
resources, project profiles, articles, events and Forum editions on it, in the reader's language
(the URL's), newest published first. Built as the news feeds are (`portal.news.feeds`): plain-text
descriptions, links on the public address, entry ids that survive a change of host or an edit."""

from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from library.models import ProjectProfilePage, ResourcePage
from portal.core.text import plain_text
from portal.events.models import EventPage
from portal.news.feeds import PageFeed, PlainTextAtom1Feed
from portal.news.models import ArticlePage
from portal.reference.models import Theme
from portal.site_url import public_url, stable_id

from .themes import theme_url

ITEMS = 30
KINDS = [ResourcePage, ProjectProfilePage, ArticlePage, EventPage]


def theme_items(theme, limit=ITEMS) -> list:
    """The latest `limit` public pages of every kind on `theme`, newest published first (a Forum
    edition comes as its EventPage: its title, address and introduction are the same)."""
    locale = Locale.get_active()
    items = []
    for model in KINDS:
        items += model.objects.live().public().filter(locale=locale, themes=theme).distinct() \
            .order_by("-first_published_at", "-pk")[:limit]
    items.sort(key=lambda page: (page.first_published_at, page.pk), reverse=True)
    return items[:limit]


class ThemeRssFeed(PageFeed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Theme, slug=slug.lower())

    def title(self, obj):
        return _("Concertation — %(theme)s") % {"theme": obj.name}

    def link(self, obj):
        return public_url(theme_url(obj))

    def feed_url(self, obj):
        return public_url(self.request.path)

    def feed_guid(self, obj):
        return stable_id("theme-feed", get_language(), obj.slug)

    def description(self, obj):
        return _("The latest resources, project profiles, articles and events of the network on the "
                 "theme “%(theme)s”.") % {"theme": obj.name}

    def items(self, obj):
        return theme_items(obj)

    def item_description(self, item):
        text = getattr(item, "summary", "") or getattr(item, "intro", "") or getattr(item, "description", "")
        return plain_text(text)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [str(item._meta.verbose_name)]


class ThemeAtomFeed(ThemeRssFeed):
    feed_type = PlainTextAtom1Feed

    def subtitle(self, obj):
        return self.description(obj)
