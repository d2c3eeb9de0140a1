"""Published inventory data changed: bump `InventoryState.version` once the transaction commits, so
that the cached synthesis and datasets are recomputed on their next read (never stale)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def _changed(**kwargs):
    if kwargs.get("raw"):
        return  # fixtures being loaded
    from .models import InventoryState

    transaction.on_commit(InventoryState.bump)


def connect():
    from .models import Country, ExchangeRate, Mutual, Union, YearlyReturn

    # Exchange rates feed the EUR columns of the datasets.
    for model in (YearlyReturn, Mutual, Union, Country, ExchangeRate):
        post_save.connect(_changed, sender=model, dispatch_uid=f"inventory-changed-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"inventory-deleted-{model.__name__}")
    # Supporting organizations are shown on profiles and in datasets.
    m2m_changed.connect(_changed, sender=Mutual.supporting_organizations.through,
                        dispatch_uid="inventory-changed-supporters")
