"""Dates of events as readers expect them: in the event's own time zone, with the zone named."""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

from portal.i18n import elide, is_english, is_portuguese

from ..models import DatePrecision

register = template.Library()


# The French names of the cities that name the IANA zones an event of the network may use, where
# they differ from the English ones (the id's own spelling, underscores as spaces, is the English).
FRENCH_CITIES = {
    "Algiers": "Alger", "Cairo": "Le Caire", "Cape Verde": "Cap-Vert", "Brussels": "Bruxelles",
    "London": "Londres", "Geneva": "Genève", "Lisbon": "Lisbonne", "New York": "New York",
    "Sao Tome": "São Tomé", "Addis Ababa": "Addis-Abeba", "Dar es Salaam": "Dar es Salam",
    "El Aaiun": "Laâyoune", "Ndjamena": "N’Djaména", "Lome": "Lomé", "Bangui": "Bangui",
}


# The Portuguese names of those cities, where they differ from the English ones.
PORTUGUESE_CITIES = {
    "Algiers": "Argel", "Cape Verde": "Cabo Verde", "Brussels": "Bruxelas", "London": "Londres",
    "Geneva": "Genebra", "Lisbon": "Lisboa", "Sao Tome": "São Tomé", "Addis Ababa": "Adis Abeba",
    "Ndjamena": "N’Djamena", "Lome": "Lomé",
}

# Date formats of the event pages (Django's date filter): Portuguese joins day, month and year with "de"
# ("domingo, 27 de dezembro de 2026").
FORMATS = {
    "day": ("l j F Y", r"l, j \d\e F \d\e Y"),
    "date": ("j F Y", r"j \d\e F \d\e Y"),
    "month": ("F Y", r"F \d\e Y"),
    "date_time": ("j F Y, H:i", r"j \d\e F \d\e Y, H:i"),
}


def _format(kind: str) -> str:
    return FORMATS[kind][1 if is_portuguese() else 0]


def _offset(moment) -> str:
    """"UTC+1", "UTC-3:30", "UTC" (a zone at UTC that day)."""
    offset = moment.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_city(time_zone: str) -> str:
    """The city that names an IANA zone, in the active language: "Africa/Porto-Novo" -> "Porto-Novo",
    "America/New_York" -> "New York", "Africa/Ndjamena" -> "N’Djaména" in French."""
    city = time_zone.rsplit("/", 1)[-1].replace("_", " ")
    if is_portuguese():
        return PORTUGUESE_CITIES.get(city, city)
    return city if is_english() else FRENCH_CITIES.get(city, city)


def zone_name(time_zone: str, moment) -> str:
    """A time zone as people say it, with its offset at `moment`: "Kinshasa time (UTC+1)", "heure de
    Kinshasa (UTC+1)", "heure d’Abidjan (UTC)"; a zone that is no city ("UTC") is its offset."""
    if "/" not in time_zone:
        return _offset(moment)
    return elide(_("%(city)s time (%(offset)s)") % {"city": zone_city(time_zone), "offset": _offset(moment)})


@register.simple_tag
def event_dates(event) -> str:
    """"30 novembre 2026, 09:00 – 2 décembre 2026, 17:00" (times in the event's zone); only the
    month or the year when that is all that is known."""
    start, end = event.local_start(), event.local_end()
    if event.date_precision == DatePrecision.YEAR:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if event.date_precision == DatePrecision.MONTH:
        return format_date(start, _format("month"))
    if event.date_precision == DatePrecision.DAY:  # no invented hours: "26–27 novembre 2007"
        if start.date() == end.date():
            return format_date(start, _format("day"))
        if (start.year, start.month) == (end.year, end.month):
            return f"{format_date(start, 'j')}–{format_date(end, _format('date'))}"
        return f"{format_date(start, _format('date'))} – {format_date(end, _format('date'))}"
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": format_date(start, _format("day")), "start": format_date(start, "H:i"),
            "end": format_date(end, "H:i"),
        }
    return f"{format_date(start, _format('date_time'))} – {format_date(end, _format('date_time'))}"


@register.simple_tag
def event_zone(event) -> str:
    """"heure de Dakar (UTC)", "Kinshasa time (UTC+1)": the zone the times are given in."""
    return zone_name(event.zone.key, event.local_start())


@register.filter
def in_zone(value, event):
    """A date-time shown in the event's time zone."""
    return value.astimezone(event.zone) if value else value
