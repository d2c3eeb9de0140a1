"""Keeps the library's search index in step with publishing, through `library.search`'s hooks
(`index_resource(page)`, `remove_resource(page)`), once that module provides them; a published
proposal's file leaves the secretariat's private collection."""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished


def _call(hook_name, page):
    try:
        from library import search
    except ImportError:
        return
    hook = getattr(search, hook_name, None)
    if hook is not None:
        transaction.on_commit(lambda: hook(page))


def _published(sender, instance, **kwargs):
    _call("index_resource", instance)


def _removed(sender, instance, **kwargs):
    _call("remove_resource", instance)


def _release_file(sender, instance, **kwargs):
    from .services import release_proposal_file

    release_proposal_file(instance)


def connect():
    from .models import ProjectProfilePage, ResourcePage

    page_published.connect(_release_file, sender=ResourcePage, dispatch_uid="library-release-proposal-file")

    for model in (ResourcePage, ProjectProfilePage):
        page_published.connect(_published, sender=model, dispatch_uid=f"library-publish-{model.__name__}")
        page_unpublished.connect(_removed, sender=model, dispatch_uid=f"library-unpublish-{model.__name__}")
        post_delete.connect(_removed, sender=model, dispatch_uid=f"library-delete-{model.__name__}")
