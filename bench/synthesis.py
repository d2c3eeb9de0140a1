"""Synthesis recompute and streamed CSV export on a large synthetic inventory.

Builds a throw-away SQLite database with 20,000 mutuals over 25 years (500,000 validated returns,
a few mutuals closing along the way, one return in ten with another status), then prints, in one run:

- the floor (best of `--rounds`, 3): `pd.read_sql` of the columns the synthesis uses (the ORM's SQL
  of `synthesis.synthesis_returns_query`, on the same connection) and a bare pandas groupby
  computing the same sums and medians on that frame;
- the full synthesis recompute (best of the same rounds, alternating with the floor;
  `refresh_synthesis()`, the worker's, on an empty cache: reading those columns, the indicators, the
  mutuals, the table with its `ALL` rows and denominators) and its ratio to read_sql + groupby
  (goal: ≤ 2); beside it, the wide reader of the returns table (`returns_frame`, the exports' and
  the country pages') that the recompute used before;
- one return validated (`return_validate`, as a focal point does; its un-validation first), then the
  worker's refresh: the synthesis updated in place (`update_synthesis`, goal: < 1 s at 500,000 returns),
  checked equal to a full recompute; and the next read (`current_synthesis`);
- the streamed CSV export of the returns table (`export_inventory --what returns`), and the memory
  it allocates at two inventory sizes (a tenth and all of it: flat, the export streams; `--no-export`
  skips it);
- the process's peak resident memory.

    .venv/bin/python bench/synthesis.py                 # 20,000 mutuals × 25 years
    .venv/bin/python bench/synthesis.py --mutuals 4000  # 100,000 returns
"""

import argparse
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

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


def _indicator_columns(frame):
    """The indicators column-wise on the read_sql frame (the same mutual's previous members
    included), so that the bare groupby has its medians to compute."""
    from inventory.opendata.synthesis import with_indicators

    return {name: values for name, values in with_indicators(frame).items() if name not in frame}


def incremental(before):
    """Un-validate one return, then validate it again: the worker's refresh after each, timed, and
    the result compared with a full recompute."""
    from django.core.cache import cache

    from inventory.contract.choices import ReturnState
    from inventory.models import YearlyReturn
    from inventory.opendata.synthesis import current_synthesis, full_synthesis, refresh_synthesis
    from inventory.returns.services import return_validate
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    ret = YearlyReturn.objects.validated().filter(status="functional").order_by("-year", "pk")[7]
    user = UserFactory(roles=[Role.SECRETARIAT])
    ret.state = ReturnState.SUBMITTED
    ret.save()
    _table, unvalidated = timed(refresh_synthesis)
    _ret, saved = timed(return_validate, ret=ret, user=user)
    table, updated = timed(refresh_synthesis)
    _read, read = timed(current_synthesis)
    same = full_synthesis().equals(table) and before.equals(table)
    print(f"one return un-validated, then the worker's refresh:       {unvalidated:8.2f} s")
    print(f"one return validated ({saved:.2f} s), then the worker's refresh:"
          f" {updated:6.2f} s, goal < 1 s")
    print(f"  then the next read (current_synthesis):                 {read * 1000:8.1f} ms")
    print(f"  the updated table equals a full recompute:              {'yes' if same else 'NO'}")
    cache.clear()


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
    parser.add_argument("--rounds", type=int, default=3, help="best of so many rounds (synthesis)")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export's figures")
    parser.add_argument("--keep", action="store_true", help="keep the database (its directory is printed)")
    parser.add_argument("--reuse", metavar="DIR", help="a directory kept by --keep: its inventory, not built")
    args = parser.parse_args()

    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-synthesis-"))
    try:
        run(args, tmp)
    finally:
        if args.keep or args.reuse:
            print(f"database kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def django_on_sqlite(tmp):
    """Django set up on a throw-away SQLite database in `tmp`, a memory cache and no e-mail."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "dummymail://",
    })
    import django

    django.setup()


def run(args, tmp):
    django_on_sqlite(tmp)
    from django.core.management import call_command

    years = range(2026 - args.years, 2026)
    if args.reuse:
        from inventory.models import Mutual, YearlyReturn

        args.mutuals, returns, seconds = Mutual.objects.count(), YearlyReturn.objects.count(), 0.0
    else:
        call_command("migrate", verbosity=0)
        returns, seconds = timed(populate, args.mutuals, years)
    print(f"inventory: {args.mutuals:,} mutuals × {args.years} years = {returns:,} validated returns "
          f"(built in {seconds:.1f} s, SQLite)")

    from django.core.cache import cache
    from django.db import connection

    from inventory.opendata.synthesis import refresh_synthesis, returns_frame, synthesis_returns_query

    sql, params = synthesis_returns_query().query.sql_with_params()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")  # the sqlite3 module's placeholders (Django's cursor converts them)
    # Best of --rounds, alternating the floor and the recompute (the machine is shared; the first
    # round also warms the database file into the page cache for both).
    read = bare = full = float("inf")
    for _round in range(args.rounds):
        frame, seconds = timed(pd.read_sql, sql, connection.connection, params=params)
        read = min(read, seconds)
        frame.columns = ["mutual_id", "country", "year", "status", *frame.columns[4:]]
        frame = frame.rename(columns=lambda c: c.removeprefix("f_"))
        columns = len(frame.columns)
        frame = frame.assign(**_indicator_columns(frame))
        _bare, seconds = timed(bare_pandas, frame)
        bare = min(bare, seconds)
        del frame, _bare
        cache.clear()
        table, seconds = timed(refresh_synthesis)  # what the worker runs after a change, on an empty cache
        full = min(full, seconds)
    floor = read + bare
    _wide, wide = timed(returns_frame)
    del _wide
    print(f"synthesis rows: {len(table):,}")
    print(f"pd.read_sql of the {columns} columns used (the ORM's SQL):       {read:8.2f} s")
    print(f"bare pandas groupby, same sums and medians, that frame:  {bare:8.2f} s")
    print(f"full synthesis recompute (database → frame → synthesis): {full:8.2f} s"
          f"  = {full / floor:.2f} × (read_sql + groupby), goal ≤ 2")
    print(f"  before: the wide reader of the returns table alone:    {wide:8.2f} s")
    incremental(table)

    if args.no_export:
        print(f"peak resident memory of the whole run: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        return
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
