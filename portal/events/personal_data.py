"""The calendar's part of a person's data (see `portal.accounts.personal_data`): their registrations.
Deleting their account cancels the active ones first, so that a freed seat goes to the next person
waiting (a plain cascade would drop the row and leave the seat empty)."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.personal_data import Holder, register

from .models import Registration


def _registrations(user):
    return [{"event": r.event.title, "start": r.event.start,
             "status": r.get_status_display(), "registered_at": r.registered_at}
            for r in Registration.objects.filter(user=user).select_related("event").order_by("registered_at")]


def _cancel_registrations(user):
    from .services import registration_cancel

    for registration in Registration.objects.active().filter(user=user).select_related("event"):
        registration_cancel(event=registration.event, user=user, notify=False)


def register_holders():
    register(Holder(
        "event_registrations", _("Event registrations"),
        columns={"event": _("Event"), "start": _("Starts"), "status": _("Status"),
                 "registered_at": _("Registered on")},
        collect=_registrations, erase=_cancel_registrations,
    ))
