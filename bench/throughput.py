"""Throughput of anonymous pages against one of the portal's static files, through the same server.

Builds a throw-away installation (`migrate`, `load_demo`, production settings: static files collected
and served by WhiteNoise), starts gunicorn (`--web-workers` sync workers) on loopback, computes the
synthesis as the worker would, then runs `wrk` (Debian's package; `apt-get install wrk`) for
`--seconds` on each address, one after the other (asking for gzip, as browsers do), and prints
requests per second, the median and 99th percentile latency, and each page's ratio to the static file.
Twice: with the page cache (portal/core/page_cache.py) and without it (`PAGE_CACHE_SECONDS=0`), the
server restarted between.
Also a 304: the home revalidated with its ETag.

    .venv/bin/python bench/throughput.py                # 10 s per address, 2 workers, 8 connections
    .venv/bin/python bench/throughput.py --seconds 3    # quicker
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.worker.installation import Installation, stop  # noqa: E402

PAGES = [
    ("static file (portal.css)", None),
    ("home, French", "/fr/"),
    ("home, English", "/en/"),
    ("inventory overview", "/fr/inventaire/"),
    ("country page (Senegal)", "/fr/inventaire/pays/SN/"),
    ("library", "/fr/bibliotheque/"),
    ("calendar", "/fr/agenda/"),
]


def wrk(url, seconds, connections, threads, headers=()):
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for header in ("Accept-Encoding: gzip", *headers):  # as every browser asks
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency.get("50", "?"), latency.get("99", "?"), int(errors.group(1)) if errors else 0


def static_path(base_url) -> str:
    html = urllib.request.urlopen(base_url + "/fr/", timeout=60).read().decode()
    return re.search(r'href="(/static/[^"]*portal[^"]*\.css)"', html).group(1)


def measure(site, args, label):
    print(f"\n{label}: gunicorn {args.web_workers} sync workers, wrk {args.connections} connections, "
          f"{args.seconds} s per address")
    print(f"{'address':<28} {'req/s':>9} {'p50':>9} {'p99':>9} {'÷ static':>9}  errors")
    static = None
    for name, path in PAGES:
        path = path or static_path(site.base_url)
        urllib.request.urlopen(site.base_url + path, timeout=120).read()  # drawn once, cached if it can be
        rate, p50, p99, errors = wrk(site.base_url + path, args.seconds, args.connections, args.threads)
        static = static or rate
        print(f"{name:<28} {rate:>9.0f} {p50:>9} {p99:>9} {rate / static:>9.3f}  {errors}")
    answer = urllib.request.urlopen(site.base_url + "/fr/", timeout=60)
    etag = answer.headers.get("ETag")
    if etag:
        rate, p50, p99, errors = wrk(site.base_url + "/fr/", args.seconds, args.connections, args.threads,
                                     headers=[f"If-None-Match: {etag}"])
        name = "home revalidated (304)"
        print(f"{name:<28} {rate:>9.0f} {p50:>9} {p99:>9} {rate / static:>9.3f}  {errors}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    directory = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    server = None
    try:
        site = Installation(directory, production=True, extra_env={"LOG_LEVEL": "ERROR"})
        site.build()
        site.manage("shell", "-c", "from inventory.opendata.refresh import refresh; refresh()")
        for label, seconds in (("with the page cache", "300"), ("without the page cache", "0")):
            site.extra_env["PAGE_CACHE_SECONDS"] = seconds
            server = site.start_web(workers=args.web_workers)
            measure(site, args, label)
            stop(server)
            server = None
    finally:
        stop(server)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
