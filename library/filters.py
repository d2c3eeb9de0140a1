"""The library's query strings, parsed and validated by FilterSets on the shared base
(`portal.api.query`): the search's (for the API and, leniently, the search page) and the
autocomplete's. They only parse: the search engine applies the values (`SearchFilter.search_query`).

The labels are the parameters' descriptions in the OpenAPI document (`library/openapi.py`).
The words `q` are always text: NUL characters are dropped and a very long query is cut, never refused.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.api.query import Parameter, QueryFilterSet, ValuesFilter, YearFilter
from portal.core.converters import MAX_PAGE
from portal.reference.models import Country, Language, Theme

from .models import FIRST_YEAR, PROJECT_PROFILE_TYPE, ResourceType
from .search import MAX_PAGE_SIZE, SORTS, SearchQuery

DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 1000  # longer queries are cut, not refused
DEFAULT_SUGGESTIONS = 8
MAX_SUGGESTIONS = 20


class QueryField(forms.CharField):
    """Free text: NUL characters (refused by Django's CharField and PostgreSQL) are dropped and a
    very long query is cut, so that no query is ever an error."""

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", ""))[:MAX_QUERY_LENGTH]


def theme_choices():
    """The themes' slugs, read per request: the taxonomy is the secretariat's."""
    return [(slug, slug) for slug in Theme.objects.order_by("slug").values_list("slug", flat=True)]


def country_choices():
    return [(code, code) for code in Country.objects.order_by("code").values_list("code", flat=True)]


def _words():
    return Parameter(QueryField, label=_(
        "Words to find in titles, summaries, authors and the text of the files; every word must "
        "match; always read as text (quotes and operators are searched, never refused)"))


def _integer(label, **bounds):
    return Parameter(forms.IntegerField, min_value=1, label=label, **bounds)


class SearchFilter(QueryFilterSet):
    """`type`, `theme`, `country` and `language` may be repeated (values OR-ed), the others are
    given at most once."""

    q = _words()
    type = ValuesFilter(
        choices=[*ResourceType.choices, (PROJECT_PROFILE_TYPE, "project_profile")],
        label=_("Resource type (project_profile for project profiles); repeat for several (OR)"),
    )
    theme = ValuesFilter(choices=theme_choices, label=_("Theme slug; repeat for several (OR)"),
                         invalid=_("%(value)s is not one of the library's themes."))
    country = ValuesFilter(choices=country_choices, upper=True, label=_(
        "ISO 3166-1 alpha-2 country code, lower case read as upper case; repeat for several (OR)"),
        invalid=_("%(value)s is not a country code: ISO 3166-1 alpha-2, such as SN or ML."))
    language = ValuesFilter(choices=Language.choices,
                            label=_("Language of the resource; repeat for several (OR)"))
    year_min = YearFilter(min_value=FIRST_YEAR, label=_("Published in this year or later"))
    year_max = YearFilter(min_value=FIRST_YEAR, label=_("Published in this year or earlier"))
    sort = Parameter(forms.ChoiceField, choices=[(s, s) for s in SORTS], label=_(
        "relevance (title matches first) or date (newest first); without words, always by date"))
    page = _integer(_("Page number, from 1"), max_value=MAX_PAGE)
    page_size = _integer(_("Results per page"), max_value=MAX_PAGE_SIZE)

    def search_query(self) -> SearchQuery:
        data = self.form.cleaned_data
        return SearchQuery(
            q=data["q"],
            types=tuple(dict.fromkeys(data["type"])),
            themes=tuple(dict.fromkeys(data["theme"])),
            countries=tuple(dict.fromkeys(data["country"])),
            languages=tuple(dict.fromkeys(data["language"])),
            year_min=data["year_min"],
            year_max=data["year_max"],
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            page_size=data["page_size"] or DEFAULT_PAGE_SIZE,
        )


class AutocompleteFilter(QueryFilterSet):
    q = _words()
    limit = _integer(_("At most this many titles"), max_value=MAX_SUGGESTIONS)


# The repeatable parameters, in the order the search page shows their facets.
MULTI_VALUED = tuple(name for name in SearchFilter.base_filters if name not in SearchFilter.single_valued())
