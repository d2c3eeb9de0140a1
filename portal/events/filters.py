"""Query-string filters of the calendar (lists and iCalendar feeds): they parse and validate, nothing more,
on the portal's FilterSet base (`portal.api.query`): a bad value is an error naming it, never a 500.

    ?when=upcoming|past  &country=ML  &kind=training  &theme=financing  &month=2026-12

A country code is read in any case (`ml` is `ML`), as the API reads it.
"""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.api.query import CodeChoiceFilter, QueryFilterSet
from portal.reference.models import Country, Theme

from .models import EventKind, EventPage

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Give a month as YYYY-MM, e.g. 2026-12.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value)
        # Up to 9998: the month after must be a date too (9999-12 would end in year 10000).
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 9998:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        """Events running at some time during the month (in the site's time zone)."""
        if not value:
            return qs
        first = timezone.make_aware(datetime.datetime.combine(value, datetime.time()))
        following = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        after = timezone.make_aware(datetime.datetime.combine(following, datetime.time()))
        return qs.filter(start__lt=after, end__gte=first)


class EventFilter(QueryFilterSet):
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, method="filter_when", label=_("When"), empty_label=None,
    )
    country = CodeChoiceFilter(
        # The network's countries and those with an event (not every country).
        queryset=Country.objects.in_network_or(EventPage.objects.values("country")), to_field_name="code",
        upper=True, label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    theme = CodeChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", to_field_name="slug", label=_("Theme"),
        empty_label=_("All themes"),
    )
    month = MonthFilter(
        label=_("Month"), help_text=_("YYYY-MM, e.g. 2026-12"),
        # No placeholder nor pattern: HTML allows neither on a month input. A browser that shows a text box
        # instead (Firefox) has the help text, and the filter says what is wrong with a bad month.
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    class Meta(QueryFilterSet.Meta):
        model = EventPage
        fields = ["when", "country", "kind", "theme", "month"]

    def filter_when(self, queryset, name, value):
        return queryset.past() if value == "past" else queryset.upcoming()
