"""The inventory's endpoints of the read-only data API (JSON): public mutuals, the public returns
table and the synthesis.

`filters.py` parses and validates the query string (FilterSets on `portal.api.query`), `rows.py`
writes rows with the published Table Schemas' field names and JSON types, `openapi.py` describes
the endpoints from the schemas and the filters, `views.py` wires them. What every endpoint shares
(errors, pagination, caching, CORS) is `portal.api.http`'s; `portal.api.urls` mounts the endpoints at
/api/v1/ beside the library's, and `portal.api.openapi` merges the descriptions.
"""
