"""The portal's URLs as `make run` has them (DEBUG on): with the development mailbox at /dev/mail/.
The tests run with DEBUG off, so portal/urls.py leaves the mailbox out; tests/core/test_dev_mailbox.py
uses this URLconf to reach the pages (which still check DEBUG themselves)."""

from django.urls import include, path

from portal.urls import handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("dev/mail/", include("portal.core.mailbox_urls")), *portal_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
