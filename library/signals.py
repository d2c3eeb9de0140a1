"""Keeps the library's search index in step with publishing, through `library.search`'s hooks
(`index_resource(page)`, `remove_resource(page)`, `resync_tree(page)`): only live pages that no view
restriction protects are indexed, so setting or lifting a restriction (on a library page or any
ancestor) or moving a branch re-syncs the library pages under it. A published proposal's file leaves
the secretariat's private collection; it goes back when its page is unpublished or deleted, unless
another live page still uses it (`portal.core.private_documents.follow_publishing`)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.core import audit
from portal.core.private_documents import follow_publishing

# The library import's audit entry (written by library/imports.py; declared here, at start-up).
audit.register("portal.library.imported", _("Import library resources"),
               _("Library imported from %(file)s: %(created)s created, %(updated)s updated, "
                 "%(new_themes)s new themes"))
# The secretariat's decisions on declared studies using the inventory (library/services.py).
audit.register("portal.library.study_accepted", _("Accept a declared study"),
               _("Study accepted into the library: %(title)s"))
audit.register("portal.library.study_rejected", _("Reject a declared study"),
               _("Declared study rejected: %(title)s"))


def _call(hook_name, page):
    try:
        from library import search
    except ImportError:
        return
    hook = getattr(search, hook_name, None)
    if hook is not None:
        transaction.on_commit(lambda: hook(page))


def _published(sender, instance, **kwargs):
    """Index the page as the database holds it once the publication commits, not the published
    object: fields written meanwhile by a task (a resource's extracted text) are in the record only."""
    model, pk = type(instance), instance.pk

    def index():
        from .search import index_resource

        page = model.objects.filter(pk=pk).first()
        if page is not None:
            index_resource(page)

    transaction.on_commit(index)


def _removed(sender, instance, **kwargs):
    _call("remove_resource", instance)


def _resync_branch(page_id):
    """After the commit: re-sync the library pages at or under the page `page_id` (if it still
    exists: a deleted page's library pages are taken out by their own deletion)."""
    from .search import resync_tree

    def resync():
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            resync_tree(page)

    transaction.on_commit(resync)


def _restriction_changed(sender, instance, **kwargs):
    _resync_branch(instance.page_id)


def _moved(sender, instance, **kwargs):
    _resync_branch(instance.pk)


def connect():
    from .models import LibraryIndexPage, ProjectProfilePage, ResourcePage

    follow_publishing(ResourcePage, lambda page: [page.document])

    for model in (ResourcePage, ProjectProfilePage):
        page_published.connect(_published, sender=model, dispatch_uid=f"library-publish-{model.__name__}")
        page_unpublished.connect(_removed, sender=model, dispatch_uid=f"library-unpublish-{model.__name__}")
        post_delete.connect(_removed, sender=model, dispatch_uid=f"library-delete-{model.__name__}")

    # A restriction protects its page and every page under it, whatever their type.
    for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_restriction_changed, sender=PageViewRestriction,
                       dispatch_uid=f"library-restriction-{event}")
    for model in (LibraryIndexPage, ResourcePage, ProjectProfilePage):
        post_page_move.connect(_moved, sender=model, dispatch_uid=f"library-move-{model.__name__}")
