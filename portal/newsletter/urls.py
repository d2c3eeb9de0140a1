from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "newsletter"
# The archive itself is a Wagtail page (NewsletterIndexPage): paths not matched here fall through.
urlpatterns = [
    path(_("subscribe/"), views.subscribe, name="subscribe"),
    path(_("subscribe/check-your-inbox/"), views.subscribe_sent, name="subscribe_sent"),
    path(_("confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
