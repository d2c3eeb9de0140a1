"""schema.org JSON-LD of a library resource (its page's head): the type by kind of resource, its
authors (a person or an organization), year, publisher, language, themes, file and licence."""

from __future__ import annotations

import mimetypes
import re

from portal.core.jsonld import compact
from portal.site_url import page_public_url, public_url

# The resource types (library.models.ResourceType) as schema.org types; anything else a CreativeWork.
SCHEMA_TYPES = {
    "article": "ScholarlyArticle",
    "report": "Report",
    "case_study": "Report",
    "monograph": "Book",
    "legal_text": "Legislation",
    "guide": "CreativeWork",
    "training_manual": "LearningResource",
    "software": "SoftwareApplication",
}
# Words that make an author an organization ("International Labour Office", "Secrétariat technique").
_ORGANIZATION_WORDS = re.compile(
    r"\b(office|organi[sz]ation|bureau|secr[ée]tariat|concertation|minist[èe]re|ministry|network|r[ée]seau|"
    r"union|association|institut[e]?|bank|banque|agency|agence|fund|fonds|committee|comit[ée]|"
    r"programme|program|project|projet|foundation|fondation|university|universit[ée]|centre|center|"
    r"coop[ée]ration|mutuelle|federation|f[ée]d[ée]ration|world|mondiale|international[e]?)\b",
    re.IGNORECASE,
)


def author(name: str) -> dict:
    """An author as a Person, or an Organization when the name says so (or is an acronym: BIT, WHO)."""
    is_organization = bool(_ORGANIZATION_WORDS.search(name)) or (name.isupper() and " " not in name)
    return {"@type": "Organization" if is_organization else "Person", "name": name}


def schema_type(resource_type: str) -> str:
    return SCHEMA_TYPES.get(resource_type, "CreativeWork")


def resource(page) -> dict:
    """The resource page's JSON-LD (`ResourcePage.json_ld`)."""
    url = page_public_url(page)
    file_url = public_url(page.document.url) if page.document_id else ""
    data = {
        "@type": schema_type(page.resource_type),
        "name": page.title,
        "headline": page.title[:110] if page.resource_type == "article" else "",
        "url": url,
        "identifier": url,
        "abstract": page.summary,
        "author": [author(name) for name in page.author_list],
        "datePublished": str(page.year) if page.year else "",
        "publisher": {"@type": "Organization", "name": page.publisher} if page.publisher else None,
        "inLanguage": page.language,
        "keywords": [theme.name for theme in page.themes.all()],
        "license": page.licence,
        "encoding": compact({
            "@type": "MediaObject", "contentUrl": file_url,
            "encodingFormat": mimetypes.guess_type(page.document.filename)[0] or "",
        }) if file_url else None,
        "spatialCoverage": [{"@type": "Country", "name": country.name, "identifier": country.code}
                            for country in page.countries.all()],
        "sameAs": page.external_url,
        "isAccessibleForFree": True,
        # A study using the inventory: the release of the open data it is based on (its DOI below).
        "isBasedOn": _release_url(page),
    }
    if page.doi:
        data["identifier"] = [url, {"@type": "PropertyValue", "propertyID": "DOI", "value": page.doi,
                                    "url": page.doi_url}]
    return compact(data)


def _release_url(page) -> str:
    """The public address of the release of the inventory a study cites (by its URL's name: the library
    does not import the inventory), or ""."""
    parts = page.cited_release_parts
    if not parts:
        return ""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override("fr"):
            return public_url(reverse("inventory:release_detail", args=parts))
    except NoReverseMatch:
        return ""
