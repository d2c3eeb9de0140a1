"""Building the open-data files (what a release freezes and the current data's cache holds).

On a throw-away SQLite inventory (the synthesis benchmark's generator: every mutual reports every
year), prints the time of `package.build_files` — the returns table read once and written to CSV,
Parquet and the workbook's sheet together, the synthesis, codebook, citation, datapackage.json and
the zip — with each file's size, then the Python memory allocated while writing the returns part at
two inventory sizes (a tenth and all of it: flat, the rows stream in chunks of 5,000), the time of a
release made from those files (tables copied, the rest written, zipped), and the peak resident memory.

    .venv/bin/python bench/datasets.py                  # 4,000 mutuals × 25 years (100,000 returns)
    .venv/bin/python bench/datasets.py --mutuals 20000  # 500,000 returns (several minutes)
"""

import argparse
import importlib.util
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _populate():
    spec = importlib.util.spec_from_file_location("bench_synthesis", ROOT / "bench" / "synthesis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.populate


def write_returns(directory: Path, limit=None) -> int:
    """The returns part of a build alone: one pass over the rows into CSV, Parquet and XLSX."""
    from inventory.contract import schema
    from inventory.models import YearlyReturn
    from inventory.opendata import datasets
    from inventory.opendata.exports import returns_frames

    queryset = YearlyReturn.objects.public()
    if limit:
        queryset = queryset.filter(mutual__pk__lte=limit)
    published = schema.published("returns")
    book = datasets.XlsxWorkbook(directory / "inventory.xlsx")
    sinks = [datasets.CsvFile(directory / "returns.csv", datasets.column_names(published)),
             datasets.ParquetFile(directory / "returns.parquet", published), book.sheet("returns", published)]
    for frame in returns_frames(queryset):
        for sink in sinks:
            sink.write_frame(frame)
    count = min(sink.close() for sink in sinks)
    book.close({"returns": published})
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutuals", type=int, default=4000)
    parser.add_argument("--years", type=int, default=25)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-datasets-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "dummymail://",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    returns = _populate()(args.mutuals, range(2026 - args.years, 2026))
    print(f"inventory: {args.mutuals:,} mutuals × {args.years} years = {returns:,} validated returns "
          f"(built in {time.perf_counter() - start:.1f} s, SQLite)")

    from inventory.opendata import live, package

    out = tmp / "files"
    out.mkdir()
    start = time.perf_counter()
    built = package.build_files(out, live.live_meta())
    seconds = time.perf_counter() - start
    print(f"every file of a release ({built.returns_count:,} returns, {built.synthesis_count:,} synthesis "
          f"rows): {seconds:.1f} s")
    for name, (_sha, size) in built.checksums.items():
        print(f"  {name:18} {size / 2**20:9.1f} MB")
    # A release published while the current files are built: their tables copied, the rest written.
    copy = tmp / "release"
    copy.mkdir()
    start = time.perf_counter()
    for name in package.TABLE_FILES:
        shutil.copyfile(out / name, copy / name)
    package.build_package(copy, live.live_meta(), (built.returns_count, built.synthesis_count))
    print(f"a release from the current files (copy, codebook, citation, datapackage, zip): "
          f"{time.perf_counter() - start:.1f} s")
    for limit in (max(1, args.mutuals // 10), None):
        part = tmp / f"part-{limit}"
        part.mkdir()
        tracemalloc.start()
        start = time.perf_counter()
        count = write_returns(part, limit)
        seconds = time.perf_counter() - start
        _current, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"returns to CSV + Parquet + XLSX, {count:,} returns: peak Python memory allocated "
              f"{traced / 2**20:.1f} MB ({seconds:.1f} s under tracemalloc)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak:,.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
