from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "news"
urlpatterns = [
    path(_("submit/"), views.article_submit, name="submit"),
    path(_("my-articles/"), views.my_articles, name="mine"),
    path(_("my-articles/<id:pk>/edit/"), views.article_submit, name="edit"),
    path(_("authors/<id:pk>/"), views.author, name="author"),
    path(_("feed/rss/"), feeds.NewsRssFeed(), name="feed_rss"),
    path(_("feed/atom/"), feeds.NewsAtomFeed(), name="feed_atom"),
    path(_("flash/unsubscribe/<str:token>/"), views.flash_unsubscribe, name="flash_unsubscribe"),
]
