"""Reads of the news: published articles of a language, an author's articles, a country's recent
news. The index's and the feeds' filters are `filters.NewsFilter`."""

from wagtail.models import Locale

from .models import ArticlePage, NewsIndexPage


def published_articles(*, locale=None):
    """Live, public articles and news of `locale` (default: the active language's), newest first."""
    if locale is None:
        locale = Locale.get_active()
    return (
        ArticlePage.objects.live().public().filter(locale=locale)
        .select_related("author", "image").prefetch_related("countries", "themes")
        .order_by("-date", "-first_published_at")
    )


def news_index(*, locale=None):
    """The news page of `locale`'s tree (default: the active language's), or None."""
    return NewsIndexPage.objects.live().filter(locale=locale or Locale.get_active()).first()


def recent_news_for_country(code: str, limit: int = 5):
    """The latest `limit` articles and news about the country `code`, in the active language."""
    return list(published_articles().filter(countries__code=str(code).upper())[:limit])


def articles_by(user, *, locale=None):
    return published_articles(locale=locale).filter(author=user)


def country_section(country, request):
    """The country page's "recent news" section (portal.core.country_sections): None when there is none."""
    articles = recent_news_for_country(country.code, limit=5)
    if not articles:
        return None
    index = news_index()
    return {"articles": articles, "more_url": f"{index.url}?country={country.code}" if index else ""}
