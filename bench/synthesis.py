"""Synthesis recompute and streamed CSV export on a large synthetic inventory.

Builds a throw-away SQLite database with 20,000 mutuals over 25 years (500,000 validated returns,
a few mutuals closing along the way, one return in ten with another status), then prints, in one run:

- the full synthesis recompute (`refresh_synthesis()`, the worker's, on an empty cache: reading the returns
  table from the database, the indicators column-wise, the synthesis) and its two parts;
- a bare pandas groupby computing the same sums and medians on the same frame (the floor);
- the streamed CSV export of the returns table (`export_inventory --what returns`), and the memory
  it allocates at two inventory sizes (a tenth and all of it: flat, the export streams);
- the process's peak resident memory.

    .venv/bin/python bench/synthesis.py                 # 20,000 mutuals × 25 years
    .venv/bin/python bench/synthesis.py --mutuals 2000  # quicker
"""

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def populate(mutuals: int, years: range, seed: int = 2026) -> int:
    """Bulk-insert the synthetic inventory; returns the number of returns."""
    from inventory.models import Mutual, YearlyReturn
    from portal.reference.models import Country

    rng = random.Random(seed)
    codes = ["SN", "ML", "BF", "CI", "BJ", "TG", "NE", "GN", "MR", "CM", "TD", "CD", "RW", "BI"]
    for code in codes:
        Country.objects.get_or_create(
            code=code, defaults={"name_fr": code, "name_en": code, "currency": "XOF"}
        )
    batch = []
    for n in range(mutuals):
        code = codes[n % len(codes)]
        batch.append(Mutual(
            mutual_id=f"{code}-{n:05d}", name=f"Mutuelle {n}", country_id=code,
            year_created=rng.choice([None, rng.randint(1990, 2015)]), mutual_type="community",
            registration_state="approved",
        ))
    Mutual.objects.bulk_create(batch, batch_size=2000)
    ids = list(Mutual.objects.values_list("pk", flat=True))
    total = 0
    batch = []
    for pk in ids:
        members = rng.randint(50, 5000)
        status = "functional"
        for year in years:
            if status != "closed" and rng.random() < 0.005:
                status = "closed"
            members = max(0, members + rng.randint(-300, 400))
            due = members * rng.randint(3000, 6000)
            batch.append(YearlyReturn(
                mutual_id=pk, year=year, state="validated",
                status=status if rng.random() > 0.1 else rng.choice(["setup", "dormant", "functional"]),
                target_population=members * rng.randint(5, 20), members=members,
                beneficiaries=members * rng.randint(2, 6), renewed_members=int(members * 0.7),
                contributions_due=due, contributions_collected=int(due * rng.uniform(0.4, 1.0)),
                benefits_paid=int(due * rng.uniform(0.2, 0.9)), operating_expenses=int(due * 0.2),
                subsidies=rng.choice([None, int(due * 0.3)]), other_income=rng.choice([0, 1000]),
                reserves=int(due * rng.uniform(0, 2)), care_episodes=members * rng.randint(0, 3),
                currency="XOF",
            ))
            if len(batch) >= 5000:
                YearlyReturn.objects.bulk_create(batch)
                total += len(batch)
                batch = []
    YearlyReturn.objects.bulk_create(batch)
    return total + len(batch)


class _Counter(io.TextIOBase):
    """A text stream that only counts what is written (the export's output goes nowhere)."""

    def __init__(self):
        self.chars = 0

    def write(self, text):
        self.chars += len(text)
        return len(text)


def bare_pandas(frame):
    """What a researcher would type: the same sums and medians over functional returns by country
    and year, without the contract's details (ALL rows, denominators, empty-cell rules)."""
    from inventory.contract import schema

    functional = frame[frame["status"] == "functional"]
    aggregations = dict.fromkeys(("target_population", "members", "beneficiaries"), "sum")
    aggregations.update(dict.fromkeys(schema.indicator_names(), "median"))
    return functional.groupby(["country", "year"]).agg(aggregations)


def export_csv(limit=None):
    from inventory.models import YearlyReturn
    from inventory.opendata.exports import returns_frames, write_returns_frames_csv

    queryset = YearlyReturn.objects.public()
    if limit:
        queryset = queryset.filter(mutual__pk__lte=limit)
    out = _Counter()
    count = write_returns_frames_csv(returns_frames(queryset), out)
    return count, out.chars


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutuals", type=int, default=20000)
    parser.add_argument("--years", type=int, default=25)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-synthesis-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "dummymail://",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    years = range(2026 - args.years, 2026)
    returns, seconds = timed(populate, args.mutuals, years)
    print(f"inventory: {args.mutuals:,} mutuals × {args.years} years = {returns:,} validated returns "
          f"(built in {seconds:.1f} s, SQLite)")

    from django.core.cache import cache

    from inventory.opendata.synthesis import (
        compute_synthesis,
        mutuals_frame,
        refresh_synthesis,
        returns_frame,
    )

    cache.clear()
    table, full = timed(refresh_synthesis)  # what the worker runs after a change
    frame, read = timed(returns_frame)
    mutuals, read_mutuals = timed(mutuals_frame)
    _table, compute = timed(compute_synthesis, frame, mutuals)
    _bare, bare = timed(bare_pandas, frame)
    print(f"synthesis rows: {len(table):,}")
    print(f"full synthesis recompute (database → frame → synthesis): {full:8.2f} s")
    print(f"  of which reading the returns table into a frame:       {read:8.2f} s")
    print(f"  of which reading the mutuals:                          {read_mutuals:8.2f} s")
    print(f"  of which compute_synthesis on the frame:               {compute:8.2f} s")
    print(f"bare pandas groupby, same sums and medians, same frame:  {bare:8.2f} s")
    del frame, mutuals, _table, _bare

    (count, chars), export_time = timed(export_csv)
    print(f"streamed CSV export, {count:,} returns: {export_time:8.2f} s, {chars / 2**20:,.0f} MB written")
    # Memory of the export alone (Python allocations, traced in a second pass): it must not grow
    # with the inventory.
    for limit in (max(1, args.mutuals // 10), None):
        tracemalloc.start()
        counted, _chars = export_csv(limit)
        _current, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak memory allocated while exporting {counted:,} returns: {traced / 2**20:6.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
