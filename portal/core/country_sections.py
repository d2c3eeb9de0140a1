"""Sections other apps add to a country's page (`inventory:country`, /fr/inventaire/pays/SN/).

The country page shows the inventory's figures, its focal point, national committee and
organizations, then one section per registered entry whose `context` returns something. Register in
your AppConfig.ready():

    from django.utils.translation import gettext_lazy as _
    from portal.core import country_sections

    def upcoming_events(country, request):
        events = Event.objects.upcoming().filter(country=country)[:5]
        if not events:
            return None                     # None or {}: the section is not shown at all
        return {"events": events, "more_url": reverse("events:list") + f"?country={country.code}"}

    country_sections.register(
        "upcoming_events", order=20, title=_("Upcoming events"),
        template="events/_country_section.html", context=upcoming_events,
    )

- `key`: unique; registering the same key again replaces the entry.
- `order`: sections are shown by increasing order (then key). Taken: 10 the library's recent
  resources (`portal/directory/apps.py`). Suggested: 20 upcoming events, 30 recent news.
- `title`: a lazy translation, shown as the section's <h2> by the country page; the template starts
  below it (use <h3> for sub-headings) and receives `country`, `section` (key, title) and the
  dict returned by `context`.
- `context(country, request)`: `country` is a `portal.reference.models.Country`; return a dict for the
  template, or None / {} to hide the section. Keep it to a query or two: the page is read on phones
  over slow connections. An exception is logged and the section left out.
"""

from .sections import SectionRegistry

registry = SectionRegistry("country")
register = registry.register
unregister = registry.unregister
sections = registry.sections
