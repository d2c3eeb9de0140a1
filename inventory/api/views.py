"""The inventory's endpoints: each validates its query string (`filters.py` on `portal.api.query`),
answers 304 when the client's copy is current (the ETag follows the inventory's version), then
streams one page of rows in a stable order. `portal.api.urls` mounts them."""

from portal.api import http
from portal.api.http import api_view, cacheable, paginated
from portal.api.query import parse_query

from ..models import InventoryState, YearlyReturn
from ..opendata.synthesis import current_synthesis, synthesis_rows
from ..registry.selectors import public_mutuals
from .filters import MutualApiFilter, ReturnApiFilter, SynthesisApiFilter
from .rows import mutual_rows, return_rows, typed


def inventory_state(request):
    """(version, changed_at) of the inventory, read once per request."""
    if not hasattr(request, "_inventory_state"):
        row = InventoryState.objects.filter(pk=1).values_list("version", "changed_at").first()
        request._inventory_state = row or (0, None)
    return request._inventory_state


def data_validators(request):
    """(etag, last_modified, 304 or None) of a response made of the inventory's data."""
    return http.data_validators(request, *inventory_state(request))


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
