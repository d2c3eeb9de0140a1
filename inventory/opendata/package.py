"""The files of a data set, built from the public inventory as it is: the table files (CSV, Parquet,
the workbook's sheets), then the codebook, `CITATION.cff`, `datapackage.json` with every file's
checksum, and the zip of everything.

One pass over the public returns table (`exports.returns_frames`, a chunk of columns at a time) feeds
the CSV, the Parquet file and the workbook's sheet at once, so the formats cannot disagree. The
current data (`live.py`) and the frozen releases (`releases.py`) are both made here, in the worker,
never in a request.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.template.loader import render_to_string

from ..contract import schema
from . import datasets
from .exports import returns_frames
from .synthesis import refresh_synthesis, synthesis_rows

AUTHOR = ("Concertation entre les acteurs du développement des mutuelles de santé en Afrique de l'Ouest "
          "et du Centre")
AUTHOR_SHORT = "Concertation"
LICENSE_LABEL = "CC BY 4.0"
LICENSE_URL = datasets.LICENSE["path"]

# The files of a data set, in the order of the zip and of the pages.
TABLE_FILES = ["returns.csv", "synthesis.csv", "returns.parquet", "synthesis.parquet", "inventory.xlsx"]
ZIP_NAME = "inventory.zip"
FILES = [*TABLE_FILES, "codebook.html", "CITATION.cff", "datapackage.json", ZIP_NAME]

# Published descriptions are data, frozen in the files: both languages written here, not translated.
DESCRIPTION = (
    "Self-reported inventory of mutual health organizations in West and Central Africa, kept by the "
    "Concertation's portal: the returns table (one row per mutual and reporting year, figures "
    "validated by the country's focal point, with computed indicators and money in EUR where a rate "
    "is known) and the synthesis table by country and year. / Inventaire déclaratif des mutuelles de "
    "santé d'Afrique de l'Ouest et du Centre tenu par le portail de la Concertation : la table des "
    "fiches (une ligne par mutuelle et année, chiffres validés par le point focal du pays, avec les "
    "indicateurs calculés et les montants en EUR quand un taux est connu) et la synthèse par pays et année."
)
# The current data's title (a release's is its name).
LIVE_TITLES = {
    "en": "Inventory of mutual health organizations: current data",
    "fr": "Inventaire des mutuelles de santé : données courantes",
}
KEYWORDS = ("mutual health organizations", "mutuelles de santé", "community-based health insurance",
            "West Africa", "Central Africa")
CITE_MESSAGE = ("If you use these data, cite them as below (licence CC BY 4.0). / Si vous utilisez ces "
                "données, citez-les comme ci-dessous (licence CC BY 4.0).")
RESOURCES = {
    "returns.csv": ("returns", "Returns: one row per mutual and reporting year",
                    "Fiches : une ligne par mutuelle et année de référence"),
    "synthesis.csv": ("synthesis", "Synthesis by country and year", "Synthèse par pays et année"),
    "returns.parquet": ("returns-parquet", "Returns (Parquet, typed columns)",
                        "Fiches (Parquet, colonnes typées)"),
    "synthesis.parquet": ("synthesis-parquet", "Synthesis (Parquet, typed columns)",
                          "Synthèse (Parquet, colonnes typées)"),
    "inventory.xlsx": ("workbook", "Workbook: returns, synthesis and codebook sheets",
                       "Classeur : feuilles returns, synthesis et codebook"),
    # The workbook's sheets, one resource each (the same file), so that validators check them all.
    "inventory.xlsx#returns": ("workbook-returns",
                               "Workbook, sheet returns: one row per mutual and reporting year",
                               "Classeur, feuille returns : une ligne par mutuelle et année de référence"),
    "inventory.xlsx#synthesis": ("workbook-synthesis", "Workbook, sheet synthesis: by country and year",
                                 "Classeur, feuille synthesis : par pays et année"),
    "inventory.xlsx#codebook": ("workbook-codebook",
                                "Workbook, sheet codebook: every column in French and English",
                                "Classeur, feuille codebook : chaque colonne en français et en anglais"),
    "codebook.html": ("codebook", "Codebook: every column in French and English",
                      "Dictionnaire des données : chaque colonne en français et en anglais"),
    "CITATION.cff": ("citation", "How to cite these data (Citation File Format)",
                     "Comment citer ces données (Citation File Format)"),
}

@dataclass(frozen=True)
class DatasetMeta:
    """What the files say about themselves."""

    name: str  # the data package's name, e.g. inventaire-2025
    title: str
    title_fr: str
    version: str | None
    created: datetime
    url: str  # the page researchers should cite
    folder: str  # the zip's top folder


@dataclass
class Built:
    directory: Path
    checksums: dict[str, tuple[str, int]] = field(default_factory=dict)  # filename -> (sha256, size)
    returns_count: int = 0
    synthesis_count: int = 0


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def build_files(directory: Path, meta: DatasetMeta) -> Built:
    """Write every file of a data set (`FILES`) into `directory` from the public inventory as it is."""
    return build_package(directory, meta, build_tables(directory))


def build_tables(directory: Path) -> tuple[int, int]:
    """The table files (`TABLE_FILES`) of the public inventory as it is, into `directory`: one pass
    over the returns feeds the CSV, the Parquet file and the workbook's sheet at once, so the three
    cannot disagree. Returns (returns rows, synthesis rows)."""
    directory = Path(directory)
    returns_schema, synthesis_schema = schema.published("returns"), schema.published("synthesis")
    book = datasets.XlsxWorkbook(directory / "inventory.xlsx")
    sinks = [
        datasets.CsvFile(directory / "returns.csv", datasets.column_names(returns_schema)),
        datasets.ParquetFile(directory / "returns.parquet", returns_schema),
        book.sheet("returns", returns_schema),
    ]
    for frame in returns_frames():
        for sink in sinks:
            sink.write_frame(frame)
    returns_count = min(sink.close() for sink in sinks)

    synthesis = list(synthesis_rows(refresh_synthesis()))
    sinks = [
        datasets.CsvFile(directory / "synthesis.csv", datasets.column_names(synthesis_schema)),
        datasets.ParquetFile(directory / "synthesis.parquet", synthesis_schema),
        book.sheet("synthesis", synthesis_schema),
    ]
    for row in synthesis:
        for sink in sinks:
            sink.write(row)
    synthesis_count = min(sink.close() for sink in sinks)
    book.close({"returns": returns_schema, "synthesis": synthesis_schema})
    return returns_count, synthesis_count


def build_package(directory: Path, meta: DatasetMeta, counts: tuple[int, int]) -> Built:
    """Beside the table files in `directory`: the codebook, CITATION.cff and datapackage.json that
    describe them as `meta` says, then the zip of everything. Returns every file's checksum."""
    directory = Path(directory)
    built = Built(directory, returns_count=counts[0], synthesis_count=counts[1])
    schemas = {"returns": schema.published("returns"), "synthesis": schema.published("synthesis")}
    (directory / "codebook.html").write_text(codebook_html(meta), encoding="utf-8")
    (directory / "CITATION.cff").write_text(datasets.citation_cff(
        title=meta.title, version=meta.version, released=meta.created.date(), url=meta.url,
        author=AUTHOR, abstract=DESCRIPTION, message=CITE_MESSAGE, keywords=KEYWORDS,
    ), encoding="utf-8")
    for filename in FILES[:-2]:
        built.checksums[filename] = sha256_of(directory / filename)
    package = datasets.datapackage(
        name=meta.name, title=meta.title, title_fr=meta.title_fr, version=meta.version,
        created=meta.created, homepage=meta.url, author=AUTHOR, description=DESCRIPTION,
        resources=_resources(schemas), checksums=built.checksums,
    )
    (directory / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    built.checksums["datapackage.json"] = sha256_of(directory / "datapackage.json")
    datasets.write_zip(
        [(name, directory / name) for name in FILES[:-1]], directory / ZIP_NAME,
        folder=meta.folder, timestamp=meta.created,
    )
    built.checksums[ZIP_NAME] = sha256_of(directory / ZIP_NAME)
    return built


def _resources(schemas: dict) -> list[dict]:
    resources = []
    for filename in FILES[:-2]:
        name, title, title_fr = RESOURCES[filename]
        table = filename.split(".")[0]
        if filename.endswith(".csv"):
            resources.append(datasets.table_resource(
                name, filename, schemas[table], title=title, title_fr=title_fr,
                description=schemas[table].get("description", ""),
            ))
        elif filename.endswith(".xlsx"):
            for sheet, sheet_schema in [*schemas.items(), ("codebook", datasets.CODEBOOK_SCHEMA)]:
                name, title, title_fr = RESOURCES[f"{filename}#{sheet}"]
                resources.append(datasets.sheet_resource(
                    name, filename, sheet, sheet_schema, title=title, title_fr=title_fr,
                ))
        else:
            resources.append(datasets.file_resource(
                name, filename, title=title, title_fr=title_fr,
                table_schema=schemas[table] if filename.endswith(".parquet") else None,
            ))
    return resources


def codebook_html(meta: DatasetMeta) -> str:
    """The codebook as a standalone bilingual HTML file (no stylesheet, no script)."""
    return render_to_string("inventory/datasets_codebook_file.html", {
        "meta": meta, "tables": codebook_tables(), "author": AUTHOR,
    })


def codebook_tables() -> list[tuple[str, str, list[dict]]]:
    """[(table, its description, its codebook rows)] for the published tables."""
    tables = []
    for table in ("returns", "synthesis"):
        published = schema.published(table)
        tables.append((table, published.get("description", ""), datasets.codebook_rows({table: published})))
    return tables


def absolute_url(path: str) -> str:
    """`path` on the public address (SITE_URL): datapackage.json, CITATION.cff and release pages."""
    from portal.site_url import public_url

    return public_url(path)

