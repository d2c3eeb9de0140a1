"""The library's faceted search on generated resources: indexing speed, query times, memory.

Generates N resources deterministically (seeded; `bench/library_corpus.py`): French, English and
Portuguese titles and summaries from the vocabulary of the domain, authors, types, themes, countries,
years 1990–2026, and for about a third of them the extracted text of their file (a few hundred words).
Then, for each engine:

- the embedded engine (`library.search_embedded`) in a throw-away SQLite database (FTS5), or, when
  `DATABASE_URL` points at PostgreSQL, in that database (PostgreSQL full text; its name must contain
  "bench": the database is dropped and created again);
- the Elasticsearch engine (`library.search_elasticsearch`) against `ELASTICSEARCH_URL` when it is set
  (an index prefixed `bench<pid>`, deleted afterwards), else against an osmem server started for the
  run (an in-memory OpenSearch-compatible TEST server, reached through the tests' transport adapter:
  its figures are indicative only, they are not Elasticsearch's);

it times the bulk (re)indexing (documents per second) and typical queries, each kind repeated
`--queries` times over a few variants, and prints p50 / p95 per kind and over all. Beside the
embedded engine: the same words as a bare full-text query on the same table (FTS5 `MATCH` through
the sqlite3 module, or `@@ plainto_tsquery` through psycopg): the count and one page ranked by the
index's own score, no facets, no title-first ranking, no snippets — the floor, so that the cost of
facets and ranking shows; then the ratio of the embedded engine's p95 to the bare query's, per kind
and over all kinds (issue 16's goal: ≤ 3 × at 100,000 resources, on SQLite and on PostgreSQL).
Last, the peak resident memory of the process (and of the osmem server).
Each size runs in a process of its own, so that its memory and its database are its own.

    .venv/bin/python bench/library_search.py                          # 10,000 and 100,000 resources
    .venv/bin/python bench/library_search.py --sizes 2000 --queries 10  # quicker
    DATABASE_URL=postgres://postgres@127.0.0.1:5434/portal_bench .venv/bin/python bench/library_search.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# --- the queries -----------------------------------------------------------------------------------

def query_kinds():
    """(kind, [variants]): each variant a SearchQuery, or a string for autocomplete."""
    from library.search import SearchQuery as Q

    return [
        ("one word", [Q(q="mutuelles"), Q(q="gouvernance"), Q(q="insurance"), Q(q="prestataires")]),
        ("two words", [Q(q="mutuelles Mali"), Q(q="health insurance"), Q(q="cotisations Sénégal"),
                       Q(q="gouvernance union")]),
        ("accent-less French", [Q(q="senegal"), Q(q="reassurance garantie"), Q(q="elus gerants")]),
        ("singular finds plural", [Q(q="mutuelle"), Q(q="prestataire"), Q(q="cotisation"), Q(q="insured")]),
        ("words + 3 facets", [
            Q(q="mutuelles santé", types=("guide", "case_study"), countries=("ML", "SN"), year_min=2005),
            Q(q="health insurance", languages=("en",), themes=("uhc", "financing"), year_min=2010),
            Q(q="cotisations", themes=("financing",), countries=("BF", "BJ", "TG"), types=("report",)),
        ]),
        ("words, sorted by date", [
            Q(q="assurance maladie", sort="date"), Q(q="contractualisation", sort="date"),
            Q(q="governance", sort="date"),
        ]),
        ("words, page 5", [Q(q="mutuelles", page=5), Q(q="santé Mali", page=5), Q(q="insured", page=5)]),
        ("facets only, no words", [
            Q(types=("report",), themes=("financing",), languages=("fr",)),
            Q(countries=("SN",), year_min=2015, year_max=2026),
            Q(themes=("governance", "contracting"), countries=("ML", "BF"),
              types=("guide", "training_manual")),
        ]),
        ("no words, no facet (browse)", [Q(), Q(page=2)]),
        ("autocomplete prefix", ["mutuelles de sa", "guide prat", "insur", "cotis", "étude de cas : la g"]),
    ]


def percentile(times: list[float], p: int) -> float:
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1]


def run_queries(engine, kinds, repeats: int) -> dict:
    """{kind: {"times": [s…], "hits": count of the first variant}}, after one warm-up pass."""
    out = {}
    for kind, variants in kinds:
        def one(v):
            return engine.autocomplete(v) if isinstance(v, str) else engine.search(v)

        first = one(variants[0])
        for v in variants[1:]:
            one(v)
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            one(variants[i % len(variants)])
            times.append(time.perf_counter() - start)
        out[kind] = {"times": times, "hits": len(first) if isinstance(first, list) else first.count}
    return out


class BareFullText:
    """The same words straight to the database's full-text index: count + one page by its own score."""

    def __init__(self, vendor: str, database):
        self.vendor = vendor
        if vendor == "sqlite":
            import sqlite3

            self.connection = sqlite3.connect(database)
        else:
            import psycopg

            self.connection = psycopg.connect(database)

    @property
    def label(self) -> str:
        return "bare FTS5" if self.vendor == "sqlite" else "bare tsquery"

    def search(self, query) -> int:
        from library.text import query_stems

        stems = query_stems(query.q)
        if self.vendor == "sqlite":
            match = " ".join(f'"{s}"' for s in stems)
            count = self.connection.execute(
                "SELECT count(*) FROM library_searchentry_fts WHERE library_searchentry_fts MATCH ?", (match,)
            ).fetchone()[0]
            self.connection.execute(
                "SELECT e.id, e.title FROM library_searchentry_fts"
                " JOIN library_searchentry e ON e.id = library_searchentry_fts.rowid"
                " WHERE library_searchentry_fts MATCH ? ORDER BY library_searchentry_fts.rank"
                " LIMIT ? OFFSET ?",
                (match, query.page_size, query.offset),
            ).fetchall()
            return count
        words = " ".join(stems)
        count = self.connection.execute(
            "SELECT count(*) FROM library_searchentry WHERE search_vector @@ plainto_tsquery('simple', %s)",
            (words,),
        ).fetchone()[0]
        self.connection.execute(
            "SELECT id, title FROM library_searchentry WHERE search_vector @@ plainto_tsquery('simple', %s)"
            " ORDER BY ts_rank(search_vector, plainto_tsquery('simple', %s)) DESC LIMIT %s OFFSET %s",
            (words, words, query.page_size, query.offset),
        ).fetchall()
        return count

    def run(self, kinds, repeats: int) -> dict:
        out = {}
        for kind, variants in kinds:
            variants = [v for v in variants if not isinstance(v, str) and v.q]
            if not variants:
                continue
            first = self.search(variants[0])
            times = []
            for i in range(repeats):
                start = time.perf_counter()
                self.search(variants[i % len(variants)])
                times.append(time.perf_counter() - start)
            out[kind] = {"times": times, "hits": first}
        return out


# --- one size, in a process of its own --------------------------------------------------------------

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def setup_django(tmp: Path) -> tuple[str, object]:
    """Django on a throw-away database: (vendor, what the bare queries connect to)."""
    url = os.environ.get("DATABASE_URL", "")
    postgres = urlparse(url).scheme.startswith("postgres")
    if postgres:
        import psycopg

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"DATABASE_URL names the database {name!r}: this benchmark drops and creates its "
                     "database, so its name must contain 'bench' (e.g. portal_bench).")
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "false",  # no query log
        "DATABASE_URL": url,
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "dummymail://",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return ("postgresql", url) if postgres else ("sqlite", str(tmp / "bench.sqlite3"))


BULK_BATCH = 500  # library.search_elasticsearch.BATCH: documents per bulk request


def elasticsearch_engine():
    """(engine, label, server process or None, cleanup)."""
    from django.conf import settings
    from elasticsearch import Elasticsearch

    from library.search_elasticsearch import ElasticsearchEngine

    prefix = f"bench{os.getpid()}"
    if settings.ELASTICSEARCH_URL:
        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=300,
                               **getattr(settings, "ELASTICSEARCH_CLIENT_OPTIONS", {}))
        engine = ElasticsearchEngine(client, index_prefix=prefix)
        version = client.info()["version"]["number"]

        def cleanup():
            if client.indices.exists_alias(name=engine.alias):
                for index in client.indices.get_alias(name=engine.alias):
                    client.indices.delete(index=index)

        return engine, f"Elasticsearch {version} at ELASTICSEARCH_URL", None, cleanup
    from osmem_server import OsmemServer

    from tests.library.osmem_adapter import OsmemTestNode

    server = OsmemServer.start(japanese=False)
    client = Elasticsearch(server.url, node_class=OsmemTestNode, request_timeout=600)
    engine = ElasticsearchEngine(client, index_prefix=prefix)
    label = (f"osmem {server.version} (in-memory test server, not Elasticsearch): figures indicative only")
    return engine, label, server, server.close


def run_size(n: int, repeats: int, engines: list[str], seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        return _run_size(Path(tmp), n, repeats, engines, seed)


def _run_size(tmp: Path, n: int, repeats: int, engines: list[str], seed: int) -> dict:
    vendor, database = setup_django(tmp)
    from django.db import connection

    from bench.library_corpus import generate
    from library.search_embedded import EmbeddedEngine

    out = {"size": n, "repeats": repeats, "engines": {}}
    start = time.perf_counter()
    documents = generate(n, seed)
    with_body = [d for d in documents if d.body]
    out["generation"] = {
        "seconds": time.perf_counter() - start,
        "with_body": len(with_body),
        "body_words": sum(len(d.body.split()) for d in with_body) / max(1, len(with_body)),
    }
    print(f"[{n:,}] generated in {out['generation']['seconds']:.1f} s: {len(with_body):,} with extracted "
          f"text (average {out['generation']['body_words']:.0f} words)", flush=True)
    kinds = query_kinds()

    if "embedded" in engines:
        engine = EmbeddedEngine()
        label = (f"embedded, SQLite {connection.Database.sqlite_version} FTS5" if vendor == "sqlite"
                 else f"embedded, PostgreSQL {connection.pg_version // 10000} full text")
        start = time.perf_counter()
        engine.rebuild(iter(documents), total=n)
        seconds = time.perf_counter() - start
        print(f"[{n:,}] {label}: indexed in {seconds:.1f} s ({n / seconds:,.0f} docs/s)", flush=True)
        entry = {"label": label, "index_seconds": seconds}
        # What the first search after a write to the index pays once per process: reading the bitmaps.
        from library.search_embedded import _Snapshot

        start = time.perf_counter()
        _Snapshot.read("bench")
        entry["snapshot_seconds"] = time.perf_counter() - start
        if vendor == "sqlite":
            entry["db_mb"] = Path(database).stat().st_size / 2**20
        entry["queries"] = run_queries(engine, kinds, repeats)
        print(f"[{n:,}] {label}: queries timed", flush=True)
        bare = BareFullText(vendor, database)
        entry["bare_label"] = bare.label
        entry["bare"] = bare.run(kinds, repeats)
        bare.connection.close()
        out["engines"]["embedded"] = entry
        out["rss_after_embedded_mb"] = peak_rss_mb()

    if "elasticsearch" in engines:
        engine, label, server, cleanup = elasticsearch_engine()
        try:
            marks = []  # (documents sent, seconds): does bulk indexing slow down as the index grows?
            start = time.perf_counter()
            engine.rebuild(iter(documents), total=n,
                           progress=lambda done, _total: marks.append((done, time.perf_counter() - start)))
            seconds = time.perf_counter() - start
            print(f"[{n:,}] {label}: indexed in {seconds:.1f} s ({n / seconds:,.0f} docs/s)", flush=True)
            entry = {"label": label, "index_seconds": seconds, "first_tenth_rate": None}
            first = next(((d, t) for d, t in marks if d >= n / 10), None)
            last = max(((d, t) for d, t in marks if d <= n * 0.9), default=None)
            if first and last and n >= 10 * BULK_BATCH:
                entry["first_tenth_rate"] = first[0] / first[1]
                entry["last_tenth_rate"] = (n - last[0]) / (marks[-1][1] - last[1])
            entry["queries"] = run_queries(engine, kinds, repeats)
            print(f"[{n:,}] {label.split(' (')[0]}: queries timed", flush=True)
            if server is not None:
                entry["server_peak_mb"] = process_peak_mb(server.pid)
        finally:
            cleanup()
        out["engines"]["elasticsearch"] = entry
    out["rss_mb"] = peak_rss_mb()
    out["load"] = os.getloadavg()[1]
    return out


# --- the report ------------------------------------------------------------------------------------

def ms(times) -> str:
    if not times:
        return "—"
    return f"{percentile(times, 50) * 1000:7.1f} /{percentile(times, 95) * 1000:7.1f}"


def report(results: list[dict]) -> None:
    first = results[0]
    kinds = [k for k, _v in query_kinds()]
    engines = list(first["engines"])
    print()
    print("Library search benchmark — generated resources, "
          f"{first['repeats']} timed runs per query kind, times in ms as p50 / p95")
    for name in engines:
        print(f"  {name}: {first['engines'][name]['label']}")
    columns = []  # (heading, getter)
    for r in results:
        for name in engines:
            e = r["engines"][name]
            short = e["label"].split(" ")[0].rstrip(",")  # embedded, osmem, Elasticsearch
            columns.append((f"{short} {r['size']:,}", e["queries"], None))
            if name == "embedded":
                columns.append((f"{e['bare_label']} {r['size']:,}", e["bare"], None))
    width = 20
    print()
    print(f"{'query kind':28}" + "".join(f"{h:>{width}}" for h, _q, _x in columns))
    for kind in kinds:
        cells = [ms(q[kind]["times"]) if kind in q else "—" for _h, q, _x in columns]
        print(f"{kind:28}" + "".join(f"{c:>{width}}" for c in cells))
    overall = [ms([t for k in kinds if k in q for t in q[k]["times"]]) for _h, q, _x in columns]
    print(f"{'all kinds together':28}" + "".join(f"{c:>{width}}" for c in overall))
    if "embedded" in engines:
        ratios(results, kinds)
    print()
    print("hits of each kind's first variant (count, or suggestions for autocomplete):")
    sizes_heads = [f"{r['size']:,}" for r in results]
    print(f"{'query kind':28}" + "".join(f"{h:>12}" for h in sizes_heads))
    reference = "embedded" if "embedded" in engines else engines[0]
    for kind in kinds:
        hits = [r["engines"][reference]["queries"][kind]["hits"] for r in results]
        print(f"{kind:28}" + "".join(f"{h:>12,}" for h in hits))
    print()
    for r in results:
        g = r["generation"]
        print(f"{r['size']:,} resources ({g['with_body']:,} with extracted text, {g['body_words']:.0f} words "
              f"on average; generated in {g['seconds']:.1f} s):")
        for name in engines:
            e = r["engines"][name]
            extra = f", database file {e['db_mb']:,.0f} MB" if "db_mb" in e else ""
            rate = r["size"] / e["index_seconds"]
            if e.get("first_tenth_rate"):
                extra += (f" (first tenth {e['first_tenth_rate']:,.0f} docs/s, "
                          f"last tenth {e['last_tenth_rate']:,.0f} docs/s)")
            print(f"  {name:14} indexing {e['index_seconds']:7.1f} s  {rate:8,.0f} docs/s{extra}")
            if "snapshot_seconds" in e:
                print(f"  {'':14} the bitmaps of facet values read (once per process after each write "
                      f"to the index) in {e['snapshot_seconds'] * 1000:,.0f} ms")
        print(f"  load average of the machine over the last 5 minutes at the end: {r['load']:.1f} "
              f"on {os.cpu_count()} CPUs (other work on the machine slows every figure alike)")
        line = f"  peak resident memory of the benchmark process: {r['rss_mb']:,.0f} MB"
        if "rss_after_embedded_mb" in r and "elasticsearch" in engines:
            line += f" ({r['rss_after_embedded_mb']:,.0f} MB after the embedded engine's part)"
        print(line)
        server = r["engines"].get("elasticsearch", {}).get("server_peak_mb")
        if server:
            print(f"  peak resident memory of the osmem server: {server:,.0f} MB")


GOAL = 3.0  # issue 16: the embedded engine's p95 over all query kinds ≤ 3 × the bare query's, at 100,000


def ratios(results: list[dict], kinds: list[str]) -> None:
    """The embedded engine's p95 over the bare full-text query's, per kind with words and over all
    kinds together (the kinds without words, the bare query has no counterpart for: they count in the
    embedded engine's p95 and not in the bare one's, which makes the ratio stricter)."""
    print()
    print(f"ratio of p95s, embedded engine / bare full-text query on the same data (goal: ≤ {GOAL:g} ×):")
    heads = [f"{r['engines']['embedded']['bare_label']} {r['size']:,}" for r in results]
    print(f"{'query kind':28}" + "".join(f"{h:>24}" for h in heads))

    def ratio(embedded_times, bare_times) -> float:
        return percentile(embedded_times, 95) / percentile(bare_times, 95)

    for kind in kinds:
        cells = []
        for r in results:
            e = r["engines"]["embedded"]
            cells.append(f"{ratio(e['queries'][kind]['times'], e['bare'][kind]['times']):.1f} ×"
                         if kind in e["bare"] else "—")
        print(f"{kind:28}" + "".join(f"{c:>24}" for c in cells))
    cells, verdicts = [], []
    for r in results:
        e = r["engines"]["embedded"]
        value = ratio([t for k in kinds for t in e["queries"][k]["times"]],
                      [t for k in kinds if k in e["bare"] for t in e["bare"][k]["times"]])
        cells.append(f"{value:.1f} ×")
        verdicts.append(f"{r['size']:,}: {value:.1f} × {'≤' if value <= GOAL else '>'} {GOAL:g} × "
                        f"({'met' if value <= GOAL else 'NOT met'})")
    print(f"{'all kinds together':28}" + "".join(f"{c:>24}" for c in cells))
    print(f"  goal, all kinds together at p95: {'; '.join(verdicts)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of resources")
    parser.add_argument("--queries", type=int, default=40, help="timed runs per query kind")
    parser.add_argument("--engines", default="embedded,elasticsearch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help=argparse.SUPPRESS)  # where a child process writes its figures
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    if len(sizes) == 1:
        result = run_size(sizes[0], args.queries, engines, args.seed)
        if args.json:
            Path(args.json).write_text(json.dumps(result))
        else:
            report([result])
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        for size in sizes:
            out = Path(tmp) / f"{size}.json"
            subprocess.run(
                [sys.executable, __file__, "--sizes", str(size), "--queries", str(args.queries),
                 "--engines", args.engines, "--seed", str(args.seed), "--json", str(out)],
                check=True,
            )
            results.append(json.loads(out.read_text()))
    report(results)


if __name__ == "__main__":
    main()
