"""Query-string filters of the data API: they parse and validate; the views apply them.

Each filter names the Table Schema field it filters (`schema_field`), so the OpenAPI description
takes the parameter's type, pattern and codes from the published schema instead of repeating them.
Several values: repeat the parameter (`country=SN&country=ML`) or, for codes, separate them with
commas (`country=SN,ML`); union names may contain commas, so they are only repeated.
"""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ..contract import schema
from ..models import Country, Mutual, Union, YearlyReturn

FIRST_YEAR = schema.field("year")["constraints"]["minimum"]


def last_year() -> int:
    """The latest year a query may name: next year (a return is never for a later one)."""
    return date.today().year + 1


MAX_VALUES = 100


def _check_count(values):
    if len(values) > MAX_VALUES:
        raise ValidationError(_("At most %(max)s values."), code="max_values", params={"max": MAX_VALUES})


class CodeListField(forms.MultipleChoiceField):
    """Codes given repeated or comma-separated; `upper` accepts `sn` for `SN`."""

    def __init__(self, *args, upper=False, **kwargs):
        self.upper = upper
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        codes = [part.strip() for item in super().to_python(value) for part in item.split(",")]
        return [code.upper() if self.upper else code for code in codes if code]

    def validate(self, value):
        _check_count(value)
        known = {str(code) for code, _label in self.choices}  # the choices read once, not per value
        for code in value:
            if code not in known:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": code})


class NameListField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        names = [name for name in value or [] if name]  # `union=` filters nothing
        _check_count(names)
        for name in names:
            ProhibitNullCharactersValidator()(name)
        return super().clean(names)


class YearField(forms.IntegerField):
    """A reporting year between the contract's first year and next year."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", last_year())
        super().__init__(**kwargs)


class Documented:
    """A filter that knows which published field it filters, and whether it takes several values."""

    many = False

    def __init__(self, *args, schema_field=None, table="returns", **kwargs):
        self.schema_field = schema_field
        self.table = table
        super().__init__(*args, **kwargs)


class CodesFilter(Documented, django_filters.Filter):
    """Rows whose `field_name` is one of the codes given."""

    field_class = CodeListField
    many = True

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class NamesFilter(Documented, django_filters.ModelMultipleChoiceFilter):
    """Rows related to one of the objects named (by `to_field_name`); unknown names are errors."""

    field_class = NameListField
    many = True

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class YearFilter(Documented, django_filters.Filter):
    field_class = YearField


class TextFilter(Documented, django_filters.CharFilter):
    pass


def country_choices():
    return [(code, code) for code in Country.objects.order_by("code").values_list("code", flat=True)]


def enum_choices(name, table="returns"):
    return [(code, code) for code in schema.enum(name, table)]


class ApiFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        low, high = data.get("year_min"), data.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_min", _("year_min (%(low)s) is after year_max (%(high)s).")
                           % {"low": low, "high": high})
        return data


def _country(field_name, table="returns", with_all=False):
    if with_all:
        choices = lambda: [*country_choices(), ("ALL", "ALL")]  # noqa: E731
        label = _("Countries, by ISO 3166-1 alpha-2 code, or ALL for every country together "
                  "(several allowed)")
    else:
        choices, label = country_choices, _("Countries, by ISO 3166-1 alpha-2 code (several allowed)")
    return CodesFilter(field_name=field_name, choices=choices, upper=True, schema_field="country",
                       table=table, label=label)


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
        label=_("Unions or networks, by exact name as in the `union` field (repeat for several)"),
    )


class ApiFilterSet(django_filters.FilterSet):
    class Meta:
        form = ApiFilterForm

    @classmethod
    def single_valued(cls) -> list[str]:
        return [name for name, f in cls.base_filters.items() if not getattr(f, "many", False)]


class MutualApiFilter(ApiFilterSet):
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


class ReturnApiFilter(ApiFilterSet):
    """Over the public returns (validated returns of public mutuals)."""

    country = _country("mutual__country_id")
    mutual_id = NamesFilter(
        field_name="mutual", queryset=Mutual.objects.public(), to_field_name="mutual_id",
        schema_field="mutual_id", label=_("Mutual identifiers (several allowed)"),
    )
    year, year_min, year_max = _years()
    status = _codes("status", "status", _("Status in that year (several allowed)"))
    mutual_type = _codes("mutual_type", "mutual__mutual_type", _("Type of mutual (several allowed)"))
    union = _union("mutual__union")


class SynthesisApiFilter(ApiFilterSet):
    """Over the synthesis table's rows (dicts): the filterset parses, `filter_rows` applies."""

    country = _country("country", table="synthesis", with_all=True)
    year, year_min, year_max = _years(table="synthesis")

    def __init__(self, data=None, queryset=None, **kwargs):
        # The synthesis is a frame, not a queryset; the filters only need a model to attach to.
        super().__init__(data, queryset=Country.objects.none(), **kwargs)

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
