"""The directory's query-string filters: they parse and validate, nothing more."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inventory.models import OrganizationRoleKind
from portal.reference.models import Country


def directory_countries():
    """Countries a reader may filter on: the network's and any with an organization or a union."""
    return Country.objects.filter(
        Q(in_network=True) | Q(supportingorganization__isnull=False) | Q(union__isnull=False)
    ).distinct()


class DirectoryFilter(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False,
        choices=[("", _("All roles")), *OrganizationRoleKind.choices],
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and data.get("country"):
            data = data.copy()
            data["country"] = data["country"].strip().upper()
        super().__init__(data, **kwargs)
        countries = sorted(directory_countries(), key=lambda c: c.name)
        self._countries = {c.code: c for c in countries}
        self.fields["country"].choices = [("", _("All countries"))] + [(c.code, c.name) for c in countries]

    def clean_country(self):
        code = self.cleaned_data["country"]
        return self._countries.get(code)  # a valid choice: the Country itself, or None
