from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import antispam


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"), max_length=200, required=False, strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AntiBotMixin(forms.Form):
    """The site's anti-spam (`portal.core.antispam`): a field people never see (bots fill it) and the
    signed time the form was first shown, kept when the form comes back with an error. `browser`:
    whether the request looks like a browser's (`antispam.looks_like_a_browser`)."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)
    bot_suspected = False  # set by clean(): honeypot, stamp missing, forged or old, a script's instant post

    def __init__(self, *args, browser=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.browser = browser
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.verdict = None
        if not self.is_bound:
            self.initial["stamp"] = antispam.new_stamp()

    def clean(self):
        data = super().clean()
        self.verdict = antispam.check(self.data, stamp_field="stamp", browser=self.browser)
        self.bot_suspected = not self.verdict.ok  # a day-old form keeps no file either (uploads.py)
        if self.data.get(antispam.HONEYPOT):
            raise forms.ValidationError(gettext("This form could not be sent. Please try again."))
        if self.verdict.expired:
            raise forms.ValidationError(
                gettext("This form was open for more than a day: please check it and send it again.")
            )
        if self.verdict.bot:
            raise forms.ValidationError(
                gettext("This form has expired or was not sent from the site: please send it again.")
            )
        return data

    def keep_stamp(self):
        """A form shown again after an error keeps the time it was first shown (a fresh one only when
        that one was unusable): correcting a mistake and sending at once is fine."""
        data = self.data.copy()
        data["stamp"] = self.verdict.stamp if self.verdict else antispam.new_stamp()
        self.data = data
