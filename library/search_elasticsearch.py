"""The Elasticsearch engine (elasticsearch-dsl), used when `ELASTICSEARCH_URL` is set.

One alias per environment (`<ELASTICSEARCH_INDEX_PREFIX>-library`) pointing at a dated index; a
rebuild fills a new index and moves the alias in one atomic call, so searches never see an empty or
half-filled index. Text fields are analysed three ways: `folded` (lowercase, accents stripped: what
autocomplete and exact words use) with the built-in `french` and `english` analyzers as subfields
(plurals and inflections). Facet rule: the hits are narrowed by a `post_filter` holding every facet
filter, and each facet's aggregation sits in a filter aggregation holding the *other* facets' filters.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import A, Q, Search

from .documents import SearchDocument
from .search import (
    FACETS,
    SearchHit,
    SearchQuery,
    SearchResult,
    Suggestion,
    fold_prefix,
    highlight,
    sorted_counts,
)
from .text import query_words

BATCH = 500
# Elasticsearch's index.max_result_window (its default): `from + size` of a search at most this.
MAX_RESULT_WINDOW = 10_000
FACET_FIELDS = {
    "resource_type": "resource_type",
    "theme": "themes",
    "country": "countries",
    "language": "language",
    "year": "year",
}
TEXT = {
    "type": "text",
    "analyzer": "folded",
    "fields": {"fr": {"type": "text", "analyzer": "french"}, "en": {"type": "text", "analyzer": "english"}},
}
MAPPING = {
    "settings": {
        "number_of_shards": 1,
        "analysis": {
            # Apostrophes split words, as in library.text ("l'Union" → "l", "union"); a char filter
            # rather than `elision`, which osmem does not apply at index time.
            "char_filter": {"apostrophes": {"type": "mapping", "mappings": ["' => \\u0020", "’ => \\u0020"]}},
            "analyzer": {
                "folded": {
                    "type": "custom",
                    "char_filter": ["apostrophes"],
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding"],
                }
            },
        },
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "ref": {"type": "keyword"},
            "title": {**TEXT, "fields": {**TEXT["fields"], "raw": {"type": "keyword", "ignore_above": 256}}},
            "summary": TEXT,
            "authors": TEXT,
            "body": TEXT,
            "resource_type": {"type": "keyword"},
            "themes": {"type": "keyword"},
            "countries": {"type": "keyword"},
            "language": {"type": "keyword"},
            "year": {"type": "integer"},
            "url": {"type": "keyword", "index": False},
            "date": {"type": "date"},
        },
    },
}
# Title first: a word found in the title outweighs the same word in the summary, authors or body.
FIELDS = [
    "title^6",
    "title.fr^6",
    "title.en^6",
    "summary^2",
    "summary.fr^2",
    "summary.en^2",
    "authors^2",
    "body",
    "body.fr",
    "body.en",
]
HIGHLIGHTED = ["summary", "summary.fr", "summary.en", "body", "body.fr", "body.en"]


class ElasticsearchEngine:
    """Search in an Elasticsearch cluster through an injected client (see `from_settings`)."""

    def __init__(self, client: Elasticsearch, *, index_prefix: str = "portal"):
        self.client = client
        self.alias = f"{index_prefix}-library"

    @classmethod
    def from_settings(cls) -> ElasticsearchEngine:
        """The engine for `ELASTICSEARCH_URL`; `ELASTICSEARCH_CLIENT_OPTIONS` go to the client as is."""
        client = Elasticsearch(
            settings.ELASTICSEARCH_URL, **getattr(settings, "ELASTICSEARCH_CLIENT_OPTIONS", {})
        )
        return cls(client, index_prefix=getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "portal"))

    # --- writing -----------------------------------------------------------------------------------
    def _create_index(self) -> str:
        name = f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=name, body=MAPPING)
        return name

    def _ensure_alias(self) -> None:
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._create_index()
            self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])

    @staticmethod
    def _source(doc: SearchDocument) -> dict:
        return {
            "ref": doc.ref,
            "title": doc.title,
            "summary": doc.summary,
            "authors": doc.authors,
            "body": doc.body,
            "resource_type": doc.resource_type,
            "themes": list(doc.themes),
            "countries": list(doc.countries),
            "language": doc.language,
            "year": doc.year,
            "url": doc.url,
            "date": doc.date.isoformat() if doc.date else None,
        }

    def _bulk(self, index: str, documents, progress=None, total=None) -> int:
        n = 0
        batch = []

        def flush():
            bulk(self.client, ({"_index": index, "_id": d.ref, "_source": self._source(d)} for d in batch))

        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH:
                flush()
                n += len(batch)
                batch = []
                if progress:
                    progress(n, total)
        if batch:
            flush()
            n += len(batch)
        if progress:
            progress(n, total)
        self.client.indices.refresh(index=index)
        return n

    def index(self, documents) -> int:
        self._ensure_alias()
        return self._bulk(self.alias, documents)

    def remove(self, refs) -> None:
        if not self.client.indices.exists_alias(name=self.alias):
            return
        for ref in refs:
            try:
                self.client.delete(index=self.alias, id=ref)
            except NotFoundError:
                pass
        self.client.indices.refresh(index=self.alias)

    def rebuild(self, documents, *, total: int | None = None, progress=None) -> int:
        """Fill a new index, then atomically point the alias at it and delete the old indices."""
        new = self._create_index()
        try:
            n = self._bulk(new, documents, progress, total)
        except BaseException:
            self.client.indices.delete(index=new)
            raise
        old = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias).keys())
        elif self.client.indices.exists(index=self.alias):  # a plain index squatting the alias name
            self.client.indices.delete(index=self.alias)
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.indices.delete(index=name)
        return n

    # --- reading -----------------------------------------------------------------------------------
    @staticmethod
    def _filter(facet: str, selected):
        if facet == "year":
            low, high = selected
            bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
            return Q("range", year=bounds)
        return Q("terms", **{FACET_FIELDS[facet]: list(selected)})

    def search(self, query: SearchQuery) -> SearchResult:
        self._ensure_alias()
        typed = query_words(query.q)
        s = Search(using=self.client, index=self.alias).extra(track_total_hits=True)
        if typed:
            # One clause per word (each must match in some field), operators and quotes are plain text.
            must = [Q("multi_match", query=w, fields=FIELDS, type="best_fields") for w in typed]
            title_hit = Q("multi_match", query=" ".join(typed), fields=FIELDS[:3], operator="and", boost=10)
            s = s.query(Q("bool", must=must, should=[title_hit]))
        filters = {f: self._filter(f, v) for f, v in query.filters().items() if v}
        if filters:
            s = s.post_filter(Q("bool", filter=list(filters.values())))
        for facet in FACETS:
            others = [q for f, q in filters.items() if f != facet]
            agg = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
            agg.bucket("values", "terms", field=FACET_FIELDS[facet], size=200)
            s.aggs.bucket(facet, agg)
        if typed and query.sort == "relevance":
            s = s.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, "title.raw")
        else:
            s = s.sort({"date": {"order": "desc", "missing": "_last"}}, "title.raw")
        if typed:
            s = s.highlight(*HIGHLIGHTED, fragment_size=200, number_of_fragments=1)
            s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
        # Elasticsearch refuses a window past index.max_result_window: a page that far (past the last,
        # unless the library holds more than MAX_RESULT_WINDOW resources) is counted, with no hits.
        if query.offset + query.page_size <= MAX_RESULT_WINDOW:
            s = s[query.offset : query.offset + query.page_size]
        else:
            s = s[0:0]  # the count and the facets only
        s = s.source(excludes=["body"])
        response = s.execute()

        results = []
        for hit in response.hits:
            fragments = getattr(hit.meta, "highlight", None)
            snippet = next((fragments[f][0] for f in HIGHLIGHTED if fragments and f in fragments), None)
            results.append(
                SearchHit(
                    ref=hit.ref,
                    title=hit.title,
                    url=hit.url,
                    resource_type=hit.resource_type,
                    year=hit.year,
                    language=hit.language,
                    countries=tuple(hit.countries or ()),
                    themes=tuple(hit.themes or ()),
                    snippet=snippet or highlight(hit.summary or "", ""),
                )
            )
        facets = {
            facet: sorted_counts(
                {b.key: b.doc_count for b in getattr(response.aggregations, facet).values.buckets}
            )
            for facet in FACETS
        }
        return SearchResult(count=response.hits.total.value, results=results, facets=facets)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles holding every word typed, the last one possibly incomplete."""
        typed = fold_prefix(prefix)
        if not typed:
            return []
        self._ensure_alias()
        must = [Q("match", title={"query": w, "analyzer": "folded"}) for w in typed[:-1]]
        must.append(Q("prefix", title=typed[-1]))
        s = Search(using=self.client, index=self.alias).query(Q("bool", must=must)).sort("title.raw")
        s = s.source(["title", "url"])[:limit]
        return [Suggestion(title=h.title, url=h.url) for h in s.execute().hits]
