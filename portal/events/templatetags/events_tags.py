"""Dates of events as readers expect them: in the event's own time zone, with the zone named."""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

from ..models import DatePrecision

register = template.Library()


def _offset(moment) -> str:
    offset = moment.strftime("%z")  # +0100
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


@register.simple_tag
def event_dates(event) -> str:
    """"30 novembre 2026, 09:00 – 2 décembre 2026, 17:00" (times in the event's zone); only the
    month or the year when that is all that is known."""
    start, end = event.local_start(), event.local_end()
    if event.date_precision == DatePrecision.YEAR:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if event.date_precision == DatePrecision.MONTH:
        return format_date(start, "F Y")
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": format_date(start, "l j F Y"), "start": format_date(start, "H:i"),
            "end": format_date(end, "H:i"),
        }
    return f"{format_date(start, 'j F Y, H:i')} – {format_date(end, 'j F Y, H:i')}"


@register.simple_tag
def event_zone(event) -> str:
    """"Africa/Dakar (UTC+00:00)": the zone the times are given in."""
    return f"{event.time_zone} ({_offset(event.local_start())})"


@register.filter
def in_zone(value, event):
    """A date-time shown in the event's time zone."""
    return value.astimezone(event.zone) if value else value
