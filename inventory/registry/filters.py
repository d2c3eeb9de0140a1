"""Query-string filters of the public directory of mutuals: they parse and validate, nothing more,
on the portal's FilterSet base (`portal.api.query`): a bad value is an error naming it, never a 500;
a country code is read in any case (`ml` is `ML`), as the API reads it."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.api.query import CodeChoiceFilter, QueryFilterSet
from portal.reference.models import Country

from ..contract.choices import MutualStatus, MutualType
from ..models import Mutual, Union

SERVICES = [
    ("covers_primary_care", _("Primary care")),
    ("covers_drugs", _("Drugs")),
    ("covers_hospitalization", _("Hospitalization")),
    ("covers_surgery", _("Surgery")),
    ("covers_childbirth", _("Childbirth")),
    ("covers_transport", _("Transport / evacuation")),
    ("covers_lab", _("Laboratory tests")),
]


class MutualFilter(QueryFilterSet):
    """Filters over public mutuals annotated with their latest validated return
    (`latest_status`, and `latest_<service>` for each service covered)."""

    q = django_filters.CharFilter(method="search", label=_("Name or acronym"))
    country = CodeChoiceFilter(
        queryset=Country.objects.filter(mutual__isnull=False).distinct(), upper=True, label=_("Country"),
        empty_label=_("All countries"),
    )
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"))
    mutual_type = django_filters.ChoiceFilter(
        choices=MutualType.choices, label=_("Type"), empty_label=_("All types")
    )
    status = django_filters.ChoiceFilter(
        field_name="latest_status", choices=MutualStatus.choices, label=_("Status (latest year)"),
        empty_label=_("All statuses"),
    )
    union = django_filters.ModelChoiceFilter(
        queryset=Union.objects.filter(mutuals__isnull=False).distinct(), label=_("Union or network"),
        empty_label=_("All unions"),
    )
    services = django_filters.MultipleChoiceFilter(
        choices=SERVICES, method="covering", label=_("Services covered"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(QueryFilterSet.Meta):
        model = Mutual
        fields = ["q", "country", "region", "mutual_type", "status", "union", "services"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))

    def covering(self, queryset, name, values):
        """Every chosen service must be covered (a reader looks for a mutual that covers all)."""
        for service in values:
            queryset = queryset.filter(**{f"latest_{service}": True})
        return queryset
