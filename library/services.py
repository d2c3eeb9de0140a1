"""Writes on the library's pages: its index page in each language tree and members' proposals (their
files wait in the private collection of `portal.core.private_documents` until published)."""

from django.db import transaction
from django.utils import timezone

from portal.core import audit, studies
from portal.core.contributions import submit_for_moderation
from portal.core.pages import child_slug, index_page_get_or_create
from portal.core.private_documents import private_document

from .models import LibraryIndexPage, ResourcePage, ResourceType, StudyDeclaration

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
RESERVED_SLUGS = {"propose", "proposer", "propor", "my-proposals", "mes-propositions", "as-minhas-propostas",
                  "studies", "etudes", "estudos"}


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


# --- Studies using the inventory ---------------------------------------------------------------------

def study_declare(*, title: str, authors: str, year: int, language: str, link: str, doi: str,
                  release, email: str) -> StudyDeclaration:
    """Record a declared study (anyone may declare one), waiting for the secretariat's decision.
    `release` is the `portal.core.studies.CitableRelease` the study cites."""
    return StudyDeclaration.objects.create(
        title=title, authors=authors, year=year, language=language, link=link, doi=doi,
        cited_release=release.key, cited_release_label=release.label, email=email,
    )


@transaction.atomic
def study_accept(declaration: StudyDeclaration, *, user) -> ResourcePage:
    """Publish the declared study as a library resource of the kind "study using the inventory", in the
    library of its language (English in the English tree, the others in the French one). The
    declarant's e-mail stays on the declaration: the resource holds no personal data."""
    declaration = StudyDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != StudyDeclaration.Status.PENDING:
        raise ValueError("This declaration is already decided.")
    parent = library_index_get_or_create(language="en" if declaration.language == "en" else "fr")
    page = ResourcePage(
        title=declaration.title, slug=child_slug(parent, declaration.title, default="study",
                                                 reserved=RESERVED_SLUGS),
        locale=parent.locale, resource_type=ResourceType.STUDY, language=declaration.language,
        year=declaration.year, authors=declaration.authors, doi=declaration.doi,
        external_url=declaration.link or declaration.doi_url,
        cited_release=declaration.cited_release, cited_release_label=declaration.cited_release_label,
    )
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    declaration.status, declaration.resource = StudyDeclaration.Status.ACCEPTED, page
    declaration.decided_at, declaration.decided_by = timezone.now(), user
    declaration.save()
    audit.log(declaration, "portal.library.study_accepted", user=user, title=declaration.title,
              data={"title": declaration.title})
    return page


@transaction.atomic
def study_reject(declaration: StudyDeclaration, *, user) -> None:
    declaration = StudyDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != StudyDeclaration.Status.PENDING:
        raise ValueError("This declaration is already decided.")
    declaration.status = StudyDeclaration.Status.REJECTED
    declaration.decided_at, declaration.decided_by = timezone.now(), user
    declaration.save()
    audit.log(declaration, "portal.library.study_rejected", user=user, title=declaration.title,
              data={"title": declaration.title})


def published_studies(release_key: str | None = None) -> list[studies.CitingStudy]:
    """The live, public studies using the inventory (of one release, or all), newest first: what the
    open-data pages list (`portal.core.studies`)."""
    pages = ResourcePage.objects.live().public().filter(resource_type=ResourceType.STUDY).exclude(
        cited_release="")
    if release_key is not None:
        pages = pages.filter(cited_release=release_key)
    return [
        studies.CitingStudy(
            title=page.title, authors=tuple(page.author_list), year=page.year, url=page.get_url() or "",
            link=page.external_url or page.doi_url, release_key=page.cited_release,
            release_label=page.cited_release_label or page.cited_release,
        )
        for page in pages.order_by("-year", "-first_published_at", "-pk")
    ]
