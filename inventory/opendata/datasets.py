"""Writers of the open datasets: pure functions over rows (dicts keyed by column name) and the
published Table Schemas (`schema.published(table)`). No ORM, no settings: `package.py` feeds them
the database's rows; `live.py` and `releases.py` decide where the files go.

Format decisions, made here once for every download and release:

- CSV: the contract's format (`exports.format_cell`): UTF-8 without BOM, comma-separated, header row
  first, `\\n` line ends, empty cells for missing values, `true`/`false`, plain decimal numbers,
  ISO 8601 datetimes. Rows are written as they come (the returns table a chunk of
  `exports.returns_frames` at a time, column by column: `write_frame`): memory stays flat. A
  text starting like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, carriage return) or with a `'`
  gets a `'` in front, and a text holding a line break is quoted (`portal.core.spreadsheets`, said
  in the codebook); numbers are never altered.
- XLSX: one workbook, one sheet per table (named after it, header row = column names) and a
  `codebook` sheet. openpyxl's write-only mode streams rows to disk; the returns table's sheet,
  written from its frames (`XlsxSheet.write_frame`), gets its rows' XML a chunk of columns at a time
  (`exports.returns_xlsx_rows`: the bytes openpyxl writes for the same rows, without an object per
  cell), kept in a file beside the workbook and put into the sheet on closing. Cells are typed: numbers,
  booleans, datetimes in UTC without a time zone (Excel has none: the cells show `UTC` in their
  number format and the codebook says so), texts as string cells (never a formula, whatever they
  start with; nothing added to them). Every row has every cell: a missing value is an explicit
  empty cell (openpyxl would omit it, and readers such as frictionless then see short rows), and
  each sheet gets its `<dimension>` once written (`add_dimensions`; write-only mode leaves it out).
- Parquet: one file per table, columns typed from the schema (string, int64, float64, bool,
  timestamp[us, UTC]), nulls for missing values, texts included (an empty text is null, as the
  CSV's empty cell and the API's null); the titles in French and English and the description ride
  along as field metadata. Written in row groups of `PARQUET_BATCH` rows (from rows, or from the
  returns table's frames as Arrow arrays: the same file). Texts are as typed:
  Parquet is read by programs, never run by a spreadsheet.
- `datapackage.json`: Frictionless Data Package (v1) listing every file; the tables carry their
  published Table Schemas (titles in English, `title_fr` in French), the workbook one resource per
  sheet (`dialect.excel.sheet`, the same file), so that `frictionless validate` checks every sheet.
- `CITATION.cff`: Citation File Format 1.2.0, written by hand (YAML's double-quoted scalars are
  JSON strings, so every value goes through `json.dumps`).
- Zip: every file under one folder named after the release, entries in a fixed order with a fixed
  timestamp, so the same files always give the same archive; text deflated, XLSX and Parquet (already
  compressed) stored.
"""

import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path

from portal.core.spreadsheets import csv_stream, csv_writer, xlsx_row

from .exports import format_cell, returns_csv_text, returns_xlsx_rows

PARQUET_BATCH = 10_000
STORED = (".xlsx", ".parquet", ".zip")
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".cff": "application/x-yaml",
    ".html": "text/html",
    ".zip": "application/zip",
}


def column_names(table_schema: Mapping) -> list[str]:
    return [f["name"] for f in table_schema["fields"]]


# --- CSV -----------------------------------------------------------------------------------------

def csv_lines(rows: Iterable[Mapping], columns: list[str]) -> Iterator[str]:
    """The header line, then one CSV line per row: what a streamed download sends."""
    records = chain([columns], ([row.get(c) for c in columns] for row in rows))
    return csv_stream(records, format_value=format_cell, lineterminator="\n")


class CsvFile:
    """Rows written one at a time to a CSV file at `path` (`write`, then `close`)."""

    def __init__(self, path: Path, columns: list[str]):
        self.columns, self.count = columns, 0
        self._out = open(path, "w", encoding="utf-8", newline="")  # closed by close()
        self._writer = csv_writer(self._out, format_value=format_cell, lineterminator="\n")
        self._writer.writerow(columns)

    def write(self, row: Mapping) -> None:
        self._writer.writerow([row.get(c) for c in self.columns])
        self.count += 1

    def write_frame(self, frame) -> None:
        """A chunk of the returns table (`exports.returns_frames`), written column-wise: the same
        bytes as its rows through `write`."""
        self._out.write(returns_csv_text(frame[self.columns]))
        self.count += len(frame)

    def close(self) -> int:
        self._out.close()
        return self.count


def write_csv(rows: Iterable[Mapping], columns: list[str], path: Path) -> int:
    """Write `rows` as the contract's CSV at `path`; returns the number of rows."""
    return _drain(rows, CsvFile(path, columns))


def _drain(rows, sink) -> int:
    try:
        for row in rows:
            sink.write(row)
    finally:
        count = sink.close()
    return count


# --- Codebook ------------------------------------------------------------------------------------

def constraints_text(field: Mapping) -> str:
    """A field's constraints in Table Schema's own words: `required; minimum: 0; enum: a | b`."""
    parts = []
    for key, value in field.get("constraints", {}).items():
        if key == "required":
            if value:
                parts.append("required")
        elif key == "enum":
            parts.append("enum: " + " | ".join(str(v) for v in value))
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


CODEBOOK_COLUMNS = ["table", "column", "title_fr", "title_en", "type", "constraints", "description"]


# Said of every datetime column in the codebook: the workbook's cells cannot hold a time zone.
UTC_NOTE = ("Times in UTC (Coordinated Universal Time): the CSV and Parquet files say so in each "
            "value; the workbook's cells, which cannot hold a time zone, are UTC as well.")


def codebook_rows(schemas: Mapping[str, Mapping]) -> list[dict]:
    """One row per column of every table ({table: Table Schema}): `CODEBOOK_COLUMNS`, the
    description in English as published (a datetime's followed by `UTC_NOTE`)."""
    return [
        {
            "table": table,
            "column": f["name"],
            "title_fr": f.get("title_fr", f.get("title", "")),
            "title_en": f.get("title", ""),
            "type": f["type"],
            "constraints": constraints_text(f),
            "description": _description(f),
        }
        for table, table_schema in schemas.items()
        for f in table_schema["fields"]
    ]


def _description(field: Mapping) -> str:
    text = field.get("description", "")
    if field["type"] == "datetime":
        text = f"{text} {UTC_NOTE}".strip()
    return text


# The codebook sheet's own Table Schema: every column a text (its resource in datapackage.json).
CODEBOOK_SCHEMA = {"fields": [{"name": name, "type": "string"} for name in CODEBOOK_COLUMNS]}


# --- XLSX ----------------------------------------------------------------------------------------

# The number format of the workbook's datetimes: the cell holds UTC without a zone, and says so.
XLSX_DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'


def _xlsx_cell(sheet, value):
    """A value of the workbook: a missing one an explicit empty cell (never left out), a datetime
    in UTC without its zone (Excel has none) formatted to show `UTC`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        from openpyxl.cell import WriteOnlyCell

        if value.tzinfo:
            value = value.astimezone(UTC).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    return value


# The rows of a frame written at a time (their cells' XML held meanwhile): memory stays that of the
# frame, whatever its size.
XLSX_SLICE = 1000


class XlsxSheet:
    """A sheet of an `XlsxWorkbook`: its header row, then rows one at a time (`write`, through
    openpyxl: the small tables) or the returns table's chunks (`write_frame`: their XML written
    column-wise to a file beside the workbook, put into the sheet when the workbook is closed)."""

    def __init__(self, sheet, columns: list[str], directory: Path):
        self._sheet, self.columns, self.count = sheet, columns, 0
        self._directory, self.rows_file = directory, None  # the XML of the frames' rows
        sheet.append(xlsx_row(sheet, columns))

    def write(self, row: Mapping) -> None:
        if self.rows_file is not None:
            raise ValueError("rows and frames written to one sheet")
        self._sheet.append(xlsx_row(self._sheet, [_xlsx_cell(self._sheet, row.get(c)) for c in self.columns]))
        self.count += 1

    def write_frame(self, frame) -> None:
        """A chunk of the returns table (`exports.returns_frames`): its rows' XML written a column at
        a time (`exports.returns_xlsx_rows`), the cells `write` would give its rows."""
        if self.rows_file is None:
            if self.count:
                raise ValueError("rows and frames written to one sheet")
            self.rows_file = tempfile.TemporaryFile(  # closed by the workbook
                "w+", encoding="utf-8", newline="", dir=self._directory, prefix=".xlsx-rows-")
        frame = frame[self.columns]
        for start in range(0, len(frame), XLSX_SLICE):
            part = frame.iloc[start:start + XLSX_SLICE]
            self.rows_file.writelines(returns_xlsx_rows(part, self.count + 2, self._date_style))
            self.count += len(part)

    def _date_style(self) -> int:
        """The style of the datetimes' cells (`XLSX_DATETIME_FORMAT`), made in the workbook as a
        datetime written by `write` makes it."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, datetime(2000, 1, 1))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell.style_id

    def close(self) -> int:
        return self.count


class XlsxWorkbook:
    """A write-only workbook: `sheet(name, table_schema)` per table, rows written one at a time
    (or in frames), then `close(schemas)` adds the `codebook` sheet, saves, and gives every sheet
    its dimension and its frames' rows."""

    def __init__(self, path: Path):
        from openpyxl import Workbook

        self.path, self._book = Path(path), Workbook(write_only=True)
        self._sheets: list[XlsxSheet] = []

    def sheet(self, name: str, table_schema: Mapping) -> XlsxSheet:
        sheet = XlsxSheet(self._book.create_sheet(name), column_names(table_schema), self.path.parent)
        self._sheets.append(sheet)
        return sheet

    def close(self, schemas: Mapping[str, Mapping]) -> None:
        codebook = self.sheet("codebook", CODEBOOK_SCHEMA)
        for entry in codebook_rows(schemas):
            codebook.write(entry)
        self._book.save(self.path)
        try:
            # Header row + data rows, and the columns: in the order the sheets were made (sheet1.xml…).
            add_dimensions(self.path, [(len(s.columns), s.count + 1) for s in self._sheets],
                           {n: s.rows_file for n, s in enumerate(self._sheets, start=1) if s.rows_file})
        finally:
            for sheet in self._sheets:
                if sheet.rows_file:
                    sheet.rows_file.close()


def add_dimensions(path: Path, sizes: list[tuple[int, int]], rows: Mapping | None = None) -> None:
    """Give the worksheets of the workbook at `path` their `<dimension ref="A1:…"/>`: `sizes` is
    [(columns, rows)] of xl/worksheets/sheet1.xml, sheet2.xml… openpyxl's write-only mode writes a
    sheet's head before its rows, so leaves it out; readers then guess the size from the rows. The
    workbook is copied entry by entry, each sheet streamed with the element inserted before the
    first element that must follow it: memory stays flat however long the sheets. `rows` {sheet
    number: text file (UTF-8) of `<row>` elements}: put at the end of that sheet's `<sheetData>`."""
    from openpyxl.utils import get_column_letter

    rows = rows or {}
    refs = {f"xl/worksheets/sheet{n}.xml": f"A1:{get_column_letter(columns)}{count}"
            for n, (columns, count) in enumerate(sizes, start=1)}
    spliced = {f"xl/worksheets/sheet{n}.xml": file for n, file in rows.items()}
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with source.open(info) as src, target.open(info, "w", force_zip64=True) as dst:
                if info.filename not in refs:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                    continue
                head = src.read(64 * 1024)
                match = _AFTER_DIMENSION.search(head)
                if not match or b"<dimension" in head[:match.start()]:
                    raise ValueError(f"{info.filename}: no place for a dimension")
                element = f'<dimension ref="{refs[info.filename]}" />'.encode()
                dst.write(head[:match.start()] + element)
                if info.filename in spliced:
                    # openpyxl wrote the header row alone: the frames' rows go after it.
                    head += src.read()
                    end = head.index(b"</sheetData>")
                    dst.write(head[match.start():end])
                    rows_file = spliced[info.filename]
                    rows_file.flush()
                    rows_file.seek(0)
                    shutil.copyfileobj(rows_file.buffer, dst, 1024 * 1024)
                    dst.write(head[end:])
                    continue
                dst.write(head[match.start():])
                shutil.copyfileobj(src, dst, 1024 * 1024)
    tmp.replace(path)


# The elements a worksheet's <dimension> comes before (ECMA-376's CT_Worksheet order).
_AFTER_DIMENSION = re.compile(rb"<(sheetViews|sheetFormatPr|cols|sheetData)[\s/>]")


def write_xlsx(tables: Mapping[str, tuple[Mapping, Iterable[Mapping]]], path: Path) -> dict[str, int]:
    """One workbook at `path`: a sheet per table ({name: (table_schema, rows)}) and `codebook`.

    Returns the number of rows written per table.
    """
    book = XlsxWorkbook(path)
    counts = {name: _drain(rows, book.sheet(name, table_schema))
              for name, (table_schema, rows) in tables.items()}
    book.close({name: table_schema for name, (table_schema, _rows) in tables.items()})
    return counts


# --- Parquet -------------------------------------------------------------------------------------

def arrow_schema(table_schema: Mapping):
    """The Arrow schema of a Table Schema: typed columns, titles and description as metadata."""
    import pyarrow as pa

    types = {
        "string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
        "datetime": pa.timestamp("us", tz="UTC"), "date": pa.date32(), "year": pa.int64(),
    }
    fields = []
    for f in table_schema["fields"]:
        metadata = {k: f[k] for k in ("title", "title_fr", "description") if f.get(k)}
        fields.append(pa.field(f["name"], types[f["type"]], nullable=True, metadata=metadata))
    return pa.schema(fields)


class ParquetFile:
    """Rows written to a Parquet file typed by `table_schema`, one row group per `PARQUET_BATCH`
    rows (kept column by column until then: a batch's values, not its row dicts)."""

    def __init__(self, path: Path, table_schema: Mapping):
        import pyarrow.parquet as pq

        self.schema = arrow_schema(table_schema)
        self._texts = {f["name"] for f in table_schema["fields"] if f["type"] == "string"}
        self.count, self._pending = 0, 0
        self._columns = {name: [] for name in self.schema.names}
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self._frames, self._framed = [], 0  # Arrow tables from `write_frame`, not yet written

    def write(self, row: Mapping) -> None:
        for name, values in self._columns.items():
            value = row.get(name)
            # An empty text is a missing one, as in the CSV (an empty cell) and the API (null).
            values.append(None if value == "" and name in self._texts else value)
        self._pending += 1
        if self._pending >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self._writer.write_table(pa.Table.from_pydict(self._columns, schema=self.schema))
        self.count += self._pending
        self._pending = 0
        self._columns = {name: [] for name in self.schema.names}

    def write_frame(self, frame) -> None:
        """A chunk of the returns table (`exports.returns_frames`) converted column by column to
        Arrow, in row groups of `PARQUET_BATCH` rows as `write` makes them (so the same file)."""
        import pyarrow as pa

        if self._pending:
            raise ValueError("rows and frames written to one Parquet file")
        arrays = []
        for field in self.schema:
            values = frame[field.name]
            if field.name in self._texts:
                values = values.where(values != "", None)
            if pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
                values = values.astype(float) if values.dtype == object else values
            arrays.append(pa.array(values.to_numpy(), type=field.type, from_pandas=True))
        self._frames.append(pa.Table.from_arrays(arrays, schema=self.schema))
        self._framed += len(frame)
        while self._framed >= PARQUET_BATCH:
            self._write_framed(PARQUET_BATCH)

    def _write_framed(self, size: int) -> None:
        import pyarrow as pa

        table = pa.concat_tables(self._frames)
        self._writer.write_table(table.slice(0, size))
        self._frames = [table.slice(size)]
        self._framed -= size
        self.count += size

    def close(self) -> int:
        if self._framed:
            self._write_framed(self._framed)
        if self._pending or self.count == 0:
            self._flush()
        self._writer.close()
        return self.count


def write_parquet(rows: Iterable[Mapping], table_schema: Mapping, path: Path) -> int:
    """Write `rows` as a Parquet file typed by `table_schema`; returns the number of rows."""
    return _drain(rows, ParquetFile(path, table_schema))


# --- Data package, citation ------------------------------------------------------------------------

def table_resource(name: str, path: str, table_schema: Mapping, *, title: str, title_fr: str,
                   description: str = "") -> dict:
    """A tabular resource of the data package: a CSV file with its Table Schema."""
    resource = {
        "name": name, "path": path, "profile": "tabular-data-resource",
        "title": title, "title_fr": title_fr,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True, "doubleQuote": True},
        "schema": dict(table_schema),
    }
    if description:
        resource["description"] = description
    return resource


def sheet_resource(name: str, path: str, sheet: str, table_schema: Mapping, *, title: str,
                   title_fr: str) -> dict:
    """A sheet of the workbook as a tabular resource: the file, its sheet (Table Dialect v2's
    `sheetName`, and `excel.sheet` as frictionless 5 reads it) and the sheet's Table Schema."""
    return {
        "name": name, "path": path, "profile": "tabular-data-resource",
        "title": title, "title_fr": title_fr,
        "format": "xlsx", "mediatype": MEDIA_TYPES[".xlsx"],
        "dialect": {"header": True, "sheetName": sheet, "excel": {"sheet": sheet}},
        "schema": dict(table_schema),
    }


def file_resource(name: str, path: str, *, title: str, title_fr: str, table_schema: Mapping | None = None,
                  description: str = "") -> dict:
    """Any other file of the package (Parquet, XLSX, citation, codebook)."""
    suffix = Path(path).suffix
    resource = {
        "name": name, "path": path, "profile": "data-resource", "title": title, "title_fr": title_fr,
        "format": suffix.lstrip("."), "mediatype": MEDIA_TYPES.get(suffix, "application/octet-stream"),
    }
    if table_schema is not None:
        resource["schema"] = dict(table_schema)
    if description:
        resource["description"] = description
    return resource


def datapackage(*, name: str, title: str, title_fr: str, version: str | None, created: datetime,
                homepage: str, author: str, description: str, resources: list[dict],
                checksums: Mapping[str, tuple[str, int]] | None = None) -> dict:
    """A Frictionless Data Package descriptor. `checksums` {path: (sha256, bytes)}, when the files
    are final, adds each resource's `hash` and `bytes`."""
    checksums = checksums or {}
    listed = []
    for resource in resources:
        resource = dict(resource)
        if resource["path"] in checksums:
            sha256, size = checksums[resource["path"]]
            resource["hash"] = f"sha256:{sha256}"
            resource["bytes"] = size
        listed.append(resource)
    package = {
        "profile": "data-package",
        "name": name,
        "title": title,
        "title_fr": title_fr,
        "description": description,
        "homepage": homepage,
        "created": created.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [LICENSE],
        "contributors": [{"title": author, "role": "author"}],
        "resources": listed,
    }
    if version:
        package["version"] = version
    return package


def citation_cff(*, title: str, version: str | None, released: date, url: str, author: str,
                 abstract: str, message: str, keywords: Iterable[str] = ()) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for a dataset."""
    q = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    lines = [
        "cff-version: 1.2.0",
        f"message: {q(message)}",
        "type: dataset",
        f"title: {q(title)}",
    ]
    if version:
        lines.append(f"version: {q(version)}")
    lines += [
        f"date-released: {released.isoformat()}",
        f"url: {q(url)}",
        f"license: {LICENSE['name']}",
        "authors:",
        f"  - name: {q(author)}",
        f"abstract: {q(abstract)}",
    ]
    keywords = list(keywords)
    if keywords:
        lines += ["keywords:", *(f"  - {q(k)}" for k in keywords)]
    return "\n".join(lines) + "\n"


# --- Zip -----------------------------------------------------------------------------------------

def write_zip(files: Iterable[tuple[str, Path]], path: Path, *, folder: str, timestamp: datetime) -> None:
    """A zip of `files` ([(name in the archive, path on disk)]) under `folder/`, in the given order,
    every entry dated `timestamp`: the same files give the same bytes."""
    stamp = timestamp.astimezone(UTC).timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, source in files:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            # Workbooks and Parquet files are compressed already: stored as they are.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(source, "rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
