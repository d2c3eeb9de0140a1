from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"), max_length=200, required=False, strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
