"""A published flash news goes out to those who asked for flash news at once (after the commit)."""

from django.db import transaction
from wagtail.signals import published


def _flash_published(sender, instance, **kwargs):
    from .flash import flash_publish_deliver

    transaction.on_commit(lambda: flash_publish_deliver(instance))


def connect():
    from . import flash
    from .models import FlashNews

    flash.register()
    published.connect(_flash_published, sender=FlashNews, dispatch_uid="news-flash-published")
