"""The secretariat's private collection (members' files awaiting publication, `services.
proposals_collection`) stays out of the Wagtail admin for everyone who does not moderate contributions.

Focal points may choose and add documents and images in the collections' root, and Wagtail's
collection permissions extend to every collection below it: without this, their document chooser
would list, and hand out the address of, members' unpublished files. The permission policy registered
here for documents and images (in place of Wagtail's) takes the private collection and the collections
under it out of what a user without `moderate_contributions` may choose, list, edit, delete, see used
or upload into, in every screen that asks the policy (listings, choosers, edit and usage views, bulk
actions, the admin API). The files themselves are served to the secretariat only (the collection's
view restriction)."""

from wagtail.models import Collection
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from portal.accounts.permissions import can


def private_collections():
    from .services import PROPOSALS_COLLECTION

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


def register():
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
