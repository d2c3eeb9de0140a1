"""The event's admin form: dates typed as wall-clock times of the event's own time zone.

Django reads a typed date-time in the editor's current time zone (the site's, Africa/Dakar); an
organizer in Kinshasa types 09:00 meaning 09:00 in Kinshasa. So the form shows the stored instants
in the event's zone and reinterprets what was typed in the zone chosen on the form.
"""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

LOCAL_FIELDS = ("start", "end", "registration_deadline")
LANGUAGE_CHOICES = [("fr", _("French")), ("en", _("English")), ("pt", _("Portuguese"))]


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


class EventPageForm(WagtailAdminPageForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = _zone(getattr(self.instance, "time_zone", None))
        if zone is None:
            return
        for name in LOCAL_FIELDS:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None:
                # Naive on purpose: shown as typed, not converted to the editor's zone.
                self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone = _zone(data.get("time_zone"))
        if zone is None:
            return data  # the time zone field carries its own error
        current = timezone.get_current_timezone()
        for name in LOCAL_FIELDS:
            value = data.get(name)
            if value is not None and timezone.is_aware(value):
                wall_clock = timezone.make_naive(value, current)
                data[name] = timezone.make_aware(wall_clock, zone)
                setattr(self.instance, name, data[name])
        return data
