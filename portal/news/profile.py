"""The flash news part of the profile page (see portal.accounts.profile_sections)."""

from django.utils.translation import gettext_lazy as _

from .forms import FlashNewsPreferencesForm
from .models import Frequency
from .services import flash_subscription_for, flash_subscription_update

PREFIX = "flash"


class FlashNewsSection:
    legend = _("Flash news")
    help = _("Short alerts from the secretariat, by e-mail. Each flash news reaches you once, at once or in "
             "the weekly digest; every e-mail has a link to stop them.")

    def __init__(self, user, data=None):
        self.user = user
        subscription = flash_subscription_for(user)
        initial = {"frequency": Frequency.NEVER, "countries": [], "themes": []}
        if subscription is not None:
            initial = {"frequency": subscription.frequency, "countries": list(subscription.countries.all()),
                       "themes": list(subscription.themes.all())}
        # A post without this part (another form of the page) leaves the preferences as they are.
        self.posted = data is not None and any(key.startswith(f"{PREFIX}-") for key in data)
        self.form = FlashNewsPreferencesForm(data if self.posted else None, initial=initial, prefix=PREFIX)

    def is_valid(self) -> bool:
        return not self.posted or self.form.is_valid()

    def save(self) -> None:
        if self.posted:
            flash_subscription_update(user=self.user, **self.form.cleaned_data)
