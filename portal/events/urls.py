"""The calendar's URLs beside its Wagtail pages: iCalendar files, registration, the participants list.

The lists themselves are the calendar page (`EventIndexPage`) of each language tree.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "events"
urlpatterns = [
    path("calendar.ics", views.feed, name="feed"),
    path("<id:pk>/event.ics", views.event_ics, name="event_ics"),
    path(_("<id:pk>/register/"), views.register, name="register"),
    path(_("<id:pk>/cancel/"), views.cancel, name="cancel"),
    path(_("<id:pk>/participants.csv"), views.participants_csv, name="participants"),
]
