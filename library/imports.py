"""`import_library`: resources from a CSV file, all or nothing.

Format: UTF-8 (a BOM is accepted), comma-separated, a header row with exactly the columns of
`COLUMNS` in any order; several values in one cell separated by `;`. Rows are matched on `ref`: an
existing resource is updated, a new one created in its language's tree (English resources in the
English tree, French and Portuguese ones in the French tree) and published.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model

from portal.core import audit
from portal.core.extraction import check_size, check_upload
from portal.core.pages import child_slug
from portal.reference.models import Country, Language, Theme

from .models import ProjectProfilePage, ResourcePage, ResourceType, split_values, validate_year
from .services import RESERVED_SLUGS, library_index_get_or_create

COLUMNS = [
    "ref", "title", "summary", "resource_type", "themes", "countries", "language", "year", "authors",
    "publisher", "url", "file",
]
REQUIRED = ["ref", "title", "resource_type", "language"]
MAX_LENGTHS = {"ref": 80, "title": 255, "publisher": 255, "url": 500}


@dataclass(frozen=True)
class RowError:
    row: int  # line of the file (the header is line 1)
    column: str
    value: str
    reason: str

    def __str__(self):
        return f"line {self.row}, column {self.column!r}, value {self.value[:80]!r}: {self.reason}"


class LibraryImportError(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    new_themes: list = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict
    themes: list
    countries: list
    year: int | None
    file_name: str = ""
    file_data: bytes | None = None


def _read_rows(path: Path, errors: list) -> list[tuple[int, dict]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        errors.append(RowError(0, "", str(path), f"the file cannot be read ({error.strerror})"))
        return []
    except UnicodeDecodeError:
        errors.append(RowError(0, "", str(path), "the file is not UTF-8 text"))
        return []
    reader = csv.DictReader(text.splitlines(), restval="", restkey="__extra__")
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    for name in header:
        if name not in COLUMNS:
            errors.append(RowError(1, name, name, "unknown column"))
    for name in COLUMNS:
        if name not in header:
            errors.append(RowError(1, name, "", "missing column"))
    if errors:
        return []
    rows = []
    for line, record in enumerate(reader, start=2):
        if "__extra__" in record:
            errors.append(RowError(line, "", ",".join(record["__extra__"]), "more cells than columns"))
            continue
        if not any((value or "").strip() for value in record.values()):
            continue  # a blank line
        rows.append((line, {name: (record.get(name) or "").strip() for name in COLUMNS}))
    if not rows and not errors:
        errors.append(RowError(0, "", str(path), "the file holds no resource"))
    return rows


def _check_row(line, values, base: Path, errors, seen_refs, countries, themes_by_key) -> _Row:
    def error(column, reason, value=None):
        errors.append(RowError(line, column, values[column] if value is None else value, reason))

    for column in REQUIRED:
        if not values[column]:
            error(column, "required")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            error(column, f"longer than {limit} characters")
    ref = values["ref"]
    if ref:
        if ref in seen_refs:
            error("ref", f"the same ref is on line {seen_refs[ref]}")
        seen_refs.setdefault(ref, line)
        if ProjectProfilePage.objects.filter(ref=ref).exists():
            error("ref", "a project profile has this ref")
    if values["resource_type"] and values["resource_type"] not in ResourceType.values:
        error("resource_type", "unknown type (one of: " + ", ".join(ResourceType.values) + ")")
    if values["language"] and values["language"] not in Language.values:
        error("language", "unknown language (one of: " + ", ".join(Language.values) + ")")
    year = None
    if values["year"]:
        try:
            year = int(values["year"])
            validate_year(year)
        except ValueError:
            error("year", "not a year")
        except ValidationError as problem:
            error("year", " ".join(str(message) for message in problem.messages))
    row_countries = []
    for code in split_values(values["countries"]):
        if code.upper() not in countries:
            error("countries", "unknown country code (ISO alpha-2, e.g. SN)", code)
        else:
            row_countries.append(code.upper())
    row_themes = []
    for name in split_values(values["themes"]):
        key = slugify(name)[:80]
        if not key:
            error("themes", "a theme needs letters or digits", name)
            continue
        themes_by_key.setdefault(themes_by_key.get(name.casefold(), key), name)
        row_themes.append(themes_by_key.get(name.casefold(), key))
    if values["url"]:
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError:
            error("url", "not an http(s) address")
    row = _Row(line, values, row_themes, row_countries, year)
    if values["file"]:
        path = (base / values["file"]).resolve()
        size = check_size(path.stat().st_size) if path.is_file() else None
        if size is None:
            error("file", "no such file (the path is relative to the CSV file)")
        elif not size.ok:
            error("file", str(size.message))  # refused before it is read
        else:
            data = path.read_bytes()
            check = check_upload(path.name, data)
            if not check.ok:
                error("file", str(check.message))
            row.file_name, row.file_data = path.name, data
    elif not values["url"]:
        error("url", "give a url or a file", "")
    return row


def library_import(*, path: Path) -> ImportResult:
    """Imports every row of the CSV at `path`, or none: raises `LibraryImportError` listing every
    problem (line, column, value, reason)."""
    path = Path(path)
    errors: list[RowError] = []
    countries = set(Country.objects.values_list("code", flat=True))
    # Theme keys: an existing theme is found by slug or by either of its names.
    themes_by_key = {}
    for theme in Theme.objects.all():
        for key in (theme.slug, theme.name_fr.casefold(), theme.name_en.casefold()):
            themes_by_key[key] = theme.slug
    known_slugs = set(Theme.objects.values_list("slug", flat=True))
    seen_refs: dict[str, int] = {}
    rows = [
        _check_row(line, values, path.parent, errors, seen_refs, countries, themes_by_key)
        for line, values in _read_rows(path, errors)
    ]
    if errors:
        raise LibraryImportError(errors)
    with transaction.atomic():
        result = _write(rows, themes_by_key, known_slugs)
        # The import's audit entry, on the resources' type: an import has no object of its own.
        audit.log(ContentType.objects.get_for_model(ResourcePage), "portal.library.imported", title=path.name,
                  data={"file": path.name, "created": len(result.created), "updated": len(result.updated),
                        "new_themes": len(result.new_themes)})
        return result



def _write(rows, themes_by_key, known_slugs) -> ImportResult:
    result = ImportResult()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for row in rows:
        for slug in row.themes:
            if slug not in themes:
                # The name as written in the file, in both languages until the secretariat translates it.
                name = next((n for n in split_values(row.values["themes"]) if slugify(n)[:80] == slug), slug)
                themes[slug] = Theme.objects.create(slug=slug, name_fr=name[:120], name_en=name[:120])
                result.new_themes.append(themes[slug])
    countries = {country.code: country for country in Country.objects.all()}
    Document = get_document_model()
    for row in rows:
        values = row.values
        page = ResourcePage.objects.filter(ref=values["ref"]).first()
        created = page is None
        if created:
            language = "en" if values["language"] == "en" else "fr"
            parent = library_index_get_or_create(language=language)
            page = ResourcePage(ref=values["ref"], locale=parent.locale)
        page.title = values["title"]
        page.summary = values["summary"]
        page.resource_type = values["resource_type"]
        page.language = values["language"]
        page.year = row.year
        page.authors = "; ".join(split_values(values["authors"]))
        page.publisher = values["publisher"]
        page.external_url = values["url"]
        if row.file_data is not None:
            digest = hashlib.sha1(row.file_data).hexdigest()
            current = page.document if page.document_id else None
            if current is None or current.file_hash != digest:
                document = Document(title=values["title"][:255])
                document.file.save(row.file_name, ContentFile(row.file_data), save=False)
                document._set_file_hash()
                document.save()
                page.document = document
        else:
            page.document = None
        page.themes = [themes[slug] for slug in row.themes]
        page.countries = [countries[code] for code in row.countries]
        if created:
            fallback = slugify(values["ref"])[:60].strip("-") or "resource"
            page.slug = child_slug(parent, values["title"], default=fallback, reserved=RESERVED_SLUGS)
            parent.add_child(instance=page)
            result.created.append(page)
        else:
            page.save()
            result.updated.append(page)
        page.save_revision().publish()
    return result

