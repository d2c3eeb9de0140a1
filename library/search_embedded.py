"""The embedded search engine: no server, the database's own full-text index.

Text is normalised in Python (`library.text`) before it is stored and before it is queried, so that
SQLite's FTS5 and PostgreSQL's 'simple' text search only compare equal stems and behave identically.
Ranking: documents whose title holds every query word first, then BM25 (SQLite) or ts_rank
(PostgreSQL) with the title weighted above summary, authors and body.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from .documents import SearchDocument
from .search import (
    FACETS,
    SearchHit,
    SearchQuery,
    SearchResult,
    Suggestion,
    fold_prefix,
    snippet,
    sorted_counts,
)
from .search_entries import SearchEntry, SearchFacetValue
from .text import normalise, query_stems

BATCH = 500


def _clean(text: str) -> str:
    # PostgreSQL refuses NUL characters in text; extracted PDF text sometimes has them.
    return (text or "").replace("\x00", "")


def _facet_values(doc: SearchDocument) -> list[tuple[str, str]]:
    values = [("resource_type", doc.resource_type), ("language", doc.language)]
    values += [("theme", t) for t in doc.themes] + [("country", c) for c in doc.countries]
    if doc.year is not None:
        values.append(("year", str(doc.year)))
    return [(f, v) for f, v in dict.fromkeys(values) if v]


class EmbeddedEngine:
    """Search in the site's own database (SQLite FTS5 or PostgreSQL full text)."""

    # --- writing -----------------------------------------------------------------------------------
    def index(self, documents) -> int:
        """Insert or replace the entries of `documents` (matched on `ref`); returns how many."""
        n = 0
        batch = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH:
                n += self._index_batch(batch)
                batch = []
        return n + (self._index_batch(batch) if batch else 0)

    @transaction.atomic
    def _index_batch(self, documents: list[SearchDocument]) -> int:
        documents = list({d.ref: d for d in documents}.values())
        SearchEntry.objects.filter(ref__in=[d.ref for d in documents]).delete()
        entries = SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    ref=d.ref,
                    title=_clean(d.title),
                    summary=_clean(d.summary),
                    authors=_clean(d.authors),
                    body=_clean(d.body),
                    resource_type=d.resource_type,
                    themes=list(d.themes),
                    countries=list(d.countries),
                    language=d.language,
                    year=d.year,
                    url=d.url,
                    date=d.date,
                    norm_title=normalise(_clean(d.title)),
                    norm_summary=normalise(_clean(d.summary)),
                    norm_authors=normalise(_clean(d.authors)),
                    norm_body=normalise(_clean(d.body)),
                    folded_title=" ".join(fold_prefix(_clean(d.title)) if d.title else []),
                )
                for d in documents
            ]
        )
        if any(e.pk is None for e in entries):  # backends that return no ids from bulk inserts
            ids = dict(
                SearchEntry.objects.filter(ref__in=[d.ref for d in documents]).values_list("ref", "id")
            )
            for e in entries:
                e.pk = ids[e.ref]
        SearchFacetValue.objects.bulk_create(
            SearchFacetValue(entry_id=e.pk, facet=f, value=v)
            for e, d in zip(entries, documents, strict=True)
            for f, v in _facet_values(d)
        )
        return len(documents)

    def remove(self, refs) -> None:
        SearchEntry.objects.filter(ref__in=list(refs)).delete()

    @transaction.atomic
    def rebuild(self, documents, *, total: int | None = None, progress=None) -> int:
        """Replace the whole index by `documents` in one transaction (readers see old or new)."""
        SearchEntry.objects.all().delete()
        n = 0
        batch = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH:
                n += self._index_batch(batch)
                batch = []
                if progress:
                    progress(n, total)
        if batch:
            n += self._index_batch(batch)
        if progress:
            progress(n, total)
        return n

    # --- reading -----------------------------------------------------------------------------------
    def _match(self, stems: list[str]) -> Q:
        if connection.vendor == "postgresql":
            sql = "SELECT id FROM library_searchentry WHERE search_vector @@ plainto_tsquery('simple', %s)"
            return Q(id__in=RawSQL(sql, [" ".join(stems)]))
        # Each stem quoted: FTS5 reads it as a plain token, never as an operator.
        sql = "SELECT rowid FROM library_searchentry_fts WHERE library_searchentry_fts MATCH %s"
        return Q(id__in=RawSQL(sql, [" ".join(f'"{s}"' for s in stems)]))

    def _rank(self, stems: list[str]) -> tuple[RawSQL, RawSQL]:
        """(title holds every word: 1/0, full-text score: higher is better) as SQL expressions."""
        title_hit = " AND ".join(["(' ' || library_searchentry.norm_title || ' ') LIKE %s"] * len(stems))
        title = RawSQL(f"CASE WHEN {title_hit} THEN 1 ELSE 0 END", [f"% {s} %" for s in stems])
        if connection.vendor == "postgresql":
            score = RawSQL(
                "ts_rank('{0.1, 0.2, 0.4, 1.0}', library_searchentry.search_vector, "
                "plainto_tsquery('simple', %s))",
                [" ".join(stems)],
            )
        else:
            score = RawSQL(
                "(SELECT -bm25(library_searchentry_fts, 10.0, 4.0, 2.0, 1.0) FROM library_searchentry_fts"
                " WHERE library_searchentry_fts MATCH %s"
                " AND library_searchentry_fts.rowid = library_searchentry.id)",
                [" ".join(f'"{s}"' for s in stems)],
            )
        return title, score

    @staticmethod
    def _filter(facet: str, selected) -> Q:
        if facet == "year":
            low, high = selected
            q = Q()
            if low is not None:
                q &= Q(year__gte=low)
            if high is not None:
                q &= Q(year__lte=high)
            return q
        return Q(
            id__in=SearchFacetValue.objects.filter(facet=facet, value__in=list(selected)).values("entry_id")
        )

    def search(self, query: SearchQuery) -> SearchResult:
        stems = query_stems(query.q)
        base = SearchEntry.objects.all()
        if stems:
            base = base.filter(self._match(stems))
        filters = {f: self._filter(f, v) for f, v in query.filters().items() if v}

        facets = {}
        for facet in FACETS:
            others = base
            for f, q in filters.items():
                if f != facet:
                    others = others.filter(q)
            rows = (
                SearchFacetValue.objects.filter(facet=facet, entry_id__in=others.values("id"))
                .values_list("value")
                .annotate(n=Count("id"))
            )
            facets[facet] = sorted_counts(dict(rows))

        matching = base
        for q in filters.values():
            matching = matching.filter(q)
        count = matching.count()
        if stems and query.sort == "relevance":
            title, score = self._rank(stems)
            ordered = matching.annotate(title_hit=title, score=score).order_by(
                "-title_hit", "-score", "-date", "title"
            )
        else:
            ordered = matching.order_by(F("date").desc(nulls_last=True), "title")
        page = list(ordered[query.offset : query.offset + query.page_size])
        results = [
            SearchHit(
                ref=e.ref,
                title=e.title,
                url=e.url,
                resource_type=e.resource_type,
                year=e.year,
                language=e.language,
                countries=tuple(e.countries),
                themes=tuple(e.themes),
                snippet=snippet((e.summary, e.body), query.q),
            )
            for e in page
        ]
        return SearchResult(count=count, results=results, facets=facets)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles holding every word typed, the last one possibly incomplete."""
        typed = fold_prefix(prefix)
        if not typed:
            return []
        qs = SearchEntry.objects.annotate(
            padded=Concat(Value(" "), "folded_title", Value(" "), output_field=TextField())
        )
        for w in typed[:-1]:
            qs = qs.filter(padded__contains=f" {w} ")
        qs = qs.filter(padded__contains=f" {typed[-1]}")
        return [
            Suggestion(title=t, url=u) for t, u in qs.order_by("title").values_list("title", "url")[:limit]
        ]
