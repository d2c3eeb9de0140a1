"""TEST SETTINGS — production settings and two test doubles, for tests/deployment/test_production_set.py.

- The library's Elasticsearch client goes through tests/library/osmem_adapter.py's transport node: the
  tests' search server (osmem) refuses the client's compatibility media type, as OpenSearch would.
- The URLs add tests/deployment/probe.py's view, which queues a task for the worker to run.
Everything else is portal.settings.production as deployed, read from the environment.
"""

from portal.settings.production import *  # noqa: F403
from tests.library.osmem_adapter import OsmemTestNode

ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": OsmemTestNode}
ROOT_URLCONF = "tests.deployment.urls"
