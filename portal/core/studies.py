"""Studies that used the inventory's open data: where the inventory (which publishes the releases a study
cites) and the library (which keeps the accepted studies as resources) meet without importing each other
(the layers contract of pyproject.toml: two domains, one kernel).

- The inventory provides the citable releases (`provide_releases`, in its AppConfig.ready()): a function
  returning them newest first as `CitableRelease` (key "slug/version", label "Inventaire 2025 v1.0",
  address of the release's page). The library's declaration form offers them.
- The library provides the accepted studies (`provide_studies`): a function of an optional release key
  returning `CitingStudy` values, published ones only, newest first. The open-data page, each release's
  page ("cited by") and the download statistics (a count per release) read them.

Without a provider (an app left out), there is nothing to cite and no study: the pages show none.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CitableRelease:
    key: str  # "slug/version", e.g. "inventaire-2025/1.0"
    label: str  # "Inventaire 2025 v1.0"
    url: str = ""


@dataclass(frozen=True)
class CitingStudy:
    title: str
    authors: tuple[str, ...]
    year: int | None
    url: str  # the study's page in the library
    link: str  # where the publication is read (its own address, or its DOI's)
    release_key: str
    release_label: str


_providers: dict[str, Callable] = {}


def provide_releases(function: Callable[[], list[CitableRelease]]) -> None:
    _providers["releases"] = function


def provide_studies(function: Callable[[str | None], list[CitingStudy]]) -> None:
    _providers["studies"] = function


def citable_releases() -> list[CitableRelease]:
    provider = _providers.get("releases")
    return list(provider()) if provider else []


def citing_studies(release_key: str | None = None) -> list[CitingStudy]:
    """The published studies (all of them, or those citing the release `release_key`)."""
    provider = _providers.get("studies")
    return list(provider(release_key)) if provider else []


def counts_by_release() -> Counter:
    """How many published studies cite each release, by release key."""
    return Counter(study.release_key for study in citing_studies())
