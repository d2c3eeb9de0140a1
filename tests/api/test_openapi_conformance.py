"""The API against its own OpenAPI document, by schemathesis, over HTTP on the live server: for every
operation, requests generated from the document (values it allows, and values it does not) get no
server error, a status the document lists, the content type it names and a body its schema
validates. Bounded and reproducible: at most MAX_EXAMPLES requests per operation and mode, derandomized.

The inventory and the library hold a few rows (so the response schemas are checked on real rows); the
library is searched with the embedded engine (its Elasticsearch half: tests/library/)."""

import pytest
import requests
import schemathesis
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from library.search_embedded import EmbeddedEngine
from portal.api.views import ENDPOINTS
from tests.inventory import api_inventory
from tests.library.test_search_behaviour import CORPUS

pytestmark = pytest.mark.django_db(transaction=True)
fresh_cache, inventory = api_inventory.fresh_cache, api_inventory.inventory

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PATHS = [reverse(f"api:{name}") for name in ENDPOINTS]


@pytest.fixture
def library():
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(CORPUS)
        yield


@pytest.fixture
def schema(live_server, inventory, library):
    return schemathesis.openapi.from_url(f"{live_server.url}{reverse('api:openapi')}")


def test_the_document_describes_every_endpoint(schema):
    assert sorted(schema) == sorted(PATHS)


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", PATHS)
def test_the_api_keeps_to_its_document(schema, path, mode):
    operation = schema[path]["GET"]
    session = requests.Session()

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def conforms(case):
        case.call_and_validate(session=session, checks=CHECKS)

    conforms()
