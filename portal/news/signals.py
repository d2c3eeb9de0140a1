"""A published flash news goes out to those who asked for flash news at once (after the commit); a
published article's attachments become public."""

from django.db import transaction
from wagtail.signals import page_published, published


def _flash_published(sender, instance, **kwargs):
    from .flash import flash_publish_deliver

    transaction.on_commit(lambda: flash_publish_deliver(instance))


def _article_published(sender, instance, **kwargs):
    from .services import release_attachments

    release_attachments(instance)


def connect():
    from . import flash
    from .models import ArticlePage, FlashNews

    page_published.connect(_article_published, sender=ArticlePage, dispatch_uid="news-article-published")
    flash.register()
    published.connect(_flash_published, sender=FlashNews, dispatch_uid="news-flash-published")
