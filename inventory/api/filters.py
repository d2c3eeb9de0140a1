"""Query-string filters of the data API: they parse and validate; the views apply them.

Each filter names the Table Schema field it filters (`schema_field`), so the OpenAPI description
takes the parameter's type, pattern and codes from the published schema instead of repeating them.
Several values: repeat the parameter (`country=SN&country=ML`) or, for codes, separate them with
commas (`country=SN,ML`); union names may contain commas, so they are only repeated.
"""

import re

import django_filters
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.api import query
from portal.api.query import QueryFilterSet, check_count
from portal.reference.models import Country

from ..contract import schema
from ..models import Union, YearlyReturn

FIRST_YEAR = schema.field("year")["constraints"]["minimum"]
MUTUAL_ID = re.compile(schema.field("mutual_id")["constraints"]["pattern"])


class NameListField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        names = [name for name in value or [] if name]  # `union=` filters nothing
        check_count(names)
        for name in names:
            ProhibitNullCharactersValidator()(name)
        return super().clean(names)


class Documented:
    """A filter that knows which published field it filters (in which table)."""

    def __init__(self, *args, schema_field=None, table="returns", **kwargs):
        self.schema_field = schema_field
        self.table = table
        super().__init__(*args, **kwargs)


class CodesFilter(Documented, query.ValuesFilter):
    """Rows whose `field_name` is one of the codes given (repeated or comma-separated)."""


class NamesFilter(Documented, django_filters.ModelMultipleChoiceFilter):
    """Rows related to one of the objects named (by `to_field_name`); unknown names are errors."""

    field_class = NameListField
    many = True

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class YearFilter(Documented, query.YearFilter):
    """A reporting year between the contract's first year and next year."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        super().__init__(*args, **kwargs)


class TextFilter(Documented, django_filters.CharFilter):
    pass


UNKNOWN_COUNTRY = _("%(value)s is not a country code: ISO 3166-1 alpha-2, such as SN or ML.")


def country_choices():
    return [(code, code) for code in Country.objects.order_by("code").values_list("code", flat=True)]


def enum_choices(name, table="returns"):
    return [(code, code) for code in schema.enum(name, table)]


def _country(field_name, table="returns", with_all=False):
    if with_all:
        choices = lambda: [*country_choices(), ("ALL", "ALL")]  # noqa: E731
        label = _("Countries, by ISO 3166-1 alpha-2 code (lower case read as upper case), or ALL for "
                  "every country together (several allowed)")
    else:
        choices, label = country_choices, _("Countries, by ISO 3166-1 alpha-2 code, lower case read as "
                                            "upper case (several allowed)")
    return CodesFilter(field_name=field_name, choices=choices, upper=True, schema_field="country",
                       table=table, label=label, invalid=UNKNOWN_COUNTRY)


REPORTING_YEAR = (_("Reporting year"), _("Reporting year, from (inclusive)"),
                  _("Reporting year, up to (inclusive)"))


def _years(labels=REPORTING_YEAR, table="returns", method=None):
    """`year`, `year_min`, `year_max`."""
    return tuple(
        YearFilter(field_name="year", lookup_expr=lookup, schema_field="year", table=table, label=label,
                   method=method)
        for lookup, label in zip(("exact", "gte", "lte"), labels, strict=True)
    )


def _codes(name, field_name, label):
    return CodesFilter(field_name=field_name, choices=enum_choices(name), schema_field=name, label=label)


def _union(field_name):
    return NamesFilter(
        field_name=field_name, queryset=Union.objects.all(), to_field_name="name", schema_field="union",
        label=_("Unions or networks, by exact name as in the `union` field (repeat for several); "
                "a name no union has is refused (400)"),
    )


class MutualApiFilter(QueryFilterSet):
    """Over `public_mutuals()`. `status` is the status of the mutual's latest validated return
    (`latest_status`); `year`, `year_min`, `year_max` keep mutuals with a validated return in the
    year or range. For the status in a given year, query the returns."""

    country = _country("country_id")
    region = TextFilter(lookup_expr="iexact", schema_field="region",
                        label=_("Region, exact name (case ignored)"))
    year, year_min, year_max = _years(
        (_("Year with a validated return"), _("Year with a validated return, from (inclusive)"),
         _("Year with a validated return, up to (inclusive)")),
        method="years_together",
    )
    status = _codes("status", "latest_status", _("Status in the latest validated return (several allowed)"))
    mutual_type = _codes("mutual_type", "mutual_type", _("Type of mutual (several allowed)"))
    union = _union("union")

    def years_together(self, queryset, name, value):
        return queryset  # applied once for the three in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        bounds = {
            f"year__{self.filters[name].lookup_expr}": self.form.cleaned_data[name]
            for name in ("year", "year_min", "year_max") if self.form.cleaned_data.get(name) is not None
        }
        if bounds:
            # One correlated test, so that year_min and year_max bound the same return.
            returns = YearlyReturn.objects.validated().filter(mutual=OuterRef("pk"), **bounds)
            queryset = queryset.filter(Exists(returns))
        return queryset


class ReturnApiFilter(QueryFilterSet):
    """Over the public returns (validated returns of public mutuals)."""

    country = _country("mutual__country_id")
    # An identifier of the published pattern that no public mutual has is no error: it has no rows.
    mutual_id = CodesFilter(
        field_name="mutual__mutual_id", check=MUTUAL_ID.match,
        invalid=_("%(value)s is not a mutual identifier: two capital letters, a hyphen, four digits or more "
                  "(SN-0042)."),
        schema_field="mutual_id",
        label=_("Mutual identifiers (several allowed); one that no public mutual has gives no rows"),
    )
    year, year_min, year_max = _years()
    status = _codes("status", "status", _("Status in that year (several allowed)"))
    mutual_type = _codes("mutual_type", "mutual__mutual_type", _("Type of mutual (several allowed)"))
    union = _union("mutual__union")


class SynthesisApiFilter(QueryFilterSet):
    """Over the synthesis table's rows (dicts): the filterset parses (it has no model),
    `filter_rows` applies."""

    country = _country("country", table="synthesis", with_all=True)
    year, year_min, year_max = _years(table="synthesis")

    def filter_rows(self, rows):
        data = self.form.cleaned_data
        countries = set(data.get("country") or ())
        year, low, high = data.get("year"), data.get("year_min"), data.get("year_max")
        for row in rows:
            if countries and row["country"] not in countries:
                continue
            if (year is not None and row["year"] != year) or (low is not None and row["year"] < low) or (
                high is not None and row["year"] > high
            ):
                continue
            yield row
