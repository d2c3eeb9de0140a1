"""Writes on the library's pages: its index page in each language tree, members' proposals, and the files
that follow their pages in and out of public view (shared with the news' attachments)."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex

from portal.accounts.roles import GROUP_NAMES, Role
from portal.core.contributions import submit_for_moderation
from portal.core.pages import child_slug, index_page_get_or_create

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
}


def library_index_get_or_create(*, language: str) -> LibraryIndexPage:
    """The library's index page in `language`'s tree, created (and published) when missing: the French
    one under the default site's home page, the others as its translations."""
    return index_page_get_or_create(LibraryIndexPage, language=language, fields=INDEX_FIELDS)


# Stored data: keep the name stable.
PROPOSALS_COLLECTION = "Proposals awaiting review"
# Paths of the library's own views beside its pages (library/urls.py): no resource may take them.
RESERVED_SLUGS = {"propose", "proposer", "my-proposals", "mes-propositions"}


def proposals_collection() -> Collection:
    """The collection holding the files of proposals not yet published, readable by the secretariat
    only (a Wagtail view restriction): a visitor who guesses a file's address gets no file."""
    collection = Collection.objects.filter(name=PROPOSALS_COLLECTION, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PROPOSALS_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    secretariat, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role.SECRETARIAT])
    restriction.groups.add(secretariat)
    return collection


def release_documents(documents) -> None:
    """The files of a page just published (a member's proposal, an article's attachments) leave the
    secretariat's private collection for the public one."""
    root = Collection.get_first_root_node()
    for document in documents:
        if document is not None and document.collection.name == PROPOSALS_COLLECTION:
            document.collection = root
            document.save(update_fields=["collection"])


def withhold_documents(document_ids) -> None:
    """The files of a page unpublished or being deleted go back to the secretariat's private collection
    once the transaction commits, unless a live page still uses them then (Wagtail's reference index:
    a field, an attachment or a link): whoever kept a file's address no longer gets the file, and
    publishing the page again releases it. Only files in the public (root) collection move; files the
    secretariat filed in a collection of its own stay where they are."""
    ids = {pk for pk in document_ids if pk is not None}
    if ids:
        transaction.on_commit(lambda: _withhold(ids))


def _withhold(ids) -> None:
    root = Collection.get_first_root_node()
    page_type = ContentType.objects.get_for_model(Page)
    for document in get_document_model().objects.filter(pk__in=ids, collection=root):
        users = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type)
        page_ids = [int(pk) for pk in users.values_list("object_id", flat=True)]
        if not Page.objects.live().filter(pk__in=page_ids).exists():
            document.collection = proposals_collection()
            document.save(update_fields=["collection"])


def private_document(*, user, title: str, file):
    """An uploaded file (already checked) as a document of the secretariat's private collection, under
    its own base name: a member's proposal or article attachment, readable by the secretariat only
    until its page is published (`release_documents`)."""
    document = get_document_model()(title=title[:255], collection=proposals_collection(),
                                     uploaded_by_user=user)
    document.file.save(file.name.rsplit("/", 1)[-1], file, save=False)
    document.file_size = document.file.size
    document._set_file_hash()
    document.save()
    return document


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
