"""DataCite metadata (kernel 4, XML) of a release, ready for the network's DataCite member to mint its
DOI (Fabrica's "upload XML" or the REST API), then recorded on the release (`Release.doi`).

Before a DOI is minted the identifier is a placeholder under the reserved-looking prefix `10.XXXXX`
(DataCite replaces it with the DOI chosen when registering, and would refuse it as a DOI of its own);
once recorded, the release's DOI. Every address on SITE_URL, never the request's host.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from django.utils import timezone

from ..models import Release
from . import package
from .dcat import _en_url, _fr_url, extent
from .jsonld import DISTRIBUTED, encoding_format

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = f"{NAMESPACE} https://schema.datacite.org/meta/kernel-4.5/metadata.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PLACEHOLDER_PREFIX = "10.XXXXX"
# What DataCite requires (kernel 4.5, "mandatory properties").
MANDATORY = ("identifier", "creators", "titles", "publisher", "publicationYear", "resourceType")


def identifier(release: Release) -> str:
    return release.doi or f"{PLACEHOLDER_PREFIX}/{release.folder}"


def _sub(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}",
                            {(XML_LANG if k == "lang" else k): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def resource(release: Release) -> ET.Element:
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NAMESPACE}}}resource", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    published = timezone.localtime(release.published_at)
    page = _fr_url("release_detail", release.slug, release.version)

    _sub(root, "identifier", identifier(release), identifierType="DOI")
    creator = _sub(_sub(root, "creators"), "creator")
    _sub(creator, "creatorName", package.AUTHOR, nameType="Organizational")
    titles = _sub(root, "titles")
    _sub(titles, "title", release.name, lang="fr")
    _sub(root, "publisher", package.AUTHOR, lang="fr")
    _sub(root, "publicationYear", str(published.year))
    _sub(root, "resourceType", "Data set", resourceTypeGeneral="Dataset")

    subjects = _sub(root, "subjects")
    for keyword in package.KEYWORDS:
        _sub(subjects, "subject", keyword)
    dates = _sub(root, "dates")
    _sub(dates, "date", published.date().isoformat(), dateType="Issued")
    coverage = extent()
    temporal = coverage.get("dct:temporal")
    if temporal:
        start, end = temporal["dcat:startDate"]["@value"][:4], temporal["dcat:endDate"]["@value"][:4]
        _sub(dates, "date", start if start == end else f"{start}/{end}", dateType="Coverage")
    _sub(root, "language", "fr")

    alternates = _sub(root, "alternateIdentifiers")
    _sub(alternates, "alternateIdentifier", page, alternateIdentifierType="URL")
    related = _sub(root, "relatedIdentifiers")
    _sub(related, "relatedIdentifier", _en_url("release_detail", release.slug, release.version),
         relatedIdentifierType="URL", relationType="IsVariantFormOf")
    codebook = _fr_url("release_file", release.slug, release.version, "codebook.html")
    _sub(related, "relatedIdentifier", codebook, relatedIdentifierType="URL", relationType="IsDocumentedBy")
    previous = (Release.objects.filter(slug=release.slug, published_at__lt=release.published_at)
                .exclude(pk=release.pk).order_by("-published_at", "-pk").first())
    if previous is not None:
        value, kind = ((previous.doi, "DOI") if previous.doi
                       else (_fr_url("release_detail", previous.slug, previous.version), "URL"))
        _sub(related, "relatedIdentifier", value, relatedIdentifierType=kind, relationType="IsNewVersionOf")

    files = [f for f in release.files.all() if f.filename in DISTRIBUTED]
    if files:
        sizes = _sub(root, "sizes")
        for f in files:
            _sub(sizes, "size", f"{f.filename}: {f.size} bytes")
        formats = _sub(root, "formats")
        for media_type in dict.fromkeys(encoding_format(f.filename) for f in files):
            if media_type:
                _sub(formats, "format", media_type)
    _sub(root, "version", release.version)
    rights = _sub(_sub(root, "rightsList"), "rights", "Creative Commons Attribution 4.0 International",
                  rightsURI=package.LICENSE_URL, rightsIdentifier="CC-BY-4.0",
                  rightsIdentifierScheme="SPDX", schemeURI="https://spdx.org/licenses/")
    rights.set(XML_LANG, "en")
    descriptions = _sub(root, "descriptions")
    _sub(descriptions, "description", package.DESCRIPTION, descriptionType="Abstract")
    if release.changelog:
        _sub(descriptions, "description", release.changelog, descriptionType="Other")
    places = coverage.get("dct:spatial", [])
    if places:
        locations = _sub(root, "geoLocations")
        for place in places:
            label = next(text["@value"] for text in place["skos:prefLabel"] if text["@language"] == "en")
            _sub(_sub(locations, "geoLocation"), "geoLocationPlace", label)
    return root


def datacite_xml(release: Release) -> bytes:
    root = resource(release)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
