"""Query-string filters of the calendar (lists and iCalendar feeds): they parse and validate, nothing more.

    ?when=upcoming|past  &country=ML  &kind=training  &theme=financing  &month=2026-12
"""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.reference.models import Country, Theme

from .models import EventKind, EventPage

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among records named in the query string by code or slug, labelled in the reader's language."""

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda obj: obj.name
        return field


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Give a month as YYYY-MM, e.g. 2026-12.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
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


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, method="filter_when", label=_("When"), empty_label=None,
    )
    country = CodeChoiceFilter(
        queryset=Country.objects.all(), to_field_name="code", label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    theme = CodeChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", to_field_name="slug", label=_("Theme"),
        empty_label=_("All themes"),
    )
    month = MonthFilter(
        label=_("Month"), help_text=_("YYYY-MM, e.g. 2026-12"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12", "pattern": r"\d{4}-\d{2}"}),
    )

    class Meta:
        model = EventPage
        fields = ["when", "country", "kind", "theme", "month"]

    def filter_when(self, queryset, name, value):
        return queryset.past() if value == "past" else queryset.upcoming()
