"""Reads of the news: published articles of a language, the index's and the feeds' filters, an
author's articles, a country's recent news."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from portal.reference.models import Country, Theme

from .models import ArticlePage, Kind, NewsIndexPage


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


class NewsFilter(forms.Form):
    """The index's and feeds' query string: `country` (ISO code), `theme` (slug), `kind`. A value that
    names nothing is an error naming the parameter; the filters that are valid still apply."""

    country = forms.CharField(required=False, label=gettext_lazy("Country"))
    theme = forms.CharField(required=False, label=gettext_lazy("Theme"))
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"),
                             choices=[("", gettext_lazy("All")), *Kind.choices])

    def __init__(self, data: QueryDict | dict | None = None):
        data = data if data is not None else {}
        super().__init__({key: data.get(key, "") for key in ("country", "theme", "kind")})
        self.is_valid()

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and not Country.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown country code “%(code)s”.") % {"code": code})
        return code

    def clean_theme(self):
        slug = self.cleaned_data["theme"].strip().lower()
        if slug and not Theme.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Unknown theme “%(slug)s”.") % {"slug": slug})
        return slug

    def value(self, name):
        return "" if name in self.errors else self.cleaned_data.get(name, "")

    def apply(self, articles):
        if self.value("country"):
            articles = articles.filter(countries__code=self.value("country"))
        if self.value("theme"):
            articles = articles.filter(themes__slug=self.value("theme"))
        if self.value("kind"):
            articles = articles.filter(kind=self.value("kind"))
        return articles.distinct() if self.value("country") or self.value("theme") else articles

    def feed_query(self) -> str:
        """The valid filters as a query string for the feeds' links ("" when unfiltered)."""
        query = QueryDict(mutable=True)
        for name in ("country", "theme", "kind"):
            if self.value(name):
                query[name] = self.value(name)
        return query.urlencode()

    def country_choices(self):
        """The network's countries and those some published article is about (not every country)."""
        about = ArticlePage.objects.live().values("countries")
        return sorted(((c.code, c.name) for c in Country.objects.in_network_or(about)),
                      key=lambda pair: pair[1])

    def theme_choices(self):
        return sorted(((t.slug, t.name) for t in Theme.objects.all()), key=lambda pair: pair[1])

    def description(self) -> str:
        """What the filters select, for the feeds' titles: "Mali · Financing"."""
        parts = []
        if self.value("country"):
            parts.append(Country.objects.get(code=self.value("country")).name)
        if self.value("theme"):
            parts.append(Theme.objects.get(slug=self.value("theme")).name)
        if self.value("kind"):
            parts.append(str(Kind(self.value("kind")).label))
        return " · ".join(parts)


def country_section(country, request):
    """The country page's "recent news" section (portal.core.country_sections): None when there is none."""
    articles = recent_news_for_country(country.code, limit=5)
    if not articles:
        return None
    index = news_index()
    return {"articles": articles, "more_url": f"{index.url}?country={country.code}" if index else ""}
