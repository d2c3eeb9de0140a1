"""The document handed from the library's pages to the search engines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchDocument:
    ref: str  # stable identifier (the import's `ref`)
    title: str
    summary: str
    authors: str  # "A; B"
    body: str  # extracted text of the file (may be long), "" if none
    resource_type: str  # code, e.g. "guide"
    themes: tuple[str, ...]  # theme slugs
    countries: tuple[str, ...]  # ISO alpha-2
    language: str  # "fr" | "en" | "pt"
    year: int | None
    url: str  # the resource page's path
    date: datetime.date | None  # publication date for sorting by date (year-01-01 if unknown)
