"""The newsletter's part of a person's data (see `portal.accounts.personal_data`): the subscription
of their account's address. It lives without an account, so deleting the account deletes it only if
the person asks (a box ticked by default)."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.personal_data import Holder, register

from .models import Subscriber
from .services import normalize_email


def _subscription(user):
    return [{"email": s.email, "state": s.get_state_display(), "language": s.get_language_display(),
             "confirmed_at": s.confirmed_at, "unsubscribed_at": s.unsubscribed_at}
            for s in Subscriber.objects.filter(email=normalize_email(user.email))]


def _forget(user):
    Subscriber.objects.filter(email=normalize_email(user.email)).delete()


def register_holders():
    register(Holder(
        "newsletter", _("Newsletter subscription"),
        columns={"email": _("E-mail address"), "state": _("State"), "language": _("Language"),
                 "confirmed_at": _("Confirmed on"), "unsubscribed_at": _("Unsubscribed on")},
        collect=_subscription, optional_erase=_forget,
        optional_erase_label=_("Also delete my newsletter subscription (if I have one)"),
    ))
