"""The open data as a DCAT-AP catalogue in JSON-LD, for the open-data portals that harvest catalogues
(CKAN's DCAT harvester, data.europa.eu, national portals): one `dcat:Catalog` holding the current data
and each release as `dcat:Dataset`s, each with its `dcat:Distribution`s.

The same document at the French and the English address: titles and descriptions carry their language
tag, and every identifier is the French (the first) address on SITE_URL, never the request's host, so a
harvester sees one dataset whichever address it reads. Only what the public files already say: the
contact point is the network's open-data page (and its generic address when `OPEN_DATA_CONTACT_EMAIL`
is set), never a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation

from portal.reference.models import Country
from portal.site_url import public_url, site_url

from ..models import InventoryState, Mutual, Release, YearlyReturn
from . import package
from .jsonld import DISTRIBUTED, encoding_format

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPE = "application/ld+json"
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = [f"{EU}language/FRA", f"{EU}language/ENG"]
# The EU data themes (DCAT-AP's mandatory theme vocabulary): health, and population and society.
THEMES = [f"{EU}data-theme/HEAL", f"{EU}data-theme/SOCI"]
FILE_TYPES = {".csv": "CSV", ".parquet": "PARQUET", ".xlsx": "XLSX", ".zip": "ZIP"}
TITLES = {
    "catalog": {"fr": "Données ouvertes de l'inventaire des mutuelles de santé",
                "en": "Open data of the mutual health organizations inventory"},
    "current": {"fr": ("Inventaire des mutuelles de santé d'Afrique de l'Ouest et du Centre "
                       "(données courantes)"),
                "en": "Inventory of mutual health organizations in West and Central Africa (current data)"},
}
KEYWORDS = {"fr": ["mutuelles de santé", "assurance maladie", "Afrique de l'Ouest", "Afrique centrale",
                   "inventaire"],
            "en": ["mutual health organizations", "health insurance", "West Africa", "Central Africa",
                   "inventory"]}
CONTACT_NAME = {"fr": "Secrétariat de la Concertation", "en": "Secretariat of the Concertation"}


def _fr_url(name: str, *args) -> str:
    """The public address of a route in French (the portal's first language): the stable identifier."""
    with translation.override("fr"):
        return public_url(reverse(f"inventory:{name}", args=args))


def _en_url(name: str, *args) -> str:
    with translation.override("en"):
        return public_url(reverse(f"inventory:{name}", args=args))


def _texts(values: dict) -> list[dict]:
    return [{"@value": value, "@language": language} for language, value in values.items()]


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _datetime(value) -> dict:
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def _ids(urls) -> list[dict]:
    return [{"@id": url} for url in urls]


def publisher() -> dict:
    return {"@id": site_url() + "/", "@type": "foaf:Agent", "foaf:name": package.AUTHOR,
            "foaf:homepage": {"@id": site_url() + "/"}}


def contact_point() -> dict:
    """The secretariat as an organization (never a person): its open-data page, and its generic address
    when one is configured."""
    contact = {"@type": "vcard:Organization", "vcard:fn": _texts(CONTACT_NAME),
               "vcard:hasURL": {"@id": _fr_url("datasets")}}
    email = getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "")
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    return contact


def extent() -> dict:
    """dct:temporal (the years of the public validated returns) and dct:spatial (their countries)."""
    years = YearlyReturn.objects.public().aggregate(first=Min("year"), last=Max("year"))
    out = {}
    if years["first"] is not None:
        out["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{years['first']}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{years['last']}-12-31", "@type": "xsd:date"},
        }
    countries = Country.objects.filter(pk__in=Mutual.objects.public().values("country_id")).order_by("code")
    spatial = [{"@type": "dct:Location", "dct:identifier": country.code,
                "skos:prefLabel": _texts({"fr": country.name_fr, "en": country.name_en})}
               for country in countries]
    if spatial:
        out["dct:spatial"] = spatial
    return out


def _common(identifier: str, titles: dict, landing: list[str], coverage: dict) -> dict:
    return {
        "@id": identifier,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": _texts(titles),
        "dct:description": package.DESCRIPTION,
        "dcat:keyword": _texts_list(KEYWORDS),
        "dcat:theme": _ids(THEMES),
        "dct:language": _ids(LANGUAGES),
        "dct:publisher": publisher(),
        "dct:creator": publisher(),
        "dcat:contactPoint": contact_point(),
        "dcat:landingPage": _ids(landing),
        "dct:license": {"@id": package.LICENSE_URL},
        "dct:accessRights": {"@id": f"{EU}access-right/PUBLIC"},
        **coverage,
    }


def _texts_list(values: dict[str, list[str]]) -> list[dict]:
    return [{"@value": word, "@language": language} for language, words in values.items() for word in words]


def distribution(filename: str, url: str, size: int | None = None, sha256: str = "") -> dict:
    suffix = "." + filename.rsplit(".", 1)[-1]
    media_type = encoding_format(filename)
    data = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": filename,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:license": {"@id": package.LICENSE_URL},
    }
    if media_type:
        data["dcat:mediaType"] = {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"}
    if suffix in FILE_TYPES:
        data["dct:format"] = {"@id": f"{EU}file-type/{FILE_TYPES[suffix]}"}
    if size:
        data["dcat:byteSize"] = {"@value": str(size), "@type": "xsd:nonNegativeInteger"}
    if sha256:
        data["spdx:checksum"] = {"@type": "spdx:Checksum",
                                 "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                 "spdx:checksumValue": {"@value": sha256, "@type": "xsd:hexBinary"}}
    return data


def current_dataset(coverage: dict, releases: list[Release]) -> dict:
    """The current data: changes with every validated return (modified: the inventory's last change)."""
    identifier = _fr_url("datasets")
    data = _common(identifier, TITLES["current"], [identifier, _en_url("datasets")], coverage)
    state = InventoryState.objects.first()
    if state is not None:
        data["dct:modified"] = _datetime(state.changed_at)
    data["dcat:distribution"] = [distribution(name, _fr_url("dataset_file", name)) for name in DISTRIBUTED]
    if releases:
        data["dct:hasVersion"] = _ids(release_id(r) for r in releases)
    return data


def release_id(release: Release) -> str:
    return _fr_url("release_detail", release.slug, release.version)


def release_dataset(release: Release, coverage: dict, previous: Release | None = None) -> dict:
    """A frozen release: its version, publication date, stored files with their size and checksum."""
    identifier = release_id(release)
    titles = {"fr": release.label, "en": release.label}
    landing = [identifier, _en_url("release_detail", release.slug, release.version)]
    data = _common(identifier, titles, landing, coverage)
    published = timezone.localtime(release.published_at)
    data.update({
        "dct:issued": _date(published.date()),
        "dct:modified": _date(published.date()),
        "dcat:version": release.version,
        "owl:versionInfo": release.version,
        "dct:isVersionOf": {"@id": _fr_url("datasets")},
    })
    if release.doi:
        data["adms:identifier"] = {"@type": "adms:Identifier", "skos:notation": release.doi_url}
        data["owl:sameAs"] = {"@id": release.doi_url}
    if release.changelog:
        data["adms:versionNotes"] = release.changelog
    if previous is not None:
        data["dcat:previousVersion"] = {"@id": release_id(previous)}
    data["dcat:distribution"] = [
        distribution(f.filename, _fr_url("release_file", release.slug, release.version, f.filename),
                     f.size, f.sha256)
        for f in release.files.all() if f.filename in DISTRIBUTED
    ]
    return data


def catalogue() -> dict:
    """The whole catalogue (one JSON-LD document)."""
    coverage = extent()
    releases = list(Release.objects.order_by("slug", "published_at", "pk").prefetch_related("files"))
    previous: dict[str, Release] = {}
    datasets = [current_dataset(coverage, releases)]
    for release in releases:
        datasets.append(release_dataset(release, coverage, previous.get(release.slug)))
        previous[release.slug] = release
    catalog = {
        "@context": CONTEXT,
        "@id": _fr_url("dcat_catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(TITLES["catalog"]),
        "dct:description": package.DESCRIPTION,
        "dct:publisher": publisher(),
        "dct:language": _ids(LANGUAGES),
        "dct:license": {"@id": package.LICENSE_URL},
        "foaf:homepage": {"@id": _fr_url("datasets")},
        "dcat:themeTaxonomy": {"@id": f"{EU}data-theme"},
        "dcat:dataset": datasets,
    }
    if releases:
        catalog["dct:issued"] = _date(timezone.localtime(min(r.published_at for r in releases)).date())
    state = InventoryState.objects.first()
    if state is not None:
        catalog["dct:modified"] = _datetime(state.changed_at)
    return catalog
