from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "portal.events"
    label = "events"
    verbose_name = _("Calendar")
