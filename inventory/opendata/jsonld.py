"""schema.org `Dataset` and `DataCatalog` of the open data (the datasets page, each release page), for
Google Dataset Search and other harvesters reading JSON-LD. Every URL on SITE_URL; only what the
public files already hold (no contact person, no account)."""

from __future__ import annotations

from django.db.models import Max, Min
from django.urls import reverse
from django.utils.translation import get_language

from portal.core.jsonld import compact, organization
from portal.reference.models import Country
from portal.site_url import public_url, site_url

from ..models import Mutual, Release, YearlyReturn
from . import package
from .releases import citation

# The media types of the files (IANA; Parquet's registered in 2024).
ENCODING_FORMATS = {
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
DISTRIBUTED = [*package.TABLE_FILES, package.ZIP_NAME]  # the data itself, not its descriptions
KEYWORDS = ["mutual health organizations", "mutuelles de santé", "health insurance", "West Africa",
            "Central Africa", "inventory"]


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def encoding_format(filename: str) -> str:
    return next((kind for suffix, kind in ENCODING_FORMATS.items() if filename.endswith(suffix)), "")


def coverage() -> dict:
    """temporalCoverage (the years of the validated public returns, as an ISO 8601 interval) and
    spatialCoverage (their countries)."""
    years = YearlyReturn.objects.public().aggregate(first=Min("year"), last=Max("year"))
    temporal = ""
    if years["first"] is not None:
        temporal = (str(years["first"]) if years["first"] == years["last"]
                    else f"{years['first']}/{years['last']}")
    countries = Country.objects.filter(pk__in=Mutual.objects.public().values("country_id")).order_by("code")
    spatial = [{"@type": "Country", "name": country.name, "identifier": country.code}
               for country in countries]
    return {"temporalCoverage": temporal, "spatialCoverage": spatial}


def creator() -> dict:
    return organization(package.AUTHOR, site_url() + "/")


def _distribution(filename: str, url: str, size: int | None = None) -> dict:
    return compact({
        "@type": "DataDownload", "name": filename, "contentUrl": url,
        "encodingFormat": encoding_format(filename), "contentSize": f"{size} B" if size else "",
    })


def _common(name: str, url: str, extent: dict) -> dict:
    return {
        "@type": "Dataset",
        "name": name,
        "description": package.DESCRIPTION,
        "url": url,
        "identifier": url,
        "inLanguage": ["fr", "en"],
        "keywords": KEYWORDS,
        "license": package.LICENSE_URL,
        "isAccessibleForFree": True,
        "creator": creator(),
        "publisher": creator(),
        **extent,
    }


def catalog_ref() -> dict:
    return {"@type": "DataCatalog", "name": _catalog_name(), "url": public_url(reverse("inventory:datasets"))}


def _catalog_name() -> str:
    return ("Open data of the mutual health organizations inventory" if _english()
            else "Données ouvertes de l'inventaire des mutuelles de santé")


def current_dataset(extent: dict | None = None) -> dict:
    """The current (unfrozen) data: the files of the datasets page."""
    url = public_url(reverse("inventory:datasets"))
    extent = coverage() if extent is None else extent
    data = _common(_current_name(), url, extent)
    data["distribution"] = [
        _distribution(name, public_url(reverse("inventory:dataset_file", args=[name])))
        for name in DISTRIBUTED
    ]
    data["includedInDataCatalog"] = catalog_ref()
    return compact(data)


def _current_name() -> str:
    return ("Inventory of mutual health organizations in West and Central Africa (current data)"
            if _english()
            else "Inventaire des mutuelles de santé d'Afrique de l'Ouest et du Centre (données courantes)")


def release_dataset(release: Release, extent: dict | None = None, files=None) -> dict:
    """A frozen release: its version, publication date and stored files (with their sizes)."""
    url = public_url(reverse("inventory:release_detail", args=[release.slug, release.version]))
    extent = coverage() if extent is None else extent
    data = _common(release.label, url, extent)
    data.update({
        "version": release.version,
        "datePublished": release.published_at.date().isoformat(),
        "citation": citation(release, "en" if _english() else "fr"),
    })
    if getattr(release, "doi", ""):
        data["identifier"] = release.doi_url  # the persistent identifier, once minted
        data["sameAs"] = release.doi_url
    files = list(release.files.all()) if files is None else files
    data["distribution"] = [
        _distribution(f.filename, public_url(reverse("inventory:release_file",
                                                     args=[release.slug, release.version, f.filename])),
                      f.size)
        for f in files if f.filename in DISTRIBUTED
    ]
    data["includedInDataCatalog"] = catalog_ref()
    return compact(data)


def data_catalog(releases) -> dict:
    """The datasets page: the catalogue of the current data and every release."""
    extent = coverage()
    datasets = [current_dataset(extent)]
    # Each release in short (its own page has the whole description): the page stays light however
    # many releases there are.
    datasets += [{"@type": "Dataset", "name": r.label, "version": r.version,
                  "url": public_url(reverse("inventory:release_detail", args=[r.slug, r.version])),
                  "license": package.LICENSE_URL}
                 for r in releases]
    return {
        "@type": "DataCatalog",
        "name": _catalog_name(),
        "url": public_url(reverse("inventory:datasets")),
        "description": package.DESCRIPTION,
        "inLanguage": ["fr", "en"],
        "license": package.LICENSE_URL,
        "creator": creator(),
        "publisher": creator(),
        "dataset": datasets,
    }
