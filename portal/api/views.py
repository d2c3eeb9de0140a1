"""The API's own endpoints, above the domains': the index of every endpoint, the OpenAPI document,
and the JSON 404 of any other path under /api/v1/."""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import openapi
from .http import ApiError, api_view, cacheable, etag_of, not_modified

# The index's keys, in its order: the URL names of `urls.py`.
ENDPOINTS = ("mutuals", "returns", "synthesis", "library_search", "library_autocomplete")


def document_url() -> str:
    return reverse("api:openapi")


@api_view
def api_root(request):
    """Where everything is: the endpoints and their description."""
    links = {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in ENDPOINTS}
    return JsonResponse({**links, "openapi": request.build_absolute_uri(document_url())})


@api_view
def openapi_document(request):
    """The OpenAPI 3.1 description, generated from the Table Schemas and the filters."""
    if request.GET:
        raise ApiError(400, _("Unknown query parameter: %(names)s.") % {"names": ", ".join(request.GET)},
                       {name: [_("This document takes no parameters.")] for name in request.GET})
    body = json.dumps(openapi.document(request), ensure_ascii=False, indent=1).encode()
    etag = etag_of(body)
    unchanged = not_modified(request, etag)
    if unchanged:
        return unchanged
    return cacheable(HttpResponse(body, content_type="application/json"), etag)


@api_view
def not_found(request, path):
    raise ApiError(404, _("No such endpoint. The API is described at %(url)s.")
                   % {"url": request.build_absolute_uri(document_url())})
