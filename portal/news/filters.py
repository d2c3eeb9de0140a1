"""The news index's and feeds' query string: `country` (ISO code, any case, of a country it offers: the
network's and those a published article is about), `theme` (slug, any case), `kind`, parsed by a
FilterSet on the portal's base (`portal.api.query`), as the other lists and the API are. A value that
names nothing is an error naming the parameter; the filters that are valid still apply (the index then
answers 400 and says what it ignored, the feeds answer 400)."""

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal.api.query import CodeChoiceFilter, QueryFilterSet
from portal.i18n import by_name
from portal.reference.models import Country, Theme

from .models import ArticlePage, Kind

# The field that names a chosen record in the query string.
KEYS = {"country": "code", "theme": "slug"}


def offered_countries(request=None):
    """The network's countries and those some published article is about (not every country): what the
    country filter offers, and all it accepts (read per request)."""
    return Country.objects.in_network_or(ArticlePage.objects.live().values("countries"))


class NewsFilter(QueryFilterSet):
    country = CodeChoiceFilter(
        field_name="countries", queryset=offered_countries, to_field_name="code", upper=True,
        distinct=True, label=_("Country"),
        error_messages={"invalid_choice": _("Unknown country code “%(value)s”.")},
    )
    theme = CodeChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), to_field_name="slug", lower=True,
        distinct=True, label=_("Theme"), error_messages={"invalid_choice": _("Unknown theme “%(value)s”.")},
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label=_("All"), label=_("Kind"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else QueryDict(), **kwargs)

    def value(self, name) -> str:
        """The code, slug or kind chosen by `name` when it is valid, else ""."""
        self.form.is_valid()  # validates once; cleaned_data then holds the valid parameters only
        chosen = self.form.cleaned_data.get(name)
        return getattr(chosen, KEYS[name]) if chosen and name in KEYS else chosen or ""

    @property
    def chosen(self) -> dict[str, str]:
        """The valid choices by parameter, for the form's selects."""
        return {name: self.value(name) for name in self.filters}

    def apply(self, articles):
        """`articles` narrowed by the valid filters."""
        self.form.is_valid()
        return self.filter_queryset(articles)

    def valid_query(self) -> QueryDict:
        """The valid filters (empty when unfiltered): what the page links and the feeds' links carry."""
        query = QueryDict(mutable=True)
        for name in ("country", "theme", "kind"):
            if self.value(name):
                query[name] = self.value(name)
        return query

    def feed_query(self) -> str:
        """The valid filters as a query string for the feeds' links ("" when unfiltered)."""
        return self.valid_query().urlencode()

    def country_choices(self):
        """The countries the filter accepts (`offered_countries`), by name."""
        return by_name(((c.code, c.name) for c in self.form.fields["country"].queryset),
                       name=lambda pair: pair[1])

    def theme_choices(self):
        return by_name(((t.slug, t.name) for t in Theme.objects.all()), name=lambda pair: pair[1])

    def kind_choices(self):
        return self.form.fields["kind"].choices

    def description(self) -> str:
        """What the filters select, for the feeds' titles: "Mali · Financing"."""
        self.form.is_valid()
        data = self.form.cleaned_data
        parts = [data[name].name for name in ("country", "theme") if data.get(name)]
        if self.value("kind"):
            parts.append(str(Kind(self.value("kind")).label))
        return " · ".join(parts)
