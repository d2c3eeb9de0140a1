"""The library's search API (the search contract).

GET /api/v1/library/search:

`?q=…&type=…&theme=…&country=…&language=…&year_min=…&year_max=…&sort=relevance|date&page=…&page_size=…`
→ `{"count": N, "results": [{"ref", "title", "url", "resource_type", "year", "language", "countries",
"themes", "snippet"}], "facets": {"resource_type": {value: count}, "theme", "country", "language",
"year"}}`. `type`, `theme`, `country` and `language` may be repeated or comma-separated (values
OR-ed); the others are given at most once. The query string is read by `filters.SearchFilter`, as
the search page reads it; errors, CORS and the read-only methods are the API's (`portal.api`): a bad
query string is a 400 `{"error", "details": {parameter: [messages]}}` naming each bad parameter.
The query `q` is always text: quotes, operators and unusual characters are searched, never refused.

GET /api/v1/library/autocomplete?q=…&limit=… → `{"results": [{"title", "url"}]}`: titles holding
every word typed, the last one possibly incomplete (the engine's `autocomplete`).
"""

from portal.api.http import api_view, check_page, json_response
from portal.api.query import parse_query

from .filters import DEFAULT_SUGGESTIONS, AutocompleteFilter, SearchFilter
from .search import get_engine


@api_view
def search(request):
    """One page of the library's search results, with every facet's counts."""
    filterset, _pages = parse_query(request, SearchFilter, page_form=None)
    query = filterset.search_query()
    result = get_engine().search(query)
    check_page(query.page, result.count, query.page_size)
    return json_response(result.as_dict())


@api_view
def autocomplete(request):
    """Titles that complete what is typed in `q`, for a search box's suggestions."""
    filterset, _pages = parse_query(request, AutocompleteFilter, page_form=None, required=("q",))
    data = filterset.form.cleaned_data
    suggestions = get_engine().autocomplete(data["q"], limit=data["limit"] or DEFAULT_SUGGESTIONS)
    return json_response({"results": [{"title": s.title, "url": s.url} for s in suggestions]})
