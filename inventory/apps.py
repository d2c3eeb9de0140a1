"""The inventory app's start: its actions in the permission table, its part of a person's data, its
signals, the folder of its current dataset builds, which backups leave out (`portal.core.backup`), and
the releases a study using the inventory may cite (`portal.core.studies`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from . import (
            permissions,  # noqa: F401  (registers the inventory's actions)
            personal_data,
            signals,
            todo,
        )
        from .registry import organizations

        signals.connect()
        todo.connect()
        personal_data.register_holders()
        organizations.connect()
        from portal.core import backup, studies

        backup.register_rebuilt_folder(live_builds_folder)  # rebuilt by the worker, never backed up
        studies.provide_releases(citable_releases)  # what the library's declared studies may cite


def live_builds_folder():
    """The current dataset builds' folder (inventory/opendata/live.py), read only when a backup or a
    restore asks: importing the open-data modules (pandas) at start-up would slow every process."""
    from .opendata.live import live_root

    return live_root()


def citable_releases():
    """The published releases, newest first, as the studies using the inventory cite them."""
    from django.urls import reverse

    from portal.core.studies import CitableRelease

    from .models import Release

    return [
        CitableRelease(key=f"{release.slug}/{release.version}", label=release.label,
                       url=reverse("inventory:release_detail", args=[release.slug, release.version]))
        for release in Release.objects.newest_first()
    ]
