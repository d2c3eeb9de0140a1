"""Views for tests/core/test_tasks.py: each writes, then fails in one way (a test URLconf)."""

from allauth.core.exceptions import ImmediateHttpResponse
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from portal.core.models import PeriodicClaim
from portal.urls import urlpatterns as portal_urlpatterns


def _write(request, name):
    PeriodicClaim.objects.create(name=name, slot=1)


def writes(request):
    _write(request, request.GET.get("name", "written"))
    return HttpResponse("ok")


def writes_then_fails(request):
    _write(request, "written-then-failed")
    raise RuntimeError("the view fails after writing")


def writes_then_answers_through_allauth(request):
    """allauth signals some answers with an exception its middleware turns into a response (a rate
    limit, a re-authentication required before a two-factor change)."""
    _write(request, "written-then-allauth")
    raise ImmediateHttpResponse(HttpResponse("too many", status=429))


def writes_then_finds_the_database_locked(request):
    _write(request, "written-before-the-lock")
    raise OperationalError("database is locked")  # what SQLite says after the busy timeout


urlpatterns = [  # before the portal's own (the security headers' middleware reverses the admin's)
    path("writes/", writes),
    path("fails/", writes_then_fails),
    path("allauth/", writes_then_answers_through_allauth),
    path("locked/", writes_then_finds_the_database_locked),
    *portal_urlpatterns,
]
