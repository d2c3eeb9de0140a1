"""The embedded search engine: no server, the database's own full-text index.

Text is normalised in Python (`library.text`) before it is stored and before it is queried, so that
SQLite's FTS5 and PostgreSQL's 'simple' text search only compare equal stems and behave identically.
Ranking: documents whose title holds every query word first, then BM25 (SQLite) or ts_rank
(PostgreSQL) with the title weighted above summary, authors and body.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, TextField, Value
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
    def _match_ids(self, stems: list[str]) -> RawSQL:
        """The ids of the entries holding every stem."""
        if connection.vendor == "postgresql":
            sql = "SELECT id FROM library_searchentry WHERE search_vector @@ plainto_tsquery('simple', %s)"
            return RawSQL(sql, [" ".join(stems)])
        sql = "SELECT rowid FROM library_searchentry_fts WHERE library_searchentry_fts MATCH %s"
        return RawSQL(sql, [self._fts_match(stems)])

    @staticmethod
    def _fts_match(stems: list[str]) -> str:
        # Each stem quoted: FTS5 reads it as a plain token, never as an operator.
        return " ".join(f'"{s}"' for s in stems)

    @staticmethod
    def _title_hit(stems: list[str], table: str = "library_searchentry") -> tuple[str, list[str]]:
        """SQL that is 1 when the title holds every stem, else 0, and its parameters."""
        title_hit = " AND ".join([f"(' ' || {table}.norm_title || ' ') LIKE %s"] * len(stems))
        return f"CASE WHEN {title_hit} THEN 1 ELSE 0 END", [f"% {s} %" for s in stems]

    def _ranked(self, matching, narrowing: dict, stems: list[str], query: SearchQuery) -> list[SearchEntry]:
        """One page of `matching` (the entries narrowed by `narrowing`) by relevance: entries whose title
        holds every word first, then the full-text score (title weighted above summary, authors and
        body), then the newest."""
        title_sql, title_params = self._title_hit(stems)
        if connection.vendor == "postgresql":
            score = RawSQL(
                "ts_rank('{0.1, 0.2, 0.4, 1.0}', library_searchentry.search_vector, "
                "plainto_tsquery('simple', %s))",
                [" ".join(stems)],
            )
            ordered = matching.annotate(title_hit=RawSQL(title_sql, title_params), score=score)
            return list(
                ordered.order_by("-title_hit", "-score", "-date", "title")[
                    query.offset : query.offset + query.page_size
                ]
            )
        # FTS5's bm25() exists only in the query that runs the MATCH: scored once in a join. (As a
        # correlated subquery, one MATCH per matching row, the page of 4,862 matches among 10,000
        # resources took 480 ms, in the join 11 ms; see bench/library_search.py.) Lower bm25 is better.
        title_sql, title_params = self._title_hit(stems, "e")
        where, params = ["1"], [self._fts_match(stems)]
        for narrowed, ids in narrowing.items():
            if narrowed is not None:  # the words are the join's MATCH
                subquery, subquery_params = ids.query.sql_with_params()
                where.append(f"e.id IN ({subquery})")
                params += subquery_params
        sql = (
            "SELECT e.id FROM library_searchentry e JOIN (SELECT rowid AS id,"
            " bm25(library_searchentry_fts, 10.0, 4.0, 2.0, 1.0) AS score FROM library_searchentry_fts"
            " WHERE library_searchentry_fts MATCH %s) s ON s.id = e.id"
            f" WHERE {' AND '.join(where)}"
            f" ORDER BY {title_sql} DESC, s.score, e.date DESC, e.title LIMIT %s OFFSET %s"
        )
        params += [*title_params, query.page_size, query.offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        entries = SearchEntry.objects.in_bulk(ids)
        return [entries[i] for i in ids]

    def _narrowing(self, stems: list[str], query: SearchQuery) -> dict:
        """What narrows the search, keyed by the facet it filters (None: the words): each a subquery of
        entry ids, so that it narrows entries (`id__in`) and facet values (`entry_id__in`) alike.

        Facet values are narrowed by these ids directly, not through a subquery on the entries: that
        would look up every candidate entry's wide row (title, body…), and an unfiltered one costs a
        lookup per facet value: browsing 100,000 resources took 2.9 s, 0.2 s without it."""
        narrowing = {}
        if stems:
            narrowing[None] = self._match_ids(stems)
            if connection.vendor == "postgresql":
                # PostgreSQL reads the matching rows' vectors at each use of the subquery (the count,
                # the facets, the page: three scans of half the library for a common word); the ids
                # are fetched once and passed on as an array (10,000 resources, "mutuelles": 4,862
                # matches: p50 229 → 71 ms; all query kinds: p95 231 → 143 ms).
                with connection.cursor() as cursor:
                    cursor.execute(*narrowing[None].as_sql(None, connection))
                    ids = [row[0] for row in cursor.fetchall()]
                narrowing[None] = RawSQL("SELECT unnest(%s::bigint[])", [ids])
        for facet, selected in query.filters().items():
            if not selected:
                continue
            if facet == "year":
                low, high = selected
                years = SearchEntry.objects.all()
                if low is not None:
                    years = years.filter(year__gte=low)
                if high is not None:
                    years = years.filter(year__lte=high)
                narrowing[facet] = years.values("id")
            else:
                narrowing[facet] = SearchFacetValue.objects.filter(
                    facet=facet, value__in=list(selected)
                ).values("entry_id")
        return narrowing

    def search(self, query: SearchQuery) -> SearchResult:
        stems = query_stems(query.q)
        narrowing = self._narrowing(stems, query)

        # Each facet counts with every narrowing but its own; facets narrowed alike share one GROUP BY
        # (a query without facet filters: one statement for the five facets instead of five scans).
        shared: dict[tuple, list[str]] = {}
        for facet in FACETS:
            shared.setdefault(tuple(n for n in narrowing if n != facet), []).append(facet)
        counts = {facet: {} for facet in FACETS}
        for applied, group in shared.items():
            values = SearchFacetValue.objects.filter(facet__in=group)
            for narrowed in applied:
                values = values.filter(entry_id__in=narrowing[narrowed])
            for facet, value, n in values.values_list("facet", "value").annotate(n=Count("entry")):
                counts[facet][value] = n
        facets = {facet: sorted_counts(counts[facet]) for facet in FACETS}

        matching = SearchEntry.objects.all()
        for ids in narrowing.values():
            matching = matching.filter(id__in=ids)
        count = matching.count()
        if stems and query.sort == "relevance":
            page = self._ranked(matching, narrowing, stems, query)
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
