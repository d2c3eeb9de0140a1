"""/dev/mail/: the development mailbox's pages (portal/core/mailbox_views.py), included by portal/urls.py
only when DEBUG is on."""

from django.urls import path, re_path

from . import mailbox_views

app_name = "dev_mailbox"

_ID = r"(?P<message_id>\d{20}-[0-9a-f]{8})"

urlpatterns = [
    path("", mailbox_views.message_list, name="list"),
    re_path(rf"^{_ID}/$", mailbox_views.message_detail, name="message"),
    re_path(rf"^{_ID}/html/$", mailbox_views.message_html, name="html"),
    re_path(rf"^{_ID}\.eml$", mailbox_views.message_raw, name="raw"),
]
