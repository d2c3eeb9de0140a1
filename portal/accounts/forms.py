from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import Country
from library.models import Theme

from .models import LANGUAGE_CHOICES, User


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileForm(forms.ModelForm):
    """What a registered person says about themselves; shown on their profile page."""

    country = CountryChoiceField(
        queryset=Country.objects.all(), required=False, label=_("Country"),
        empty_label=_("— choose —"),
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Languages you read"),
    )
    interests = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Themes of interest"),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "organization", "country", "languages", "interests"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "organization": _("Organization"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"
        self.fields["interests"].label_from_instance = lambda theme: theme.name


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (e-mail and password come from allauth)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    organization = forms.CharField(
        label=_("Organization"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = CountryChoiceField(
        queryset=Country.objects.all(), required=False, label=_("Country"),
        empty_label=_("— choose —"),
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.organization = self.cleaned_data["organization"]
        user.country = self.cleaned_data["country"]
        user.save()
