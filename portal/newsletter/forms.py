from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGES


class SubscribeForm(forms.Form):
    """E-mail and language; the template adds the honeypot `website` and the signed `started` time
    (see antispam.py), which the view checks before this form."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES,
                                 widget=forms.RadioSelect, initial="fr")

