"""The directory's query string, on the portal's FilterSet base (`portal.api.query`) as the news', the
calendar's and the API's are: it parses and validates, nothing more (the view applies the values).

    ?country=ML  &role=focal_point

A country code is read in any case (`ml` is `ML`, shown chosen). A value that names nothing is an
error naming the parameter (the page then answers 400).
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inventory.models import OrganizationRoleKind
from portal.api.query import CodeChoiceFilter, QueryFilterSet
from portal.i18n import is_english
from portal.reference.models import Country


def directory_countries(request=None):
    """Countries a reader may filter on: the network's and any with an organization or a union, in
    the order of their names in the reader's language."""
    return Country.objects.filter(
        Q(in_network=True) | Q(supportingorganization__isnull=False) | Q(union__isnull=False)
    ).distinct().order_by("name_en" if is_english() else "name_fr")


class DirectoryFilter(QueryFilterSet):
    country = CodeChoiceFilter(
        queryset=directory_countries, to_field_name="code", upper=True, label=_("Country"),
        empty_label=_("All countries"),
        # Django's message for a choice it does not know, naming the value.
        error_messages={"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]},
    )
    role = django_filters.ChoiceFilter(
        choices=OrganizationRoleKind.choices, label=_("Role"), empty_label=_("All roles"),
    )
