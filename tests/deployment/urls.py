"""TEST URLS — the portal's, plus the probe view that queues a task (tests/deployment/probe.py)."""

from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

from .probe import enqueue_probe

urlpatterns = [path("deployment-probe/<slug:token>", enqueue_probe), *portal_urlpatterns]
