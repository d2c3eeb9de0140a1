"""A published flash news goes out to those who asked for flash news at once (after the commit); a
published article's attachments become public, and private again when it is unpublished or deleted
(unless another live page still uses them); its image leaves the private collection too (an image file
is never private: the collection only keeps it out of the admin's image chooser while the article is
under review). Both through `portal.core.private_documents.follow_publishing`."""

from django.db import transaction
from wagtail.signals import published

from portal.core.private_documents import follow_publishing


def _flash_published(sender, instance, **kwargs):
    from .flash import flash_publish_deliver

    transaction.on_commit(lambda: flash_publish_deliver(instance), robust=True)  # logged if it fails


def _article_files(article):
    return [article.image, *(attachment.document for attachment in
                             article.attachments.select_related("document__collection"))]


def connect():
    from . import flash
    from .models import ArticlePage, FlashNews

    follow_publishing(ArticlePage, _article_files)
    flash.register()
    published.connect(_flash_published, sender=FlashNews, dispatch_uid="news-flash-published")
