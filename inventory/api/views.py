"""The endpoints: each validates its query string, answers 304 when the client's copy is current,
then streams one page of rows in a stable order."""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from ..models import YearlyReturn
from ..opendata.synthesis import current_synthesis, synthesis_rows
from ..registry.selectors import public_mutuals
from . import openapi
from .filters import MutualApiFilter, ReturnApiFilter, SynthesisApiFilter
from .http import (
    ApiError,
    api_view,
    cacheable,
    data_validators,
    etag_of,
    not_modified,
    paginated,
    parse_query,
)
from .rows import mutual_rows, return_rows, typed


@api_view
def mutual_list(request):
    """Public mutuals (approved, shown to the public), by country and identifier."""
    filterset, pages = parse_query(request, MutualApiFilter, public_mutuals())
    etag, last_modified, unchanged = data_validators(request)
    if unchanged:
        return unchanged
    mutuals = filterset.qs.order_by("country_id", "mutual_id")
    response = paginated(request, pages, mutuals.count(),
                         lambda start, stop: mutual_rows(mutuals[start:stop]))
    return cacheable(response, etag, last_modified)


@api_view
def return_list(request):
    """The public returns table (validated returns of public mutuals), by country, mutual and year:
    the order of the CSV export."""
    filterset, pages = parse_query(request, ReturnApiFilter, YearlyReturn.objects.public())
    etag, last_modified, unchanged = data_validators(request)
    if unchanged:
        return unchanged
    returns = filterset.qs.order_by("mutual__country_id", "mutual__mutual_id", "year")
    response = paginated(
        request, pages, returns.count(),
        lambda start, stop: return_rows(returns[start:stop]),
    )
    return cacheable(response, etag, last_modified)


@api_view
def synthesis_list(request):
    """The synthesis table (cached on the inventory version), by country (ALL last) and year."""
    filterset, pages = parse_query(request, SynthesisApiFilter)
    etag, last_modified, unchanged = data_validators(request)
    if unchanged:
        return unchanged
    rows = [typed(row, "synthesis") for row in filterset.filter_rows(synthesis_rows(current_synthesis()))]
    response = paginated(request, pages, len(rows), lambda start, stop: iter(rows[start:stop]))
    return cacheable(response, etag, last_modified)


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
def api_root(request):
    """Where everything is: the endpoints and their description."""
    links = {name: request.build_absolute_uri(url) for name, url in openapi.endpoint_urls().items()}
    return JsonResponse({**links, "openapi": request.build_absolute_uri(openapi.document_url())})


@api_view
def not_found(request, path):
    raise ApiError(404, _("No such endpoint. The API is described at %(url)s.")
                   % {"url": request.build_absolute_uri(openapi.document_url())})
