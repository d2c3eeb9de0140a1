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
        )
        from .registry import organizations

        signals.connect()
        personal_data.register_holders()
        organizations.connect()
