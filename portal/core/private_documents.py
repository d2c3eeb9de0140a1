"""Members' files awaiting publication (a library proposal's file, a news article's attachments and
image) and the pages they follow in and out of public view, for every domain in one place.

- `private_document` stores an upload in the secretariat's private collection (`proposals_collection`,
  readable by the secretariat only through a Wagtail view restriction).
- `follow_publishing(model, files)`, called from a domain's `AppConfig.ready`, wires a page type to
  publishing: when a page is published its files leave the private collection for the public one; when
  it is unpublished or deleted, its documents go back to the private collection after the commit, unless
  another live page still uses them (Wagtail's reference index). Images are released but never withheld
  (an image file is never private: the collection only keeps it out of the admin's image chooser).
- `register_permission_policies` keeps the private collection out of the Wagtail admin for everyone who
  does not moderate contributions.

Focal points may choose and add documents and images in the collections' root, and Wagtail's
collection permissions extend to every collection below it: without the policy, their document chooser
would list, and hand out the address of, members' unpublished files. The permission policy registered
here for documents and images (in place of Wagtail's) takes the private collection and the collections
under it out of what a user without `moderate_contributions` may choose, list, edit, delete, see used
or upload into, in every screen that asks the policy (listings, choosers, edit and usage views, bulk
actions, the admin API). The files themselves are served to the secretariat only (the collection's
view restriction)."""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.signals import page_published, page_unpublished

from portal.accounts.permissions import can
from portal.accounts.roles import GROUP_NAMES, Role

# Stored data: keep the name stable.
PROPOSALS_COLLECTION = "Proposals awaiting review"


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


def private_collections():
    private = Collection.objects.filter(name=PROPOSALS_COLLECTION, depth=2).first()
    if private is None:
        return Collection.objects.none()
    return Collection.objects.descendant_of(private, inclusive=True)


class PrivateCollectionPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for documents and images, blind to the private collection for users who may not
    `moderate_contributions` (Wagtail's per-collection checks all go through the two methods below)."""

    def _hides_private(self, user):
        return not can(user, "moderate_contributions")

    def _check_perm(self, user, actions, collection=None):
        if (collection is not None and self._hides_private(user)
                and private_collections().filter(pk=collection.pk).exists()):
            return False
        return super()._check_perm(user, actions, collection=collection)

    def _collections_with_perm(self, user, actions):
        collections = super()._collections_with_perm(user, actions)
        if self._hides_private(user):
            collections = collections.exclude(pk__in=private_collections().values("pk"))
        return collections


def register_permission_policies():
    """Replace Wagtail's permission policies for documents and images (from the app's `ready`)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    for model, auth_model in [(get_document_model(), "wagtaildocs.Document"),
                              (get_image_model(), "wagtailimages.Image")]:
        register_permission_policy(
            model,
            PrivateCollectionPermissionPolicy(model, auth_model=auth_model,
                                              owner_field_name="uploaded_by_user"),
            exact_class=True,
        )


def follow_publishing(model: type[Page], files: Callable[[Page], Iterable]) -> None:
    """Files of `model`'s pages (`files(page)`: documents or images, None ignored) leave the private
    collection when a page is published, and its documents go back when it is unpublished or deleted."""

    def published(sender, instance, **kwargs):
        release_documents(files(instance))

    def withdrawn(sender, instance, **kwargs):
        document_model = get_document_model()
        withhold_documents(file.pk for file in files(instance) if isinstance(file, document_model))

    label = model._meta.label_lower
    page_published.connect(published, sender=model, weak=False, dispatch_uid=f"private-release-{label}")
    page_unpublished.connect(withdrawn, sender=model, weak=False, dispatch_uid=f"private-withhold-{label}")
    pre_delete.connect(withdrawn, sender=model, weak=False, dispatch_uid=f"private-withhold-delete-{label}")
