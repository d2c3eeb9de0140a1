"""The read-only JSON API at /api/v1/: its shared plumbing and its assembly.

Two layers live here. The plumbing is kernel, imports no domain, and every domain's endpoints use it:
`http.py` (errors as JSON, CORS, read-only methods, pagination, conditional GET and caching) and
`query.py` (the query string's FilterSets and their strict and lenient readers, which the lists of
the site share). The assembly is site, above the domains: `urls.py` mounts the inventory's
endpoints (`inventory.api`) and the library's (`library.api`) at /api/v1/ outside the language
prefix, `root_urls.py` is the urlconf of an API 404, `views.py` the index, the document and the
JSON 404, `openapi.py` the OpenAPI document merging each domain's part. The domains never import
each other through the API.
"""
