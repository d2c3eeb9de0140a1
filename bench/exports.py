"""The streamed CSV export of the returns table beside pandas' `to_csv` of the same rows.

On a throw-away SQLite inventory (the synthesis benchmark's generator: every mutual reports every
year), prints, in one run:

- the streamed CSV export (`export_inventory --what returns`: `exports.returns_frames` read from the
  database a chunk at a time, `returns_csv_text` writing each chunk column-wise), and of it the
  reading into frames alone;
- pandas' `DataFrame.to_csv` of the same rows (the 69 published columns, the whole table in one frame
  already in memory, no formula neutralisation, pandas' own number formats): the floor;
- the ratio of their throughputs (the goal of issue 16: the export ≥ 0.5 × `to_csv`);
- the row-by-row writer it replaced (`returns_rows` + `write_returns_csv`), unless `--no-rows`;
- the Python memory the export allocates at two inventory sizes (a tenth and all of it: flat,
  the export holds one chunk at a time), and the process's peak resident memory;
- the workbook's returns sheet (`XlsxWorkbook`, `XlsxSheet.write_frame`: each chunk's XML written
  column-wise), beside the writer it replaced (openpyxl's write-only sheet, a row of Python values
  at a time: kept here as `old_xlsx_book`, the reference) and pandas' `to_excel` (openpyxl engine)
  of the same frame, unless `--no-to-excel`; their ratios, the Python memory of the new writer at
  the two sizes and the peak resident memory before `to_excel` (whose workbook lives in memory).

    .venv/bin/python bench/exports.py                  # 4,000 mutuals × 25 years (100,000 returns)
    .venv/bin/python bench/exports.py --mutuals 20000  # 500,000 returns
"""

import argparse
import functools
import importlib.util
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@functools.cache
def _synthesis_bench():
    """bench/synthesis.py as a module: its synthetic inventory (`populate`) and its counting stream."""
    spec = importlib.util.spec_from_file_location("bench_synthesis", ROOT / "bench" / "synthesis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def counting_stream():
    """bench/synthesis.py's text stream that only counts what is written (the output goes nowhere)."""
    return _synthesis_bench()._Counter()


def _populate():
    return _synthesis_bench().populate


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def queryset(limit=None):
    from inventory.models import YearlyReturn

    public = YearlyReturn.objects.public()
    return public.filter(mutual__pk__lte=limit) if limit else public


def export_frames(limit=None):
    from inventory.opendata.exports import returns_frames, write_returns_frames_csv

    out = counting_stream()
    return write_returns_frames_csv(returns_frames(queryset(limit)), out), out.chars


def export_rows():
    from inventory.opendata.exports import returns_rows, write_returns_csv

    out = counting_stream()
    return write_returns_csv(returns_rows(queryset()), out), out.chars


def export_xlsx(directory: Path, limit=None, old=False) -> int:
    """The returns sheet of the workbook (then its codebook), from the frames: the new writer, or
    the old one (`old_xlsx_book`)."""
    from inventory.contract import schema
    from inventory.opendata import datasets
    from inventory.opendata.exports import returns_frames

    published = schema.published("returns")
    book = (old_xlsx_book if old else datasets.XlsxWorkbook)(directory / "inventory.xlsx")
    sheet = book.sheet("returns", published)
    for frame in returns_frames(queryset(limit)):
        sheet.write_frame(frame)
    book.close({"returns": published})
    return sheet.count


def old_xlsx_book(path: Path):
    """The workbook writer as it was before the returns sheet was written as XML: each chunk's rows
    as Python values (`python_columns`, as it was) appended to openpyxl's write-only sheet."""
    import numpy as np

    from inventory.opendata import datasets
    from inventory.opendata.exports import DECIMAL, INTEGER, RATIO, column_kinds
    from portal.core.spreadsheets import xlsx_row

    def python_columns(frame):
        kinds, columns = column_kinds(), []
        for name in frame.columns:
            kind, column = kinds[name], frame[name]
            if column.dtype != object and kind in (INTEGER, DECIMAL, RATIO):
                numbers = column.to_numpy(dtype=float)
                missing = np.isnan(numbers)
                whole = ~missing & (np.floor(numbers) == numbers) & (np.abs(numbers) < 2**53)
                if kind == INTEGER or (kind == DECIMAL and whole.all()):
                    values = np.where(missing, 0, numbers).astype(np.int64).astype(object)
                else:
                    values = numbers.astype(object)
                    if kind == DECIMAL:
                        values[whole] = numbers[whole].astype(np.int64).astype(object)
                values[missing] = None
                columns.append(values.tolist())
            else:
                columns.append([None if v is None or v != v else v for v in column.tolist()])
        return columns

    class OldSheet(datasets.XlsxSheet):
        def write_frame(self, frame):
            sheet = self._sheet
            for values in zip(*python_columns(frame[self.columns]), strict=True):
                sheet.append(xlsx_row(sheet, [datasets._xlsx_cell(sheet, v) for v in values]))
            self.count += len(frame)

    class OldBook(datasets.XlsxWorkbook):
        def sheet(self, name, table_schema):
            columns = datasets.column_names(table_schema)
            sheet = OldSheet(self._book.create_sheet(name), columns, self.path.parent)
            self._sheets.append(sheet)
            return sheet

    return OldBook(path)


def read_frames():
    import pandas as pd

    from inventory.opendata.exports import returns_frames

    return pd.concat(returns_frames(queryset()), ignore_index=True)


def csv_figures(args):
    frame, read = timed(read_frames)
    out = counting_stream()
    _none, pandas_seconds = timed(frame.to_csv, out)
    pandas_chars = out.chars
    del frame
    (count, chars), export = timed(export_frames)
    from inventory.contract.schema import published_column_names

    print(f"rows: {count:,}, {len(published_column_names())} columns")
    print(f"streamed CSV export (database → chunks of frames → CSV): {export:7.2f} s  "
          f"{count / export:9,.0f} rows/s  {chars / 2**20:6.0f} MB")
    print(f"  of which reading the table into frames:                {read:7.2f} s")
    print(f"pandas to_csv of the same rows, frame in memory:         {pandas_seconds:7.2f} s  "
          f"{count / pandas_seconds:9,.0f} rows/s  {pandas_chars / 2**20:6.0f} MB")
    print(f"export throughput / to_csv throughput:                   {pandas_seconds / export:7.2f} ×"
          f"   (goal ≥ 0.5)")
    if not args.no_rows:
        (_count, _chars), rows = timed(export_rows)
        print(f"row-by-row writer (returns_rows + write_returns_csv):     {rows:7.2f} s  "
              f"{count / rows:9,.0f} rows/s  ({pandas_seconds / rows:.2f} × to_csv)")
    for limit in (max(1, args.mutuals // 10), None):
        tracemalloc.start()
        counted, _chars = export_frames(limit)
        _current, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python memory allocated while exporting {counted:,} returns: {traced / 2**20:6.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run (the to_csv frame included): {peak:,.0f} MB")


def xlsx_figures(args, tmp: Path):
    """The workbook's returns sheet: the new writer, the old one, pandas' to_excel; memory."""
    import pandas as pd

    from inventory.contract.schema import published_column_names

    for limit in (max(1, args.mutuals // 10), None):
        part = tmp / f"xlsx-{limit}"
        part.mkdir()
        tracemalloc.start()
        counted = export_xlsx(part, limit)
        _current, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python memory allocated while writing the workbook of {counted:,} returns: "
              f"{traced / 2**20:6.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory so far (no frame of the whole table held): {peak:,.0f} MB")
    (tmp / "new").mkdir()
    count, new = timed(export_xlsx, tmp / "new")
    size = (tmp / "new" / "inventory.xlsx").stat().st_size
    print(f"rows: {count:,}, {len(published_column_names())} columns")
    print(f"XLSX workbook, returns sheet as XML (database → frames → XML → zip): {new:7.2f} s  "
          f"{count / new:9,.0f} rows/s  {size / 2**20:6.1f} MB")
    if not args.no_old:
        (tmp / "old").mkdir()
        _count, old = timed(export_xlsx, tmp / "old", None, True)
        print(f"old writer (frames → Python values → openpyxl write-only):      {old:7.2f} s  "
              f"{count / old:9,.0f} rows/s   new / old throughput: {old / new:5.1f} ×")
    if not args.no_to_excel:
        frame, read = timed(read_frames)
        # Excel holds no time zone (pandas refuses aware datetimes): UTC without its zone, as the workbook.
        frame["last_updated"] = pd.to_datetime(frame["last_updated"], utc=True).dt.tz_localize(None)
        to_excel = functools.partial(frame.to_excel, sheet_name="returns", index=False, engine="openpyxl")
        _none, excel = timed(to_excel, tmp / "pandas.xlsx")
        print(f"pandas to_excel (openpyxl) of the same rows, frame in memory: {excel:7.2f} s  "
              f"{count / excel:9,.0f} rows/s   new / to_excel throughput: {excel / new:5.1f} ×")
        print(f"  (reading the table into that frame: {read:.2f} s)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of the whole run (to_excel's workbook included): {peak:,.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutuals", type=int, default=4000)
    parser.add_argument("--years", type=int, default=25)
    parser.add_argument("--no-rows", action="store_true", help="skip the row-by-row writer (slow)")
    parser.add_argument("--no-csv", action="store_true", help="the workbook's figures only")
    parser.add_argument("--no-old", action="store_true", help="skip the old workbook writer (slow)")
    parser.add_argument("--no-to-excel", action="store_true", help="skip pandas' to_excel (slow, in memory)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    _synthesis_bench().django_on_sqlite(tmp)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    returns, seconds = timed(_populate(), args.mutuals, range(2026 - args.years, 2026))
    print(f"inventory: {args.mutuals:,} mutuals × {args.years} years = {returns:,} validated returns "
          f"(built in {seconds:.1f} s, SQLite)")

    if not args.no_csv:
        csv_figures(args)
    xlsx_figures(args, tmp)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
