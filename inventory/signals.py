"""Published inventory data changed: bump `InventoryState.version` once the transaction commits and
queue the worker's recompute of the synthesis and rebuild of the dataset files
(`refresh.request_refresh`); readers get the new figures when it is done, the previous ones until then.
One bump per committed transaction, with the (country, year) rows of the synthesis its changes
touched (`synthesis.record_changes`), so that the worker updates only those; a change whose previous
state is unknown is recorded as unsure (the worker recomputes everything).

And the audit log's entries (portal/core/audit.py) for what the workflow's own records show: a
return validated or sent back (its transitions), a release published. The actions written by the
services themselves (restores, imports, campaigns) are declared here too."""


import threading

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


# What the committed changes of this thread touched in the synthesis, until a bump records them
# (`synthesis.record_changes`): {"count": saves, "pairs": set of (country, year), "unsure": bool}.
_pending = threading.local()


def _changed(pairs=(), *, unsure=False, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures being loaded
    state = _pending.__dict__
    state["count"] = state.get("count", 0) + 1
    state.setdefault("pairs", set()).update(pairs)
    state["unsure"] = state.get("unsure", False) or unsure
    # Robust: the change is committed whatever happens here; a failure (SQLite busy with an import) is
    # logged, not shown to the user as a failed save.
    transaction.on_commit(_bump, robust=True)
    page_cache.invalidate()  # the stored public pages (now, and again at the commit)


def _bump():
    """One bump for what this thread committed since the last one (the first of a transaction's
    callbacks records everything, the others find nothing left), with what it touched."""
    from .models import InventoryState
    from .opendata import synthesis
    from .opendata.refresh import request_refresh

    state = _pending.__dict__
    if not state.get("count"):
        return
    pairs = None if state.get("unsure") else set(state.get("pairs", ()))
    try:
        with transaction.atomic():
            version = InventoryState.bump()
            synthesis.record_changes(version, pairs)
    except Exception:
        synthesis.record_unsure()  # committed but not recorded: the next refresh recomputes all
        raise
    state.clear()
    request_refresh()  # one run queued, however many rows the transaction saved


def _mutual_country(pk) -> str | None:
    from .models import Mutual

    return Mutual.objects.filter(pk=pk).values_list("country_id", flat=True).first()


def _return_saved(sender, instance, created=False, raw=False, **kwargs):
    """A return saved: its year's row and the next year's, in its country (before and after, should
    the save have moved it), unless it is validated neither before nor after."""
    from .opendata.synthesis import return_change_pairs

    if raw:
        return  # fixtures being loaded
    before = None if created else getattr(instance, "_synthesis_key", None)
    after = instance.synthesis_key()
    instance._synthesis_key = after
    if after is None or (before is None and not created):
        _changed(unsure=True)
        return
    pairs = set()
    if (before is not None and before[2]) or after[2]:
        for mutual, year, _validated in {before, after} - {None}:
            pairs |= return_change_pairs(_mutual_country(mutual), year)
    _changed(pairs)


def _mutual_saved(sender, instance, created=False, raw=False, **kwargs):
    """A mutual saved: if its country or its publication changed, every year in which it has a
    validated return, in both countries."""
    from .models import YearlyReturn
    from .opendata.synthesis import mutual_change_pairs

    if raw:
        return  # fixtures being loaded
    before = getattr(instance, "_synthesis_place", None)
    after = instance.synthesis_place()
    instance._synthesis_place = after
    if created:
        _changed()  # no return yet: only mutuals_known, recomputed at every refresh
        return
    if before is None or after is None:
        _changed(unsure=True)
        return
    years = []
    if before != after:
        years = YearlyReturn.objects.validated().filter(mutual=instance).values_list("year", flat=True)
    _changed(mutual_change_pairs(before, after, years))


def _other_changed(sender, raw=False, **kwargs):
    """Unions, countries, exchange rates, supporters: in the dataset files, not in the synthesis."""
    _changed(raw=raw)


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

    post_save.connect(_return_saved, sender=YearlyReturn, dispatch_uid="inventory-changed-YearlyReturn")
    post_delete.connect(_return_saved, sender=YearlyReturn, dispatch_uid="inventory-deleted-YearlyReturn")
    post_save.connect(_mutual_saved, sender=Mutual, dispatch_uid="inventory-changed-Mutual")
    post_delete.connect(_mutual_saved, sender=Mutual, dispatch_uid="inventory-deleted-Mutual")
    # Exchange rates feed the EUR columns of the datasets.
    for model in (Union, Country, ExchangeRate):
        post_save.connect(_other_changed, sender=model, dispatch_uid=f"inventory-changed-{model.__name__}")
        post_delete.connect(_other_changed, sender=model, dispatch_uid=f"inventory-deleted-{model.__name__}")
    # Supporting organizations are shown on profiles and in datasets.
    m2m_changed.connect(_other_changed, sender=Mutual.supporting_organizations.through,
                        dispatch_uid="inventory-changed-supporters")
