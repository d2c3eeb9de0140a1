from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import theme_feeds, theme_views

app_name = "themes"
urlpatterns = [
    path("", theme_views.overview, name="overview"),
    path("<slug:slug>/", theme_views.detail, name="detail"),
    path(_("<slug:slug>/feed/rss/"), theme_feeds.ThemeRssFeed(), name="feed_rss"),
    path(_("<slug:slug>/feed/atom/"), theme_feeds.ThemeAtomFeed(), name="feed_atom"),
]
