"""The read-only data API (JSON): public mutuals, the public returns table and the synthesis.

`filters.py` parses and validates the query string (django-filter), `rows.py` writes rows with the
published Table Schemas' field names and JSON types, `http.py` holds what every endpoint shares
(errors, pagination, caching, CORS), `openapi.py` describes it all from the schemas and the
filters, `views.py` wires them, `urls.py` mounts them at /api/v1/ outside the language prefix.
"""
