"""Time and peak memory for refusing (or reading) each crafted upload, through the code the site uses.

Builds each hostile file (tests/crafted_files.py) and hands it to the function its upload reaches:

- the library's check of a proposed file (`portal.core.extraction.check_upload`: form, admin, import_library);
- the inventory's reading of a file (`inventory.contract.reading.read_table`: web import, offline form,
  import_inventory) with the import's row limit.

For each, prints the answer (the message, or the rows read), the seconds it took and the peak of memory
Python allocated meanwhile (a second run under tracemalloc). No database.

    .venv/bin/python bench/uploads.py
"""

import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def _answer(fn) -> str:
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 (what the reader raises is the answer being measured)
        problems = getattr(error, "problems", None)
        return problems[0].reason if problems else f"{type(error).__name__}: {error}"


def measure(label, size, fn):
    """Runs `fn` twice: timed alone, then under tracemalloc for the peak (which slows it)."""
    start = time.perf_counter()
    answer = _answer(fn)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    _answer(fn)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<44} {size / 1024:>7.0f} KB {seconds:>6.2f} s {peak / 1024 / 1024:>6.1f} MB  {answer}")


def main():
    import django

    django.setup()
    from django.utils import translation
    from openpyxl import Workbook

    from inventory.contract import reading
    from portal.core import extraction
    from portal.core.extraction import check_upload
    from portal.core.pdf import pdf_bytes
    from tests.crafted_files import MB, declaring, deflate_bomb, docx_bomb, with_rows

    translation.activate("en")
    book = Workbook()
    book.active.append(["mutual_id", "country", "year", "members"])
    book.active.append(["SN-0001", "SN", 2024, 10])
    out = io.BytesIO()
    book.save(out)
    workbook = out.getvalue()

    def read(data, name="inventory.xlsx"):
        def run():
            header, body = reading.read_table(io.BytesIO(data), name, max_rows=reading.max_rows())
            return f"read: {len(body)} row(s)"
        return run

    def check(name, data):
        def run():
            extraction._last = None  # the twice-run measure must extract twice
            result = check_upload(name, data)
            return "accepted" if result.ok else result.message
        return run

    print(f"{'file':<44} {'on disk':>10} {'time':>8} {'peak':>9}  answer")
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    cases = [
        ("DOCX, document.xml inflating to 200 MB", "bomb.docx", docx_bomb(200 * MB)),
        ("DOCX, document.xml inflating to 1 GB", "bomb.docx", docx_bomb(1024 * MB)),
        ("PDF, a page's stream inflating to 100 MB", "bomb.pdf", pdf_bytes("x", inflate=100 * MB)),
        ("XLSX declaring A1:XFD1048576", "inventory.xlsx", declaring(workbook, "A1:XFD1048576")),
        ("XLSX, sheet followed by 200 MB of blanks", "inventory.xlsx", deflate_bomb(workbook, 200 * MB)),
        ("XLSX, sheet followed by 1.3 GB of blanks", "inventory.xlsx", deflate_bomb(workbook, 1300 * MB)),
        ("XLSX, a value in row 1,048,576", "inventory.xlsx", with_rows(workbook, far)),
        ("CSV, 200,000 blank lines", "inventory.csv", b"mutual_id,year\nSN-0001,2024\n" + b",\n" * 200_000),
    ]
    for label, name, data in cases:
        library = name.endswith((".docx", ".pdf"))
        measure(label, len(data), check(name, data) if library else read(data, name))


if __name__ == "__main__":
    main()
