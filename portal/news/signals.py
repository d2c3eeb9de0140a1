"""A published flash news goes out to those who asked for flash news at once (after the commit); a
published article's attachments become public, and private again when it is unpublished or deleted
(unless another live page still uses them: `library.services.withhold_documents`); its image leaves the
private collection too (an image file is never private: the collection only keeps it out of the admin's
image chooser while the article is under review)."""

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished, published


def _flash_published(sender, instance, **kwargs):
    from .flash import flash_publish_deliver

    transaction.on_commit(lambda: flash_publish_deliver(instance), robust=True)  # logged if it fails


def _article_published(sender, instance, **kwargs):
    from library.services import release_documents

    release_documents([instance.image, *(attachment.document for attachment in
                                          instance.attachments.select_related("document__collection"))])


def _article_withdrawn(sender, instance, **kwargs):
    from library.services import withhold_documents

    withhold_documents(attachment.document_id for attachment in instance.attachments.all())


def connect():
    from . import flash
    from .models import ArticlePage, FlashNews

    page_published.connect(_article_published, sender=ArticlePage, dispatch_uid="news-article-published")
    page_unpublished.connect(_article_withdrawn, sender=ArticlePage, dispatch_uid="news-article-unpublished")
    pre_delete.connect(_article_withdrawn, sender=ArticlePage, dispatch_uid="news-article-deleted")
    flash.register()
    published.connect(_flash_published, sender=FlashNews, dispatch_uid="news-flash-published")
