"""The newsletter part of the profile page (see portal.accounts.profile_sections): a logged-in
person's address was confirmed when they registered, so it subscribes here without a second e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscriber, SubscriberState
from .services import newsletter_confirm, newsletter_unsubscribe, normalize_email

PREFIX = "newsletter"
NONE = "none"


class NewsletterPreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Receive the newsletter"), widget=forms.RadioSelect,
        choices=[(NONE, _("No")), ("fr", _("Yes, in French")), ("en", _("Yes, in English"))],
    )


class NewsletterSection:
    legend = _("Newsletter")
    help = _("The network's newsletter, three times a year, at the address of your account. Every issue "
             "has a link to unsubscribe in one click.")

    def __init__(self, user, data=None):
        self.user = user
        self.email = normalize_email(user.email or "")
        subscriber = Subscriber.objects.confirmed().filter(email=self.email).first() if self.email else None
        self.subscriber = subscriber
        # A post without this part (another form of the page) leaves the subscription as it is.
        self.posted = data is not None and any(key.startswith(f"{PREFIX}-") for key in data)
        self.form = NewsletterPreferenceForm(
            data if self.posted else None, prefix=PREFIX,
            initial={"language": subscriber.language if subscriber else NONE})

    def is_valid(self) -> bool:
        return not self.posted or self.form.is_valid()

    def save(self) -> None:
        if not self.posted or not self.email:
            return
        language = self.form.cleaned_data["language"]
        if language == NONE:
            if self.subscriber is not None:
                newsletter_unsubscribe(subscriber=self.subscriber)
        elif self.subscriber is None or self.subscriber.language != language or \
                self.subscriber.state != SubscriberState.CONFIRMED:
            newsletter_confirm(email=self.email, language=language)
