"""Writes on the library's pages: its index page in each language tree and members' proposals (their
files wait in the private collection of `portal.core.private_documents` until published)."""

from django.db import transaction

from portal.core.contributions import submit_for_moderation
from portal.core.pages import child_slug, index_page_get_or_create
from portal.core.private_documents import private_document

from .models import LibraryIndexPage, ResourcePage

INDEX_FIELDS = {
    "fr": {
        "title": "Bibliothèque", "slug": "bibliotheque",
        "intro": "Études, guides, textes juridiques et actes des forums du réseau.",
    },
    "en": {
        "title": "Library", "slug": "library",
        "intro": "Studies, guides, legal texts and forum proceedings of the network.",
    },
    "pt": {
        "title": "Biblioteca", "slug": "biblioteca",
        "intro": "Estudos, guias, textos jurídicos e atas dos fóruns da rede.",
    },
}


def library_index_get_or_create(*, language: str) -> LibraryIndexPage:
    """The library's index page in `language`'s tree, created (and published) when missing: the French
    one under the default site's home page, the others as its translations."""
    return index_page_get_or_create(LibraryIndexPage, language=language, fields=INDEX_FIELDS)


# Paths of the library's own views beside its pages (library/urls.py): no resource may take them.
RESERVED_SLUGS = {"propose", "proposer", "propor", "my-proposals", "mes-propositions", "as-minhas-propostas"}


@transaction.atomic
def resource_propose(*, user, title: str, summary: str, resource_type: str, themes, countries, language: str,
                     year: int | None, authors: str, publisher: str, licence: str, file=None,
                     external_url: str = "", resource: ResourcePage | None = None) -> ResourcePage:
    """A member's proposal: a resource page, not live, under the library of the document's language
    (English documents in the English tree, the others in the French one), owned by the member and
    submitted to the moderation workflow (the secretariat reviews it in the Wagtail admin).
    `file` is an uploaded file already checked (type and size).

    With `resource` (the member's proposal whose changes were requested), a new revision of it is
    submitted again instead; without a new `file`, its file stays, unless a link replaces it."""
    if resource is not None:
        page = resource.get_latest_revision_as_object()
        if file is not None:
            page.document, page.external_url = private_document(user=user, title=title, file=file), ""
        elif external_url:
            page.document, page.external_url = None, external_url
        page.title, page.summary, page.resource_type, page.language = title, summary, resource_type, language
        page.year, page.authors, page.publisher, page.licence = year, authors, publisher, licence
        page.themes = list(themes)
        page.countries = list(countries)
        submit_for_moderation(page=page, user=user)
        return page
    parent = library_index_get_or_create(language="en" if language == "en" else "fr")
    document = private_document(user=user, title=title, file=file) if file is not None else None
    page = ResourcePage(
        title=title, slug=child_slug(parent, title, default="resource", reserved=RESERVED_SLUGS),
        locale=parent.locale, summary=summary,
        resource_type=resource_type, language=language, year=year, authors=authors, publisher=publisher,
        licence=licence, document=document, external_url=external_url if document is None else "",
    )
    page.themes = list(themes)
    page.countries = list(countries)
    submit_for_moderation(page=page, user=user, parent=parent)
    return page
