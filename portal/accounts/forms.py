from django import forms
from django.utils.translation import gettext_lazy as _

from portal.i18n import ByLabelChoiceIterator, ByNameMultipleChoiceField
from portal.reference.models import Country, Theme

from .models import LANGUAGE_CHOICES, User


class CountryChoiceField(forms.ModelChoiceField):
    iterator = ByLabelChoiceIterator

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
    interests = ByNameMultipleChoiceField(
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


class DeleteAccountForm(forms.Form):
    """Deleting one's account: the password says it is really them; the optional erasures (the
    newsletter subscription, which lives without an account) are boxes ticked by default."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, optional_erasures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for holder in optional_erasures:
            self.fields[f"erase_{holder.name}"] = forms.BooleanField(
                label=holder.optional_erase_label, required=False, initial=True,
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password; nothing has been deleted."))
        return password

    def options(self) -> set[str]:
        return {name.removeprefix("erase_") for name, value in self.cleaned_data.items()
                if name.startswith("erase_") and value}
