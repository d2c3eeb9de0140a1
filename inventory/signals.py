"""Published inventory data changed: bump `InventoryState.version` once the transaction commits and
queue the worker's recompute of the synthesis and rebuild of the dataset files
(`refresh.request_refresh`); readers get the new figures when it is done, the previous ones until then.

And the audit log's entries (portal/core/audit.py) for what the workflow's own records show: a
return validated or sent back (its transitions), a release published. The actions written by the
services themselves (restores, imports, campaigns) are declared here too."""


from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy

from portal.core import audit, page_cache

from .opendata import refresh  # noqa: F401 - its system check (a cache shared with the worker)

audit.register("portal.return.validated", gettext_lazy("Validate a return"),
               gettext_lazy("Return validated"))
audit.register("portal.return.sent_back", gettext_lazy("Send a return back"),
               gettext_lazy("Return sent back to the mutual"))
audit.register("portal.return.restored", gettext_lazy("Restore a return's version"),
               gettext_lazy("Version %(restored_version)s restored"))
audit.register("portal.release.published", gettext_lazy("Publish a dataset release"),
               gettext_lazy("Release %(release)s published (%(returns)s returns)"))
audit.register("portal.release.doi", gettext_lazy("Record a release's DOI"),
               gettext_lazy("DOI of %(release)s: %(doi)s (was %(previous)s)"))
audit.register("portal.inventory.imported", gettext_lazy("Import the inventory"), gettext_lazy(
    "Inventory imported from %(file)s: returns %(returns_created)s created, %(returns_updated)s updated, "
    "%(returns_unchanged)s unchanged; mutuals %(mutuals_created)s created, %(mutuals_updated)s updated"))
audit.register("portal.campaign.opened", gettext_lazy("Open a campaign"),
               gettext_lazy("Campaign %(year)s opened (deadline %(deadline)s)"))
audit.register("portal.campaign.closed", gettext_lazy("Close a campaign"),
               gettext_lazy("Campaign %(year)s closed"))
audit.register("portal.campaign.provisional_days",
               gettext_lazy("Change how long a campaign's figures stay provisional"),
               gettext_lazy("Campaign %(year)s: figures provisional %(after)s days after closing "
                            "(were %(before)s)"))
audit.register("portal.campaign.emails_sent", gettext_lazy("Send the campaign's e-mails now"),
               gettext_lazy("Campaign e-mails sent now: %(sent)s sent, %(failed)s failed"))

_LOGGED_TRANSITIONS = {"validated": "portal.return.validated", "returned": "portal.return.sent_back"}


def _changed(**kwargs):
    if kwargs.get("raw"):
        return  # fixtures being loaded
    # Robust: the change is committed whatever happens here; a failure (SQLite busy with an import) is
    # logged, not shown to the user as a failed save.
    transaction.on_commit(_bump, robust=True)
    page_cache.invalidate()  # the stored public pages (now, and again at the commit)


def _bump():
    from .models import InventoryState
    from .opendata.refresh import request_refresh

    InventoryState.bump()
    request_refresh()  # one run queued, however many rows the transaction saved


def _return_data(ret) -> dict:
    return {"mutual": ret.mutual.mutual_id, "year": ret.year}


def _transition_saved(sender, instance, created, raw=False, **kwargs):
    action = _LOGGED_TRANSITIONS.get(instance.to_state)
    if created and not raw and action:
        # The comment a send-back carries is the focal point's message to the mutual: not copied.
        ret = instance.yearly_return
        audit.log(ret, action, user=instance.user, data=_return_data(ret))


def _release_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit.log(instance, "portal.release.published", user=instance.published_by, data={
            "release": instance.label, "returns": instance.returns_count})


def connect():
    from portal.reference.models import Country

    from .models import ExchangeRate, Mutual, Release, ReturnTransition, Union, YearlyReturn

    post_save.connect(_transition_saved, sender=ReturnTransition, dispatch_uid="audit-return-transition")
    post_save.connect(_release_saved, sender=Release, dispatch_uid="audit-release")

    # Exchange rates feed the EUR columns of the datasets.
    for model in (YearlyReturn, Mutual, Union, Country, ExchangeRate):
        post_save.connect(_changed, sender=model, dispatch_uid=f"inventory-changed-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"inventory-deleted-{model.__name__}")
    # Supporting organizations are shown on profiles and in datasets.
    m2m_changed.connect(_changed, sender=Mutual.supporting_organizations.through,
                        dispatch_uid="inventory-changed-supporters")
