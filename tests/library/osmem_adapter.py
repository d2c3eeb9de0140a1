"""TEST ADAPTER — never used in production.

The Elasticsearch 8 client (and elasticsearch-dsl on top of it) sends the compatibility media type
`application/vnd.elasticsearch+json; compatible-with=8`, which osmem (the in-memory
OpenSearch-compatible server the tests use) answers with HTTP 406, as real OpenSearch would. This
transport node sends plain `application/json` (and `application/x-ndjson` for bulk) instead. The
production engine takes any client (`ElasticsearchEngine(client, ...)`, or
`ELASTICSEARCH_CLIENT_OPTIONS` in settings); only the tests build theirs with this node class.
"""

import re

from elastic_transport import Urllib3HttpNode

# "application/vnd.elasticsearch+json; compatible-with=8" → "application/json" (same for x-ndjson)
COMPATIBLE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)\s*;\s*compatible-with=\d+")


class OsmemTestNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = COMPATIBLE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)
