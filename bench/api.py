"""The data API on a large synthetic inventory: time and memory of one page.

Builds the throw-away inventory of `bench/synthesis.py` (20,000 mutuals over 25 years by default)
and requests, through Django's test client, the first and the last page of the returns and of the
mutuals at the largest page size, the synthesis once cached (its recompute after a change is
timed by `bench/synthesis.py`) and a revalidation (304), printing each request's time and
the Python memory it allocated at its peak (tracemalloc, in a second pass): the memory of a page
depends on the page size, not on the inventory's size.

    .venv/bin/python bench/api.py                 # 20,000 mutuals × 25 years
    .venv/bin/python bench/api.py --mutuals 2000  # quicker
"""

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def request(client, url, trace=False, **headers):
    """(response, rows, seconds, peak MB) of one GET, the streamed body read to the end; with
    `trace`, the Python memory allocated at the peak (tracemalloc slows the request down, so the
    time is taken in a pass without it)."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url, HTTP_HOST="localhost", **headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    tracemalloc.stop()
    rows = len(json.loads(content)["results"]) if response.status_code == 200 else 0
    return response, rows, seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutuals", type=int, default=20000)
    parser.add_argument("--years", type=int, default=25)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "dummymail://",
        "ALLOWED_HOSTS": "localhost",
    })
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.synthesis import populate
    from inventory.opendata.synthesis import refresh_synthesis

    call_command("migrate", verbosity=0)
    returns = populate(args.mutuals, range(2026 - args.years, 2026))
    print(f"inventory: {args.mutuals:,} mutuals × {args.years} years = {returns:,} validated returns "
          "(SQLite)")

    client = Client()
    request(client, "/api/v1/inventory/returns?page_size=1")  # warm-up: imports, URLs, catalogues
    refresh_synthesis()  # the worker's recompute after a change is bench/synthesis.py's measure
    last_returns = -(-returns // 1000)
    last_mutuals = -(-args.mutuals // 1000)
    cases = [
        ("returns, page 1 of 1,000 rows", "/api/v1/inventory/returns?page_size=1000"),
        ("returns, last page", f"/api/v1/inventory/returns?page_size=1000&page={last_returns}"),
        ("returns, one country and year", "/api/v1/inventory/returns?country=SN&year=2020"),
        ("mutuals, page 1 of 1,000", "/api/v1/inventory/mutuals?page_size=1000"),
        ("mutuals, last page", f"/api/v1/inventory/mutuals?page_size=1000&page={last_mutuals}"),
        ("synthesis (cached)", "/api/v1/inventory/synthesis?page_size=1000"),
        ("a bad parameter (400)", "/api/v1/inventory/returns?year=1800"),
    ]
    etag = None
    for label, url in cases:
        response, rows, seconds, _peak = request(client, url)
        _response, _rows, _seconds, peak = request(client, url, trace=True)
        etag = etag or response.get("ETag")
        print(f"{label:45} {response.status_code}  {rows:5,} rows  {seconds:7.3f} s  peak {peak:6.1f} MB")
    response, _rows, seconds, _peak = request(client, cases[0][1], HTTP_IF_NONE_MATCH=etag)
    print(f"{'returns, page 1 revalidated (If-None-Match)':45} {response.status_code}  {'':10}"
          f"{seconds:7.3f} s")


if __name__ == "__main__":
    main()
