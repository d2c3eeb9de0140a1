"""A counter bumped whenever published inventory data may have changed (see `synthesis.py`).

One row. Caches of computed tables (synthesis, datasets) are keyed on it, so every process sees a
change at once, whatever cache backend it uses.
"""

from django.db import models
from django.db.models import F


class InventoryState(models.Model):
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "inventory state"

    def __str__(self):
        return f"inventory v{self.version}"

    @classmethod
    def current_version(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("version", flat=True).first()
        return row or 0

    @classmethod
    def bump(cls) -> int:
        """Add one to the version; the new version (read in the same transaction)."""
        from django.db import transaction
        from django.utils import timezone

        from portal.core import page_cache

        page_cache.invalidate()  # the public pages show the inventory (again once this commits)
        with transaction.atomic():
            updated = cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=timezone.now())
            if not updated:
                cls.objects.get_or_create(pk=1, defaults={"version": 1})
            return cls.current_version()
