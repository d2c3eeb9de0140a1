from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "portal.events"
    label = "events"
    verbose_name = _("Calendar")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the calendar's actions)
        from .forms import EventPageForm
        from .models import EventPage

        EventPage.base_form_class = EventPageForm

        from . import personal_data, sections

        sections.register()
        personal_data.register_holders()
