"""`manage.py rebuild_library_index` and the Elasticsearch engine's alias swap."""

import datetime

import pytest
from django.core.management import call_command
from elasticsearch import Elasticsearch

from library.documents import SearchDocument
from library.search import SearchQuery
from library.search_elasticsearch import ElasticsearchEngine

from .osmem_adapter import OsmemTestNode


def doc(ref, title):
    return SearchDocument(
        ref=ref,
        title=title,
        summary="",
        authors="",
        body="",
        resource_type="guide",
        themes=(),
        countries=(),
        language="fr",
        year=2020,
        url=f"/{ref}/",
        date=datetime.date(2020, 1, 1),
    )


@pytest.fixture
def client(osmem_clone):
    client = Elasticsearch(osmem_clone.url, node_class=OsmemTestNode)
    yield client
    client.close()


def test_rebuild_moves_the_alias_to_a_new_index_and_deletes_the_old(client):
    engine = ElasticsearchEngine(client, index_prefix="test")
    engine.rebuild([doc("a", "Ancien guide")])
    [first] = client.indices.get_alias(name="test-library")
    engine.rebuild([doc("b", "Nouveau guide")])
    [second] = client.indices.get_alias(name="test-library")
    assert second != first
    assert not client.indices.exists(index=first)
    assert [h.ref for h in engine.search(SearchQuery(q="guide")).results] == ["b"]


def test_rebuild_replaces_a_plain_index_holding_the_alias_name(client):
    client.indices.create(index="test-library")
    engine = ElasticsearchEngine(client, index_prefix="test")
    engine.rebuild([doc("a", "Guide")])
    assert client.indices.exists_alias(name="test-library")
    assert engine.search(SearchQuery()).count == 1


def test_index_creates_the_alias_on_first_use(client):
    engine = ElasticsearchEngine(client, index_prefix="fresh")
    engine.index([doc("a", "Guide")])
    assert client.indices.exists_alias(name="fresh-library")
    assert engine.search(SearchQuery(q="guides")).count == 1


@pytest.mark.django_db
def test_the_command_rebuilds_the_configured_engine_with_a_progress_bar(capsys):
    from library.search_embedded import EmbeddedEngine

    EmbeddedEngine().index([doc("stale", "Plus publié")])
    call_command("rebuild_library_index")
    out, err = capsys.readouterr()
    assert "Indexed" in out and "EmbeddedEngine" in out
    assert "[" in err and "]" in err
    assert EmbeddedEngine().search(SearchQuery(q="publie")).count == 0
